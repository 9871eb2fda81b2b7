import type { ReportInput, RunReport } from './types.ts';

/**
 * Reading series out of the report input: which names exist, one run's samples, and every
 * run's samples lined up by block height (for quantiles across runs).
 */

/**
 * The suffixes of series named `<prefix><suffix>` in any run, `preferred` ones first in
 * their order (the scenario's markets or vaults), then the rest sorted.
 */
export function seriesSuffixes(
  runs: readonly RunReport[],
  prefix: string,
  preferred: readonly string[] = [],
): string[] {
  const found = new Set<string>();
  for (const run of runs) {
    for (const name of Object.keys(run.series.values)) {
      if (name.startsWith(prefix) && name.length > prefix.length)
        found.add(name.slice(prefix.length));
    }
  }
  const first = preferred.filter((p) => found.has(p));
  const rest = [...found].filter((s) => !first.includes(s)).sort();
  return [...first, ...rest];
}

/** Whether any run has a series of exactly this name with at least one finite sample. */
export function hasSeries(runs: readonly RunReport[], name: string): boolean {
  return runs.some((r) => (r.series.values[name] ?? []).some(Number.isFinite));
}

/** One run's samples of a series as x (blocks) and y, or undefined when it has none. */
export function runSeries(run: RunReport, name: string): { x: number[]; y: number[] } | undefined {
  const y = run.series.values[name];
  if (!y || y.length === 0) return undefined;
  const n = Math.min(y.length, run.series.blocks.length);
  return { x: run.series.blocks.slice(0, n), y: y.slice(0, n) };
}

/**
 * Every run's samples of `name` grouped by block height: `x` ascending, `samples[i]` the
 * finite values the runs had at `x[i]` (a run without a sample there simply is not counted).
 */
export function samplesByBlock(
  runs: readonly RunReport[],
  name: string,
): { x: number[]; samples: number[][] } {
  const byBlock = new Map<number, number[]>();
  for (const run of runs) {
    const s = runSeries(run, name);
    if (!s) continue;
    s.x.forEach((block, i) => {
      const v = s.y[i]!;
      if (!Number.isFinite(block) || !Number.isFinite(v)) return;
      const list = byBlock.get(block);
      if (list) list.push(v);
      else byBlock.set(block, [v]);
    });
  }
  const x = [...byBlock.keys()].sort((a, b) => a - b);
  return { x, samples: x.map((b) => byBlock.get(b)!) };
}

/**
 * At most `max` evenly spaced indices into a list of `n` (always the first and the last), so
 * a year of samples still draws as a light path.
 */
export function strideIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  const step = (n - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(Math.round(k * step));
  return out;
}

/**
 * Thins a line to about `maxPoints` points keeping, per bucket, its lowest and highest
 * sample in x order, so spikes (a crash, a slash) survive the thinning.
 */
export function decimateMinMax(
  x: readonly number[],
  y: readonly number[],
  maxPoints: number,
): { x: number[]; y: number[] } {
  const n = Math.min(x.length, y.length);
  if (n <= maxPoints) return { x: x.slice(0, n), y: y.slice(0, n) };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = n / buckets;
  const ox: number[] = [];
  const oy: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = b === buckets - 1 ? n : Math.floor((b + 1) * size);
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const v = y[i]!;
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < y[lo]!) lo = i;
      if (hi < 0 || v > y[hi]!) hi = i;
    }
    if (lo < 0) {
      // An all-gap bucket stays a gap.
      ox.push(x[from]!);
      oy.push(Number.NaN);
      continue;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) {
      ox.push(x[i]!);
      oy.push(y[i]!);
    }
  }
  return { x: ox, y: oy };
}

/** Runs grouped by sweep point, in the order the points first appear. */
export function groupByPoint(runs: readonly RunReport[]): { point: string; runs: RunReport[] }[] {
  const groups = new Map<string, RunReport[]>();
  for (const run of runs) {
    const list = groups.get(run.point);
    if (list) list.push(run);
    else groups.set(run.point, [run]);
  }
  return [...groups].map(([point, rs]) => ({ point, runs: rs }));
}

/** A label for a run: `run 3` or `run 3 · fee=0.1` with a sweep point. */
export function runLabel(run: RunReport): string {
  return run.point === '' ? `run ${run.run}` : `run ${run.run} · ${run.point}`;
}

/** Total length of the scenario in milliseconds. */
export function scenarioDurationMs(input: ReportInput): number {
  return input.scenario.blocks * input.scenario.blockTimeMs;
}
