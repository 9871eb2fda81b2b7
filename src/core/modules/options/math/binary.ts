import {
  type Dec,
  div,
  exp,
  fromRatio,
  ln,
  mul,
  normCdf,
  Rounding,
  sqrt,
} from '../../../math/index.ts';

/**
 * Cash-or-nothing (binary) option pricing in 18-decimal fixed point: pure functions, no
 * floats, so every node computes the same quote to the last unit.
 *
 * A call pays 1 when the settlement price S_T ≥ K, a put pays 1 when S_T < K: exactly one of
 * the pair pays, so call + put = e^{−rT} holds at every T (call–put parity), at expiry too.
 *
 * Black–Scholes with a continuous yield q (Haug, "The Complete Guide to Option Pricing
 * Formulas", cash-or-nothing with b = r − q):
 *
 *   call = e^{−rT}·N(d2),   put = e^{−rT}·N(−d2),
 *   d2 = [ln(S/K) + (r − q − σ²/2)·T] / (σ√T).
 *
 * The code takes the total variance V = σ²·T instead of σ and T apart, so that
 * d2 = [ln(S/K) + (r − q)·T − V/2] / √V. This lets the chain add variance that does not
 * scale with T (the oracle's own noise, the reporting delay: see `totalVariance`) and keeps
 * the formula finite as T → 0.
 */

export type OptionKind = 'call' | 'put';

/** Milliseconds in the pricing year (365 days): T = (expiry − now) / MS_PER_YEAR. */
export const MS_PER_YEAR = 31_536_000_000n;

/** Years from `nowMs` to `expiryMs` (0 once expired), rounded down. */
export function yearsToExpiry(nowMs: number, expiryMs: number): Dec {
  if (expiryMs <= nowMs) return 0n;
  return fromRatio(BigInt(expiryMs - nowMs), MS_PER_YEAR, Rounding.Floor);
}

export interface VarianceInputs {
  /** Annualized volatility of the underlying (the oracle's realized σ, floored by params). */
  sigma: Dec;
  /** Years to expiry. */
  years: Dec;
  /** Relative standard deviation of one oracle reading around the true price (σ_oracle). */
  oracleNoise: Dec;
  /** Per-block variance of the underlying (the oracle's σ_block²). */
  blockVariance: Dec;
  /** Blocks between the price's observation and the settlement it stands for (≥ 0). */
  delayBlocks: number;
}

/**
 * Total variance of ln(S_T / S_quoted), the effective σ² · T the quote is priced with:
 *
 *   V = σ²·T + σ_oracle² + σ_block²·delay,   i.e.   σ_eff² = σ² + σ_oracle²/T + σ_block²·delay/T.
 *
 * - σ²·T: the underlying's own move until expiry (realized EWMA volatility).
 * - σ_oracle²: the settlement price is itself a noisy reading (the stake-weighted median of
 *   reports), so even at T → 0 the payoff is uncertain by that much.
 * - σ_block²·delay: the price the vault quotes from was observed `delay` blocks ago (the
 *   oracle reports the previous height, and may be a few blocks stale); the market moved in
 *   the meantime by that much variance, and a trader who sees the fresher price must not
 *   trade at the older one for free.
 * Each term is rounded up: a wider distribution never makes a cheap option cheaper.
 */
export function totalVariance(v: VarianceInputs): Dec {
  const sigma2 = mul(v.sigma, v.sigma, Rounding.Ceil);
  const diffusion = mul(sigma2, v.years, Rounding.Ceil);
  const noise = mul(v.oracleNoise, v.oracleNoise, Rounding.Ceil);
  const delay = v.blockVariance * BigInt(Math.max(0, v.delayBlocks));
  return diffusion + noise + delay;
}

/** σ_eff = √(V / T), for display (undefined at T = 0). */
export function effectiveVolatility(variance: Dec, years: Dec): Dec | undefined {
  if (years <= 0n) return undefined;
  return sqrt(div(variance, years, Rounding.HalfEven), Rounding.HalfEven);
}

export interface BinaryInputs {
  kind: OptionKind;
  /** Spot (oracle) price, > 0. */
  spot: Dec;
  /** Strike, > 0. */
  strike: Dec;
  /** Risk-free rate r (annual, continuous). */
  rate: Dec;
  /** Yield of the underlying q (annual, continuous). */
  carry: Dec;
  /** Years to expiry T ≥ 0. */
  years: Dec;
  /** Total variance V = σ_eff²·T ≥ 0. */
  variance: Dec;
}

/** d2 = [ln(S/K) + (r − q)·T − V/2] / √V, for V > 0. */
export function d2(i: Omit<BinaryInputs, 'kind'>): Dec {
  if (i.spot <= 0n || i.strike <= 0n) throw new RangeError('d2: spot and strike must be > 0');
  if (i.variance <= 0n) throw new RangeError('d2: variance must be > 0');
  const logMoneyness = ln(i.spot) - ln(i.strike);
  const drift = mul(i.rate - i.carry, i.years, Rounding.HalfEven);
  const num = logMoneyness + drift - i.variance / 2n;
  return div(num, sqrt(i.variance, Rounding.HalfEven), Rounding.HalfEven);
}

/**
 * Value of a cash-or-nothing option paying 1 (18 decimals, in [0, e^{−rT}]).
 * With V = 0 (no uncertainty left) it is the discounted payoff at the forward
 * F = S·e^{(r−q)T}: the call pays when F ≥ K (the settlement rule), the put otherwise.
 */
export function binaryPrice(i: BinaryInputs): Dec {
  if (i.spot <= 0n || i.strike <= 0n) throw new RangeError('binaryPrice: spot and strike > 0');
  if (i.years < 0n || i.variance < 0n) throw new RangeError('binaryPrice: T and V must be ≥ 0');
  const discount = exp(-mul(i.rate, i.years, Rounding.HalfEven));
  if (i.variance === 0n) {
    const forward = mul(
      i.spot,
      exp(mul(i.rate - i.carry, i.years, Rounding.HalfEven)),
      Rounding.HalfEven,
    );
    const callPays = forward >= i.strike;
    return callPays === (i.kind === 'call') ? discount : 0n;
  }
  const x = d2(i);
  return mul(discount, normCdf(i.kind === 'call' ? x : -x), Rounding.HalfEven);
}

/** The payoff (1 or 0) at settlement price `price`: calls pay at ≥ K, puts below K. */
export function pays(kind: OptionKind, strike: Dec, price: Dec): boolean {
  return kind === 'call' ? price >= strike : price < strike;
}
