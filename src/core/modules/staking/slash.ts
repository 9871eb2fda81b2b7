import type { Context } from '../../app/module.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../../errors.ts';
import { fromRatio, min, mulDiv, ONE, Rounding } from '../../math/index.ts';
import { POWER_REDUCTION } from './api.ts';
import { ensureStaking, StakingError } from './errors.ts';
import { BONDED_POOL, type StakingKeeper, UNBONDING_POOL } from './keeper.ts';
import { redelegationsFromPrefix, segments, unbondingKey, unbondingsFromPrefix } from './keys.ts';

/**
 * Slashes a validator for an infraction at `infractionHeight` when it had
 * `powerAtInfraction` (Cosmos x/staking `Slash`): the amount due is that power's tokens ×
 * `fraction`; unbonding and redelegation entries made at or after the infraction pay their
 * share first (they were at stake when it happened), the validator's tokens the rest. Every
 * slashed token is burned. Returns the tokens burned.
 */
export function slashValidator(
  k: StakingKeeper,
  ctx: Context,
  consAddress: string,
  infractionHeight: number,
  powerAtInfraction: bigint,
  fraction: bigint,
): bigint {
  const store = ctx.store;
  ensureStaking(
    fraction >= 0n && fraction <= ONE,
    StakingError.InvalidFraction,
    () => `slash fraction must be in [0, 1] (18 decimals), got ${fraction}`,
  );
  if (infractionHeight > ctx.block.height || powerAtInfraction < 0n) {
    throw new ChainError(
      ErrorCode.InvalidRequest,
      `slash of an infraction at height ${infractionHeight} with power ${powerAtInfraction}: expected a height ≤ ${ctx.block.height} and a power ≥ 0`,
      'staking',
    );
  }
  const v = k.validatorByConsAddress(store, consAddress);
  // As Cosmos: a validator that is gone (never existed here) has nothing left to slash.
  if (v === undefined) return 0n;
  const p = k.params(store);
  const now = ctx.block.timeMs;
  // amount = TokensFromConsensusPower(powerAtInfraction) × fraction, truncated.
  const slashAmount = mulDiv(powerAtInfraction * POWER_REDUCTION, fraction, ONE, Rounding.Floor);
  let remaining = slashAmount;
  let burned = 0n;

  // 1. Unbonding entries from this validator created at or after the infraction.
  let burnedUnbonding = 0n;
  for (const [key] of [...store.iterate(unbondingsFromPrefix(v.operator))]) {
    const delegator = key.slice(unbondingsFromPrefix(v.operator).length);
    const entries = k.unbondingEntries(store, delegator, v.operator);
    let changed = false;
    const next = entries.map((e) => {
      if (e.creationHeight < infractionHeight || e.completionTimeMs <= now) return e;
      const due = mulDiv(e.initialBalance, fraction, ONE, Rounding.Floor);
      remaining -= due;
      const cut = min(due, e.balance);
      if (cut === 0n) return e;
      burnedUnbonding += cut;
      changed = true;
      return { ...e, balance: e.balance - cut };
    });
    if (changed) store.set(unbondingKey(delegator, v.operator), next as unknown as Value);
  }
  if (burnedUnbonding > 0n) {
    k.bank.burn(ctx, UNBONDING_POOL, { denom: p.bondDenom, amount: burnedUnbonding }, 'slash');
    burned += burnedUnbonding;
  }

  // 2. Redelegation entries out of this validator created at or after the infraction: the
  //    fraction of the destination shares they created is unbonded and burned.
  for (const [key] of [...store.iterate(redelegationsFromPrefix(v.operator))]) {
    const [delegator, dst] = segments(key, redelegationsFromPrefix(v.operator)) as [string, string];
    for (const e of k.redelegationEntries(store, delegator, v.operator, dst)) {
      if (e.creationHeight < infractionHeight || e.completionTimeMs <= now) continue;
      remaining -= mulDiv(e.initialBalance, fraction, ONE, Rounding.Floor);
      let shares = mulDiv(e.sharesDst, fraction, ONE, Rounding.Floor);
      if (shares === 0n) continue;
      const d = k.delegation(store, delegator, dst);
      if (d === undefined) continue;
      if (shares > d.shares) shares = d.shares;
      const tokens = k.unbond(ctx, delegator, k.validator(store, dst)!, shares);
      if (tokens > 0n) {
        k.bank.burn(ctx, BONDED_POOL, { denom: p.bondDenom, amount: tokens }, 'slash');
        burned += tokens;
      }
    }
  }

  // 3. The validator's tokens for the rest, capped by what it has.
  const cur = k.validator(store, v.operator)!;
  const fromValidator = remaining <= 0n ? 0n : min(remaining, cur.tokens);
  if (fromValidator > 0n) {
    // effectiveFraction = tokensToBurn / tokens, rounded up (Cosmos), so the hook hears the
    // fraction of the current tokens that actually goes.
    const effective = min(fromRatio(fromValidator, cur.tokens, Rounding.Ceil), ONE);
    for (const h of k.hooks) h.beforeValidatorSlashed?.(ctx, v.operator, effective);
    const after = k.validator(store, v.operator)!;
    k.setValidator(ctx, { ...after, tokens: after.tokens - fromValidator });
    k.bank.burn(ctx, BONDED_POOL, { denom: p.bondDenom, amount: fromValidator }, 'slash');
    burned += fromValidator;
  }
  ctx.emit('slash', {
    operator: v.operator,
    consAddress,
    infractionHeight,
    power: powerAtInfraction,
    fraction,
    burned,
    fromValidator,
  });
  return burned;
}
