import { type Dec, mulDiv, ONE, Rounding } from '../../math/index.ts';

/** A validator that signed the previous block, with the power it signed with. */
export interface Signer {
  operator: string;
  power: bigint;
  /** Its commission rate now (18 decimals). */
  commissionRate: Dec;
}

export interface ValidatorAllocation {
  operator: string;
  /** The validator's whole share of the block (commission + delegators). */
  share: bigint;
  commission: bigint;
  /** What goes to the validator's delegators (self-delegation included). */
  delegators: bigint;
}

export interface BlockAllocation {
  /** Community tax plus the remainders of the power split. */
  community: bigint;
  validators: ValidatorAllocation[];
}

/**
 * Splits one block's rewards of one denom (a pure function; every rounding is a floor for
 * the payee, and whatever the floors leave goes to the community pool, so
 * community + Σ share = total exactly):
 *
 *   forValidators = floor(total × (1 − communityTax))
 *   share_v       = floor(forValidators × power_v / Σ power)     (signers only)
 *   commission_v  = floor(share_v × commissionRate_v)
 *   delegators_v  = share_v − commission_v
 *   community     = total − Σ share_v
 *
 * With no signer (or zero total power) everything goes to the community pool.
 */
export function allocateBlock(
  total: bigint,
  communityTax: Dec,
  signers: Signer[],
): BlockAllocation {
  const totalPower = signers.reduce((s, v) => s + (v.power > 0n ? v.power : 0n), 0n);
  if (total <= 0n || totalPower === 0n) return { community: total, validators: [] };
  const forValidators = mulDiv(total, ONE - communityTax, ONE, Rounding.Floor);
  let paid = 0n;
  const validators: ValidatorAllocation[] = [];
  for (const s of signers) {
    if (s.power <= 0n) continue;
    const share = mulDiv(forValidators, s.power, totalPower, Rounding.Floor);
    const commission = mulDiv(share, s.commissionRate, ONE, Rounding.Floor);
    validators.push({ operator: s.operator, share, commission, delegators: share - commission });
    paid += share;
  }
  return { community: total - paid, validators };
}
