import { ClassicLevel } from 'classic-level';
import type { Block, BlockResults, Commit } from '../../consensus/block.ts';
import { fromHex } from '../../core/crypto/hash.ts';
import { decode, encode, type Value } from '../../core/encoding/canonical.ts';
import type { StateChange } from '../../core/store/state-tree.ts';
import {
  decodeBlock,
  decodeCommit,
  decodeResults,
  encodeBlock,
  encodeCommit,
  encodeResults,
  heightKey,
} from './codec.ts';

/**
 * The node's embedded store (LevelDB): blocks, commits, results, a tx index, the committed
 * state and per-height change sets for queries at recent heights. A block and the state it
 * produced are written in one atomic batch, so a crash (even kill -9) leaves either the
 * whole block or none of it.
 */
export interface CommittedBlock {
  block: Block;
  hash: string;
  commit: Commit;
  results: BlockResults;
  changes: StateChange[];
}

export interface ChainMeta {
  height: number;
  appHash: Uint8Array;
  blockHash: string;
  blockTimeMs: number;
}

const META = 'meta';
const STATE = 's:';
const BLOCK = 'b:';
const COMMIT = 'c:';
const RESULTS = 'r:';
const HISTORY = 'h:';
const TX = 't:';
const END = '\xff';

export interface ChainStoreOptions {
  /** fsync each block (survives power loss, not only a killed process). Default true. */
  sync?: boolean;
  /** How many past heights keep their change sets (queries at past heights). */
  keepRecent?: number;
}

/** `encode({height, index})` from the encoding of `{height, index: 0}` (see saveBlock). */
function txLocationBytes(head: Uint8Array, headLength: number, index: number): Uint8Array {
  // An INT is zigzag LEB128: a non-negative index is 2·index (far below 2^31 in a block).
  const varint: number[] = [];
  let z = index * 2;
  while (z >= 0x80) {
    varint.push((z & 0x7f) | 0x80);
    z >>>= 7;
  }
  varint.push(z);
  const out = new Uint8Array(headLength + varint.length);
  out.set(head.subarray(0, headLength));
  out.set(varint, headLength);
  return out;
}

export class ChainStore {
  private readonly db: ClassicLevel<string, Uint8Array>;
  private readonly sync: boolean;
  readonly keepRecent: number;

  constructor(dir: string, opts: ChainStoreOptions = {}) {
    this.db = new ClassicLevel<string, Uint8Array>(dir, {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    });
    this.sync = opts.sync ?? true;
    this.keepRecent = opts.keepRecent ?? 1000;
  }

  async open(): Promise<void> {
    await this.db.open();
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async meta(): Promise<ChainMeta | undefined> {
    const v = await this.db.get(META);
    if (v === undefined) return undefined;
    const m = decode(v) as {
      height: number;
      appHash: Uint8Array;
      blockHash: string;
      blockTimeMs: number;
    };
    return {
      height: m.height,
      appHash: m.appHash,
      blockHash: m.blockHash,
      blockTimeMs: m.blockTimeMs,
    };
  }

  /** Persists the genesis state (height = initialHeight − 1). */
  async saveGenesis(
    height: number,
    appHash: Uint8Array,
    changes: StateChange[],
    genesisTimeMs: number,
  ): Promise<void> {
    const batch = this.db.batch();
    for (const c of changes) if (c.value !== null) batch.put(STATE + c.key, c.value);
    batch.put(META, encode({ height, appHash, blockHash: '', blockTimeMs: genesisTimeMs }));
    await batch.write({ sync: this.sync });
  }

  /** Writes a block, its commit, results, tx index and state changes in one atomic batch. */
  async saveBlock(b: CommittedBlock): Promise<void> {
    const h = b.block.header.height;
    const batch = this.db.batch();
    batch.put(heightKey(BLOCK, h), encodeBlock(b.block));
    batch.put(heightKey(COMMIT, h), encodeCommit(b.commit));
    batch.put(heightKey(RESULTS, h), encodeResults(b.results));
    // PERF: the tx index's values differ only in the index, the last field of
    // `{height, index}`'s canonical encoding: encode the head once per block and append each
    // index's varint (the same bytes as encoding each location in full).
    const head = encode({ height: h, index: 0 });
    const headLength = head.length - 1; // `index: 0` ends the encoding as one byte, 0x00
    b.results.txResults.forEach((r, index) => {
      batch.put(TX + r.hash, txLocationBytes(head, headLength, index));
    });
    const history: Value[] = [];
    for (const c of b.changes) {
      if (c.value === null) batch.del(STATE + c.key);
      else batch.put(STATE + c.key, c.value);
      history.push([c.key, c.prev]);
    }
    batch.put(heightKey(HISTORY, h), encode(history));
    const pruneAt = h - this.keepRecent;
    if (pruneAt > 0) batch.del(heightKey(HISTORY, pruneAt));
    batch.put(
      META,
      encode({
        height: h,
        appHash: fromHex(b.results.appHash),
        blockHash: b.hash,
        blockTimeMs: b.block.header.timeMs,
      }),
    );
    await batch.write({ sync: this.sync });
  }

  async *stateEntries(): AsyncGenerator<[string, Uint8Array]> {
    for await (const [k, v] of this.db.iterator({ gte: STATE, lt: STATE + END })) {
      yield [k.slice(STATE.length), v];
    }
  }

  async block(height: number): Promise<Block | undefined> {
    const v = await this.db.get(heightKey(BLOCK, height));
    return v === undefined ? undefined : decodeBlock(v);
  }

  async commit(height: number): Promise<Commit | undefined> {
    const v = await this.db.get(heightKey(COMMIT, height));
    return v === undefined ? undefined : decodeCommit(v);
  }

  async results(height: number): Promise<BlockResults | undefined> {
    const v = await this.db.get(heightKey(RESULTS, height));
    return v === undefined ? undefined : decodeResults(v);
  }

  async txLocation(hash: string): Promise<{ height: number; index: number } | undefined> {
    const v = await this.db.get(TX + hash.toUpperCase());
    return v === undefined ? undefined : (decode(v) as { height: number; index: number });
  }

  /** Change sets of heights in [from, to], each as [key, previous encoded value | null]. */
  async history(from: number, to: number): Promise<Map<number, [string, Uint8Array | null][]>> {
    const out = new Map<number, [string, Uint8Array | null][]>();
    for await (const [k, v] of this.db.iterator({
      gte: heightKey(HISTORY, from),
      lte: heightKey(HISTORY, to),
    })) {
      out.set(Number(k.slice(HISTORY.length)), decode(v) as [string, Uint8Array | null][]);
    }
    return out;
  }
}
