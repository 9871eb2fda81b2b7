/**
 * Read-only views of one side of the book. Sums over many orders are bigints: a level's total
 * is not bounded by any single order's limit.
 */
import type { BookSide } from './side.ts';
import type { DepthLevel, ImpactResult } from './types.ts';

/** The best `count` levels of `side`, best first. */
export function depthOf(side: BookSide, count: number): DepthLevel[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`expected a level count: safe integer ≥ 0, got ${count}`);
  }
  const levels = side.levels;
  const out: DepthLevel[] = [];
  for (let i = levels.length - 1; i >= 0 && out.length < count; i--) {
    const level = levels[i]!;
    let total = 0n;
    for (let n = level.head; n !== null; n = n.next) total += BigInt(n.order.sizeQuantums);
    out.push({ priceTicks: level.priceTicks, sizeQuantums: total, orders: level.count });
  }
  return out;
}

/**
 * Walks `side` best first as a taker would, until the notional taken (Σ price × size, in
 * ticks × quantums) reaches `notional`. From the last order used it takes the fewest quantums
 * that reach the target (a ceiling), so `notional` of the result is ≥ the target when complete.
 */
export function impactOf(side: BookSide, notional: bigint): ImpactResult {
  if (notional <= 0n) throw new RangeError(`expected a notional > 0, got ${notional}`);
  const levels = side.levels;
  let size = 0n;
  let taken = 0n;
  let worst: number | undefined;
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    const price = BigInt(level.priceTicks);
    worst = level.priceTicks;
    for (let n = level.head; n !== null; n = n.next) {
      const need = (notional - taken + price - 1n) / price;
      const avail = BigInt(n.order.sizeQuantums);
      const q = avail < need ? avail : need;
      size += q;
      taken += q * price;
      if (taken >= notional) {
        return { worstPriceTicks: worst, sizeQuantums: size, notional: taken, complete: true };
      }
    }
  }
  return { worstPriceTicks: worst, sizeQuantums: size, notional: taken, complete: false };
}
