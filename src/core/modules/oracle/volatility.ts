import { div, ln, mul, ONE, Rounding, sqrt } from '../../math/index.ts';

/**
 * Realized volatility: an EWMA of squared log returns of the published price (RiskMetrics),
 * per block, in 18-decimal fixed point. Pure functions.
 *
 *   r_t   = ln(P_t / P_{t−1})
 *   var_t = λ·var_{t−1} + (1 − λ)·r_t²
 *   σ_block = √var_t            σ_year = √(var_t · blocksPerYear)
 *
 * A return spanning stale blocks counts as one step (the variance is per published update).
 */
export function logReturn(price: bigint, prev: bigint): bigint {
  return ln(div(price, prev, Rounding.HalfEven));
}

export function ewmaVariance(prevVariance: bigint, r: bigint, lambda: bigint): bigint {
  const r2 = mul(r, r, Rounding.HalfEven);
  return mul(lambda, prevVariance, Rounding.HalfEven) + mul(ONE - lambda, r2, Rounding.HalfEven);
}

/** σ per block, from the per-block variance. */
export function sigmaPerBlock(variance: bigint): bigint {
  return sqrt(variance, Rounding.Floor);
}

/** σ annualized: √(variance · blocksPerYear). */
export function annualized(variance: bigint, blocksPerYear: number): bigint {
  return sqrt(variance * BigInt(blocksPerYear), Rounding.Floor);
}

/** The per-block variance that an annualized volatility means: σ_year² / blocksPerYear. */
export function varianceOfAnnual(volatility: bigint, blocksPerYear: number): bigint {
  return mul(volatility, volatility, Rounding.HalfEven) / BigInt(blocksPerYear);
}
