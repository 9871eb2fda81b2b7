import { ONE } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { StakingKeeperApi, Validator } from '../staking/api.ts';
import type { GovParams } from './params.ts';
import type { Outcome, TallyResult, VoteOption } from './types.ts';

/**
 * Stake-weighted tally (Cosmos x/gov `Tally`, in tokens):
 *  - only bonded validators (status `bonded`, the active set) carry voting power;
 *  - a delegator who voted counts the tokens of each of its delegations to a bonded
 *    validator (`tokensOfShares`, floored), and those tokens are deducted from that validator;
 *  - a validator whose operator voted counts its tokens minus the deducted tokens, i.e. its
 *    delegators who did not vote inherit its vote; a validator whose operator did not vote
 *    casts nothing for them.
 * The operator's own self-delegation is a delegation like any other: counted on the
 * delegator side and deducted on the validator side, so it is counted once.
 * `votes` must be in a deterministic order (the store's key order); sums do not depend on it.
 */
export function computeTally(
  staking: StakingKeeperApi,
  store: ReadStore,
  votes: Iterable<readonly [voter: string, option: VoteOption]>,
): TallyResult {
  const bonded = new Map<string, { v: Validator; deducted: bigint; vote: VoteOption | null }>();
  for (const v of staking.validators(store)) {
    if (v.status === 'bonded') bonded.set(v.operator, { v, deducted: 0n, vote: null });
  }
  const sums: Record<VoteOption, bigint> = { yes: 0n, no: 0n, abstain: 0n, veto: 0n };
  for (const [voter, option] of votes) {
    const own = bonded.get(voter);
    if (own !== undefined) own.vote = option;
    for (const d of staking.delegationsOf(store, voter)) {
      const val = bonded.get(d.validator);
      if (val === undefined) continue;
      const tokens = staking.tokensOfShares(val.v, d.shares);
      val.deducted += tokens;
      sums[option] += tokens;
    }
  }
  for (const { v, deducted, vote } of bonded.values()) {
    if (vote === null) continue;
    const rest = v.tokens - deducted;
    if (rest > 0n) sums[vote] += rest;
  }
  return { ...sums, totalBonded: staking.totalBonded(store) };
}

/**
 * The result of a tally under the params, by exact cross-multiplication (no rounding):
 *  1. quorum: (yes + no + abstain + veto) / totalBonded ≥ quorum, else `no-quorum`
 *     (a chain with nothing bonded never reaches it);
 *  2. veto: veto / (yes + no + abstain + veto) > vetoThreshold ⇒ `vetoed`;
 *  3. threshold: yes / (yes + no + veto) > threshold ⇒ `passed` (all-abstain fails);
 *  4. otherwise `below-threshold`.
 */
export function tallyOutcome(
  t: TallyResult,
  p: Pick<GovParams, 'quorum' | 'threshold' | 'vetoThreshold'>,
): Outcome {
  const voted = t.yes + t.no + t.abstain + t.veto;
  if (t.totalBonded <= 0n || voted * ONE < p.quorum * t.totalBonded) return 'no-quorum';
  if (t.veto * ONE > p.vetoThreshold * voted) return 'vetoed';
  const decisive = t.yes + t.no + t.veto;
  if (decisive > 0n && t.yes * ONE > p.threshold * decisive) return 'passed';
  return 'below-threshold';
}
