import { sha256 } from '../crypto/hash.ts';

/**
 * The state commitment: a binary Merkle tree over 2^DEPTH buckets. A key belongs to the
 * bucket named by the first DEPTH bits of sha256(key); a bucket's hash covers its leaves in
 * key order; the root commits to every key and value in the state.
 *
 *   leaf   = sha256(0x00 ‖ uvarint(len key) ‖ key ‖ encoded value)
 *   bucket = sha256(0x02 ‖ leaf₁ ‖ leaf₂ ‖ …)   (leaves in ascending key order; empty = 32 zero bytes)
 *   node   = sha256(0x01 ‖ left ‖ right)
 *
 * Why buckets: an update re-hashes one small bucket and DEPTH nodes, so a block's cost
 * follows what it changed, not the size of the state; hashing keys into buckets keeps
 * buckets small whatever keys modules choose.
 */
export const DEPTH = 12;
const BUCKETS = 1 << DEPTH;
const EMPTY = new Uint8Array(32);
const utf8 = new TextEncoder();

/** Bucket indices of keys seen, so a key written every block is hashed for it once. */
const bucketCache = new Map<string, number>();

function bucketOf(key: string): number {
  let b = bucketCache.get(key);
  if (b === undefined) {
    const h = sha256(utf8.encode(key));
    b = (((h[0] as number) << 8) | (h[1] as number)) >>> (16 - DEPTH);
    if (bucketCache.size >= 1_000_000) bucketCache.clear();
    bucketCache.set(key, b);
  }
  return b;
}

/**
 * PERF: one scratch buffer for the hash inputs (leaves, buckets, nodes): hashing is
 * synchronous, so each input is built, hashed and forgotten before the next. Inputs over 64
 * bytes would otherwise be fresh off-heap allocations (≈ 1 µs each, plus GC work), and a
 * block hashes three inputs per key it changed.
 */
let scratch = new Uint8Array(4096);

function scratchOf(n: number): Uint8Array {
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, 2 * scratch.length));
  return scratch;
}

export function leafHash(key: string, value: Uint8Array): Uint8Array {
  // The key's UTF-8: ASCII keys (nearly all) are copied as they are.
  let ascii = true;
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const k = ascii ? undefined : utf8.encode(key);
  const keyLength = k === undefined ? key.length : k.length;
  const buf = scratchOf(1 + 10 + keyLength + value.length);
  let at = 0;
  buf[at++] = 0;
  let n = keyLength;
  while (n >= 0x80) {
    buf[at++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[at++] = n;
  if (k === undefined) for (let i = 0; i < keyLength; i++) buf[at++] = key.charCodeAt(i);
  else {
    buf.set(k, at);
    at += keyLength;
  }
  buf.set(value, at);
  return sha256(buf.subarray(0, at + value.length));
}

export class Commitment {
  private readonly leaves: (Map<string, Uint8Array> | undefined)[] = new Array(BUCKETS);
  /** levels[0] = bucket hashes, levels[DEPTH] = [root]. */
  private readonly levels: Uint8Array[][] = [];
  private readonly dirty = new Set<number>();

  constructor() {
    let width = BUCKETS;
    for (let d = 0; d <= DEPTH; d++) {
      this.levels.push(new Array<Uint8Array>(width).fill(EMPTY_AT[d] as Uint8Array));
      width >>= 1;
    }
  }

  /** Records the encoded value of `key`, or its removal when `value` is null. */
  update(key: string, value: Uint8Array | null): void {
    const b = bucketOf(key);
    let leaves = this.leaves[b];
    if (value === null) {
      if (leaves?.delete(key)) this.dirty.add(b);
      return;
    }
    if (leaves === undefined) {
      leaves = new Map();
      this.leaves[b] = leaves;
    }
    leaves.set(key, leafHash(key, value));
    this.dirty.add(b);
  }

  /** The root over everything updated so far. */
  root(): Uint8Array {
    if (this.dirty.size > 0) {
      const changed = [...this.dirty].sort((a, b) => a - b);
      this.dirty.clear();
      const buckets = this.levels[0] as Uint8Array[];
      for (const b of changed) buckets[b] = bucketHash(this.leaves[b]);
      let indices = changed;
      for (let d = 1; d <= DEPTH; d++) {
        const below = this.levels[d - 1] as Uint8Array[];
        const level = this.levels[d] as Uint8Array[];
        const parents: number[] = [];
        for (const i of indices) {
          const p = i >> 1;
          if (parents[parents.length - 1] !== p) parents.push(p);
        }
        for (const p of parents) level[p] = node(below[2 * p]!, below[2 * p + 1]!);
        indices = parents;
      }
    }
    return (this.levels[DEPTH] as Uint8Array[])[0] as Uint8Array;
  }
}

/** The hash of an empty subtree at each depth: every node of an empty tree, computed once. */
const EMPTY_AT: Uint8Array[] = [EMPTY];
for (let d = 1; d <= DEPTH; d++) {
  const below = EMPTY_AT[d - 1] as Uint8Array;
  EMPTY_AT.push(node(below, below));
}

function node(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = scratchOf(65);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 33);
  return sha256(buf.subarray(0, 65));
}

function bucketHash(leaves: Map<string, Uint8Array> | undefined): Uint8Array {
  if (leaves === undefined || leaves.size === 0) return EMPTY;
  const keys = [...leaves.keys()].sort();
  const buf = scratchOf(1 + 32 * keys.length);
  buf[0] = 2;
  keys.forEach((k, i) => {
    buf.set(leaves.get(k) as Uint8Array, 1 + 32 * i);
  });
  return sha256(buf.subarray(0, 1 + 32 * keys.length));
}
