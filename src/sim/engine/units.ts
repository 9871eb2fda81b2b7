import { fromDecimalString, ONE } from '../../core/math/index.ts';

/**
 * Conversions at the edge between the simulator's floats and the chain's integers. Display
 * USD and BWK have 6 decimals on chain (`uusd`, `ubwk`); prices and fractions 18.
 */
export const MICRO = 1_000_000n;
const E18 = 10n ** 18n;
const ONE_F = Number(ONE);

/** A display price (USD per unit, a positive finite float) as an 18-decimal price. */
export function priceToUnits(price: number): bigint {
  if (!Number.isFinite(price) || price <= 0) throw new RangeError(`bad price ${price}`);
  // toFixed writes the double's decimal expansion without exponent (below 1e21).
  return fromDecimalString(price.toFixed(12));
}

/** Display amount (USD or BWK, float) → base units (6 decimals), rounded down. */
export function toMicro(amount: number): bigint {
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`bad amount ${amount}`);
  return fromDecimalString(amount.toFixed(6)) / (E18 / MICRO);
}

/** Base units (6 decimals) → display float. */
export function fromMicro(units: bigint): number {
  return Number(units) / 1e6;
}

/** An 18-decimal value → display float. */
export function fromE18(v: bigint): number {
  return Number(v) / ONE_F;
}

/** A decimal string (as queries answer 18-decimal values) → float. */
export function decToFloat(s: string | undefined): number {
  return s === undefined ? 0 : Number(s);
}
