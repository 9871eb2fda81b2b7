import { min, mulDiv, ONE, Rounding } from '../../math/index.ts';

/**
 * The correlated slash fraction (18 decimals):
 *
 *     fraction = min(1, base × (1 + m × S / T))
 *
 * with `base` the fault's own fraction, `m` the correlation multiplier, `S` the power the
 * OTHER validators had slashed for the same kind of fault within the correlation window, and
 * `T` the total bonded power. A validator failing alone pays exactly the base; when a third
 * of the stake fails together, the later ones pay up to base × 2 (m = 3).
 *
 * Why multiplicative and not Ethereum's additive `base + min(1, m·S/T)`: Bulwark uses one
 * multiplier for every fault kind, and their bases differ by 500× (downtime 0.01 %, double
 * sign 5 %). Added to the base, a correlation term sized for equivocation would confiscate
 * most of the stake of validators that merely went offline together; scaling the base keeps
 * each kind's severity and still makes a correlated failure cost more per validator.
 *
 * Rounded up (against the slashed validator, in the protocol's favour). S ≤ T is enforced by
 * the caller; T = 0 means no correlation term.
 */
export function correlatedFraction(
  base: bigint,
  multiplier: bigint,
  slashedPower: bigint,
  totalPower: bigint,
): bigint {
  if (base <= 0n) return 0n;
  if (multiplier === 0n || slashedPower <= 0n || totalPower <= 0n) return min(base, ONE);
  // base × m × S / (ONE × T), m in 18 decimals.
  const extra = mulDiv(base * multiplier, slashedPower, ONE * totalPower, Rounding.Ceil);
  return min(base + extra, ONE);
}
