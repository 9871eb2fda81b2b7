import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createProgress } from '../../sim/cli/progress.ts';
import { runMonteCarlo } from '../../sim/engine/montecarlo.ts';
import { reportInput } from '../../sim/output/report-input.ts';
import { runDir, writeOutputs } from '../../sim/output/write.ts';
import { renderReport } from '../../sim/report/render.ts';
import type { ReportInput } from '../../sim/report/types.ts';
import { ScenarioError } from '../../sim/scenario/errors.ts';
import { type LoadOptions, loadScenario } from '../../sim/scenario/load.ts';
import { action, parsePositiveInt } from '../context.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';

interface SimulateOpts {
  runs?: number;
  seed?: string;
  workers?: number;
  out?: string;
  blocks?: number;
  blockTime?: string;
  verifySignatures?: boolean;
  report?: boolean;
}

/** `bulwark simulate <scenario.yaml>`: Monte Carlo runs of a scenario on the real state machine. */
export function registerSimulate(program: Command, io: Io): void {
  program
    .command('simulate')
    .argument('<scenario>', 'scenario file (YAML); see scenarios/README.md')
    .description(
      'run a scenario on the real state machine, in process: Monte Carlo runs and sweeps; writes metrics.csv per run, summary.json and report.html',
    )
    .option(
      '--runs <n>',
      "Monte Carlo runs per sweep point (default: the scenario's runs)",
      parsePositiveInt,
    )
    .option('--seed <seed>', "seed of the runs (default: the scenario's seed)")
    .option(
      '--workers <n>',
      'worker threads (default 1: in this thread); same results either way',
      parsePositiveInt,
    )
    .option('--out <dir>', 'output folder (default: sim-out/<scenario name>)')
    .option('--blocks <n>', "override the scenario's duration in blocks", parsePositiveInt)
    .option('--block-time <seconds>', 'override the block time, scaling every per-block param')
    .option(
      '--verify-signatures',
      'sign and verify every tx and vote extension (default: the simulator trusts its own actors and skips signatures)',
    )
    .option('--no-report', 'skip report.html')
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark simulate scenarios/baseline.yaml --runs 4\n  $ bulwark simulate scenarios/sweep-slash-fraction.yaml --workers 2 --out sweep-out\n\nA bad scenario is reported with file:line:column and the field, before any run starts.\n',
    )
    .action(
      action<[string], SimulateOpts>(io, async (ctx, opts, file) => {
        const load: LoadOptions = {
          ...(opts.runs !== undefined ? { runs: opts.runs } : {}),
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.blocks !== undefined ? { blocks: opts.blocks } : {}),
          ...(opts.blockTime !== undefined ? { blockTime: parseBlockTime(opts.blockTime) } : {}),
        };
        const path = resolve(file);
        let scenario: ReturnType<typeof loadScenario>;
        try {
          scenario = loadScenario(path, load);
        } catch (e) {
          if (e instanceof ScenarioError) {
            io.stderr(`${e.message}\n`);
            throw new CliError(
              `scenario ${file} is invalid (${e.issues.length} problem${e.issues.length === 1 ? '' : 's'}, listed above)`,
              'fix the fields named above; see scenarios/README.md and docs/sim.md',
            );
          }
          throw e;
        }
        const out = resolve(opts.out ?? join('sim-out', scenario.spec.name));
        const totalRuns = scenario.points.length * scenario.spec.runs;
        const progress = createProgress(totalRuns, scenario.blocks, {
          tty: process.stderr.isTTY === true && io.env.CI === undefined,
          write: (l) => io.stderr(l),
        });
        const points = scenario.points.map((p) => p.label);
        const started = performance.now();
        let results: Awaited<ReturnType<typeof runMonteCarlo>>;
        try {
          results = await runMonteCarlo(scenario, {
            file: path,
            load,
            trustSignatures: opts.verifySignatures !== true,
            workers: opts.workers ?? 1,
            onBlocks: (n) => progress.blocks(n),
            onRunDone: (r) =>
              progress.runDone(
                `${runDir(r, points)}${r.point === '' ? '' : ` [${r.point}]`}`,
                r.failure?.message,
              ),
          });
        } finally {
          progress.stop();
        }
        const seconds = (performance.now() - started) / 1000;
        await mkdir(out, { recursive: true });
        const summary = await writeOutputs(out, scenario, results);
        let report: string | undefined;
        if (opts.report !== false) {
          report = await writeReport(out, reportInput(scenario, results, summary));
        }
        const failed = results.filter((r) => r.failure !== undefined);
        const blocks = results.reduce((s, r) => s + r.blocks, 0);
        ctx.print({ out, summary, report: report ?? null }, () =>
          [
            `${scenario.spec.name}: ${totalRuns} run(s) × ${scenario.blocks} blocks in ${seconds.toFixed(1)} s (${Math.round(blocks / Math.max(seconds, 1e-9))} blocks/s)`,
            ...headlines(summary),
            `wrote ${join(out, 'summary.json')}, ${join(out, 'runs')}/*/metrics.csv${report !== undefined ? `, ${report}` : ''}`,
          ].join('\n'),
        );
        if (failed.length > 0) {
          throw new CliError(
            `${failed.length} run(s) failed: ${failed[0]?.failure?.message}`,
            'an invariant broke or an actor failed at the block named; the run seed is in summary.json',
            2,
          );
        }
      }),
    );
}

function parseBlockTime(s: string): number {
  const v = Number(s);
  if (!Number.isFinite(v) || v < 0.001 || v > 3600) {
    throw new CliError(
      `--block-time ${s} is not a number of seconds in [0.001, 3600]`,
      'e.g. --block-time 0.5',
    );
  }
  return v;
}

/** One line per point and vault: the figures a person looks at first. */
function headlines(summary: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const points = summary.points as {
    point: string;
    vaults: Record<
      string,
      { probabilityOfInsolvency: string; badDebt: { p95: string }; maxDrawdown: { max: string } }
    >;
    security: { timeUnderSecured: { mean: string } };
    attacker: { profit: { mean: string }; cost: { mean: string } };
  }[];
  for (const p of points) {
    const head = p.point === '' ? '' : `[${p.point}] `;
    for (const [v, s] of Object.entries(p.vaults)) {
      lines.push(
        `  ${head}vault ${v}: P(insolvent) ${s.probabilityOfInsolvency}, bad debt p95 ${s.badDebt.p95} USD, max drawdown ${s.maxDrawdown.max}`,
      );
    }
    lines.push(
      `  ${head}time under-secured ${p.security.timeUnderSecured.mean}; attacker profit ${p.attacker.profit.mean} USD vs cost ${p.attacker.cost.mean} USD (means)`,
    );
  }
  return lines;
}

/** report.html: one self-contained page with the charts (`src/sim/report/render.ts`). */
async function writeReport(out: string, input: ReportInput): Promise<string> {
  const path = join(out, 'report.html');
  await writeFile(path, renderReport(input));
  return path;
}
