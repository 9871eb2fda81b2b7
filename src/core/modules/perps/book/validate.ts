/**
 * Checks at the edge of the book: every number an order carries is a safe integer inside the
 * book's limits, and the order's fields agree with each other. Returns the refusal, or
 * undefined when the order is well formed.
 */
import { type BookError, type BookLimits, bookError, type Order } from './types.ts';

/** Largest price or size limit a book accepts: far below 2^53, so sums of a few stay exact. */
export const MAX_LIMIT = 2 ** 48;

function isIntIn(v: unknown, min: number, max: number): v is number {
  return Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
}

export function checkLimits(limits: BookLimits): void {
  for (const k of ['maxPriceTicks', 'maxSizeQuantums', 'maxOpenOrdersPerOwner'] as const) {
    if (!isIntIn(limits[k], 1, MAX_LIMIT)) {
      throw new RangeError(`expected ${k}: integer in [1, 2^48], got ${limits[k]}`);
    }
  }
}

export function validateOrder(o: Order, limits: BookLimits): BookError | undefined {
  if (typeof o.id !== 'string' || o.id.length === 0) {
    return bookError('invalid-order', `expected a non-empty order id, got ${String(o.id)}`);
  }
  if (typeof o.owner !== 'string' || o.owner.length === 0) {
    return bookError('invalid-order', `expected a non-empty owner, got ${String(o.owner)}`);
  }
  if (o.side !== 'buy' && o.side !== 'sell') {
    return bookError('invalid-order', `expected side buy|sell, got ${String(o.side)}`);
  }
  if (!isIntIn(o.priceTicks, 1, limits.maxPriceTicks)) {
    return bookError(
      'price-out-of-bounds',
      `expected priceTicks: integer in [1, ${limits.maxPriceTicks}], got ${o.priceTicks}`,
    );
  }
  if (!isIntIn(o.sizeQuantums, 1, limits.maxSizeQuantums)) {
    return bookError(
      'size-out-of-bounds',
      `expected sizeQuantums: integer in [1, ${limits.maxSizeQuantums}], got ${o.sizeQuantums}`,
    );
  }
  if (!isIntIn(o.clientId, 0, Number.MAX_SAFE_INTEGER)) {
    return bookError('invalid-order', `expected clientId: safe integer ≥ 0, got ${o.clientId}`);
  }
  if (!isIntIn(o.seq, 0, Number.MAX_SAFE_INTEGER)) {
    return bookError('invalid-order', `expected seq: safe integer ≥ 0, got ${o.seq}`);
  }
  if (o.goodTilBlock !== undefined && !isIntIn(o.goodTilBlock, 0, Number.MAX_SAFE_INTEGER)) {
    return bookError(
      'invalid-order',
      `expected goodTilBlock: safe integer ≥ 0, got ${o.goodTilBlock}`,
    );
  }
  const tif = o.timeInForce;
  if (tif !== 'gtc' && tif !== 'ioc' && tif !== 'post-only') {
    return bookError('invalid-order', `expected timeInForce gtc|ioc|post-only, got ${String(tif)}`);
  }
  if (o.type === 'market') {
    if (tif !== 'ioc') {
      return bookError('invalid-order', `expected timeInForce ioc for a market order, got ${tif}`);
    }
  } else if (o.type !== 'limit') {
    return bookError('invalid-order', `expected type limit|market, got ${String(o.type)}`);
  }
  if (typeof o.reduceOnly !== 'boolean') {
    return bookError('invalid-order', `expected reduceOnly boolean, got ${String(o.reduceOnly)}`);
  }
  if (o.reduceOnly && tif !== 'ioc') {
    return bookError('reduce-only-not-ioc', `expected timeInForce ioc for reduce-only, got ${tif}`);
  }
  return undefined;
}
