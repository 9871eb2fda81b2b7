import type { Json } from '../core/encoding/json.ts';
import type { BookNotification, FillsNotification } from './perps-types.ts';

/**
 * The JSON the node's RPC methods return (docs/rpc.md). Integers that may exceed 2^53 are
 * decimal strings, hashes and keys hex, tx bytes base64, times unix milliseconds.
 */

export type { Json };

export interface EventJson {
  type: string;
  attributes: Record<string, string>;
}

/** The outcome of executing one tx in a block. */
export interface TxResultJson {
  code: number;
  codespace: string;
  log: string;
  hash: string;
  events: EventJson[];
}

export interface ValidatorJson {
  name: string;
  address: string;
  pubKey: string;
  power: string;
}

export interface StatusResult {
  chainId: string;
  moniker: string;
  version: string;
  latestHeight: number;
  latestBlockHash: string;
  latestAppHash: string;
  latestBlockTimeMs: number;
  earliestQueryableHeight: number;
  mempoolSize: number;
  catchingUp: boolean;
  validators: ValidatorJson[];
  localValidators: string[];
}

export interface BlockHeaderJson {
  chainId: string;
  height: number;
  timeMs: number;
  proposer: string;
  lastBlockHash: string;
  lastCommitHash: string;
  dataHash: string;
  evidenceHash: string;
  appHash: string;
  validatorsHash: string;
}

export interface CommitSigJson {
  validator: string;
  signature: string;
  extension: string;
  extensionSignature: string;
}

export interface CommitJson {
  height: number;
  round: number;
  blockHash: string;
  signatures: CommitSigJson[];
}

export interface BlockResult {
  hash: string;
  block: {
    header: BlockHeaderJson;
    /** base64 tx bytes. */
    txs: string[];
    lastCommit: CommitJson | null;
    evidence: Json[];
  };
  commit: CommitJson;
}

export interface BlockResultsResult {
  height: number;
  appHash: string;
  txResults: TxResultJson[];
  events: EventJson[];
  validatorUpdates: { pubKey: string; power: string }[];
}

export interface TxResponse {
  hash: string;
  height: number;
  index: number;
  /** base64 tx bytes. */
  tx: string;
  result: Omit<TxResultJson, 'hash'> & { hash?: string };
}

/** checkTx's answer: code 0 means accepted into the mempool (not yet executed). */
export interface BroadcastSyncResult {
  code: number;
  codespace: string;
  log: string;
  hash: string;
}

export interface BroadcastCommitResult {
  checkTx: BroadcastSyncResult;
  /** null when the tx was not committed before the timeout (or was refused by checkTx). */
  txResult: TxResultJson | null;
  height: number | null;
}

export interface QueryResult<T = Json> {
  /** 0 on success, else a chain error code (docs/errors.md). */
  code: number;
  log: string;
  height: number;
  value: T | null;
}

export interface NewBlockNotification {
  height: number;
  hash: string;
  header: BlockHeaderJson;
  numTxs: number;
}

export interface TxNotification {
  height: number;
  index: number;
  hash: string;
  result: TxResultJson;
}

/**
 * What to subscribe to (docs/rpc.md): every new block; every tx result whose events carry
 * all attributes of `filter`; oracle prices; perps fills by market and/or account; a
 * market's book (best `levels` per side) after each block that touched it.
 */
export type SubscriptionQuery =
  | { event: 'new_block' }
  | { event: 'tx'; filter?: Record<string, string> }
  | { event: 'prices'; markets?: string[] }
  | { event: 'fills'; market?: string; account?: string }
  | { event: 'book'; market: string; levels?: number };

/** `prices` subscription: the oracle prices a block published (`oracle_price` event fields). */
export interface PricesNotification {
  height: number;
  prices: ({ market: string; price: string } & Record<string, string>)[];
}

/** The notification type a subscription query delivers. */
export type NotificationOf<Q extends SubscriptionQuery> = Q extends { event: 'new_block' }
  ? NewBlockNotification
  : Q extends { event: 'tx' }
    ? TxNotification
    : Q extends { event: 'prices' }
      ? PricesNotification
      : Q extends { event: 'fills' }
        ? FillsNotification
        : BookNotification;

// ---- module query results (docs/modules/*.md); amounts and shares are decimal strings ----

/** A coin in JSON: the amount as a decimal string. */
export interface CoinJson {
  denom: string;
  amount: string;
}

/** `staking/validator(s)`; commission rates in 18-decimal fixed point ("100000000000000000" = 10 %). */
export interface ValidatorView {
  operator: string;
  consAddress: string;
  consPubKey: string;
  moniker: string;
  tokens: string;
  delegatorShares: string;
  commission: { rate: string; maxRate: string; maxChangeRate: string; updateTimeMs: number };
  minSelfDelegation: string;
  jailed: boolean;
  status: 'bonded' | 'unbonded';
  createdHeight: number;
}

/** `staking/delegation(s)`: shares in 18-decimal fixed point, tokens their value now. */
export interface DelegationView {
  delegator: string;
  validator: string;
  shares: string;
  tokens: string;
}

/** `staking/unbondings`. */
export interface UnbondingView {
  validator: string;
  entries: {
    creationHeight: number;
    completionTimeMs: number;
    initialBalance: string;
    balance: string;
  }[];
}

/** `staking/redelegations`. */
export interface RedelegationView {
  src: string;
  dst: string;
  entries: {
    creationHeight: number;
    completionTimeMs: number;
    initialBalance: string;
    sharesDst: string;
  }[];
}

/** `staking/pool`. */
export interface StakingPoolView {
  bonded: string;
  unbonding: string;
  bondedAddress: string;
  unbondingAddress: string;
}

/** `staking/active-set`. */
export interface ActiveSetView {
  epoch: { epoch: number; startHeight: number; startTimeMs?: number } | null;
  validators: {
    operator: string;
    consAddress: string;
    consPubKey: string;
    power: string;
    moniker: string;
    priority: string;
  }[];
  nextProposer: string | null;
}

/** `slashing/signing-info(s)` (`missedSlots` only for one validator). */
export interface SigningInfoView {
  consAddress: string;
  startHeight: number;
  indexOffset: number;
  missedBlocksCounter: number;
  jailedUntilMs: number;
  tombstoned: boolean;
  window: number;
  lastHeight: number;
  power: string;
  missedSlots?: number[];
}

/** `distribution/rewards`. */
export interface RewardsView {
  rewards: { validator: string; reward: CoinJson[] }[];
  total: CoinJson[];
}

/** `distribution/apr`: rates as decimal strings ("0.245" = 24.5 %). */
export interface AprView {
  inflation: string;
  bondedRatio: string;
  supply: string;
  bondedTokens: string;
  annualProvisions: string;
  blockProvision: string;
  communityTax: string;
  nominalApr: string;
  validators: {
    operator: string;
    moniker: string;
    status: string;
    jailed: boolean;
    commissionRate: string;
    apr: string;
  }[];
}

/** A tally in tokens (base units of the bond denom). */
export interface TallyJson {
  yes: string;
  no: string;
  abstain: string;
  veto: string;
  totalBonded: string;
}

/** `gov/proposal(s)`: absent times and results are null. */
export interface ProposalView {
  id: number;
  proposer: string;
  content: { type: string; title: string; description: string; [field: string]: Json };
  status: string;
  submitTimeMs: number;
  depositEndTimeMs: number;
  totalDeposit: CoinJson;
  deposits: 'held' | 'refunded' | 'burned';
  votingStartTimeMs: number | null;
  votingEndTimeMs: number | null;
  finalTally: TallyJson | null;
  outcome: 'passed' | 'vetoed' | 'no-quorum' | 'below-threshold' | null;
  passTimeMs: number | null;
  executeAfterMs: number | null;
  executedTimeMs: number | null;
  failReason: string | null;
}

/** `gov/tally`: `live` during the voting period (current stake), else the final tally. */
export interface TallyView extends TallyJson {
  voted: string;
  outcome: 'passed' | 'vetoed' | 'no-quorum' | 'below-threshold';
  live: boolean;
}
