import type { HistoryProvider } from '../../core/app/app.ts';
import { decode } from '../../core/encoding/canonical.ts';
import { ChainError, ErrorCode } from '../../core/errors.ts';
import { Branch } from '../../core/store/branch.ts';
import type { ReadStore } from '../../core/store/store.ts';

type ChangeSet = [string, Uint8Array | null][];

/**
 * State at recent heights, rebuilt from the current state by undoing the change sets of
 * the blocks after it: the view at height h is the state now, with every key written since
 * h set back to its value before the first such write.
 */
export class RecentHistory implements HistoryProvider {
  private readonly sets = new Map<number, ChangeSet>();

  constructor(
    private readonly current: ReadStore,
    private readonly currentHeight: () => number,
    private readonly keepRecent: number,
  ) {}

  add(height: number, changes: ChangeSet): void {
    this.sets.set(height, changes);
    this.sets.delete(height - this.keepRecent);
  }

  /** Oldest height a query can still be answered at. */
  earliest(): number {
    const now = this.currentHeight();
    let h = now;
    while (this.sets.has(h)) h--;
    return h;
  }

  at(height: number): ReadStore {
    const now = this.currentHeight();
    if (height === now) return this.current;
    if (height < this.earliest()) {
      throw new ChainError(
        ErrorCode.PrunedHeight,
        `height ${height} is pruned; the oldest queryable height is ${this.earliest()}`,
      );
    }
    const view = new Branch(this.current);
    // Newest first, so the oldest write's previous value is the one left standing.
    for (let h = now; h > height; h--) {
      for (const [key, prev] of this.sets.get(h) ?? []) {
        if (prev === null) view.delete(key);
        else view.set(key, decode(prev));
      }
    }
    return view;
  }
}
