/**
 * Internal high-precision kernels shared by `transcendental.ts` and `normal.ts`.
 * Not part of the public API (not re-exported from `index.ts`).
 *
 * Why: transcendental results must be rounded to 18 decimals only once, at the
 * very end. Kernels therefore work on integers at the internal scale `P = 10^40`
 * (22 guard digits beyond the public 18), which keeps accumulated series and
 * range-reduction error around 1e-38 — far below the 1e-18 output resolution —
 * while operands stay small (≈ 130–300 bits) so each call takes only microseconds.
 *
 * Everything here is pure integer arithmetic: deterministic on every platform.
 */
import { divRound, Rounding } from './fixed.ts';

/** Internal scale: values are integers `v · 10^40`. */
export const P: bigint = 10n ** 40n;

/** Ratio between the internal scale and the public 18-decimal scale (`10^22`). */
export const TO_FIXED: bigint = 10n ** 22n;

/** `10^60 / P`: converts the 60-decimal constants below down to the internal scale. */
const HI_TO_P: bigint = 10n ** 20n;

/** ln 2 to 60 decimals (round-to-nearest), from mpmath. */
export const LN2_HI = 693147180559945309417232121458176568075500134360255254120680n;

/** 1/√(2π) to 60 decimals (round-to-nearest), from mpmath. */
export const INV_SQRT_2PI_HI = 398942280401432677939946059934381868475858631164934657665926n;

/** 1/√(2π) at the internal scale. */
export const INV_SQRT_2PI_P: bigint = divRound(INV_SQRT_2PI_HI, HI_TO_P, Rounding.HalfEven);

/**
 * Bit length of a positive integer (position of its highest set bit, 1-based).
 * Uses the hexadecimal string form: no floating point involved.
 */
export function bitLength(n: bigint): bigint {
  const hex = n.toString(16);
  const lead = BigInt(`0x${hex[0] ?? '0'}`);
  const leadBits = lead >= 8n ? 4n : lead >= 4n ? 3n : lead >= 2n ? 2n : 1n;
  return 4n * BigInt(hex.length - 1) + leadBits;
}

/**
 * `e^x` as a binary-scaled mantissa: returns `{ m, k }` with `e^x ≈ (m / P) · 2^k`,
 * for `x = xP / P`.
 *
 * Range reduction: `k = round(x / ln 2)`, `r = x − k·ln 2` (so `|r| ≤ ln2/2 ≈ 0.347`),
 * with `k·ln 2` formed at 60 decimals so the reduction error stays below 1e-40 for
 * any practical `k`. Then `e^r = Σ r^n / n!` (Taylor), summed until a term vanishes
 * at the internal scale (≈ 28 terms). The mantissa `m/P ∈ [0.70, 1.42]` carries a
 * relative error of a few 1e-39; the caller applies `2^k` inside its final rounding.
 */
export function expKernel(xP: bigint): { m: bigint; k: bigint } {
  const xHi = xP * HI_TO_P;
  const k = divRound(xHi, LN2_HI, Rounding.HalfEven);
  const r = divRound(xHi - k * LN2_HI, HI_TO_P, Rounding.HalfEven);
  let sum = P;
  let term = P;
  for (let n = 1n; ; n++) {
    term = (term * r) / (n * P);
    if (term === 0n) break;
    sum += term;
  }
  return { m: sum, k };
}

/**
 * `ln x` at the internal scale, for `x = xP / P > 0`.
 *
 * Range reduction: `x = mant · 2^k` with `mant ∈ [1/√2, √2]`, chosen exactly with
 * integer comparisons. Then `ln(mant) = 2·atanh(z) = 2·Σ z^(2j+1)/(2j+1)` with
 * `z = (mant − 1)/(mant + 1)`, `|z| ≤ 0.1716`, so each term gains ≥ 1.5 digits
 * (≈ 26 terms). `z` is formed from the exact rational `(x − 2^k)/(x + 2^k)`.
 * Result: `k·ln 2 + 2·atanh(z)`, absolute error a few 1e-39.
 */
export function lnKernel(xP: bigint): bigint {
  if (xP <= 0n) throw new RangeError('ln: argument must be positive');
  // Initial guess: k ≈ log2(x), within ±1 of the final choice.
  let k = bitLength(xP) - bitLength(P);
  let num = 0n;
  let den = 0n;
  for (;;) {
    // mant = num / den = xP / (P · 2^k)
    num = k >= 0n ? xP : xP << -k;
    den = k >= 0n ? P << k : P;
    const num2 = num * num;
    const den2 = den * den;
    if (num2 > 2n * den2) {
      k += 1n; // mant > √2: halve it
    } else if (2n * num2 < den2) {
      k -= 1n; // mant < 1/√2: double it
    } else {
      break;
    }
  }
  const z = divRound((num - den) * P, num + den, Rounding.HalfEven);
  const z2 = (z * z) / P;
  let term = z;
  let sum = z;
  for (let j = 3n; ; j += 2n) {
    term = (term * z2) / P;
    const t = term / j;
    if (t === 0n) break;
    sum += t;
  }
  return 2n * sum + divRound(k * LN2_HI, HI_TO_P, Rounding.HalfEven);
}

/**
 * `numerator · 2^k / denominator`, rounded once with `rounding` (k of either sign).
 * Used to apply the binary exponent of `expKernel` inside the final rounding.
 */
export function roundScaledPow2(
  numerator: bigint,
  k: bigint,
  denominator: bigint,
  rounding: Rounding,
): bigint {
  return k >= 0n
    ? divRound(numerator << k, denominator, rounding)
    : divRound(numerator, denominator << -k, rounding);
}
