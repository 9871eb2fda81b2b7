import type { Context } from '../../app/module.ts';
import type { FinalizeBlockRequest } from '../../app/types.ts';
import type { Coin } from '../../coin.ts';
import { moduleAddress } from '../../crypto/address.ts';
import type { Value } from '../../encoding/canonical.ts';
import { type Dec, toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { BankKeeper } from '../bank/keeper.ts';
import { bankParams } from '../bank/params.ts';
import type { StakingHooks, StakingKeeperApi } from '../staking/api.ts';
import { accrue, pendingReward } from './accumulator.ts';
import { allocateBlock, type Signer } from './allocate.ts';
import {
  type Amounts,
  addAmount,
  addAmounts,
  amountOf,
  EMPTY,
  formatAmounts,
  isEmpty,
  toCoins,
  withAmount,
} from './amounts.ts';
import { DistributionErrorCode, ensureDistr } from './errors.ts';
import {
  COMMISSION_PREFIX,
  COMMUNITY_POOL_KEY,
  commissionKey,
  MINTER_KEY,
  START_PREFIX,
  startKey,
  VALIDATOR_PREFIX,
  validatorKey,
  WITHDRAW_ADDRESS_PREFIX,
  withdrawAddressKey,
} from './keys.ts';
import { blockProvision, bondedRatio, nextInflation } from './mint.ts';
import { type DistributionParams, distributionParams } from './params.ts';

/** The account holding every token the module owes: rewards, commission, community pool. */
export const DISTRIBUTION_POOL = moduleAddress('distribution');

/** A validator's reward accumulator, per denom (see accumulator.ts). */
export interface ValidatorRewards {
  /** Cumulative reward per raw share, scaled by SCALE = 10^36. */
  rewardPerShare: Amounts;
  /** Remainder of the last division, in 1/SCALE token units (< delegatorShares then). */
  carry: Amounts;
  /** Tokens added for delegators and not yet paid out (≥ Σ pending; the rest is dust). */
  outstanding: Amounts;
}

export interface Minter {
  /** Annual inflation rate of the bond denom (18 decimals). */
  inflation: Dec;
}

const EMPTY_REWARDS: ValidatorRewards = { rewardPerShare: EMPTY, carry: EMPTY, outstanding: EMPTY };

/** What one block did (for tests and events). */
export interface BlockOutcome {
  minted: bigint;
  inflation: Dec;
  /** Total distributed per denom (mint + collected fees). */
  distributed: Amounts;
}

/**
 * The distribution keeper: inflation, fee and reward distribution, commission, the community
 * pool and lazy delegator rewards. The only code touching `distribution/` records; tokens move
 * through the bank keeper; staking is read through `StakingKeeperApi` and heard through hooks.
 */
export class DistributionKeeper {
  constructor(
    readonly bank: BankKeeper,
    readonly staking: StakingKeeperApi,
  ) {}

  // ---- reads -----------------------------------------------------------------------------

  params(store: ReadStore): DistributionParams {
    return distributionParams.get(store);
  }

  minter(store: ReadStore): Minter {
    return (store.get(MINTER_KEY) as unknown as Minter | undefined) ?? { inflation: 0n };
  }

  communityPool(store: ReadStore): Amounts {
    return (store.get(COMMUNITY_POOL_KEY) as Amounts | undefined) ?? EMPTY;
  }

  commission(store: ReadStore, operator: string): Amounts {
    return (store.get(commissionKey(operator)) as Amounts | undefined) ?? EMPTY;
  }

  validatorRewards(store: ReadStore, operator: string): ValidatorRewards {
    return (
      (store.get(validatorKey(operator)) as unknown as ValidatorRewards | undefined) ??
      EMPTY_REWARDS
    );
  }

  /** The accumulator value a delegation was last settled at (undefined: not tracked). */
  start(store: ReadStore, delegator: string, validator: string): Amounts | undefined {
    return store.get(startKey(validator, delegator)) as Amounts | undefined;
  }

  withdrawAddress(store: ReadStore, delegator: string): string {
    return (store.get(withdrawAddressKey(delegator)) as string | undefined) ?? delegator;
  }

  /** Supply of a denom: minted − burned (fee pool included). */
  supply(store: ReadStore, denom: string): bigint {
    return this.bank.minted(store, denom) - this.bank.burned(store, denom);
  }

  /** Rewards a delegation would receive if settled now, per denom. */
  pendingRewards(store: ReadStore, delegator: string, validator: string): Amounts {
    const d = this.staking.delegation(store, delegator, validator);
    // No start record means the hooks never saw the delegation: nothing is known to be owed
    // (the invariant reports it), and paying from accumulator 0 would pay others' rewards.
    const start = this.start(store, delegator, validator);
    if (d === undefined || start === undefined) return EMPTY;
    const { rewardPerShare } = this.validatorRewards(store, validator);
    let out: Amounts = EMPTY;
    for (const denom of Object.keys(rewardPerShare).sort()) {
      const r = pendingReward(d.shares, amountOf(start, denom), amountOf(rewardPerShare, denom));
      out = addAmount(out, denom, r);
    }
    return out;
  }

  /** Everything the pool owes, per denom: community pool + Σ commission + Σ outstanding. */
  owed(store: ReadStore): Amounts {
    let owed = this.communityPool(store);
    for (const [, c] of store.iterate(COMMISSION_PREFIX)) owed = addAmounts(owed, c as Amounts);
    for (const [, r] of store.iterate(VALIDATOR_PREFIX)) {
      owed = addAmounts(owed, (r as unknown as ValidatorRewards).outstanding);
    }
    return owed;
  }

  /** Every commission record, by operator (sorted). */
  *commissions(store: ReadStore): IterableIterator<[string, Amounts]> {
    for (const [key, c] of store.iterate(COMMISSION_PREFIX)) {
      yield [key.slice(COMMISSION_PREFIX.length), c as Amounts];
    }
  }

  /** Every validator accumulator, by operator (sorted). */
  *accumulators(store: ReadStore): IterableIterator<[string, ValidatorRewards]> {
    for (const [key, r] of store.iterate(VALIDATOR_PREFIX)) {
      yield [key.slice(VALIDATOR_PREFIX.length), r as unknown as ValidatorRewards];
    }
  }

  /** Every delegation start record: [validator, delegator, rewardPerShare]. */
  *starts(store: ReadStore): IterableIterator<[string, string, Amounts]> {
    for (const [key, s] of store.iterate(START_PREFIX)) {
      const [validator, delegator] = key.slice(START_PREFIX.length).split('/') as [string, string];
      yield [validator, delegator, s as Amounts];
    }
  }

  /** Every withdraw address that differs from its delegator: [delegator, address]. */
  *withdrawAddresses(store: ReadStore): IterableIterator<[string, string]> {
    for (const [key, a] of store.iterate(WITHDRAW_ADDRESS_PREFIX)) {
      yield [key.slice(WITHDRAW_ADDRESS_PREFIX.length), a as string];
    }
  }

  // ---- writes: genesis -------------------------------------------------------------------

  /** Writes records as imported from a genesis file (no tokens move). */
  importRecords(
    ctx: Context,
    g: {
      inflation: Dec;
      communityPool: Amounts;
      commissions: [string, Amounts][];
      withdrawAddresses: [string, string][];
      accumulators: [string, ValidatorRewards][];
      starts: [string, string, Amounts][];
    },
  ): void {
    ctx.store.set(MINTER_KEY, { inflation: g.inflation });
    if (!isEmpty(g.communityPool)) ctx.store.set(COMMUNITY_POOL_KEY, g.communityPool);
    for (const [op, c] of g.commissions) if (!isEmpty(c)) ctx.store.set(commissionKey(op), c);
    for (const [d, a] of g.withdrawAddresses) ctx.store.set(withdrawAddressKey(d), a);
    for (const [op, r] of g.accumulators) ctx.store.set(validatorKey(op), r as unknown as Value);
    for (const [v, d, s] of g.starts) this.setStart(ctx, d, v, s);
    // Delegations staking created at genesis without a record start at the current accumulator.
    for (const v of this.staking.validators(ctx.store)) {
      const { rewardPerShare } = this.validatorRewards(ctx.store, v.operator);
      for (const d of this.staking.delegationsTo(ctx.store, v.operator)) {
        if (this.start(ctx.store, d.delegator, v.operator) === undefined) {
          this.setStart(ctx, d.delegator, v.operator, rewardPerShare);
        }
      }
    }
  }

  // ---- writes: rewards -------------------------------------------------------------------

  /**
   * Pays a delegation's pending rewards to the delegator's withdraw address and restarts its
   * accounting at the validator's current accumulator. Returns what was paid.
   */
  settle(ctx: Context, delegator: string, validator: string): Amounts {
    const pending = this.pendingRewards(ctx.store, delegator, validator);
    const rewards = this.validatorRewards(ctx.store, validator);
    this.setStart(ctx, delegator, validator, rewards.rewardPerShare);
    if (isEmpty(pending)) return pending;
    let outstanding = rewards.outstanding;
    const to = this.withdrawAddress(ctx.store, delegator);
    for (const coin of toCoins(pending)) {
      outstanding = withAmount(
        outstanding,
        coin.denom,
        amountOf(outstanding, coin.denom) - coin.amount,
      );
      this.pay(ctx, to, coin);
    }
    ctx.store.set(validatorKey(validator), { ...rewards, outstanding } as unknown as Value);
    ctx.emit('withdraw_rewards', {
      delegator,
      validator,
      recipient: to,
      amount: formatAmounts(pending),
    });
    return pending;
  }

  /** Withdraws the rewards of one delegation, or of all the delegator's delegations. */
  withdrawRewards(ctx: Context, delegator: string, validator?: string): Amounts {
    if (validator !== undefined) {
      ensureDistr(
        this.staking.delegation(ctx.store, delegator, validator) !== undefined,
        DistributionErrorCode.NoDelegation,
        () => `no delegation from ${delegator} to ${validator}`,
      );
      return this.settle(ctx, delegator, validator);
    }
    const delegations = this.staking.delegationsOf(ctx.store, delegator);
    ensureDistr(
      delegations.length > 0,
      DistributionErrorCode.NoDelegation,
      () => `${delegator} has no delegations`,
    );
    let total: Amounts = EMPTY;
    for (const d of delegations)
      total = addAmounts(total, this.settle(ctx, delegator, d.validator));
    return total;
  }

  withdrawCommission(ctx: Context, operator: string): Amounts {
    ensureDistr(
      this.staking.validator(ctx.store, operator) !== undefined,
      DistributionErrorCode.UnknownValidator,
      () => `${operator} is not a validator operator`,
    );
    const commission = this.commission(ctx.store, operator);
    ensureDistr(
      !isEmpty(commission),
      DistributionErrorCode.NoCommission,
      () => `validator ${operator} has no commission to withdraw`,
    );
    ctx.store.delete(commissionKey(operator));
    const to = this.withdrawAddress(ctx.store, operator);
    for (const coin of toCoins(commission)) this.pay(ctx, to, coin);
    ctx.emit('withdraw_commission', {
      validator: operator,
      recipient: to,
      amount: formatAmounts(commission),
    });
    return commission;
  }

  setWithdrawAddress(ctx: Context, delegator: string, address: string): void {
    ensureDistr(
      address !== DISTRIBUTION_POOL,
      DistributionErrorCode.InvalidWithdrawAddress,
      () => `withdraw address ${address} is the distribution module account`,
    );
    if (address === delegator) ctx.store.delete(withdrawAddressKey(delegator));
    else ctx.store.set(withdrawAddressKey(delegator), address);
    ctx.emit('set_withdraw_address', { delegator, address });
  }

  // ---- writes: community pool ------------------------------------------------------------

  fundCommunityPool(ctx: Context, from: string, coin: Coin): void {
    this.bank.send(ctx, from, DISTRIBUTION_POOL, coin);
    this.addToCommunityPool(ctx, coin.denom, coin.amount);
    ctx.emit('fund_community_pool', { depositor: from, amount: `${coin.amount}${coin.denom}` });
  }

  /** Pays out of the community pool (governance); refuses more than the pool holds. */
  spendCommunityPool(ctx: Context, to: string, coin: Coin): void {
    const pool = this.communityPool(ctx.store);
    const have = amountOf(pool, coin.denom);
    ensureDistr(
      have >= coin.amount,
      DistributionErrorCode.InsufficientCommunityPool,
      () =>
        `community pool holds ${have}${coin.denom}, expected at least ${coin.amount}${coin.denom}`,
    );
    ctx.store.set(COMMUNITY_POOL_KEY, withAmount(pool, coin.denom, have - coin.amount));
    this.pay(ctx, to, coin);
    ctx.emit('community_pool_spend', { recipient: to, amount: `${coin.amount}${coin.denom}` });
  }

  // ---- the block -------------------------------------------------------------------------

  /**
   * Begin block: mints this block's provision into the pool, moves the fees collected in the
   * previous block from the bank fee pool into it, and allocates both to the validators that
   * signed the previous block (`lastCommit`), by the power they signed with.
   */
  beginBlock(ctx: Context, req: FinalizeBlockRequest): BlockOutcome {
    const p = this.params(ctx.store);
    const { minted, inflation } = this.mint(ctx, p);
    let total: Amounts = addAmount(EMPTY, p.bondDenom, minted);
    for (const { denom } of bankParams.get(ctx.store).denoms) {
      const fees = this.bank.feePool(ctx.store, denom);
      if (fees === 0n) continue;
      this.bank.payFromFeePool(ctx, DISTRIBUTION_POOL, { denom, amount: fees });
      total = addAmount(total, denom, fees);
    }
    this.allocate(ctx, p, total, this.signers(ctx.store, req));
    return { minted, inflation, distributed: total };
  }

  /** Updates the inflation rate and mints this block's provision into the pool. */
  mint(ctx: Context, p: DistributionParams): { minted: bigint; inflation: Dec } {
    const supply = this.supply(ctx.store, p.bondDenom);
    const bonded = this.staking.totalBonded(ctx.store);
    const inflation = nextInflation(this.minter(ctx.store).inflation, bonded, supply, p);
    ctx.store.set(MINTER_KEY, { inflation });
    const minted = blockProvision(supply, inflation, p.blocksPerYear);
    if (minted > 0n) this.bank.mint(ctx, DISTRIBUTION_POOL, { denom: p.bondDenom, amount: minted });
    ctx.emit('inflation', {
      inflation: toDecimalString(inflation),
      bonded_ratio: toDecimalString(bondedRatio(bonded, supply)),
      amount: `${minted}${p.bondDenom}`,
    });
    return { minted, inflation };
  }

  /** The validators that signed the previous block, known to staking, once each. */
  signers(store: ReadStore, req: FinalizeBlockRequest): Signer[] {
    const seen = new Set<string>();
    const out: Signer[] = [];
    for (const vote of req.lastCommit.votes) {
      if (!vote.signed || vote.power <= 0n) continue;
      const v = this.staking.validatorByConsAddress(store, vote.address);
      if (v === undefined || seen.has(v.operator)) continue;
      seen.add(v.operator);
      out.push({ operator: v.operator, power: vote.power, commissionRate: v.commission.rate });
    }
    return out;
  }

  /** Splits `total` (tokens already in the pool) per allocateBlock and books every part. */
  allocate(ctx: Context, p: DistributionParams, total: Amounts, signers: Signer[]): void {
    for (const coin of toCoins(total)) {
      const split = allocateBlock(coin.amount, p.communityTax, signers);
      let toCommunity = split.community;
      for (const a of split.validators) {
        if (a.commission > 0n) {
          const c = this.commission(ctx.store, a.operator);
          ctx.store.set(commissionKey(a.operator), addAmount(c, coin.denom, a.commission));
        }
        if (!this.addDelegatorRewards(ctx, a.operator, coin.denom, a.delegators)) {
          toCommunity += a.delegators;
        }
        ctx.emit('rewards', {
          validator: a.operator,
          amount: `${a.share}${coin.denom}`,
          commission: `${a.commission}${coin.denom}`,
        });
      }
      this.addToCommunityPool(ctx, coin.denom, toCommunity);
      if (toCommunity > 0n) ctx.emit('community_tax', { amount: `${toCommunity}${coin.denom}` });
    }
  }

  /**
   * Adds `amount` to a validator's delegator accumulator. Returns false (nothing booked) when
   * the validator has no delegator shares to spread it over.
   */
  addDelegatorRewards(ctx: Context, operator: string, denom: string, amount: bigint): boolean {
    if (amount === 0n) return true;
    const v = this.staking.validator(ctx.store, operator);
    if (v === undefined || v.delegatorShares <= 0n) return false;
    const r = this.validatorRewards(ctx.store, operator);
    const next = accrue(
      { rewardPerShare: amountOf(r.rewardPerShare, denom), carry: amountOf(r.carry, denom) },
      amount,
      v.delegatorShares,
    );
    const updated: ValidatorRewards = {
      rewardPerShare: withAmount(r.rewardPerShare, denom, next.rewardPerShare),
      carry: withAmount(r.carry, denom, next.carry),
      outstanding: addAmount(r.outstanding, denom, amount),
    };
    ctx.store.set(validatorKey(operator), updated as unknown as Value);
    return true;
  }

  // ---- staking hooks ---------------------------------------------------------------------

  /**
   * What staking calls: settle a delegation before its shares change or it is removed, and
   * start a new one at the validator's current accumulator. Slashes need nothing: they lower
   * tokens, never shares, and rewards are split by shares.
   */
  readonly stakingHooks: StakingHooks = {
    beforeDelegationSharesModified: (ctx, delegator, validator, existing) => {
      if (existing && this.start(ctx.store, delegator, validator) !== undefined) {
        this.settle(ctx, delegator, validator);
      } else {
        const { rewardPerShare } = this.validatorRewards(ctx.store, validator);
        this.setStart(ctx, delegator, validator, rewardPerShare);
      }
    },
    afterDelegationModified: (ctx, delegator, validator) => {
      if (this.start(ctx.store, delegator, validator) !== undefined) return;
      const { rewardPerShare } = this.validatorRewards(ctx.store, validator);
      this.setStart(ctx, delegator, validator, rewardPerShare);
    },
    beforeDelegationRemoved: (ctx, delegator, validator) => {
      this.settle(ctx, delegator, validator);
      ctx.store.delete(startKey(validator, delegator));
    },
  };

  // ---- internals -------------------------------------------------------------------------

  private setStart(ctx: Context, delegator: string, validator: string, rps: Amounts): void {
    ctx.store.set(startKey(validator, delegator), rps);
  }

  private addToCommunityPool(ctx: Context, denom: string, amount: bigint): void {
    if (amount === 0n) return;
    ctx.store.set(COMMUNITY_POOL_KEY, addAmount(this.communityPool(ctx.store), denom, amount));
  }

  /** Sends from the pool; the pool always holds what the module owes (invariant). */
  private pay(ctx: Context, to: string, coin: Coin): void {
    if (coin.amount === 0n) return;
    const have = this.bank.balance(ctx.store, DISTRIBUTION_POOL, coin.denom);
    ensureDistr(
      have >= coin.amount,
      DistributionErrorCode.PoolUnderfunded,
      () => `distribution pool holds ${have}${coin.denom}, owes ${coin.amount}${coin.denom}`,
    );
    this.bank.send(ctx, DISTRIBUTION_POOL, to, coin);
  }
}
