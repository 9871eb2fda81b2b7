/**
 * Standard normal density φ and distribution function Φ on 18-decimal fixed point.
 *
 * Why: Black–Scholes style option pricing and margin models evaluate Φ in consensus,
 * so it must be deterministic (integer-only) and accurate to the last decimal.
 *
 * Method for Φ (x ≥ 0), at 40 internal decimals:
 *   Φ(x) = ½ + φ(x) · Σ_{n≥0} x^(2n+1) / (1·3·5···(2n+1))
 * Every term is positive, so there is no cancellation; terms are summed until they
 * fall below one internal unit of Φ. For x < 0, Φ(x) = 1 − Φ(−x) is formed exactly at
 * the internal scale before the single final rounding, so Φ(x) + Φ(−x) = 1 holds to
 * the last unit (exactly, except at an exact HalfEven tie).
 *
 * Accuracy: internal absolute error ≲ 1e-37, so results are the exact value rounded
 * with `rounding` (error ≤ 5e-19 for HalfEven) unless the exact value is within ~1e-37
 * of a rounding breakpoint. This meets relative ≤ 1e-12 wherever Φ(x) ≥ 1e-6 and
 * absolute ≤ 1e-18 everywhere.
 */
import { type Dec, divRound, ONE, Rounding } from './fixed.ts';
import { expKernel, INV_SQRT_2PI_P, P, roundScaledPow2, TO_FIXED } from './kernel.ts';

/**
 * Beyond |x| ≥ 9, 1 − Φ(|x|) < 1.13e-19 (below half of the 1e-18 resolution), so Φ is
 * not evaluated: it is treated as "1 − tiny" (x ≥ 9) or "tiny" (x ≤ −9) and rounded,
 * giving exactly ONE / 0 for HalfEven (and Ceil / Floor respectively), and the
 * correctly directed neighbour for the other modes (Floor: ONE − 1e-18; Ceil: 1e-18).
 * With HalfEven, results already round to exactly 0 / ONE from |x| ≳ 8.845.
 */
export const NORM_CDF_CUTOFF: Dec = 9n * ONE;

/**
 * Beyond |x| ≥ 12, φ(x) < 2.2e-32, so `normPdf` returns the rounding of a tiny
 * positive value (0, or 1e-18 for Ceil). HalfEven results are 0 from |x| ≳ 9.11.
 */
export const NORM_PDF_CUTOFF: Dec = 12n * ONE;

/** Internal-scale `x²/2` for `x = ax / 10^18` (exact: ax²·10^4 is even). */
function halfSquareP(ax: bigint): bigint {
  return (ax * ax * 10_000n) / 2n;
}

/**
 * Standard normal density φ(x) = e^(−x²/2) / √(2π).
 * The exponential's binary exponent and the constant are applied inside one final
 * rounding (relative internal error ≲ 1e-38).
 */
export function normPdf(x: Dec, rounding: Rounding = Rounding.HalfEven): Dec {
  const ax = x < 0n ? -x : x;
  if (ax >= NORM_PDF_CUTOFF) return divRound(1n, TO_FIXED, rounding);
  const { m, k } = expKernel(-halfSquareP(ax));
  return roundScaledPow2(m * INV_SQRT_2PI_P, k, P * TO_FIXED, rounding);
}

/** Φ(ax) at the internal scale for 0 ≤ ax < NORM_CDF_CUTOFF. */
function cdfUpperP(ax: bigint): bigint {
  const xP = ax * TO_FIXED;
  const x2 = ax * ax * 10_000n; // x² at scale P
  const { m, k } = expKernel(-(x2 / 2n));
  const phiNum = m * INV_SQRT_2PI_P; // φ(x) = phiNum · 2^k / P²
  // Upper bound on φ at scale P, used only to decide when the series may stop.
  const phiP = roundScaledPow2(phiNum, k, P, Rounding.Floor) + 1n;
  let term = xP;
  let sum = xP;
  for (let j = 3n; ; j += 2n) {
    term = (term * x2) / (j * P);
    sum += term;
    // Stop once the ratio of successive terms (x²/(j+2)) is ≤ ½ and the current term
    // contributes at most one internal unit to Φ: the geometric tail is then ≤ term.
    if (2n * x2 <= (j + 2n) * P && term * phiP <= P) break;
  }
  return P / 2n + roundScaledPow2(sum * phiNum, k, P * P, Rounding.HalfEven);
}

/**
 * Standard normal distribution function Φ(x) = P(Z ≤ x).
 * Monotone non-decreasing in x; Φ(0) = ½ exactly.
 */
export function normCdf(x: Dec, rounding: Rounding = Rounding.HalfEven): Dec {
  const ax = x < 0n ? -x : x;
  const upper = ax >= NORM_CDF_CUTOFF ? P - 1n : cdfUpperP(ax);
  return divRound(x < 0n ? P - upper : upper, TO_FIXED, rounding);
}
