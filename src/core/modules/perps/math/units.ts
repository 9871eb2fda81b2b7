import { divRound, ONE, Rounding } from '../../../math/index.ts';

/**
 * Units of the perpetuals math (one representation everywhere):
 *
 * - **size**: signed `bigint`, base-asset units with 18 decimals (`10^18` = 1 BTC); positive
 *   is long, negative is short.
 * - **price**: `bigint`, USD per whole base unit with 18 decimals — exactly the oracle's unit
 *   (`src/core/modules/oracle/api.ts`: `10^18` = 1 USD per unit), so oracle prices pass in
 *   unchanged. Prices are > 0.
 * - **money** (collateral, PnL, fees, margin, funding, open interest as notional): `bigint`
 *   uusd base units (1 USD = 10^6 uusd).
 * - **fractions / rates** (margin fractions, funding rates, premiums): 18-decimal fixed
 *   point (`Dec`, `ONE` = 1).
 *
 * So `notional_uusd = |size| · price / 10^30` (10^18 · 10^18 / 10^6).
 */
export const UUSD_PER_USD = 1_000_000n;

/** Divisor turning `size · price` (both 18 decimals) into uusd: `10^36 / 10^6 = 10^30`. */
export const NOTIONAL_SCALE: bigint = (ONE * ONE) / UUSD_PER_USD;

/** Sign of a bigint: -1n, 0n or 1n. */
export function sign(x: bigint): bigint {
  return x > 0n ? 1n : x < 0n ? -1n : 0n;
}

/** Absolute value of a bigint. */
export function absBig(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/**
 * Rule: `notional = |size| · price / 10^30` uusd.
 * Rounding: `Ceil` by default (notional feeds margin requirements and OI caps, which round
 * up); pass `Floor` where the value is a payout.
 */
export function notional(size: bigint, price: bigint, rounding: Rounding = Rounding.Ceil): bigint {
  return divRound(absBig(size) * price, NOTIONAL_SCALE, rounding);
}

/** A book price in ticks as a price (see above): `ticks · tickSize` (tickSize in 18 decimals). */
export function priceFromTicks(ticks: number, tickSize: bigint): bigint {
  if (!Number.isSafeInteger(ticks))
    throw new RangeError('priceFromTicks: ticks must be an integer');
  return BigInt(ticks) * tickSize;
}

/** A book size in quantums as a size (see above): `quantums · quantumSize` (18 decimals). */
export function sizeFromQuantums(quantums: number, quantumSize: bigint): bigint {
  if (!Number.isSafeInteger(quantums)) {
    throw new RangeError('sizeFromQuantums: quantums must be an integer');
  }
  return BigInt(quantums) * quantumSize;
}
