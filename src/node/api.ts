import type { EventEmitter } from 'node:events';
import type { Block, BlockResults, Commit } from '../consensus/block.ts';
import type { App } from '../core/app/app.ts';
import type { CheckTxResponse, QueryResponse, TxResult, ValidatorInfo } from '../core/app/types.ts';

/** What the RPC server (and in-process tests) may ask of a running node. */
export interface NodeApi {
  readonly chainId: string;
  readonly app: App;
  readonly events: EventEmitter<NodeEvents>;
  status(): NodeStatus;
  getBlock(height?: number): Promise<StoredBlock | undefined>;
  getBlockResults(height?: number): Promise<BlockResults | undefined>;
  getTx(hash: string): Promise<TxLookup | undefined>;
  /** Runs checkTx and, when it passes, adds the tx to the mempool. */
  broadcastTxSync(tx: Uint8Array): Promise<CheckTxResponse>;
  /** broadcastTxSync, then waits (up to `timeoutMs`) for the tx to be committed in a block. */
  broadcastTxCommit(tx: Uint8Array, timeoutMs: number): Promise<BroadcastCommitResult>;
  query(path: string, args: unknown, height?: number): Promise<QueryResponse>;
}

export interface NodeEvents {
  /** Emitted after each block is committed and persisted. */
  block: [NewBlockEvent];
}

export interface NewBlockEvent {
  block: Block;
  hash: string;
  results: BlockResults;
}

export interface StoredBlock {
  block: Block;
  hash: string;
  /** The commit (precommit signatures) that finalized this block. */
  commit: Commit;
}

export interface TxLookup {
  hash: string;
  height: number;
  index: number;
  tx: Uint8Array;
  result: TxResult;
}

export interface BroadcastCommitResult {
  checkTx: CheckTxResponse;
  /** Set when the tx was committed before the timeout. */
  txResult?: TxResult;
  height?: number;
}

export interface NodeStatus {
  chainId: string;
  moniker: string;
  version: string;
  latestHeight: number;
  latestBlockHash: string;
  latestAppHash: string;
  latestBlockTimeMs: number;
  earliestQueryableHeight: number;
  validators: ValidatorInfo[];
  /** Names of the validators whose keys this node holds (solo devnet: all). */
  localValidators: string[];
  mempoolSize: number;
  catchingUp: boolean;
}
