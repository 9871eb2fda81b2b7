import { Worker } from 'node:worker_threads';
import type { LoadOptions, Scenario } from '../scenario/load.ts';
import { type RunResult, runScenario } from './run.ts';
import type { WorkerInit, WorkerJob, WorkerMessage } from './worker.ts';

/**
 * Monte Carlo over a scenario: every sweep point × `runs` runs, serially or spread over
 * worker threads. Results come back in job order (point, then run) whatever the schedule,
 * and each run depends only on its seed and point: `--workers 4` gives the same results as
 * serial.
 */
export interface MonteCarloOptions {
  file: string;
  load: LoadOptions;
  trustSignatures: boolean;
  /** 0 or 1: in this thread; more: that many worker threads. */
  workers: number;
  /** Blocks done (across all runs) since the last call; and when a run finishes. */
  onBlocks?: (blocks: number) => void;
  onRunDone?: (result: RunResult) => void;
}

export function jobsOf(scenario: Scenario): WorkerJob[] {
  const jobs: WorkerJob[] = [];
  scenario.points.forEach((_, point) => {
    for (let run = 0; run < scenario.spec.runs; run++) jobs.push({ job: jobs.length, point, run });
  });
  return jobs;
}

export async function runMonteCarlo(
  scenario: Scenario,
  opts: MonteCarloOptions,
): Promise<RunResult[]> {
  const jobs = jobsOf(scenario);
  if (opts.workers <= 1) {
    const out: RunResult[] = [];
    for (const j of jobs) {
      const r = runScenario(
        scenario,
        { point: scenario.points[j.point] as Scenario['points'][number], run: j.run },
        {
          trustSignatures: opts.trustSignatures,
          ...(opts.onBlocks !== undefined ? { onProgress: opts.onBlocks } : {}),
        },
      );
      opts.onRunDone?.(r);
      out.push(r);
      // Yield between runs so a progress bar can redraw.
      await new Promise((res) => setImmediate(res));
    }
    return out;
  }
  return runOnWorkers(jobs, opts);
}

function runOnWorkers(jobs: WorkerJob[], opts: MonteCarloOptions): Promise<RunResult[]> {
  const results: (RunResult | undefined)[] = new Array(jobs.length);
  const queue = [...jobs];
  const n = Math.min(opts.workers, jobs.length);
  const init: WorkerInit = {
    file: opts.file,
    load: opts.load,
    trustSignatures: opts.trustSignatures,
  };
  return new Promise((resolve, reject) => {
    let live = n;
    let failed = false;
    const workers: Worker[] = [];
    const next = (w: Worker) => w.postMessage(queue.shift() ?? null);
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: init });
      workers.push(w);
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') opts.onBlocks?.(m.blocks);
        else if (m.type === 'result') {
          results[m.job] = m.result;
          opts.onRunDone?.(m.result);
          next(w);
        } else {
          failed = true;
          for (const x of workers) void x.terminate();
          reject(new Error(`run ${m.job} failed on a worker: ${m.message}`));
        }
      });
      w.on('error', (e) => {
        if (failed) return;
        failed = true;
        for (const x of workers) void x.terminate();
        reject(e);
      });
      w.on('exit', () => {
        live--;
        if (live === 0 && !failed) resolve(results as RunResult[]);
      });
      next(w);
    }
  });
}
