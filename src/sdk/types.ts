import type { Json } from '../core/encoding/json.ts';

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

/** What to subscribe to: every new block, or every tx result whose events carry all attributes of `filter`. */
export type SubscriptionQuery =
  | { event: 'new_block' }
  | { event: 'tx'; filter?: Record<string, string> };

/** The notification type a subscription query delivers. */
export type NotificationOf<Q extends SubscriptionQuery> = Q extends { event: 'new_block' }
  ? NewBlockNotification
  : TxNotification;
