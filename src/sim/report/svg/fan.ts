import { type Band, type Line, xyChart } from './line.ts';

/**
 * The q-quantile of ascending `sorted` values, interpolating linearly between order
 * statistics (the common "type 7" definition: position q·(n−1)). NaN for no values.
 */
export function quantile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const f = pos - lo;
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * f;
}

/** Per-x quantiles across runs: what a fan chart draws. */
export interface FanQuantiles {
  x: number[];
  p10: number[];
  p25: number[];
  p50: number[];
  p75: number[];
  p90: number[];
  /** How many runs had a (finite) sample at each x. */
  n: number[];
}

/** Quantiles of `samples[i]` (the values of every run at `x[i]`); non-finite samples ignored. */
export function fanQuantiles(x: readonly number[], samples: readonly (readonly number[])[]) {
  const out: FanQuantiles = { x: [...x], p10: [], p25: [], p50: [], p75: [], p90: [], n: [] };
  for (let i = 0; i < x.length; i++) {
    const sorted = (samples[i] ?? []).filter(Number.isFinite).sort((a, b) => a - b);
    out.p10.push(quantile(sorted, 0.1));
    out.p25.push(quantile(sorted, 0.25));
    out.p50.push(quantile(sorted, 0.5));
    out.p75.push(quantile(sorted, 0.75));
    out.p90.push(quantile(sorted, 0.9));
    out.n.push(sorted.length);
  }
  return out;
}

export interface FanChart {
  id: string;
  title: string;
  desc: string;
  xLabel: string;
  yLabel: string;
  x: readonly number[];
  samples: readonly (readonly number[])[];
  color: string;
  yFormat?: (v: number) => string;
  width?: number;
  height?: number;
}

/**
 * A fan chart: the median across runs as a line, the 25–75 % range as a darker band and the
 * 10–90 % range as a lighter one. Half the runs lie in the dark band at each block, four in
 * five in the light one.
 */
export function fanChart(chart: FanChart): string {
  const q = fanQuantiles(chart.x, chart.samples);
  const bands: Band[] = [
    { label: '10–90 % of runs', x: q.x, lo: q.p10, hi: q.p90, color: chart.color, opacity: 0.16 },
    { label: '25–75 % of runs', x: q.x, lo: q.p25, hi: q.p75, color: chart.color, opacity: 0.32 },
  ];
  const lines: Line[] = [{ label: 'median', x: q.x, y: q.p50, color: chart.color, width: 2.2 }];
  return xyChart({
    id: chart.id,
    kind: 'fan',
    title: chart.title,
    desc: chart.desc,
    xLabel: chart.xLabel,
    yLabel: chart.yLabel,
    lines,
    bands,
    ...(chart.yFormat ? { yFormat: chart.yFormat } : {}),
    ...(chart.width ? { width: chart.width } : {}),
    ...(chart.height ? { height: chart.height } : {}),
  });
}
