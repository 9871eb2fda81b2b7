import type { Value } from '../encoding/canonical.ts';
import type { ReadStore, Store } from './store.ts';

const DELETED = Symbol('deleted');
type Slot = Value | typeof DELETED;

/**
 * A cache over a parent store: reads fall through, writes stay here until `write()` pushes
 * them down in one go. A tx runs in a branch, so it applies whole or not at all.
 */
export class Branch implements Store {
  private readonly overlay = new Map<string, Slot>();

  constructor(private readonly parent: ReadStore & Partial<Store>) {}

  get(key: string): Value | undefined {
    const slot = this.overlay.get(key);
    if (slot === undefined) return this.parent.get(key);
    return slot === DELETED ? undefined : slot;
  }

  set(key: string, value: Value): void {
    this.overlay.set(key, value);
  }

  delete(key: string): void {
    this.overlay.set(key, DELETED);
  }

  get size(): number {
    return this.overlay.size;
  }

  *iterate(prefix: string): IterableIterator<[string, Value]> {
    const mine = [...this.overlay.keys()].filter((k) => k.startsWith(prefix)).sort();
    if (mine.length === 0) {
      yield* this.parent.iterate(prefix);
      return;
    }
    let i = 0;
    for (const [key, value] of this.parent.iterate(prefix)) {
      while (i < mine.length && (mine[i] as string) < key) yield* this.own(mine[i++] as string);
      if (i < mine.length && mine[i] === key) {
        yield* this.own(mine[i++] as string);
        continue;
      }
      yield [key, value];
    }
    while (i < mine.length) yield* this.own(mine[i++] as string);
  }

  private *own(key: string): IterableIterator<[string, Value]> {
    const slot = this.overlay.get(key);
    if (slot !== undefined && slot !== DELETED) yield [key, slot];
  }

  /** Pushes every write down to the parent store. */
  write(): void {
    const parent = this.parent as Store;
    for (const [key, slot] of this.overlay) {
      if (slot === DELETED) parent.delete(key);
      else parent.set(key, slot);
    }
    this.overlay.clear();
  }
}
