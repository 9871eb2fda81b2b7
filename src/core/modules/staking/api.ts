import type { Context } from '../../app/module.ts';
import type { ReadStore } from '../../store/store.ts';

/**
 * What the staking module offers other modules (slashing, distribution, gov, later oracle
 * and restaking). Nobody else touches staking's records; they call this keeper.
 *
 * Units: tokens are `ubwk` base units (bigint). Shares are fixed-point with 18 decimals
 * (bigint, `ONE = 10^18` is one share). Voting power = tokens / POWER_REDUCTION.
 * Addresses: `operator` is the validator operator's account address (`bwk1…`, the signer of
 * create-validator); `consAddress` is the hex of the first 20 bytes of sha256(consensus
 * public key) (what votes and evidence name).
 */
export const POWER_REDUCTION = 1_000_000n;

export type BondStatus = 'bonded' | 'unbonded';

export interface Commission {
  /** Fixed-point, 18 decimals: 0.1 = 10^17. */
  rate: bigint;
  maxRate: bigint;
  /** Largest change of `rate` within 24 hours (block time). */
  maxChangeRate: bigint;
  /** Block time (unix ms) of the last change. */
  updateTimeMs: number;
}

export interface Validator {
  operator: string;
  consAddress: string;
  consPubKey: Uint8Array;
  moniker: string;
  tokens: bigint;
  /** Σ shares of all delegations to this validator (18 decimals). */
  delegatorShares: bigint;
  commission: Commission;
  minSelfDelegation: bigint;
  jailed: boolean;
  /** In the active set of the current epoch. */
  status: BondStatus;
  /** Height at which the validator was created. */
  createdHeight: number;
}

export interface Delegation {
  delegator: string;
  validator: string;
  shares: bigint;
}

export interface UnbondingEntry {
  creationHeight: number;
  completionTimeMs: number;
  initialBalance: bigint;
  balance: bigint;
}

export interface RedelegationEntry {
  creationHeight: number;
  completionTimeMs: number;
  initialBalance: bigint;
  /** Shares created at the destination by this entry. */
  sharesDst: bigint;
}

/** One member of the consensus validator set of the current epoch. */
export interface ActiveValidator {
  operator: string;
  consAddress: string;
  consPubKey: Uint8Array;
  power: bigint;
  moniker: string;
}

/**
 * Hooks other modules register to hear of staking changes (as Cosmos' staking hooks).
 * Distribution uses them to settle rewards before shares change; each is optional.
 */
export interface StakingHooks {
  afterValidatorCreated?(ctx: Context, operator: string): void;
  /** Before a delegation's shares change (or it is created: `existing` false). */
  beforeDelegationSharesModified?(
    ctx: Context,
    delegator: string,
    validator: string,
    existing: boolean,
  ): void;
  afterDelegationModified?(ctx: Context, delegator: string, validator: string): void;
  beforeDelegationRemoved?(ctx: Context, delegator: string, validator: string): void;
  /** Before tokens are slashed from a validator; `fraction` of its tokens (18 decimals). */
  beforeValidatorSlashed?(ctx: Context, validator: string, fraction: bigint): void;
}

export interface StakingKeeperApi {
  params(store: ReadStore): StakingParams;
  validator(store: ReadStore, operator: string): Validator | undefined;
  validatorByConsAddress(store: ReadStore, consAddress: string): Validator | undefined;
  /** Every validator, ordered by operator address. */
  validators(store: ReadStore): Validator[];
  /** The consensus set of the current epoch, ordered by power desc then consAddress. */
  activeSet(store: ReadStore): ActiveValidator[];
  totalBonded(store: ReadStore): bigint;
  delegation(store: ReadStore, delegator: string, validator: string): Delegation | undefined;
  delegationsOf(store: ReadStore, delegator: string): Delegation[];
  delegationsTo(store: ReadStore, validator: string): Delegation[];
  /** Tokens a number of shares of a validator are worth now (floored). */
  tokensOfShares(v: Validator, shares: bigint): bigint;
  /**
   * Slashes `fraction` (18 decimals) of the stake the validator had at `infractionHeight`,
   * with `powerAtInfraction` its voting power then: unbonding and redelegation entries
   * created at or after that height are slashed first, then the validator's tokens. Burns
   * the tokens (recorded) and returns the amount burned.
   */
  slash(
    ctx: Context,
    consAddress: string,
    infractionHeight: number,
    powerAtInfraction: bigint,
    fraction: bigint,
  ): bigint;
  jail(ctx: Context, consAddress: string): void;
  unjail(ctx: Context, consAddress: string): void;
  registerHooks(hooks: StakingHooks): void;
  /**
   * Voting power of a validator at a past height, from the epoch snapshots: 0n when it was not
   * in the active set then, undefined when that height's snapshot is pruned (older than the
   * unbonding period) or before genesis. (Added; optional so that fakes of this interface
   * still type-check.)
   */
  powerAt?(store: ReadStore, consAddress: string, height: number): bigint | undefined;
  /**
   * Registers the predicate staking asks before accepting new stake for a validator or
   * unjailing it (slashing owns the tombstone record). (Added; optional.)
   */
  setTombstoneCheck?(check: TombstoneCheck): void;
}

/** Whether the validator with this consensus address is tombstoned (slashing answers). */
export type TombstoneCheck = (store: ReadStore, consAddress: string) => boolean;

export interface StakingParams {
  unbondingTimeMs: number;
  maxValidators: number;
  maxEntries: number;
  epochLength: number;
  bondDenom: string;
  minSelfBond: bigint;
  /** Historical entries kept (for powers at past heights). */
  historicalEntries: number;
}
