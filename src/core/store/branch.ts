import type { Value } from '../encoding/canonical.ts';
import { lowerBound, type ReadStore, type Store } from './store.ts';

const DELETED = Symbol('deleted');
type Slot = Value | typeof DELETED;

/**
 * A cache over a parent store: reads fall through, writes stay here until `write()` pushes
 * them down in one go. A tx runs in a branch, so it applies whole or not at all.
 */
export class Branch implements Store {
  private readonly overlay = new Map<string, Slot>();
  /**
   * The overlay's keys in ascending order, for prefix scans. PERF: a block's branch collects
   * every key the block writes and is scanned many times (orders, positions); filtering and
   * sorting the whole overlay per scan cost more than the scans. Scans take a slice, so an
   * insertion during a scan does not shift keys under it.
   */
  private keys: string[] = [];

  constructor(private readonly parent: ReadStore & Partial<Store>) {}

  get(key: string): Value | undefined {
    const slot = this.overlay.get(key);
    if (slot === undefined) return this.parent.get(key);
    return slot === DELETED ? undefined : slot;
  }

  set(key: string, value: Value): void {
    if (!this.overlay.has(key)) this.indexAdd(key);
    this.overlay.set(key, value);
  }

  delete(key: string): void {
    if (!this.overlay.has(key)) this.indexAdd(key);
    this.overlay.set(key, DELETED);
  }

  get size(): number {
    return this.overlay.size;
  }

  /**
   * Entries under `prefix`: the base store's scan merged with the keys every branch level
   * between here and the base wrote under it (read through `get`, so the nearest level wins
   * and a deletion hides the key). PERF: one merge for the whole chain of branches (a msg in
   * a tx in a block is three deep) rather than one generator per level.
   */
  *iterate(prefix: string): IterableIterator<[string, Value]> {
    let written: string[] = [];
    let base: ReadStore = this;
    while (base instanceof Branch) {
      written = mergeSorted(written, base.ownKeys(prefix));
      base = base.parent;
    }
    if (written.length === 0) {
      yield* base.iterate(prefix);
      return;
    }
    let i = 0;
    for (const [key, value] of base.iterate(prefix)) {
      while (i < written.length && (written[i] as string) < key) yield* this.resolved(written[i++]);
      if (i < written.length && written[i] === key) {
        yield* this.resolved(written[i++]);
        continue;
      }
      yield [key, value];
    }
    while (i < written.length) yield* this.resolved(written[i++]);
  }

  /** Pushes every write down to the parent store. */
  write(): void {
    const parent = this.parent as Store;
    for (const [key, slot] of this.overlay) {
      if (slot === DELETED) parent.delete(key);
      else parent.set(key, slot);
    }
    this.overlay.clear();
    this.keys = [];
  }

  /** This level's written keys under `prefix` (a slice: safe from later insertions). */
  private ownKeys(prefix: string): string[] {
    const keys = this.keys;
    const from = lowerBound(keys, prefix);
    let to = from;
    while (to < keys.length && (keys[to] as string).startsWith(prefix)) to++;
    return from === to ? EMPTY : keys.slice(from, to);
  }

  private *resolved(key: string | undefined): IterableIterator<[string, Value]> {
    if (key === undefined) return;
    const value = this.get(key);
    if (value !== undefined) yield [key, value];
  }

  private indexAdd(key: string): void {
    const keys = this.keys;
    const at = lowerBound(keys, key);
    if (at === keys.length) keys.push(key);
    else keys.splice(at, 0, key);
  }
}

const EMPTY: string[] = [];

/** The union of two ascending arrays of distinct strings, ascending, without duplicates. */
function mergeSorted(a: string[], b: string[]): string[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (x < y) {
      out.push(x);
      i++;
    } else if (y < x) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
      j++;
    }
  }
  while (i < a.length) out.push(a[i++] as string);
  while (j < b.length) out.push(b[j++] as string);
  return out;
}
