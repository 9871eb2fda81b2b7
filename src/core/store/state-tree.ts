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
export class StateTree implements Store {
  private readonly map = new Map<string, Value>();
  private readonly commitment = new Commitment();
  /** Keys written since the last commit → their value at the last commit. */
  private readonly pending = new Map<string, Value | undefined>();
  private sorted: string[] | null = [];
  /**
   * The encodings written by the last commit, by key. PERF: a key written in consecutive
   * blocks (an active account, the fee pool) finds its previous encoding here instead of
   * encoding the old value again for the change set; values are never mutated in place, so
   * the encoding of the value at the last commit is the one computed then.
   */
  private lastEncoded = new Map<string, Uint8Array>();

  get(key: string): Value | undefined {
    return this.map.get(key);
  }

  set(key: string, value: Value): void {
    const had = this.map.has(key);
    if (!this.pending.has(key)) this.pending.set(key, this.map.get(key));
    this.map.set(key, value);
    if (!had) this.sorted = null;
  }

  delete(key: string): void {
    if (!this.map.has(key)) return;
    if (!this.pending.has(key)) this.pending.set(key, this.map.get(key));
    this.map.delete(key);
    this.sorted = null;
  }

  get size(): number {
    return this.map.size;
  }

  *iterate(prefix: string): IterableIterator<[string, Value]> {
    if (this.sorted === null) this.sorted = [...this.map.keys()].sort();
    const keys = this.sorted;
    for (let i = lowerBound(keys, prefix); i < keys.length; i++) {
      const key = keys[i] as string;
      if (!key.startsWith(prefix)) break;
      const value = this.map.get(key);
      // A key removed after the index was built is skipped; the index is rebuilt lazily.
      if (value !== undefined) yield [key, value];
    }
  }

  /** Seals the pending writes: returns them as changes and the root after them. */
  commit(): { root: Uint8Array; changes: StateChange[] } {
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
      this.commitment.update(key, value);
      changes.push({ key, value, prev: prevBytes });
    }
    this.pending.clear();
    this.lastEncoded = encoded;
    return { root: this.commitment.root(), changes };
  }

  /** Loads persisted entries (a node restart); they count as committed. */
  load(entries: Iterable<[string, Uint8Array]>): Uint8Array {
    for (const [key, bytes] of entries) {
      this.map.set(key, decode(bytes));
      this.commitment.update(key, bytes);
    }
    this.sorted = null;
    return this.commitment.root();
  }
}
