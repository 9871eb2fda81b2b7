import { mulDiv, ONE, Rounding } from '../../math/index.ts';

/**
 * The circuit breaker: a pure function. The published price may move at most `maxMovePerBlock`
 * from the last published price and at most `maxMovePerWindow` from the price at the start of
 * the breaker window; a median beyond either bound is clamped to it. Bounds round toward the
 * reference price (the clamped move is never larger than allowed).
 */
export interface BreakerInput {
  median: bigint;
  /** The last published price. */
  last: bigint;
  /** The published price at the start of the current breaker window. */
  windowRef: bigint;
  maxMovePerBlock: bigint;
  maxMovePerWindow: bigint;
}

export interface BreakerResult {
  price: bigint;
  /** Which bound clamped the move, if any ('window' when both did and it is the tighter). */
  clamped: 'block' | 'window' | undefined;
}

function bounds(ref: bigint, move: bigint): [bigint, bigint] {
  const down = ONE - move > 0n ? ONE - move : 0n;
  return [mulDiv(ref, down, ONE, Rounding.Ceil), mulDiv(ref, ONE + move, ONE, Rounding.Floor)];
}

export function applyBreaker(i: BreakerInput): BreakerResult {
  const [blo, bhi] = bounds(i.last, i.maxMovePerBlock);
  const [wlo, whi] = bounds(i.windowRef, i.maxMovePerWindow);
  let price = i.median;
  let clamped: BreakerResult['clamped'];
  if (price < blo) [price, clamped] = [blo, 'block'];
  if (price > bhi) [price, clamped] = [bhi, 'block'];
  if (price < wlo) [price, clamped] = [wlo, 'window'];
  if (price > whi) [price, clamped] = [whi, 'window'];
  // A price is always positive: a 100 % move down stops at the smallest unit.
  if (price <= 0n) price = 1n;
  return { price, clamped };
}
