import { type Dec, mulDiv, ONE, Rounding } from '../../math/index.ts';

/**
 * Nominal staking APR of the chain, from inflation alone (fees are not forecast):
 *
 *   nominal = annualProvisions × (1 − communityTax) / bondedTokens
 *
 * and a validator's delegators' APR, net of its commission:
 *
 *   net = nominal × (1 − commissionRate)
 *
 * Both 18-decimal fixed point, floored; 0 when nothing is bonded.
 */
export function nominalApr(annualProvisions: bigint, communityTax: Dec, bonded: bigint): Dec {
  if (bonded <= 0n) return 0n;
  return mulDiv(annualProvisions, ONE - communityTax, bonded, Rounding.Floor);
}

export function netApr(nominal: Dec, commissionRate: Dec): Dec {
  return mulDiv(nominal, ONE - commissionRate, ONE, Rounding.Floor);
}
