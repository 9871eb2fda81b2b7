import { toDecimalString } from '../../core/math/index.ts';

/** Base units (6 decimals) as an exact decimal string of display units: 1500000n → "1.5". */
export function micro(v: bigint): string {
  return toDecimalString(v * 10n ** 12n);
}

/** An 18-decimal value as an exact decimal string. */
export function dec18(v: bigint): string {
  return toDecimalString(v);
}

/** A float fraction with a fixed number of digits (stable across machines for the same input). */
export function frac(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return 'NaN';
  const s = v.toFixed(digits);
  return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
}

/** The q-quantile of bigints by nearest rank (deterministic, no interpolation). */
export function quantile(values: bigint[], q: number): bigint {
  if (values.length === 0) return 0n;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx] as bigint;
}

export function mean(values: bigint[]): bigint {
  if (values.length === 0) return 0n;
  return values.reduce((s, v) => s + v, 0n) / BigInt(values.length);
}

/** JSON with keys in insertion order, bigints refused (callers format them as strings). */
export function stableJson(v: unknown): string {
  return `${JSON.stringify(
    v,
    (_k, x) => {
      if (typeof x === 'bigint') throw new TypeError('format bigints as strings before writing');
      return x;
    },
    2,
  )}\n`;
}
