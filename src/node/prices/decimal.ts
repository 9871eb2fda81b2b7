/**
 * Exact conversions from decimal text (and from floating point, through decimal text) to the
 * oracle's 18-decimal fixed point (`10^18` = 1 USD).
 */

export const PRICE_DECIMALS = 18;
export const PRICE_ONE = 10n ** 18n;

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
const MAX_DIGITS = 120;
const MAX_EXPONENT = 200;

/**
 * Parse a decimal string (`123`, `-0.5`, `.25`, `1.5e-7`, `6.0123e+4`) into an 18-decimal
 * bigint, exactly when it has at most 18 fractional digits, else rounded half away from zero.
 * Returns `undefined` for anything that is not a plain decimal number.
 */
export function parseDecimal18(text: string): bigint | undefined {
  const m = DECIMAL_RE.exec(text.trim());
  if (m === null) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int.length + frac.length === 0 || int.length + frac.length > MAX_DIGITS) return undefined;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (Math.abs(exp) > MAX_EXPONENT) return undefined;
  const digits = BigInt(int + frac);
  const shift = exp - frac.length + PRICE_DECIMALS;
  let v: bigint;
  if (shift >= 0) v = digits * 10n ** BigInt(shift);
  else {
    const d = 10n ** BigInt(-shift);
    v = (digits + d / 2n) / d;
  }
  return m[1] === '-' ? -v : v;
}

/** Smallest and largest price a float is converted to (1e-18 … 1e30 USD). */
const MIN_FLOAT = 1e-18;
const MAX_FLOAT = 1e30;

/**
 * A positive float price as an 18-decimal bigint, through its decimal text with `significant`
 * digits (12 by default): the same float always gives the same bigint, on every machine.
 * Non-finite or out-of-range values are clamped to [1e-18, 1e30]; the result is at least 1n.
 */
export function floatToPrice(x: number, significant = 12): bigint {
  let v = x;
  if (Number.isNaN(v) || v < MIN_FLOAT) v = MIN_FLOAT;
  else if (v > MAX_FLOAT) v = MAX_FLOAT;
  const p = parseDecimal18(v.toPrecision(significant));
  return p === undefined || p < 1n ? 1n : p;
}

/** A price for logs and errors: `60123.45`. */
export function formatPrice(p: bigint): string {
  const neg = p < 0n;
  const a = neg ? -p : p;
  const int = a / PRICE_ONE;
  const frac = (a % PRICE_ONE).toString().padStart(PRICE_DECIMALS, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}`;
}

/** Multiply a price by `1 + percent/100`, exactly up to the 18th decimal (rounded down). */
export function scaleByPercent(price: bigint, percent: number): bigint {
  const factor = parseDecimal18(String(percent));
  if (factor === undefined) throw new RangeError(`not a finite percentage: ${percent}`);
  // factor is percent × 10^18; 1 + percent/100 = (100·10^18 + factor) / (100·10^18)
  const den = 100n * PRICE_ONE;
  return (price * (den + factor)) / den;
}
