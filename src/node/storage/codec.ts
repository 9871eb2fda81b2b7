import type { Block, BlockResults, Commit } from '../../consensus/block.ts';
import { decode, encode, type Value } from '../../core/encoding/canonical.ts';

/** Blocks, commits and results are stored in the chain's canonical encoding. */
export const encodeBlock = (b: Block): Uint8Array => encode(b as unknown as Value);
export const decodeBlock = (bytes: Uint8Array): Block => decode(bytes) as unknown as Block;
export const encodeCommit = (c: Commit): Uint8Array => encode(c as unknown as Value);
export const decodeCommit = (bytes: Uint8Array): Commit => decode(bytes) as unknown as Commit;
export const encodeResults = (r: BlockResults): Uint8Array => encode(r as unknown as Value);
export const decodeResults = (bytes: Uint8Array): BlockResults =>
  decode(bytes) as unknown as BlockResults;

/** Heights are zero-padded so LevelDB's byte order is height order. */
export const heightKey = (prefix: string, height: number): string =>
  `${prefix}${String(height).padStart(12, '0')}`;
