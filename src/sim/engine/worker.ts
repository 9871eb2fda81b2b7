import { parentPort, workerData } from 'node:worker_threads';
import { type LoadOptions, loadScenario } from '../scenario/load.ts';
import { runScenario } from './run.ts';

/**
 * A worker thread of `simulate --workers N`: loads the scenario itself (loading is
 * deterministic, so every worker resolves the same scenario), then runs the jobs it is sent
 * one at a time and posts back progress and results. A run depends only on its seed and
 * sweep point, so which worker runs it changes nothing.
 */
export interface WorkerInit {
  file: string;
  load: LoadOptions;
  trustSignatures: boolean;
}

export interface WorkerJob {
  job: number;
  point: number;
  run: number;
}

export type WorkerMessage =
  | { type: 'progress'; blocks: number }
  | { type: 'result'; job: number; result: ReturnType<typeof runScenario> }
  | { type: 'error'; job: number; message: string };

const init = workerData as WorkerInit;
const scenario = loadScenario(init.file, init.load);
const port = parentPort;
if (port === null) throw new Error('worker.ts runs as a worker thread');

port.on('message', (job: WorkerJob | null) => {
  if (job === null) {
    port.close();
    return;
  }
  try {
    const point = scenario.points[job.point];
    if (point === undefined) throw new Error(`no sweep point ${job.point}`);
    const result = runScenario(
      scenario,
      { point, run: job.run },
      {
        trustSignatures: init.trustSignatures,
        onProgress: (blocks) =>
          port.postMessage({ type: 'progress', blocks } satisfies WorkerMessage),
      },
    );
    port.postMessage({ type: 'result', job: job.job, result } satisfies WorkerMessage);
  } catch (e) {
    port.postMessage({
      type: 'error',
      job: job.job,
      message: (e as Error).message,
    } satisfies WorkerMessage);
  }
});
