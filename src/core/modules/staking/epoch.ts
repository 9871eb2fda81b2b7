import type { Context } from '../../app/module.ts';
import type { ValidatorUpdate } from '../../app/types.ts';
import type { Value } from '../../encoding/canonical.ts';
import type { ReadStore } from '../../store/store.ts';
import {
  type ActiveValidator,
  POWER_REDUCTION,
  type StakingParams,
  type UnbondingEntry,
} from './api.ts';
import {
  CURRENT_EPOCH_KEY,
  type EpochSnapshot,
  type StakingKeeper,
  UNBONDING_POOL,
} from './keeper.ts';
import {
  ACTIVE_SET_KEY,
  EPOCHS_PREFIX,
  epochKey,
  PRIORITIES_KEY,
  REDELEGATION_QUEUE,
  redelegationBySrcKey,
  redelegationKey,
  segments,
  UNBONDING_QUEUE,
  unbondingByValKey,
  unbondingKey,
} from './keys.ts';
import { updateValidatorSet } from './proposer.ts';

/** The end-block work of staking: matured unbondings and redelegations, and epoch changes. */

/** Pays out unbonding entries and drops redelegation entries whose time has come. */
export function completeMatured(k: StakingKeeper, ctx: Context): void {
  const store = ctx.store;
  const now = ctx.block.timeMs;
  const p = k.params(store);
  for (const key of dueKeys(store, UNBONDING_QUEUE, now)) {
    store.delete(key);
    const [, delegator, validator] = segments(key, UNBONDING_QUEUE) as [string, string, string];
    const entries = k.unbondingEntries(store, delegator, validator);
    const keep: UnbondingEntry[] = [];
    let paid = 0n;
    for (const e of entries) {
      if (e.completionTimeMs > now) keep.push(e);
      else paid += e.balance;
    }
    if (keep.length === entries.length) continue;
    if (paid > 0n) {
      k.bank.send(ctx, UNBONDING_POOL, delegator, { denom: p.bondDenom, amount: paid });
    }
    if (keep.length === 0) {
      store.delete(unbondingKey(delegator, validator));
      store.delete(unbondingByValKey(validator, delegator));
    } else {
      store.set(unbondingKey(delegator, validator), keep as unknown as Value);
    }
    ctx.emit('complete_unbonding', { delegator, validator, amount: paid });
  }
  for (const key of dueKeys(store, REDELEGATION_QUEUE, now)) {
    store.delete(key);
    const [, delegator, src, dst] = segments(key, REDELEGATION_QUEUE) as [
      string,
      string,
      string,
      string,
    ];
    const entries = k.redelegationEntries(store, delegator, src, dst);
    const keep = entries.filter((e) => e.completionTimeMs > now);
    if (keep.length === entries.length) continue;
    if (keep.length === 0) {
      store.delete(redelegationKey(delegator, src, dst));
      store.delete(redelegationBySrcKey(src, delegator, dst));
    } else {
      store.set(redelegationKey(delegator, src, dst), keep as unknown as Value);
    }
    ctx.emit('complete_redelegation', { delegator, src, dst });
  }
}

/**
 * Starts a new epoch: the active set becomes the top maxValidators non-jailed, non-tombstoned
 * validators with power ≥ 1 (power desc, then consAddress). Stores it with its snapshot,
 * updates statuses and proposer priorities, prunes old snapshots, and returns the diff.
 */
export function startEpoch(k: StakingKeeper, ctx: Context): ValidatorUpdate[] {
  const store = ctx.store;
  const p = k.params(store);
  const candidates: ActiveValidator[] = [];
  for (const v of k.validators(store)) {
    const power = v.tokens / POWER_REDUCTION;
    if (v.jailed || power < 1n || k.isTombstoned(store, v.consAddress)) continue;
    candidates.push({
      operator: v.operator,
      consAddress: v.consAddress,
      consPubKey: v.consPubKey,
      power,
      moniker: v.moniker,
    });
  }
  candidates.sort((a, b) =>
    a.power !== b.power
      ? a.power > b.power
        ? -1
        : 1
      : compareStrings(a.consAddress, b.consAddress),
  );
  const next = candidates.slice(0, p.maxValidators);
  const prev = k.activeSet(store);
  const current = store.get(CURRENT_EPOCH_KEY) as { epoch: number } | undefined;
  const epoch = current === undefined ? 0 : current.epoch + 1;
  if (next.length === 0 && prev.length > 0) {
    // Consensus cannot run with no validators: keep the current set rather than halt.
    ctx.emit('active_set_empty', { epoch, kept: prev.length });
    return [];
  }
  const updates = diffSets(prev, next);
  // Statuses.
  const inNext = new Set(next.map((a) => a.operator));
  for (const a of prev) {
    if (inNext.has(a.operator)) continue;
    const v = k.validator(store, a.operator);
    if (v !== undefined) k.setValidator(ctx, { ...v, status: 'unbonded' });
  }
  for (const a of next) {
    const v = k.validator(store, a.operator)!;
    if (v.status !== 'bonded') k.setValidator(ctx, { ...v, status: 'bonded' });
  }
  store.set(ACTIVE_SET_KEY, next as unknown as Value);
  const priorities = updateValidatorSet(
    k.priorities(store),
    next.map((a) => ({ address: a.consAddress, power: a.power })),
  );
  store.set(PRIORITIES_KEY, priorities as unknown as Value);
  const startHeight = ctx.block.height + 1;
  store.set(CURRENT_EPOCH_KEY, { epoch, startHeight });
  const snapshot: EpochSnapshot = {
    epoch,
    startHeight,
    startTimeMs: ctx.block.timeMs,
    set: next.map((a) => ({ consAddress: a.consAddress, power: a.power })),
  };
  store.set(epochKey(startHeight), snapshot as unknown as Value);
  pruneSnapshots(ctx, p);
  ctx.emit('epoch', {
    epoch,
    startHeight,
    validators: next.length,
    updates: updates.length,
    power: next.reduce((s, a) => s + a.power, 0n),
  });
  return updates;
}

function pruneSnapshots(ctx: Context, p: StakingParams): void {
  const snaps = [...ctx.store.iterate(EPOCHS_PREFIX)];
  const horizon = ctx.block.timeMs - p.unbondingTimeMs;
  for (let i = 0; i < snaps.length - 1; i++) {
    const newer = snaps.length - 1 - i;
    const endedAt = (snaps[i + 1]![1] as unknown as EpochSnapshot).startTimeMs;
    if (endedAt < horizon && newer > p.historicalEntries) ctx.store.delete(snaps[i]![0]);
    else break;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Queue keys (`<prefix><time>/…`) whose time is ≤ now, in order; stops at the first later one. */
function dueKeys(store: ReadStore, prefix: string, now: number): string[] {
  const out: string[] = [];
  for (const [key] of store.iterate(prefix)) {
    const time = Number(key.slice(prefix.length, prefix.length + 16));
    if (time > now) break;
    out.push(key);
  }
  return out;
}

/** Validator updates from `prev` to `next`: new or changed powers, and power 0 for removals. */
function diffSets(prev: ActiveValidator[], next: ActiveValidator[]): ValidatorUpdate[] {
  const before = new Map(prev.map((a) => [a.consAddress, a]));
  const after = new Map(next.map((a) => [a.consAddress, a]));
  const out: { consAddress: string; u: ValidatorUpdate }[] = [];
  for (const a of next) {
    if (before.get(a.consAddress)?.power !== a.power) {
      out.push({ consAddress: a.consAddress, u: { pubKey: a.consPubKey, power: a.power } });
    }
  }
  for (const a of prev) {
    if (!after.has(a.consAddress)) {
      out.push({ consAddress: a.consAddress, u: { pubKey: a.consPubKey, power: 0n } });
    }
  }
  return out.sort((x, y) => compareStrings(x.consAddress, y.consAddress)).map((x) => x.u);
}
