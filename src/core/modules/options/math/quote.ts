import { clamp, type Dec, divRound, min, mul, ONE, Rounding } from '../../../math/index.ts';

/**
 * The vault's two-sided quote around the model value p of a binary option (pure functions).
 *
 *   ask = clamp(p + (1 − p)·skew, pMin, pMax),   skew = min(1, baseSpread + skewSlope·u)
 *   bid = clamp(p − p·baseSpread,  pMin, pMax)
 *
 * u ∈ [0, 1] is the vault's utilization after the trade (its worst-case payout against its
 * limits, see the keeper), so the ask rises as the vault's net exposure grows, and never
 * reaches 1: (1 − p)·skew moves the price a fraction of the way to the payout. Traders only
 * buy from and sell back to the vault, so the vault is always short; selling back lowers
 * its exposure and is quoted at the base spread. bid ≤ p ≤ ask before clamping, and the
 * clamp is monotone, so bid ≤ ask: a buy followed by a sell never makes money.
 */
export interface SpreadParams {
  baseSpread: Dec;
  skewSlope: Dec;
  pMin: Dec;
  pMax: Dec;
}

export function askPrice(p: Dec, utilization: Dec, s: SpreadParams): Dec {
  const u = clamp(utilization, 0n, ONE);
  const skew = min(ONE, s.baseSpread + mul(s.skewSlope, u, Rounding.Ceil));
  return clamp(p + mul(ONE - p, skew, Rounding.Ceil), s.pMin, s.pMax);
}

export function bidPrice(p: Dec, s: SpreadParams): Dec {
  return clamp(p - mul(p, s.baseSpread, Rounding.Ceil), s.pMin, s.pMax);
}

/** What a buyer pays for `qty` contracts at `price` per contract (uusd, rounded up). */
export function premiumFor(qty: bigint, price: Dec): bigint {
  return divRound(qty * price, ONE, Rounding.Ceil);
}

/** What a seller receives for `qty` contracts at `price` per contract (uusd, rounded down). */
export function proceedsFor(qty: bigint, price: Dec): bigint {
  return divRound(qty * price, ONE, Rounding.Floor);
}

/** `used / limit` as a fraction (rounded up; 1 when the limit is 0 and something is used). */
export function utilization(used: bigint, limit: bigint): Dec {
  if (used <= 0n) return 0n;
  if (limit <= 0n) return ONE;
  return divRound(used * ONE, limit, Rounding.Ceil);
}
