import type { Event, Misbehavior, TxResult, ValidatorUpdate } from '../core/app/types.ts';
import { sha256, toHex } from '../core/crypto/hash.ts';
import { encode, type Value } from '../core/encoding/canonical.ts';

/**
 * Blocks as the consensus engines build and store them. The header commits to the txs,
 * the previous block, the previous block's commit and the app hash after the previous
 * block (as in CometBFT: a block's results are committed to by the next header).
 */
export interface BlockHeader {
  chainId: string;
  height: number;
  /** Unix milliseconds, strictly increasing. */
  timeMs: number;
  /** Hex address of the proposer's consensus key. */
  proposer: string;
  /** Hex hashes (32 bytes; zeros at the first block). */
  lastBlockHash: string;
  lastCommitHash: string;
  dataHash: string;
  evidenceHash: string;
  /** App hash after executing the previous block. */
  appHash: string;
  validatorsHash: string;
}

/** One validator's precommit in a commit; `signature` covers `voteSignBytes`. */
export interface CommitSig {
  validator: string;
  signature: Uint8Array;
  /** The vote extension and its signature (`extensionSignBytes`). */
  extension: Uint8Array;
  extensionSignature: Uint8Array;
}

export interface Commit {
  height: number;
  round: number;
  blockHash: string;
  signatures: CommitSig[];
}

export interface Block {
  header: BlockHeader;
  txs: Uint8Array[];
  /** Precommits for the previous block (null at the first block). */
  lastCommit: Commit | null;
  evidence: Misbehavior[];
}

export interface BlockResults {
  height: number;
  txResults: TxResult[];
  events: Event[];
  validatorUpdates: ValidatorUpdate[];
  /** App hash after this block. */
  appHash: string;
}

export const ZERO_HASH = '0'.repeat(64);

export function hashValue(v: Value): string {
  return toHex(sha256(encode(v)));
}

export function blockHash(header: BlockHeader): string {
  return hashValue(header as unknown as Value);
}

/** Commits to the block's txs: the hash of the list of their sha256 hashes. */
export function dataHash(txHashes: Uint8Array[]): string {
  return hashValue(txHashes);
}

export { extensionSignBytes, voteSignBytes } from '../core/app/sign-bytes.ts';
