import { decode, encode, type Value } from '../encoding/canonical.ts';
import { Commitment } from './commitment.ts';
import { lowerBound, type Store } from './store.ts';

/** One key's change in a committed block: its new encoding (null = removed) and the old one. */
export interface StateChange {
  key: string;
  value: Uint8Array | null;
  prev: Uint8Array | null;
}

/**
 * The whole state in memory with its Merkle commitment. Writes are tracked until `commit()`,
 * which hashes what changed and hands back the change set for the node to persist (with the
 * previous values, so the node can answer queries at recent heights).
 */
export interface StateTreeOptions {
  /**
   * Keep the Merkle commitment and the change set (default). Off, `commit()` only seals the
   * writes: the root stays zero and no change set is built. For the simulator alone (one
   * process, nobody to agree with, nothing persisted); see AppOptions.skipCommitment.
   */
  commitment?: boolean;
}

const ZERO_ROOT = new Uint8Array(32);

/**
 * The whole state in memory with its Merkle commitment. Writes are tracked until `commit()`,
 * which hashes what changed and hands back the change set for the node to persist (with the
 * previous values, so the node can answer queries at recent heights).
 */
export class StateTree implements Store {
  private readonly map = new Map<string, Value>();
  private readonly commitment: Commitment | undefined;
  /** Keys written since the last commit → their value at the last commit. */
  private readonly pending = new Map<string, Value | undefined>();
  /**
   * The key index for prefix scans, in two sorted parts. PERF: modules add and remove keys
   * every block (orders, positions), and sorting the whole key set again after each would
   * cost a full sort per scan. `sorted` is the bulk (it may still hold removed keys: scans
   * skip keys the map no longer has); `added` holds the keys added since, small and kept
   * sorted by insertion. Both are replaced, never mutated, so a scan in progress keeps its
   * snapshot. The bulk is rebuilt once `added` or the removed keys grow large.
   */
  private sorted: string[] | null = [];
  private added: string[] = [];
  private removed = 0;
  /**
   * The encodings written by the last commit, by key. PERF: a key written in consecutive
   * blocks (an active account, the fee pool) finds its previous encoding here instead of
   * encoding the old value again for the change set; values are never mutated in place, so
   * the encoding of the value at the last commit is the one computed then.
   */
  private lastEncoded = new Map<string, Uint8Array>();

  constructor(opts: StateTreeOptions = {}) {
    this.commitment = opts.commitment === false ? undefined : new Commitment();
  }

  get(key: string): Value | undefined {
    return this.map.get(key);
  }

  set(key: string, value: Value): void {
    const had = this.map.has(key);
    if (!this.pending.has(key)) this.pending.set(key, this.map.get(key));
    this.map.set(key, value);
    if (!had) this.indexAdd(key);
  }

  delete(key: string): void {
    if (!this.map.has(key)) return;
    if (!this.pending.has(key)) this.pending.set(key, this.map.get(key));
    this.map.delete(key);
    this.removed++;
  }

  get size(): number {
    return this.map.size;
  }

  *iterate(prefix: string): IterableIterator<[string, Value]> {
    const [bulk, added] = this.index();
    let i = lowerBound(bulk, prefix);
    let j = added.length === 0 ? 0 : lowerBound(added, prefix);
    for (;;) {
      const a = i < bulk.length ? (bulk[i] as string) : undefined;
      const b = j < added.length ? (added[j] as string) : undefined;
      let key: string;
      if (b === undefined || (a !== undefined && a < b)) {
        if (a === undefined) return;
        key = a;
        i++;
      } else {
        key = b;
        j++;
      }
      if (!key.startsWith(prefix)) return;
      const value = this.map.get(key);
      // A key removed after the index was built is skipped.
      if (value !== undefined) yield [key, value];
    }
  }

  /** Seals the pending writes: returns them as changes and the root after them. */
  commit(): { root: Uint8Array; changes: StateChange[] } {
    const commitment = this.commitment;
    if (commitment === undefined) {
      this.pending.clear();
      return { root: ZERO_ROOT, changes: [] };
    }
    const changes: StateChange[] = [];
    const keys = [...this.pending.keys()].sort();
    const last = this.lastEncoded;
    const encoded = new Map<string, Uint8Array>();
    for (const key of keys) {
      const prev = this.pending.get(key);
      const v = this.map.get(key);
      const value = v === undefined ? null : encode(v);
      const prevBytes = prev === undefined ? null : (last.get(key) ?? encode(prev));
      if (value !== null) encoded.set(key, value);
      commitment.update(key, value);
      changes.push({ key, value, prev: prevBytes });
    }
    this.pending.clear();
    this.lastEncoded = encoded;
    return { root: commitment.root(), changes };
  }

  /** Loads persisted entries (a node restart); they count as committed. */
  load(entries: Iterable<[string, Uint8Array]>): Uint8Array {
    for (const [key, bytes] of entries) {
      this.map.set(key, decode(bytes));
      this.commitment?.update(key, bytes);
    }
    this.sorted = null;
    return this.commitment?.root() ?? ZERO_ROOT;
  }

  /** The two sorted parts of the key index, rebuilding the bulk when it is due. */
  private index(): [string[], string[]] {
    const bulk = this.sorted;
    if (bulk !== null && this.added.length <= 512 && this.removed <= 512 + (bulk.length >> 2)) {
      return [bulk, this.added];
    }
    const rebuilt = [...this.map.keys()].sort();
    this.sorted = rebuilt;
    this.added = [];
    this.removed = 0;
    return [rebuilt, this.added];
  }

  /** Records a key new to the map in the index (a removed key still in the bulk is kept). */
  private indexAdd(key: string): void {
    const bulk = this.sorted;
    if (bulk === null) return;
    const at = lowerBound(bulk, key);
    if (bulk[at] === key) return;
    const added = this.added;
    const k = lowerBound(added, key);
    if (added[k] === key) return;
    this.added = [...added.slice(0, k), key, ...added.slice(k)];
  }
}
