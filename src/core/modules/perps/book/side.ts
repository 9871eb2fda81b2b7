/**
 * One side of the book: its price levels in an array sorted by key ascending, so the best level
 * is the last element (taking it off the book is a `pop`, and new levels near the touch are
 * inserted near the end, where `splice` moves few elements). A map price → level gives O(1)
 * access to an existing level; binary search places a new one.
 *
 * PERF: a level insert or removal away from the touch is O(levels) memory moves; with the
 * price bounds of a market (hundreds to a few thousand live levels) this beats a tree's
 * pointer chasing. Matching touches only the end of the array.
 */
import { Level } from './level.ts';
import type { Side } from './types.ts';

export class BookSide {
  /** Sorted by `key` ascending: worst first, best last. */
  readonly levels: Level[] = [];
  readonly byPrice = new Map<number, Level>();
  /** Number of resting orders on this side. */
  orders = 0;

  constructor(readonly side: Side) {}

  keyOf(priceTicks: number): number {
    return this.side === 'buy' ? priceTicks : -priceTicks;
  }

  best(): Level | undefined {
    return this.levels[this.levels.length - 1];
  }

  /** The level at `priceTicks`, created (and placed in order) if absent. */
  levelAt(priceTicks: number): Level {
    const found = this.byPrice.get(priceTicks);
    if (found !== undefined) return found;
    const key = this.keyOf(priceTicks);
    const level = new Level(priceTicks, key);
    const levels = this.levels;
    const n = levels.length;
    if (n === 0 || levels[n - 1]!.key < key) levels.push(level);
    else levels.splice(this.lowerBound(key), 0, level);
    this.byPrice.set(priceTicks, level);
    return level;
  }

  /** Takes an empty level off the side. */
  dropLevel(level: Level): void {
    const levels = this.levels;
    const last = levels.length - 1;
    if (levels[last] === level) levels.pop();
    else levels.splice(this.lowerBound(level.key), 1);
    this.byPrice.delete(level.priceTicks);
  }

  /** First index whose key is ≥ `key`. */
  private lowerBound(key: number): number {
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (levels[mid]!.key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
