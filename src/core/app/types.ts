import type { Value } from '../encoding/canonical.ts';

/** What the header tells the state machine about the block being executed. */
export interface BlockInfo {
  chainId: string;
  height: number;
  /** Block time in unix milliseconds, from the header (never a local clock). */
  timeMs: number;
  /** Hex address of the proposer's consensus key. */
  proposer: string;
  /** Hash of this block; the only source of randomness the core may use. */
  hash: Uint8Array;
}

export interface Event {
  type: string;
  attributes: Record<string, string>;
}

export interface ValidatorInfo {
  /** Hex of the 20-byte address of the consensus public key. */
  address: string;
  pubKey: Uint8Array;
  power: bigint;
  name: string;
}

export interface ValidatorUpdate {
  pubKey: Uint8Array;
  /** 0 removes the validator. */
  power: bigint;
}

/** Whether a validator signed the previous block (ABCI's CommitInfo). */
export interface VoteInfo {
  address: string;
  power: bigint;
  signed: boolean;
}

export interface CommitInfo {
  round: number;
  votes: VoteInfo[];
}

/** A signed consensus vote, as evidence carries it. */
export interface Vote {
  type: 'prevote' | 'precommit';
  chainId: string;
  height: number;
  round: number;
  blockHash: Uint8Array;
  validator: string;
  signature: Uint8Array;
}

export interface Misbehavior {
  type: 'duplicate-vote';
  validator: string;
  height: number;
  timeMs: number;
  totalPower: bigint;
  voteA: Vote;
  voteB: Vote;
}

export interface ExtendedVoteInfo {
  validator: string;
  power: bigint;
  extension: Uint8Array;
  extensionSignature: Uint8Array;
}

export interface TxResult {
  code: number;
  codespace: string;
  log: string;
  events: Event[];
  /** The tx's hash, hex. */
  hash: string;
}

export interface FinalizeBlockRequest {
  block: BlockInfo;
  txs: Uint8Array[];
  lastCommit: CommitInfo;
  misbehavior: Misbehavior[];
}

export interface FinalizeBlockResponse {
  txResults: TxResult[];
  events: Event[];
  validatorUpdates: ValidatorUpdate[];
  appHash: Uint8Array;
}

export interface CheckTxResponse {
  code: number;
  codespace: string;
  log: string;
  hash: string;
  /** Sender address and nonce, for the mempool's per-account ordering. */
  sender?: string;
  nonce?: number;
  /** Fee in base units of the fee denom, for mempool priority. */
  fee?: bigint;
}

export interface QueryResponse {
  code: number;
  log: string;
  height: number;
  value: Value | undefined;
}
