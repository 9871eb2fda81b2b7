import type { Context } from '../../app/module.ts';
import type { ValidatorUpdate } from '../../app/types.ts';
import { addressBytes, moduleAddress } from '../../crypto/address.ts';
import { toHex } from '../../crypto/hash.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../../errors.ts';
import { max, mulDiv, ONE, Rounding } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { BankKeeper } from '../bank/keeper.ts';
import type {
  ActiveValidator,
  Delegation,
  RedelegationEntry,
  StakingHooks,
  StakingKeeperApi,
  StakingParams,
  TombstoneCheck,
  UnbondingEntry,
  Validator,
} from './api.ts';
import { completeMatured, startEpoch } from './epoch.ts';
import { ensureStaking, StakingError } from './errors.ts';
import {
  ACTIVE_SET_KEY,
  consIndexKey,
  delegationByValKey,
  delegationKey,
  delegationsOfPrefix,
  delegationsToPrefix,
  EPOCHS_PREFIX,
  PRIORITIES_KEY,
  redelegationBySrcKey,
  redelegationKey,
  redelegationQueueKey,
  redelegationsOfPrefix,
  segments,
  unbondingByValKey,
  unbondingKey,
  unbondingQueueKey,
  unbondingsOfPrefix,
  VALIDATORS_PREFIX,
} from './keys.ts';
import { stakingParams } from './params.ts';
import { nextProposer, type PrioritizedValidator } from './proposer.ts';
import { slashValidator } from './slash.ts';

/** Module pool holding every validator's tokens (Σ validator.tokens). */
export const BONDED_POOL = moduleAddress('staking/bonded');
/** Module pool holding undelegated tokens until their unbonding entries mature. */
export const UNBONDING_POOL = moduleAddress('staking/unbonding');

export const CURRENT_EPOCH_KEY = 'staking/epoch-current';

export interface CreateValidatorArgs {
  consPubKey: Uint8Array;
  moniker: string;
  selfBond: bigint;
  commission: { rate: bigint; maxRate: bigint; maxChangeRate: bigint };
  minSelfDelegation?: bigint | undefined;
}

/** How much to undelegate or redelegate: a number of shares, or an amount of tokens. */
export type StakeAmount = { shares: bigint } | { amount: bigint };

export interface EpochSnapshot {
  epoch: number;
  /** First height this set is the consensus set of. */
  startHeight: number;
  startTimeMs: number;
  set: { consAddress: string; power: bigint }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The staking keeper: the only code that touches validators, delegations, unbonding and
 * redelegation entries, the active set and the proposer priorities. Tokens move only through
 * the bank keeper, between delegators and the two module pools.
 */
export class StakingKeeper implements StakingKeeperApi {
  /** @internal For slash.ts and epoch.ts. */
  readonly hooks: StakingHooks[] = [];
  private tombstoned: TombstoneCheck = () => false;

  constructor(readonly bank: BankKeeper) {}

  // ---- reads ---------------------------------------------------------------------------

  params(store: ReadStore): StakingParams {
    return stakingParams.get(store);
  }

  validator(store: ReadStore, operator: string): Validator | undefined {
    return store.get(`${VALIDATORS_PREFIX}${operator}`) as unknown as Validator | undefined;
  }

  validatorByConsAddress(store: ReadStore, consAddress: string): Validator | undefined {
    const operator = store.get(consIndexKey(consAddress));
    return typeof operator === 'string' ? this.validator(store, operator) : undefined;
  }

  validators(store: ReadStore): Validator[] {
    const out: Validator[] = [];
    for (const [, v] of store.iterate(VALIDATORS_PREFIX)) out.push(v as unknown as Validator);
    return out;
  }

  activeSet(store: ReadStore): ActiveValidator[] {
    return (store.get(ACTIVE_SET_KEY) as unknown as ActiveValidator[] | undefined) ?? [];
  }

  /** Σ current tokens of the validators in the active set (used for the bonded ratio). */
  totalBonded(store: ReadStore): bigint {
    let total = 0n;
    for (const a of this.activeSet(store)) total += this.validator(store, a.operator)?.tokens ?? 0n;
    return total;
  }

  delegation(store: ReadStore, delegator: string, validator: string): Delegation | undefined {
    const shares = store.get(delegationKey(delegator, validator)) as bigint | undefined;
    return shares === undefined ? undefined : { delegator, validator, shares };
  }

  delegationsOf(store: ReadStore, delegator: string): Delegation[] {
    const prefix = delegationsOfPrefix(delegator);
    const out: Delegation[] = [];
    for (const [key, shares] of store.iterate(prefix)) {
      out.push({ delegator, validator: key.slice(prefix.length), shares: shares as bigint });
    }
    return out;
  }

  delegationsTo(store: ReadStore, validator: string): Delegation[] {
    const prefix = delegationsToPrefix(validator);
    const out: Delegation[] = [];
    for (const [key] of store.iterate(prefix)) {
      const d = this.delegation(store, key.slice(prefix.length), validator);
      if (d !== undefined) out.push(d);
    }
    return out;
  }

  tokensOfShares(v: Validator, shares: bigint): bigint {
    if (v.delegatorShares === 0n) return 0n;
    return mulDiv(shares, v.tokens, v.delegatorShares, Rounding.Floor);
  }

  /** Shares `tokens` buy (Floor when delegating) or cost (Ceil when withdrawing by amount). */
  sharesOfTokens(v: Validator, tokens: bigint, rounding: Rounding): bigint {
    if (v.delegatorShares === 0n) return tokens * ONE;
    if (v.tokens === 0n) return 0n;
    return mulDiv(tokens, v.delegatorShares, v.tokens, rounding);
  }

  unbondingEntries(store: ReadStore, delegator: string, validator: string): UnbondingEntry[] {
    return (
      (store.get(unbondingKey(delegator, validator)) as unknown as UnbondingEntry[] | undefined) ??
      []
    );
  }

  unbondingsOf(
    store: ReadStore,
    delegator: string,
  ): { validator: string; entries: UnbondingEntry[] }[] {
    const prefix = unbondingsOfPrefix(delegator);
    const out: { validator: string; entries: UnbondingEntry[] }[] = [];
    for (const [key, entries] of store.iterate(prefix)) {
      out.push({
        validator: key.slice(prefix.length),
        entries: entries as unknown as UnbondingEntry[],
      });
    }
    return out;
  }

  redelegationEntries(
    store: ReadStore,
    delegator: string,
    src: string,
    dst: string,
  ): RedelegationEntry[] {
    return (
      (store.get(redelegationKey(delegator, src, dst)) as unknown as
        | RedelegationEntry[]
        | undefined) ?? []
    );
  }

  redelegationsOf(
    store: ReadStore,
    delegator: string,
  ): { src: string; dst: string; entries: RedelegationEntry[] }[] {
    const prefix = redelegationsOfPrefix(delegator);
    const out: { src: string; dst: string; entries: RedelegationEntry[] }[] = [];
    for (const [key, entries] of store.iterate(prefix)) {
      const [src, dst] = segments(key, prefix) as [string, string];
      out.push({ src, dst, entries: entries as unknown as RedelegationEntry[] });
    }
    return out;
  }

  /** The epoch snapshots kept, oldest first. */
  epochSnapshots(store: ReadStore): EpochSnapshot[] {
    const out: EpochSnapshot[] = [];
    for (const [, s] of store.iterate(EPOCHS_PREFIX)) out.push(s as unknown as EpochSnapshot);
    return out;
  }

  powerAt(store: ReadStore, consAddress: string, height: number): bigint | undefined {
    let found: EpochSnapshot | undefined;
    for (const [, s] of store.iterate(EPOCHS_PREFIX)) {
      const snap = s as unknown as EpochSnapshot;
      if (snap.startHeight > height) break;
      found = snap;
    }
    if (found === undefined) return undefined;
    return found.set.find((m) => m.consAddress === consAddress)?.power ?? 0n;
  }

  /** Proposer priorities of the active set (sorted by consensus address). */
  priorities(store: ReadStore): PrioritizedValidator[] {
    return (store.get(PRIORITIES_KEY) as unknown as PrioritizedValidator[] | undefined) ?? [];
  }

  isTombstoned(store: ReadStore, consAddress: string): boolean {
    return this.tombstoned(store, consAddress);
  }

  // ---- wiring ---------------------------------------------------------------------------

  registerHooks(hooks: StakingHooks): void {
    this.hooks.push(hooks);
  }

  setTombstoneCheck(check: TombstoneCheck): void {
    this.tombstoned = check;
  }

  // ---- validators -----------------------------------------------------------------------

  createValidator(ctx: Context, operator: string, args: CreateValidatorArgs): Validator {
    const store = ctx.store;
    const p = this.params(store);
    const consAddress = toHex(addressBytes(args.consPubKey));
    ensureStaking(
      this.validator(store, operator) === undefined,
      StakingError.ValidatorExists,
      () => `operator ${operator} already has a validator`,
    );
    ensureStaking(
      store.get(consIndexKey(consAddress)) === undefined,
      StakingError.ConsKeyInUse,
      () => `consensus key ${toHex(args.consPubKey)} is already used by another validator`,
    );
    const { rate, maxRate, maxChangeRate } = args.commission;
    ensureStaking(
      maxRate <= ONE,
      StakingError.CommissionTooHigh,
      () => `commission maxRate must be at most 1, got ${maxRate}`,
    );
    ensureStaking(
      rate <= maxRate,
      StakingError.CommissionTooHigh,
      () => `commission rate must be at most maxRate ${maxRate}, got ${rate}`,
    );
    ensureStaking(
      maxChangeRate <= maxRate,
      StakingError.InvalidCommission,
      () => `commission maxChangeRate must be at most maxRate ${maxRate}, got ${maxChangeRate}`,
    );
    const minSelfDelegation = args.minSelfDelegation ?? p.minSelfBond;
    const floor = max(minSelfDelegation, p.minSelfBond);
    ensureStaking(
      args.selfBond >= floor,
      StakingError.SelfBondTooLow,
      () =>
        `self-bond must be at least ${floor}${p.bondDenom} (minSelfBond ${p.minSelfBond}, minSelfDelegation ${minSelfDelegation}), got ${args.selfBond}`,
    );
    const v: Validator = {
      operator,
      consAddress,
      consPubKey: args.consPubKey,
      moniker: args.moniker,
      tokens: 0n,
      delegatorShares: 0n,
      commission: { rate, maxRate, maxChangeRate, updateTimeMs: ctx.block.timeMs },
      minSelfDelegation,
      jailed: false,
      status: 'unbonded',
      createdHeight: ctx.block.height,
    };
    this.setValidator(ctx, v);
    store.set(consIndexKey(consAddress), operator);
    for (const h of this.hooks) h.afterValidatorCreated?.(ctx, operator);
    ctx.emit('create_validator', {
      operator,
      consAddress,
      moniker: args.moniker,
      selfBond: args.selfBond,
      commissionRate: rate,
    });
    this.delegate(ctx, operator, operator, args.selfBond);
    return this.validator(store, operator)!;
  }

  /** Changes the moniker and/or the commission rate (≤ maxRate, by ≤ maxChangeRate, once a day). */
  editValidator(
    ctx: Context,
    operator: string,
    edit: { moniker?: string | undefined; commissionRate?: bigint | undefined },
  ): void {
    const v = this.requireValidator(ctx.store, operator);
    let next: Validator = v;
    if (edit.moniker !== undefined) next = { ...next, moniker: edit.moniker };
    if (edit.commissionRate !== undefined) {
      const c = v.commission;
      const rate = edit.commissionRate;
      ensureStaking(
        rate <= c.maxRate,
        StakingError.CommissionTooHigh,
        () => `commission rate must be at most maxRate ${c.maxRate}, got ${rate}`,
      );
      const since = ctx.block.timeMs - c.updateTimeMs;
      ensureStaking(
        since >= DAY_MS,
        StakingError.CommissionChangeTooFast,
        () =>
          `commission may change once per 24 h: last change at ${c.updateTimeMs}, expected a block time ≥ ${c.updateTimeMs + DAY_MS}, got ${ctx.block.timeMs}`,
      );
      const change = rate > c.rate ? rate - c.rate : c.rate - rate;
      ensureStaking(
        change <= c.maxChangeRate,
        StakingError.CommissionChangeTooLarge,
        () => `commission may change by at most ${c.maxChangeRate}, got ${change}`,
      );
      next = { ...next, commission: { ...c, rate, updateTimeMs: ctx.block.timeMs } };
    }
    this.setValidator(ctx, next);
    ctx.emit('edit_validator', {
      operator,
      moniker: next.moniker,
      commissionRate: next.commission.rate,
    });
  }

  jail(ctx: Context, consAddress: string): void {
    const v = this.requireByCons(ctx.store, consAddress);
    if (v.jailed) return;
    this.setValidator(ctx, { ...v, jailed: true });
    ctx.emit('jail', { operator: v.operator, consAddress });
  }

  unjail(ctx: Context, consAddress: string): void {
    const v = this.requireByCons(ctx.store, consAddress);
    ensureStaking(v.jailed, StakingError.NotJailed, () => `validator ${v.operator} is not jailed`);
    ensureStaking(
      !this.tombstoned(ctx.store, consAddress),
      StakingError.ValidatorTombstoned,
      () => `validator ${v.operator} is tombstoned and can never be unjailed`,
    );
    const self = this.delegation(ctx.store, v.operator, v.operator);
    const selfTokens = self === undefined ? 0n : this.tokensOfShares(v, self.shares);
    ensureStaking(
      selfTokens >= v.minSelfDelegation,
      StakingError.SelfDelegationTooLow,
      () =>
        `self-delegation must be at least minSelfDelegation ${v.minSelfDelegation} to unjail, got ${selfTokens}`,
    );
    this.setValidator(ctx, { ...v, jailed: false });
    ctx.emit('unjail', { operator: v.operator, consAddress });
  }

  // ---- delegations ----------------------------------------------------------------------

  /** Moves `amount` from the delegator to the bonded pool for shares of `operator`. */
  delegate(ctx: Context, delegator: string, operator: string, amount: bigint): bigint {
    const v = this.requireValidator(ctx.store, operator);
    this.requireAcceptsStake(ctx.store, v, delegator);
    const p = this.params(ctx.store);
    ensureStaking(amount > 0n, StakingError.AmountTooSmall, `amount must be positive`);
    // Compute before moving tokens: the refusal must come first.
    ensureStaking(
      this.sharesOfTokens(v, amount, Rounding.Floor) > 0n,
      StakingError.AmountTooSmall,
      () => `${amount}${p.bondDenom} buys no share of ${operator}`,
    );
    this.bank.send(ctx, delegator, BONDED_POOL, { denom: p.bondDenom, amount });
    const shares = this.bond(ctx, delegator, v, amount);
    ctx.emit('delegate', { delegator, validator: operator, amount, shares });
    return shares;
  }

  /**
   * Undelegates shares (or the shares an amount costs, rounded up) of `operator`: the tokens
   * move to the unbonding pool as an entry that matures after the unbonding time.
   */
  undelegate(ctx: Context, delegator: string, operator: string, how: StakeAmount): UnbondingEntry {
    const store = ctx.store;
    const p = this.params(store);
    const v = this.requireValidator(store, operator);
    const shares = this.sharesToWithdraw(store, delegator, v, how);
    const entries = this.unbondingEntries(store, delegator, operator);
    ensureStaking(
      entries.length < p.maxEntries,
      StakingError.TooManyEntries,
      () =>
        `at most ${p.maxEntries} unbonding entries per delegator and validator, ${delegator} already has ${entries.length} with ${operator}`,
    );
    const tokens = this.unbond(ctx, delegator, v, shares);
    const entry: UnbondingEntry = {
      creationHeight: ctx.block.height,
      completionTimeMs: ctx.block.timeMs + p.unbondingTimeMs,
      initialBalance: tokens,
      balance: tokens,
    };
    if (tokens > 0n) {
      this.bank.send(ctx, BONDED_POOL, UNBONDING_POOL, { denom: p.bondDenom, amount: tokens });
      store.set(unbondingKey(delegator, operator), [...entries, entry] as unknown as Value);
      store.set(unbondingByValKey(operator, delegator), true);
      store.set(unbondingQueueKey(entry.completionTimeMs, delegator, operator), true);
    }
    ctx.emit('unbond', {
      delegator,
      validator: operator,
      shares,
      amount: tokens,
      completionTimeMs: entry.completionTimeMs,
    });
    return entry;
  }

  /** Moves stake from `src` to `dst` at once; it stays slashable for src's faults until it matures. */
  redelegate(
    ctx: Context,
    delegator: string,
    src: string,
    dst: string,
    how: StakeAmount,
  ): RedelegationEntry {
    const store = ctx.store;
    const p = this.params(store);
    ensureStaking(
      src !== dst,
      StakingError.SelfRedelegation,
      () => `cannot redelegate from ${src} to itself`,
    );
    const vSrc = this.requireValidator(store, src);
    const vDst = this.requireValidator(store, dst);
    this.requireAcceptsStake(store, vDst, undefined);
    const now = ctx.block.timeMs;
    for (const r of this.redelegationsOf(store, delegator)) {
      if (r.dst !== src) continue;
      const immature = r.entries.find((e) => e.completionTimeMs > now);
      ensureStaking(
        immature === undefined,
        StakingError.RedelegationHop,
        () =>
          `${delegator} has a redelegation into ${src} (from ${r.src}) that matures at ${immature?.completionTimeMs}; it cannot be redelegated again before`,
      );
    }
    const entries = this.redelegationEntries(store, delegator, src, dst);
    ensureStaking(
      entries.length < p.maxEntries,
      StakingError.TooManyEntries,
      () =>
        `at most ${p.maxEntries} redelegation entries per delegator, source and destination, ${delegator} already has ${entries.length}`,
    );
    const shares = this.sharesToWithdraw(store, delegator, vSrc, how);
    const tokens = this.unbond(ctx, delegator, vSrc, shares);
    ensureStaking(
      tokens > 0n,
      StakingError.AmountTooSmall,
      () => `${shares} shares of ${src} are worth no tokens`,
    );
    const dstNow = this.validator(store, dst)!;
    ensureStaking(
      this.sharesOfTokens(dstNow, tokens, Rounding.Floor) > 0n,
      StakingError.AmountTooSmall,
      () => `${tokens}${p.bondDenom} buys no share of ${dst}`,
    );
    const sharesDst = this.bond(ctx, delegator, dstNow, tokens);
    const entry: RedelegationEntry = {
      creationHeight: ctx.block.height,
      completionTimeMs: now + p.unbondingTimeMs,
      initialBalance: tokens,
      sharesDst,
    };
    store.set(redelegationKey(delegator, src, dst), [...entries, entry] as unknown as Value);
    store.set(redelegationBySrcKey(src, delegator, dst), true);
    store.set(redelegationQueueKey(entry.completionTimeMs, delegator, src, dst), true);
    ctx.emit('redelegate', {
      delegator,
      src,
      dst,
      shares,
      amount: tokens,
      sharesDst,
      completionTimeMs: entry.completionTimeMs,
    });
    return entry;
  }

  // ---- slashing -------------------------------------------------------------------------
  // ---- slashing and block hooks (in slash.ts and epoch.ts) -------------------------------

  slash(
    ctx: Context,
    consAddress: string,
    infractionHeight: number,
    powerAtInfraction: bigint,
    fraction: bigint,
  ): bigint {
    return slashValidator(this, ctx, consAddress, infractionHeight, powerAtInfraction, fraction);
  }

  /** Pays out unbonding entries and drops redelegation entries whose time has come. */
  completeMatured(ctx: Context): void {
    completeMatured(this, ctx);
  }

  /**
   * Starts a new epoch: the active set becomes the top maxValidators non-jailed, non-tombstoned
   * validators with power ≥ 1 (power desc, then consAddress). Stores it with its snapshot,
   * updates statuses and proposer priorities, prunes old snapshots, and returns the diff.
   */
  startEpoch(ctx: Context): ValidatorUpdate[] {
    return startEpoch(this, ctx);
  }

  /** The epoch number and the height it started at (the current active set's). */
  currentEpoch(store: ReadStore): { epoch: number; startHeight: number } | undefined {
    return store.get(CURRENT_EPOCH_KEY) as { epoch: number; startHeight: number } | undefined;
  }

  /**
   * The proposer the next block should have, from the stored priorities (no state change).
   */
  expectedProposer(store: ReadStore): string | undefined {
    return nextProposer(this.priorities(store)).proposer;
  }

  /** beginBlock: one IncrementProposerPriority step; returns the proposer it chose. */
  advanceProposer(ctx: Context): string | undefined {
    const prio = this.priorities(ctx.store);
    if (prio.length === 0) return undefined;
    const { vals, proposer } = nextProposer(prio);
    ctx.store.set(PRIORITIES_KEY, vals as unknown as Value);
    return proposer;
  }

  // ---- internals ------------------------------------------------------------------------

  /** @internal */
  setValidator(ctx: Context, v: Validator): void {
    ctx.store.set(`${VALIDATORS_PREFIX}${v.operator}`, v as unknown as Value);
  }

  private requireValidator(store: ReadStore, operator: string): Validator {
    const v = this.validator(store, operator);
    ensureStaking(
      v !== undefined,
      StakingError.UnknownValidator,
      () => `no validator with operator ${operator}`,
    );
    return v;
  }

  private requireByCons(store: ReadStore, consAddress: string): Validator {
    const v = this.validatorByConsAddress(store, consAddress);
    ensureStaking(
      v !== undefined,
      StakingError.UnknownValidator,
      () => `no validator with consensus address ${consAddress}`,
    );
    return v;
  }

  /**
   * New stake is refused by tombstoned, jailed and fully slashed validators. The operator may
   * still self-delegate to its own jailed validator (to get back above minSelfDelegation and
   * unjail).
   */
  private requireAcceptsStake(store: ReadStore, v: Validator, delegator: string | undefined): void {
    ensureStaking(
      !this.tombstoned(store, v.consAddress),
      StakingError.ValidatorTombstoned,
      () => `validator ${v.operator} is tombstoned and accepts no delegations`,
    );
    ensureStaking(
      !v.jailed || delegator === v.operator,
      StakingError.ValidatorJailed,
      () => `validator ${v.operator} is jailed and accepts no new stake`,
    );
    ensureStaking(
      !(v.tokens === 0n && v.delegatorShares > 0n),
      StakingError.ValidatorInsolvent,
      () =>
        `validator ${v.operator} has no tokens left for ${v.delegatorShares} shares (fully slashed) and accepts no delegations`,
    );
  }

  /** The shares to take out of a delegation: given, or what `amount` costs (rounded up). */
  private sharesToWithdraw(
    store: ReadStore,
    delegator: string,
    v: Validator,
    how: StakeAmount,
  ): bigint {
    const d = this.delegation(store, delegator, v.operator);
    ensureStaking(
      d !== undefined,
      StakingError.NoDelegation,
      () => `${delegator} has no delegation to ${v.operator}`,
    );
    let shares: bigint;
    if ('shares' in how) shares = how.shares;
    else {
      ensureStaking(
        v.tokens > 0n,
        StakingError.InsufficientShares,
        () =>
          `validator ${v.operator} has no tokens: asked ${how.amount}, the delegation is worth 0`,
      );
      shares = mulDiv(how.amount, v.delegatorShares, v.tokens, Rounding.Ceil);
    }
    ensureStaking(
      shares > 0n,
      StakingError.AmountTooSmall,
      () => `expected a positive number of shares, got ${shares}`,
    );
    ensureStaking(
      shares <= d.shares,
      StakingError.InsufficientShares,
      () =>
        `${delegator} holds ${d.shares} shares of ${v.operator} (worth ${this.tokensOfShares(v, d.shares)}), asked ${shares}`,
    );
    return shares;
  }

  /**
   * Adds `amount` tokens (already in the bonded pool) to `v` for new shares of `delegator`
   * (Cosmos `Delegate` after the transfer): hooks, validator, delegation. Returns the shares.
   */
  private bond(ctx: Context, delegator: string, v: Validator, amount: bigint): bigint {
    const store = ctx.store;
    const shares = this.sharesOfTokens(v, amount, Rounding.Floor);
    const existing = this.delegation(store, delegator, v.operator);
    for (const h of this.hooks) {
      h.beforeDelegationSharesModified?.(ctx, delegator, v.operator, existing !== undefined);
    }
    const cur = this.validator(store, v.operator)!;
    this.setValidator(ctx, {
      ...cur,
      tokens: cur.tokens + amount,
      delegatorShares: cur.delegatorShares + shares,
    });
    store.set(delegationKey(delegator, v.operator), (existing?.shares ?? 0n) + shares);
    store.set(delegationByValKey(v.operator, delegator), true);
    for (const h of this.hooks) h.afterDelegationModified?.(ctx, delegator, v.operator);
    return shares;
  }

  /**
   * Removes `shares` of `delegator` from `v` (Cosmos `Unbond`): the tokens they are worth
   * (floored; the last shares out take every remaining token) leave the validator but stay in
   * the bonded pool for the caller to move. Jails an operator whose self-delegation falls below
   * its minimum. Returns the tokens.
   */
  /** @internal */
  unbond(ctx: Context, delegator: string, v: Validator, shares: bigint): bigint {
    const store = ctx.store;
    const d = this.delegation(store, delegator, v.operator);
    if (d === undefined || shares > d.shares || shares <= 0n) {
      throw new ChainError(
        ErrorCode.Internal,
        `unbond of ${shares} shares of ${v.operator} by ${delegator} holding ${d?.shares ?? 0n}`,
        'staking',
      );
    }
    for (const h of this.hooks)
      h.beforeDelegationSharesModified?.(ctx, delegator, v.operator, true);
    const cur = this.validator(store, v.operator)!;
    const remainingShares = cur.delegatorShares - shares;
    const tokens = remainingShares === 0n ? cur.tokens : this.tokensOfShares(cur, shares);
    let updated: Validator = {
      ...cur,
      tokens: cur.tokens - tokens,
      delegatorShares: remainingShares,
    };
    const left = d.shares - shares;
    if (
      delegator === v.operator &&
      !updated.jailed &&
      this.tokensOfShares(updated, left) < updated.minSelfDelegation
    ) {
      updated = { ...updated, jailed: true };
      ctx.emit('jail', {
        operator: v.operator,
        consAddress: v.consAddress,
        reason: 'self_delegation_below_minimum',
      });
    }
    this.setValidator(ctx, updated);
    if (left === 0n) {
      for (const h of this.hooks) h.beforeDelegationRemoved?.(ctx, delegator, v.operator);
      store.delete(delegationKey(delegator, v.operator));
      store.delete(delegationByValKey(v.operator, delegator));
    } else {
      store.set(delegationKey(delegator, v.operator), left);
      for (const h of this.hooks) h.afterDelegationModified?.(ctx, delegator, v.operator);
    }
    return tokens;
  }
}
