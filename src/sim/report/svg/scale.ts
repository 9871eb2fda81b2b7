/**
 * The maths behind axes: a "nice" tick step (1, 2 or 5 × 10ⁿ), the domain widened to whole
 * steps, and a linear map from data to pixels. Pure functions, tested beside.
 */

/** A closed interval of data values. */
export interface Domain {
  min: number;
  max: number;
}

/** The smallest 1, 2, 5 × 10ⁿ step that splits `span` into at most `maxTicks` intervals. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, maxTicks);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    // A tiny tolerance so that 0.30000000000000004 / 0.1 still counts as 3 steps.
    if (m * power >= raw * (1 - 1e-9)) return m * power;
  }
  return 10 * power;
}

/** Rounds away float noise so that ticks print as `0.3`, not `0.30000000000000004`. */
function clean(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(20, decimals)));
}

/**
 * Extends `domain` outwards to whole multiples of a nice step and lists the ticks.
 * An empty or degenerate domain (min = max, or non-finite) becomes a small interval around
 * the value, so a flat series still gets an axis.
 */
export function niceDomain(domain: Domain, maxTicks = 6): { domain: Domain; ticks: number[] } {
  let { min, max } = domain;
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = 0;
    max = 1;
  }
  if (min > max) [min, max] = [max, min];
  // A span lost in float rounding (or below any display precision) counts as flat.
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  if (max - min <= magnitude * 1e-12 || max - min < 1e-150) {
    min = (min + max) / 2;
    max = min;
  }
  if (min === max) {
    const pad = Math.abs(min) < 1e-150 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, maxTicks);
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  const count = Math.round((hi - lo) / step);
  for (let i = 0; i <= count; i++) ticks.push(clean(lo + i * step, step));
  return { domain: { min: clean(lo, step), max: clean(hi, step) }, ticks };
}

/** The smallest interval holding every finite value of every list (`undefined` if none). */
export function extent(lists: Iterable<readonly number[]>): Domain | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const list of lists) {
    for (const v of list) {
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? { min, max } : undefined;
}

/** A linear map from `domain` to the pixel range [`from`, `to`] (`to` may be smaller). */
export function linearScale(domain: Domain, from: number, to: number): (v: number) => number {
  const span = domain.max - domain.min;
  if (span === 0) return () => (from + to) / 2;
  const k = (to - from) / span;
  return (v) => from + (v - domain.min) * k;
}
