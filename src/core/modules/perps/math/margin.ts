import { divRound, ONE, Rounding } from '../../../math/index.ts';
import { absBig, NOTIONAL_SCALE } from './units.ts';

/**
 * Rule: `requirement = |size| · price · fraction` = `notional · fraction` (uusd).
 * Rounding: `Ceil`, computed on the exact product (one rounding).
 */
export function marginRequirement(size: bigint, price: bigint, fraction: bigint): bigint {
  return divRound(absBig(size) * price * fraction, NOTIONAL_SCALE * ONE, Rounding.Ceil);
}

/** One position's size, mark and the margin fraction that applies to it. */
export interface MarginItem {
  size: bigint;
  mark: bigint;
  fraction: bigint;
}

/**
 * Rule (dYdX v4): initial margin requirement `IMR = Σ |size_i| · mark_i · imf_i`, where
 * `imf_i` is the market's (dynamic, OI-scaled) initial-margin fraction (risk/math). An order
 * is accepted only if the account's equity after it is ≥ IMR after it.
 * Rounding: each term `Ceil`.
 */
export function initialMarginRequirement(items: readonly MarginItem[]): bigint {
  return sumRequirements(items);
}

/**
 * Rule (dYdX v4): maintenance margin requirement `MMR = Σ |size_i| · mark_i · mmf_i`; the
 * account is liquidatable when equity < MMR.
 * Rounding: each term `Ceil`.
 */
export function maintenanceMarginRequirement(items: readonly MarginItem[]): bigint {
  return sumRequirements(items);
}

function sumRequirements(items: readonly MarginItem[]): bigint {
  let total = 0n;
  for (const i of items) total += marginRequirement(i.size, i.mark, i.fraction);
  return total;
}

/** Rule: `free collateral = equity − IMR` (may be negative). Exact. */
export function freeCollateral(equityValue: bigint, imr: bigint): bigint {
  return equityValue - imr;
}
