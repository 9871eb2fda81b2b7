/**
 * Square root, natural exponential and natural logarithm on 18-decimal fixed point.
 *
 * Why: option pricing, funding curves and continuous compounding need these
 * functions inside consensus, where results must be identical on every node. All
 * evaluation is integer-only; `sqrt` is exact (correctly rounded in every mode), and
 * `exp`/`ln` are computed with 128 fractional bits (≈ 38 decimals) (see `kernel.ts`) and rounded once.
 *
 * Accuracy of `exp`/`ln`: internal error ≲ 1e-37 relative (exp) / absolute (ln), so the
 * result is the exact value rounded with `rounding`, except when the exact value lies
 * within ~1e-37 (relative) of a rounding breakpoint. In particular the error is at
 * most one half-unit (5e-19) plus a relative 1e-37 for HalfEven, comfortably inside
 * the documented target of relative error ≤ 1e-12 (or ≤ 1e-18 absolute where the
 * value itself is below 1e-6, since 18 decimals cannot carry 12 significant digits).
 */
import { type Dec, ONE, Rounding } from './fixed.ts';
import { B, bitLength, expKernel, lnKernel, roundToFixed, toInternal } from './kernel.ts';

/**
 * Floor of the square root of a non-negative integer (Newton's method on bigint).
 * Starts from a power of two ≥ √n, so the iterates decrease monotonically to ⌊√n⌋.
 *
 * @throws RangeError for negative `n`.
 */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt: argument must be non-negative');
  if (n < 2n) return n;
  let x = 1n << ((bitLength(n) + 1n) / 2n);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * Square root, exactly rounded: `√(x/10^18)·10^18 = √(x·10^18)`, so with
 * `s = isqrt(x·10^18)` and `rem = x·10^18 − s²`:
 * Floor/Trunc → `s`; Ceil → `s + (rem > 0)`; HalfEven → `s + (rem > s)` (because
 * `N ≥ (s + ½)²` ⇔ `rem ≥ s + ¼` ⇔ `rem > s` for integers; ties cannot occur).
 *
 * @throws RangeError for negative `x`.
 */
export function sqrt(x: Dec, rounding: Rounding = Rounding.HalfEven): Dec {
  if (x < 0n) throw new RangeError('sqrt: argument must be non-negative');
  const n = x * ONE;
  const s = isqrt(n);
  const rem = n - s * s;
  switch (rounding) {
    case Rounding.Floor:
    case Rounding.Trunc:
      return s;
    case Rounding.Ceil:
      return rem > 0n ? s + 1n : s;
    case Rounding.HalfEven:
      return rem > s ? s + 1n : s;
    default:
      throw new TypeError(`Unknown rounding mode: ${String(rounding)}`);
  }
}

/**
 * Largest accepted `exp` argument: 135. Then `e^x·10^18 < 4.3e76 < 2^256`, so every
 * `exp` result fits an unsigned 256-bit raw amount (the widest integer the chain's
 * state encodings are expected to carry).
 */
export const EXP_MAX_INPUT: Dec = 135n * ONE;

/**
 * Below this argument (−50) `e^x < 2e-22`, far under the 1e-18 resolution, so `exp`
 * returns the rounding of a tiny positive value without evaluating it: 0 for
 * Floor/Trunc/HalfEven and 1e-18 (one raw unit) for Ceil. Results already underflow
 * to 0 (HalfEven) from about x < −42.14, where `e^x < 5e-19`.
 */
export const EXP_UNDERFLOW_INPUT: Dec = -50n * ONE;

/**
 * Internal precision (fractional bits) for `exp(x)`. An ulp of the result is a
 * fraction ≈ 2^-(59.8 + 1.4427·x) of its value, while the kernel's relative error is
 * ≈ 2^-(bits − 6); so for x > 0 the precision grows with x:
 * `bits = 136 + ⌊1.443·x⌋`, keeping ≥ 70 bits of margin beyond one ulp everywhere
 * (at x = 135: 330 bits). For x ≤ 0 the result has fewer digits and 128 bits suffice.
 */
function expPrecision(x: Dec): bigint {
  return x > 0n ? 136n + (x * 1443n) / (1000n * ONE) : B;
}

/**
 * Natural exponential `e^x`.
 *
 * Method: `x = k·ln 2 + r` with `|r| ≤ ln2/2`; `e^r` by Taylor series at 128 fractional bits;
 * the factor `2^k` is applied inside the single final rounding.
 * Accuracy domain (tested): x ∈ [−50, 135]; relative error ≤ 1e-12 where
 * `e^x ≥ 1e-6`, absolute error ≤ 1e-18 below that (near-correct rounding everywhere).
 *
 * @throws RangeError when `x > EXP_MAX_INPUT` (135).
 */
export function exp(x: Dec, rounding: Rounding = Rounding.HalfEven): Dec {
  if (x > EXP_MAX_INPUT) {
    throw new RangeError('exp: argument exceeds EXP_MAX_INPUT (135); result would overflow');
  }
  // A tiny positive value (one internal unit) rounds like any value in (0, 5e-19).
  if (x < EXP_UNDERFLOW_INPUT) return roundToFixed(1n, -B, rounding);
  const bits = expPrecision(x);
  const { m, k } = expKernel(toInternal(x, bits), bits);
  return roundToFixed(m, k - bits, rounding);
}

/**
 * Natural logarithm `ln x`.
 *
 * Method: `x = mant·2^k` with `mant ∈ [1/√2, √2]`; `ln(mant) = 2·atanh((mant−1)/(mant+1))`
 * by its odd power series at 128 fractional bits; plus `k·ln 2`; rounded once.
 * Defined for every positive `x` (smallest: 1e-18, where ln = −41.44…); accuracy
 * domain (tested) x ∈ [1e-18, 1e36]: absolute error ≤ 5e-19 + 1e-36, i.e. relative
 * ≤ 1e-12 wherever `|ln x| ≥ 1e-6`.
 *
 * @throws RangeError when `x ≤ 0`.
 */
export function ln(x: Dec, rounding: Rounding = Rounding.HalfEven): Dec {
  if (x <= 0n) throw new RangeError('ln: argument must be positive');
  return roundToFixed(lnKernel(x), -B, rounding);
}
