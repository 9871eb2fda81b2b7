import { clamp, type Dec, divRound, fromRatio, mulDiv, ONE, Rounding } from '../../math/index.ts';

/**
 * Inflation, as Cosmos x/mint (spec: x/mint/README "Inflation rate calculation"), adjusted
 * every block:
 *
 *   inflationRateChangePerYear = (1 − bondedRatio / goalBonded) × inflationRateChange
 *   inflation(next) = clamp(inflation + inflationRateChangePerYear / blocksPerYear,
 *                           inflationMin, inflationMax)
 *   blockProvision  = floor(supply × inflation(next) / blocksPerYear)
 *
 * where bondedRatio = bonded / supply of the bond denom. Below the goal the rate rises, above
 * it falls, by at most inflationRateChange a year.
 */

export interface MintParams {
  inflationRateChange: Dec;
  inflationMax: Dec;
  inflationMin: Dec;
  goalBonded: Dec;
  blocksPerYear: number;
}

/** bonded / supply (18 decimals, floored); 0 when there is no supply. */
export function bondedRatio(bonded: bigint, supply: bigint): Dec {
  return supply <= 0n ? 0n : fromRatio(bonded, supply, Rounding.Floor);
}

/**
 * The change of the annual rate over one block, computed exactly and rounded once toward
 * zero: (supply·goal − bonded·1) × rateChange / (supply·goal·blocksPerYear).
 */
export function inflationChangePerBlock(bonded: bigint, supply: bigint, p: MintParams): Dec {
  if (supply <= 0n) return 0n;
  const num = (supply * p.goalBonded - bonded * ONE) * p.inflationRateChange;
  const den = supply * p.goalBonded * BigInt(p.blocksPerYear);
  return divRound(num, den, Rounding.Trunc);
}

/** The next block's annual inflation rate, clamped to [inflationMin, inflationMax]. */
export function nextInflation(inflation: Dec, bonded: bigint, supply: bigint, p: MintParams): Dec {
  return clamp(
    inflation + inflationChangePerBlock(bonded, supply, p),
    p.inflationMin,
    p.inflationMax,
  );
}

/** supply × inflation, floored: what a year at this rate mints. */
export function annualProvisions(supply: bigint, inflation: Dec): bigint {
  return mulDiv(supply, inflation, ONE, Rounding.Floor);
}

/** supply × inflation / blocksPerYear, floored once (what this block mints). */
export function blockProvision(supply: bigint, inflation: Dec, blocksPerYear: number): bigint {
  return mulDiv(supply, inflation, ONE * BigInt(blocksPerYear), Rounding.Floor);
}
