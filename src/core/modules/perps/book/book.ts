/**
 * A central limit order book for one market: price-time priority, pure and deterministic (no
 * clock, no randomness, no floating point; the only iteration orders are array order, linked
 * list order and Map insertion order, all fixed by the sequence of calls).
 *
 * Rules (the perps module documents them to users):
 * - Price-time priority: the best price first; within a price, the earliest `seq` first. A fill
 *   is at the maker's price.
 * - `seq` must increase strictly from one `place` to the next, so FIFO order within a level is
 *   seq order, and a book can be rebuilt from its orders alone (`fromOrders`).
 * - Market orders are IOC orders whose `priceTicks` is the worst price accepted.
 * - IOC: what does not fill at once is cancelled (`cancelledReason: 'ioc-unfilled'`).
 * - Post-only: refused (book unchanged) if its price reaches the best opposite price, even
 *   when that liquidity is the owner's own.
 * - Self-trade prevention, "cancel maker": when the taker meets a resting order of the same
 *   owner, that resting order is cancelled (reported in `selfTradeCancelled` and
 *   `changes.removed`) and matching goes on. This is dYdX v4's rule (the maker is removed,
 *   the taker continues): the newest instruction of the owner wins, and a taker can never be
 *   blocked at the touch by its own stale quote. Owner is the unit (`owner`, not
 *   `subaccount`): the perps module passes the account that must not trade with itself.
 * - Reduce-only: only with IOC (as dYdX v4 at launch), so the order never rests and cannot
 *   become position-increasing later. Its size is clipped to `ctx.maxReduce(owner, side)`
 *   before matching (refused when that is 0), so its fills never exceed what reduces.
 * - Client ids are unique per owner among open orders (refused otherwise, IOC included); an
 *   owner holds at most `maxOpenOrdersPerOwner` resting orders (checked before matching).
 * - Good-til-block: an order with `goodTilBlock < ctx.height` is refused; `expire(h)` removes
 *   every resting order with `goodTilBlock < h`.
 * A refusal returns a `BookError` and leaves the book exactly as it was.
 */
import type { Value } from '../../../encoding/canonical.ts';
import { ExpiryIndex } from './expiry.ts';
import type { Level, OrderNode } from './level.ts';
import { depthOf, impactOf } from './queries.ts';
import { orderFromValue, orderToValue } from './serialize.ts';
import { BookSide } from './side.ts';
import type {
  BookChanges,
  BookError,
  BookLimits,
  CancelResult,
  Depth,
  Fill,
  ImpactResult,
  Order,
  PlaceContext,
  PlaceResult,
  Side,
} from './types.ts';
import { bookError } from './types.ts';
import { checkLimits, validateOrder } from './validate.ts';

/** A copy of `o` with `sizeQuantums` open: the book never holds the caller's object. */
export function withSize(o: Order, sizeQuantums: number): Order {
  const out: {
    -readonly [K in keyof Order]: Order[K];
  } = {
    id: o.id,
    owner: o.owner,
    clientId: o.clientId,
    side: o.side,
    priceTicks: o.priceTicks,
    sizeQuantums,
    type: o.type,
    timeInForce: o.timeInForce,
    reduceOnly: o.reduceOnly,
    seq: o.seq,
  };
  if (o.subaccount !== undefined) out.subaccount = o.subaccount;
  if (o.goodTilBlock !== undefined) out.goodTilBlock = o.goodTilBlock;
  return out;
}

/** The shared empty list of results (frozen: results are read-only). */
const NONE: readonly never[] = Object.freeze([]);

export interface RemovedResult {
  readonly orders: Order[];
  readonly changes: BookChanges;
}

export class OrderBook {
  readonly bids = new BookSide('buy');
  readonly asks = new BookSide('sell');
  private readonly byId = new Map<string, OrderNode>();
  /** owner → clientId → node, in placement order. */
  private readonly owners = new Map<string, Map<number, OrderNode>>();
  private readonly expiry = new ExpiryIndex();
  private seq = -1;

  constructor(readonly limits: BookLimits) {
    checkLimits(limits);
  }

  /** The largest `seq` placed so far (−1 for none). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Number of resting orders. */
  get size(): number {
    return this.byId.size;
  }

  place(order: Order, ctx: PlaceContext): PlaceResult {
    const refused = this.check(order, ctx);
    if (refused !== undefined) return refused;
    const { owner, side } = order;
    let size = order.sizeQuantums;
    let clipped = 0;
    if (order.reduceOnly) {
      const maxReduce = ctx.maxReduce;
      if (maxReduce === undefined) {
        return bookError('invalid-order', 'expected ctx.maxReduce for a reduce-only order');
      }
      const max = maxReduce(owner, side);
      if (!Number.isSafeInteger(max) || max < 0) {
        throw new RangeError(`expected maxReduce: safe integer ≥ 0, got ${max}`);
      }
      if (max === 0) {
        return bookError(
          'reduce-only-nothing-to-reduce',
          `expected a position that a ${side} order reduces, got none for ${owner}`,
        );
      }
      if (max < size) {
        clipped = size - max;
        size = max;
      }
    }
    this.seq = order.seq;

    // Allocated on first use: most placements fill nothing.
    let fills: Fill[] | undefined;
    let removed: string[] | undefined;
    let updated: Order[] | undefined;
    let selfTrade: Order[] | undefined;
    const isBuy = side === 'buy';
    const opposite = isBuy ? this.asks : this.bids;
    const limit = order.priceTicks;
    let remaining = size;
    while (remaining > 0) {
      const level = opposite.best();
      if (level === undefined) break;
      const price = level.priceTicks;
      if (isBuy ? price > limit : price < limit) break;
      let node = level.head;
      while (node !== null && remaining > 0) {
        const next = node.next;
        const maker = node.order;
        if (maker.owner === owner) {
          this.unlink(node, opposite);
          if (removed === undefined) removed = [maker.id];
          else removed.push(maker.id);
          if (selfTrade === undefined) selfTrade = [maker];
          else selfTrade.push(maker);
        } else {
          const makerSize = maker.sizeQuantums;
          let q: number;
          if (makerSize <= remaining) {
            q = makerSize;
            this.unlink(node, opposite);
            if (removed === undefined) removed = [maker.id];
            else removed.push(maker.id);
          } else {
            q = remaining;
            const left = withSize(maker, makerSize - q);
            node.order = left;
            if (updated === undefined) updated = [left];
            else updated.push(left);
          }
          remaining -= q;
          const fill: Fill = {
            maker: maker.id,
            taker: order.id,
            makerOwner: maker.owner,
            takerOwner: owner,
            priceTicks: price,
            sizeQuantums: q,
            takerSide: side,
          };
          if (fills === undefined) fills = [fill];
          else fills.push(fill);
        }
        node = next;
      }
      if (level.count === 0) opposite.dropLevel(level);
    }

    let resting: Order | undefined;
    let cancelled = 0;
    if (remaining > 0) {
      if (order.timeInForce === 'ioc') cancelled = remaining;
      else {
        resting = withSize(order, remaining);
        this.rest(resting);
      }
    }
    return {
      ok: true,
      fills: fills ?? NONE,
      resting,
      cancelledReason: cancelled > 0 ? 'ioc-unfilled' : undefined,
      cancelledQuantums: cancelled,
      clippedQuantums: clipped,
      selfTradeCancelled: selfTrade ?? NONE,
      changes: {
        added: resting === undefined ? NONE : [resting],
        updated: updated ?? NONE,
        removed: removed ?? NONE,
      },
    };
  }

  /** Cancels one of `owner`'s orders, by order id (string) or client id (number). */
  cancel(owner: string, ref: string | number): CancelResult {
    const node = typeof ref === 'string' ? this.byId.get(ref) : this.owners.get(owner)?.get(ref);
    if (node === undefined) {
      return bookError('order-not-found', `expected an open order ${String(ref)}, got none`);
    }
    const order = node.order;
    if (order.owner !== owner) {
      return bookError(
        'not-order-owner',
        `expected order ${order.id} to belong to ${owner}, got ${order.owner}`,
      );
    }
    this.removeNode(node);
    return {
      ok: true,
      cancelled: order,
      changes: { added: NONE, updated: NONE, removed: [order.id] },
    };
  }

  /** Cancels every open order of `owner`, oldest first. */
  cancelAll(owner: string): RemovedResult {
    const mine = this.owners.get(owner);
    const orders: Order[] = [];
    if (mine !== undefined) {
      for (const node of [...mine.values()].sort((a, b) => a.order.seq - b.order.seq)) {
        orders.push(node.order);
        this.removeNode(node);
      }
    }
    return { orders, changes: { added: NONE, updated: NONE, removed: orders.map((o) => o.id) } };
  }

  /** Removes every order with `goodTilBlock < height`: lowest expiry first, then placement. */
  expire(height: number): RemovedResult {
    const orders: Order[] = [];
    for (const id of this.expiry.takeBelow(height)) {
      const node = this.byId.get(id);
      if (node === undefined) continue;
      orders.push(node.order);
      this.removeNode(node, false);
    }
    return { orders, changes: { added: NONE, updated: NONE, removed: orders.map((o) => o.id) } };
  }

  bestBid(): number | undefined {
    return this.bids.best()?.priceTicks;
  }

  bestAsk(): number | undefined {
    return this.asks.best()?.priceTicks;
  }

  /** L2: the top `levels` aggregated levels of each side, best first. */
  depth(levels: number): Depth {
    return { bids: depthOf(this.bids, levels), asks: depthOf(this.asks, levels) };
  }

  /**
   * Walks the side a taker of `side` would hit (`buy` → asks: the impact ask; `sell` → bids:
   * the impact bid) until `notional` (ticks × quantums) is reached.
   */
  impactPrice(side: Side, notional: bigint): ImpactResult {
    return impactOf(side === 'buy' ? this.asks : this.bids, notional);
  }

  order(id: string): Order | undefined {
    return this.byId.get(id)?.order;
  }

  /** `owner`'s open orders, oldest first. */
  openOrders(owner: string): Order[] {
    const mine = this.owners.get(owner);
    if (mine === undefined) return [];
    return [...mine.values()].map((n) => n.order).sort((a, b) => a.seq - b.seq);
  }

  /** Every resting order of `side`, in priority order (best level first, FIFO within). */
  ordersOf(side: Side): Order[] {
    const levels = (side === 'buy' ? this.bids : this.asks).levels;
    const out: Order[] = [];
    for (let i = levels.length - 1; i >= 0; i--) {
      for (let n = levels[i]!.head; n !== null; n = n.next) out.push(n.order);
    }
    return out;
  }

  /**
   * The whole book as a canonical value: `{ lastSeq, bids, asks }`, each side's orders in
   * priority order. Equal books give equal values.
   */
  toValue(): Value {
    return {
      lastSeq: this.seq,
      bids: this.ordersOf('buy').map(orderToValue),
      asks: this.ordersOf('sell').map(orderToValue),
    };
  }

  static fromValue(limits: BookLimits, value: Value): OrderBook {
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      value instanceof Uint8Array
    ) {
      throw new TypeError('book value: expected a map');
    }
    const rec = value as { readonly [key: string]: Value | undefined };
    const { lastSeq, bids, asks } = rec;
    if (typeof lastSeq !== 'number' || !Array.isArray(bids) || !Array.isArray(asks)) {
      throw new TypeError('book value: expected { lastSeq: number, bids: [], asks: [] }');
    }
    const orders = [...(bids as Value[]), ...(asks as Value[])].map(orderFromValue);
    return OrderBook.fromOrders(limits, orders, lastSeq);
  }

  /**
   * Rebuilds a book from its resting orders in any order (e.g. as iterated from the store):
   * they are put back in seq order, which is their time priority. Throws on an order that
   * could not be on a book (malformed, crossing, duplicate, seq above `lastSeq`).
   */
  static fromOrders(limits: BookLimits, orders: readonly Order[], lastSeq: number): OrderBook {
    const book = new OrderBook(limits);
    const sorted = [...orders].sort((a, b) => a.seq - b.seq);
    for (const o of sorted) {
      const refused = book.restore(o);
      if (refused !== undefined) throw new RangeError(`book value: ${refused.message}`);
    }
    if (!Number.isSafeInteger(lastSeq) || lastSeq < book.seq) {
      throw new RangeError(`book value: expected lastSeq ≥ ${book.seq}, got ${lastSeq}`);
    }
    book.seq = lastSeq;
    return book;
  }

  /**
   * Puts an order on the book without matching: for rebuilding a book from stored orders
   * (`fromOrders`). The order must pass the edge checks, must not cross the other side, and
   * must come in seq order.
   */
  restore(order: Order): BookError | undefined {
    const refused = this.check(order, { height: 0 });
    if (refused !== undefined) return refused;
    if (order.timeInForce === 'ioc') {
      return bookError('invalid-order', `expected a resting order (gtc|post-only), got ioc`);
    }
    const best = order.side === 'buy' ? this.bestAsk() : this.bestBid();
    if (
      best !== undefined &&
      (order.side === 'buy' ? order.priceTicks >= best : order.priceTicks <= best)
    ) {
      return bookError(
        'invalid-order',
        `expected a non-crossing order, ${order.id} crosses ${best}`,
      );
    }
    this.seq = order.seq;
    this.rest(withSize(order, order.sizeQuantums));
    return undefined;
  }

  /** The checks common to placing and restoring; undefined when the order may go on. */
  private check(order: Order, ctx: PlaceContext): BookError | undefined {
    const invalid = validateOrder(order, this.limits);
    if (invalid !== undefined) return invalid;
    if (order.seq <= this.seq) {
      return bookError('bad-sequence', `expected seq > ${this.seq}, got ${order.seq}`);
    }
    if (this.byId.has(order.id)) {
      return bookError('duplicate-order-id', `expected a new order id, got ${order.id}`);
    }
    if (order.goodTilBlock !== undefined && order.goodTilBlock < ctx.height) {
      return bookError(
        'already-expired',
        `expected goodTilBlock ≥ ${ctx.height}, got ${order.goodTilBlock}`,
      );
    }
    const mine = this.owners.get(order.owner);
    if (mine !== undefined) {
      if (mine.has(order.clientId)) {
        return bookError(
          'duplicate-client-id',
          `expected a client id not open for ${order.owner}, got ${order.clientId}`,
        );
      }
      if (order.timeInForce !== 'ioc' && mine.size >= this.limits.maxOpenOrdersPerOwner) {
        return bookError(
          'too-many-open-orders',
          `expected fewer than ${this.limits.maxOpenOrdersPerOwner} open orders, got ${mine.size}`,
        );
      }
    }
    if (order.timeInForce === 'post-only') {
      const best = order.side === 'buy' ? this.bestAsk() : this.bestBid();
      if (
        best !== undefined &&
        (order.side === 'buy' ? order.priceTicks >= best : order.priceTicks <= best)
      ) {
        return bookError(
          'post-only-would-cross',
          `expected a post-only ${order.side} that does not reach ${best}, got ${order.priceTicks}`,
        );
      }
    }
    return undefined;
  }

  private rest(order: Order): void {
    const side = order.side === 'buy' ? this.bids : this.asks;
    const node = side.levelAt(order.priceTicks).append(order);
    side.orders++;
    this.byId.set(order.id, node);
    let mine = this.owners.get(order.owner);
    if (mine === undefined) {
      mine = new Map();
      this.owners.set(order.owner, mine);
    }
    mine.set(order.clientId, node);
    if (order.goodTilBlock !== undefined) this.expiry.add(order.goodTilBlock, order.id);
  }

  /** Takes a node out of every index; leaves an emptied level in place (the caller drops it). */
  private unlink(node: OrderNode, side: BookSide, fromExpiry = true): void {
    const order = node.order;
    node.level.remove(node);
    side.orders--;
    this.byId.delete(order.id);
    const mine = this.owners.get(order.owner)!;
    mine.delete(order.clientId);
    if (mine.size === 0) this.owners.delete(order.owner);
    if (fromExpiry && order.goodTilBlock !== undefined) {
      this.expiry.delete(order.goodTilBlock, order.id);
    }
  }

  private removeNode(node: OrderNode, fromExpiry = true): void {
    const side = node.order.side === 'buy' ? this.bids : this.asks;
    const level: Level = node.level;
    this.unlink(node, side, fromExpiry);
    if (level.count === 0) side.dropLevel(level);
  }
}
