/**
 * Internal high-precision kernels shared by `transcendental.ts` and `normal.ts`.
 * Not part of the public API (not re-exported from `index.ts`).
 *
 * Why: transcendental results must be rounded to 18 decimals only once, at the very
 * end. Kernels therefore work on integers in binary fixed point with `B = 128`
 * fractional bits (resolution 2^-128 ≈ 2.9e-39, i.e. ~20 guard digits beyond the
 * public 18). A binary scale turns the rescaling after every product into a shift,
 * which is several times cheaper than dividing by a power of ten, while operands
 * stay ~2–4 machine words. Accumulated series and range-reduction error stays around
 * 1e-37, far below the 1e-18 output resolution.
 *
 * Everything here is pure integer arithmetic: deterministic on every platform.
 * Right shifts of negative numbers floor and `/` truncates; either way each step errs
 * by at most one internal unit, which the error budgets above account for.
 */
import { type Dec, divRound, ONE, Rounding } from './fixed.ts';

/** Fractional bits of the internal binary fixed point. */
export const B = 128n;

/** The internal representation of 1 (`2^128`). */
export const F: bigint = 1n << B;

/** ln 2 · 2^448, rounded to nearest (from mpmath at 200 digits). */
const LN2_C =
  503806212467287336944962318911413164331589999686332526750892113008874715004345470044877937781258350830018788825857087812047298226561348n;
const LN2_C_BITS = 448n;

/** 1/√(2π) · 2^192, rounded to nearest (from mpmath at 120 digits). */
const INV_SQRT_2PI_C = 2504201280626952864894549311249338563268063356138482501337n;
const INV_SQRT_2PI_C_BITS = 192n;

/** `v / 2^s` (s ≥ 1) rounded to nearest (ties toward +∞); internal use only. */
function shiftRound(v: bigint, s: bigint): bigint {
  return (v + (1n << (s - 1n))) >> s;
}

/** 1/√(2π) at the internal scale. */
export const INV_SQRT_2PI_F: bigint = shiftRound(INV_SQRT_2PI_C, INV_SQRT_2PI_C_BITS - B);

/** Largest internal precision supported by the stored ln 2 (used by `exp` for large x). */
export const MAX_BITS: bigint = LN2_C_BITS - 64n;

/** An 18-decimal value converted to scale 2^bits (default B), rounded to nearest. */
export function toInternal(x: Dec, bits: bigint = B): bigint {
  return divRound(x << bits, ONE, Rounding.HalfEven);
}

/**
 * The value `v · 2^e` (any integer `e`) as an 18-decimal raw amount, rounded once with
 * `rounding`. With `e = −B` this converts an internal-scale value to fixed point.
 */
export function roundToFixed(v: bigint, e: bigint, rounding: Rounding): Dec {
  return e >= 0n ? (v * ONE) << e : divRound(v * ONE, 1n << -e, rounding);
}

/**
 * Bit length of a positive integer (position of its highest set bit, 1-based).
 * Uses the hexadecimal string form: no floating point involved.
 */
export function bitLength(n: bigint): bigint {
  const hex = n.toString(16);
  const lead = hex.charCodeAt(0);
  // '8'..'f' → 4 bits, '4'..'7' → 3, '2'..'3' → 2, '1' → 1 (ASCII: '0' = 48, 'a' = 97).
  const leadBits = lead >= 56 ? 4n : lead >= 52 ? 3n : lead >= 50 ? 2n : 1n;
  return 4n * BigInt(hex.length - 1) + leadBits;
}

/**
 * `e^x` as a binary-scaled mantissa: returns `{ m, k }` with `e^x ≈ m · 2^(k − bits)`,
 * for `x = xF / 2^bits` (`bits` defaults to B; `exp` raises it for large results so
 * that every significant digit of the 18-decimal result is covered).
 *
 * Range reduction: `k = round(x / ln 2)`, `r = x − k·ln 2` (so `|r| ≤ ln2/2 ≈ 0.347`),
 * with `k·ln 2` taken from a 448-bit constant so the reduction error stays below one
 * unit for any `k` that `exp` admits. Then `e^r = Σ r^n / n!` (Taylor), summed until a
 * term vanishes at the internal scale (≈ 27 terms at 128 bits). The mantissa
 * `m / 2^bits ∈ [0.70, 1.42]` carries an error of a few tens of units (relative
 * ≈ 2^-(bits−6)); the caller applies `2^k` inside its final rounding.
 */
export function expKernel(xF: bigint, bits: bigint = B): { m: bigint; k: bigint } {
  if (bits > MAX_BITS) throw new RangeError('exp: precision exceeds the stored ln 2');
  const reduce = LN2_C_BITS - bits;
  const k = divRound(xF, shiftRound(LN2_C, reduce), Rounding.HalfEven);
  const r = xF - shiftRound(k * LN2_C, reduce);
  const one = 1n << bits;
  let sum = one;
  let term = one;
  for (let n = 1n; ; n++) {
    term = ((term * r) >> bits) / n;
    if (term === 0n || term === -1n) break;
    sum += term;
  }
  return { m: sum, k };
}

/**
 * `ln x` at the internal scale, for a positive 18-decimal value `x` (raw integer).
 *
 * Range reduction: `x = mant · 2^k` with `mant ∈ [1/√2, √2]`, chosen exactly with
 * integer comparisons. Then `ln(mant) = 2·atanh(z) = 2·Σ z^(2j+1)/(2j+1)` with
 * `z = (mant − 1)/(mant + 1)`, `|z| ≤ 0.1716`, so each term gains ≥ 1.5 digits
 * (≈ 24 terms). `z` is rounded once from the exact rational `(x − 2^k)/(x + 2^k)`.
 * Result: `k·ln 2 + 2·atanh(z)`, absolute error ≲ 1e-37 (measured: ≤ 28 units).
 */
export function lnKernel(x: Dec): bigint {
  if (x <= 0n) throw new RangeError('ln: argument must be positive');
  // Initial guess: k ≈ log2(x), within ±1 of the final choice.
  let k = bitLength(x) - bitLength(ONE);
  let num: bigint;
  let den: bigint;
  for (;;) {
    // mant = num / den = x / (10^18 · 2^k), both sides kept integral.
    num = k >= 0n ? x : x << -k;
    den = k >= 0n ? ONE << k : ONE;
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
  const z = divRound((num - den) << B, num + den, Rounding.HalfEven);
  const z2 = (z * z) >> B;
  let term = z;
  let sum = z;
  for (let j = 3n; ; j += 2n) {
    term = (term * z2) >> B;
    const t = term / j;
    if (t === 0n) break;
    sum += t;
  }
  return 2n * sum + shiftRound(k * LN2_C, LN2_C_BITS - B);
}
