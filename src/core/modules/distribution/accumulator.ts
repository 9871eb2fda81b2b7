/**
 * Lazy per-share reward accounting (F1-like, simplified because Bulwark's slashes lower a
 * validator's tokens and never its shares).
 *
 * Per validator and denom: `rewardPerShare` (cumulative, scaled by SCALE = 10^36, per raw
 * share unit — shares themselves are 18-decimal fixed point) and `carry` (the remainder of
 * the last division, in units of 1/SCALE of a token). Adding a reward R when the validator
 * has S delegator shares:
 *
 *   n               = R × SCALE + carry
 *   rewardPerShare += floor(n / S)
 *   carry           = n mod S
 *
 * so R × SCALE is handed out exactly over the additions (Σ S_b × Δ_b + carry = Σ R_b × SCALE).
 * A delegation records the rewardPerShare at its last settlement (`start`); its pending
 * reward is floor(shares × (rewardPerShare − start) / SCALE). Shares never change between
 * settlements (every change is preceded by a settlement through the staking hooks), so this
 * equals floor(Σ_blocks shares × Δ_b / SCALE): the per-block recomputation.
 */
export const SCALE = 10n ** 36n;

export interface Accrual {
  rewardPerShare: bigint;
  carry: bigint;
}

/** The accumulator after adding `reward` over `totalShares` (> 0) shares. */
export function accrue(acc: Accrual, reward: bigint, totalShares: bigint): Accrual {
  if (totalShares <= 0n) throw new RangeError('accrue: no shares to spread the reward over');
  const n = reward * SCALE + acc.carry;
  return { rewardPerShare: acc.rewardPerShare + n / totalShares, carry: n % totalShares };
}

/** floor(shares × (current − start) / SCALE): what a delegation has earned since `start`. */
export function pendingReward(shares: bigint, start: bigint, current: bigint): bigint {
  if (current <= start || shares <= 0n) return 0n;
  return (shares * (current - start)) / SCALE;
}
