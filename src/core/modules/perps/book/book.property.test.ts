/**
 * The book against a brute-force reference over random streams of operations: the same
 * results (fills, refusals, resting remainders, changes) and the same resting book after every
 * operation. The reference keeps every resting order in one plain array and, for each taker,
 * sorts the crossing orders by (price, seq): the rules written out without any index.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode } from '../../../encoding/canonical.ts';
import { OrderBook, withSize } from './book.ts';
import type {
  BookError,
  BookLimits,
  Fill,
  MaxReduceFn,
  Order,
  PlaceContext,
  PlaceResult,
  Side,
} from './types.ts';
import { bookError } from './types.ts';
import { validateOrder } from './validate.ts';

const LIMITS: BookLimits = { maxPriceTicks: 108, maxSizeQuantums: 12, maxOpenOrdersPerOwner: 6 };

const maxReduce: MaxReduceFn = (owner, side) =>
  (owner.charCodeAt(0) * 7 + (side === 'buy' ? 3 : 0)) % 6;

function crosses(taker: Side, limit: number, price: number): boolean {
  return taker === 'buy' ? price <= limit : price >= limit;
}

class ReferenceBook {
  orders: Order[] = [];
  seq = -1;

  place(o: Order, ctx: PlaceContext): PlaceResult {
    const invalid = validateOrder(o, LIMITS);
    if (invalid !== undefined) return invalid;
    if (o.seq <= this.seq) return bookError('bad-sequence', '');
    if (this.orders.some((r) => r.id === o.id)) return bookError('duplicate-order-id', '');
    if (o.goodTilBlock !== undefined && o.goodTilBlock < ctx.height) {
      return bookError('already-expired', '');
    }
    const mine = this.orders.filter((r) => r.owner === o.owner);
    if (mine.some((r) => r.clientId === o.clientId)) return bookError('duplicate-client-id', '');
    if (o.timeInForce !== 'ioc' && mine.length >= LIMITS.maxOpenOrdersPerOwner) {
      return bookError('too-many-open-orders', '');
    }
    const opposite = () => this.orders.filter((r) => r.side !== o.side);
    if (
      o.timeInForce === 'post-only' &&
      opposite().some((r) => crosses(o.side, o.priceTicks, r.priceTicks))
    ) {
      return bookError('post-only-would-cross', '');
    }
    let size = o.sizeQuantums;
    let clipped = 0;
    if (o.reduceOnly) {
      if (ctx.maxReduce === undefined) return bookError('invalid-order', '');
      const max = ctx.maxReduce(o.owner, o.side);
      if (max === 0) return bookError('reduce-only-nothing-to-reduce', '');
      clipped = Math.max(0, size - max);
      size -= clipped;
    }
    this.seq = o.seq;
    const makers = opposite()
      .filter((r) => crosses(o.side, o.priceTicks, r.priceTicks))
      .sort((a, b) =>
        a.priceTicks !== b.priceTicks
          ? o.side === 'buy'
            ? a.priceTicks - b.priceTicks
            : b.priceTicks - a.priceTicks
          : a.seq - b.seq,
      );
    const fills: Fill[] = [];
    const removed: string[] = [];
    const updated: Order[] = [];
    const selfTradeCancelled: Order[] = [];
    for (const m of makers) {
      if (size === 0) break;
      if (m.owner === o.owner) {
        this.orders = this.orders.filter((r) => r !== m);
        removed.push(m.id);
        selfTradeCancelled.push(m);
        continue;
      }
      const q = Math.min(size, m.sizeQuantums);
      size -= q;
      fills.push({
        maker: m.id,
        taker: o.id,
        makerOwner: m.owner,
        takerOwner: o.owner,
        priceTicks: m.priceTicks,
        sizeQuantums: q,
        takerSide: o.side,
      });
      if (q === m.sizeQuantums) {
        this.orders = this.orders.filter((r) => r !== m);
        removed.push(m.id);
      } else {
        const left = withSize(m, m.sizeQuantums - q);
        this.orders = this.orders.map((r) => (r === m ? left : r));
        updated.push(left);
      }
    }
    const base = {
      ok: true as const,
      fills,
      clippedQuantums: clipped,
      selfTradeCancelled,
      resting: undefined,
      cancelledReason: undefined,
    };
    if (size > 0 && o.timeInForce !== 'ioc') {
      const resting = withSize(o, size);
      this.orders.push(resting);
      const changes = { added: [resting], updated, removed };
      return { ...base, resting, cancelledQuantums: 0, changes };
    }
    const changes = { added: [], updated, removed };
    if (size > 0) {
      return {
        ...base,
        cancelledQuantums: size,
        cancelledReason: 'ioc-unfilled' as const,
        changes,
      };
    }
    return { ...base, cancelledQuantums: 0, changes };
  }

  cancel(owner: string, ref: string | number): Order | BookError {
    const o = this.orders.find((r) =>
      typeof ref === 'string' ? r.id === ref : r.owner === owner && r.clientId === ref,
    );
    if (o === undefined) return bookError('order-not-found', '');
    if (o.owner !== owner) return bookError('not-order-owner', '');
    this.orders = this.orders.filter((r) => r !== o);
    return o;
  }

  cancelAll(owner: string): string[] {
    const gone = this.orders.filter((r) => r.owner === owner).sort((a, b) => a.seq - b.seq);
    this.orders = this.orders.filter((r) => r.owner !== owner);
    return gone.map((r) => r.id);
  }

  expire(height: number): string[] {
    const gone = this.orders
      .filter((r) => r.goodTilBlock !== undefined && r.goodTilBlock < height)
      .sort((a, b) => a.goodTilBlock! - b.goodTilBlock! || a.seq - b.seq);
    this.orders = this.orders.filter((r) => !gone.includes(r));
    return gone.map((r) => r.id);
  }

  /** Resting orders of a side in priority order. */
  side(side: Side): Order[] {
    return this.orders
      .filter((r) => r.side === side)
      .sort((a, b) =>
        a.priceTicks !== b.priceTicks
          ? side === 'buy'
            ? b.priceTicks - a.priceTicks
            : a.priceTicks - b.priceTicks
          : a.seq - b.seq,
      );
  }
}

const OWNERS = ['a', 'b', 'c', 'd'];

type Op =
  | { kind: 'place'; order: Omit<Order, 'id' | 'seq'>; seqStep: number; withCtx: boolean }
  | { kind: 'cancel'; owner: string; byClient: boolean; ref: number }
  | { kind: 'cancelAll'; owner: string }
  | { kind: 'expire'; advance: number };

const placeArb: fc.Arbitrary<Op> = fc
  .record({
    owner: fc.constantFrom(...OWNERS),
    clientId: fc.nat(7),
    side: fc.constantFrom<Side>('buy', 'sell'),
    priceTicks: fc.oneof(
      { weight: 20, arbitrary: fc.integer({ min: 96, max: 106 }) },
      fc.constantFrom(0, 109),
    ),
    sizeQuantums: fc.integer({ min: 1, max: 13 }),
    kind: fc.constantFrom('gtc', 'gtc', 'gtc', 'ioc', 'post-only', 'market', 'reduce'),
    goodTilBlock: fc.option(fc.nat(12), { nil: undefined }),
    seqStep: fc.oneof({ weight: 30, arbitrary: fc.constant(1) }, fc.constant(0)),
    withCtx: fc.oneof({ weight: 20, arbitrary: fc.constant(true) }, fc.constant(false)),
  })
  .map(({ kind, goodTilBlock, seqStep, withCtx, ...rest }) => ({
    kind: 'place',
    seqStep,
    withCtx,
    order: {
      ...rest,
      type: kind === 'market' ? 'market' : 'limit',
      timeInForce: kind === 'gtc' ? 'gtc' : kind === 'post-only' ? 'post-only' : 'ioc',
      reduceOnly: kind === 'reduce',
      ...(goodTilBlock === undefined ? {} : { goodTilBlock }),
    },
  }));

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: placeArb },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      owner: fc.constantFrom(...OWNERS),
      byClient: fc.boolean(),
      ref: fc.nat(40),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancelAll' as const),
      owner: fc.constantFrom(...OWNERS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('expire' as const), advance: fc.nat(3) }),
  },
);

/** Drops the free-text messages: the reference states codes only. */
function strip<T>(r: T): T {
  if (typeof r === 'object' && r !== null && 'ok' in r && r.ok === false) {
    return { ...r, message: '' };
  }
  return r;
}

function sumOpen(orders: readonly Order[]): number {
  return orders.reduce((s, o) => s + o.sizeQuantums, 0);
}

describe('order book against a brute-force reference', () => {
  it('gives the same results and the same resting book', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const book = new OrderBook(LIMITS);
        const ref = new ReferenceBook();
        let seq = 0;
        let height = 1;
        let filled = 0;
        for (const op of ops) {
          if (op.kind === 'place') {
            seq += op.seqStep;
            const order: Order = { ...op.order, id: `o${seq}`, seq };
            const ctx = op.withCtx ? { height, maxReduce } : { height };
            const opposite = order.side === 'buy' ? 'sell' : 'buy';
            const makersBefore = sumOpen(book.ordersOf(opposite));
            const got = book.place(order, ctx);
            const want = ref.place(order, ctx);
            expect(strip(got)).toEqual(strip(want));
            if (got.ok) {
              // Conservation: what the taker filled is what the makers gave up, and the
              // taker's size is accounted for in full.
              const taken = got.fills.reduce((s, f) => s + f.sizeQuantums, 0);
              const makersAfter = sumOpen(book.ordersOf(opposite));
              const stp = sumOpen(got.selfTradeCancelled);
              expect(makersBefore - makersAfter - stp).toBe(taken);
              expect(
                taken +
                  got.cancelledQuantums +
                  got.clippedQuantums +
                  (got.resting?.sizeQuantums ?? 0),
              ).toBe(order.sizeQuantums);
              filled += taken;
              seq++;
            }
          } else if (op.kind === 'cancel') {
            const r = op.byClient ? op.ref % 8 : `o${op.ref}`;
            const got = book.cancel(op.owner, r);
            const want = ref.cancel(op.owner, r);
            if (got.ok) expect(got.cancelled).toEqual(want);
            else expect(strip(got)).toEqual(strip(want));
          } else if (op.kind === 'cancelAll') {
            expect(book.cancelAll(op.owner).changes.removed).toEqual(ref.cancelAll(op.owner));
          } else {
            height += op.advance;
            expect(book.expire(height).changes.removed).toEqual(ref.expire(height));
          }
          expect(book.ordersOf('buy')).toEqual(ref.side('buy'));
          expect(book.ordersOf('sell')).toEqual(ref.side('sell'));
          const bid = book.bestBid();
          const ask = book.bestAsk();
          if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
        }
        const copy = OrderBook.fromValue(LIMITS, book.toValue());
        expect(encode(copy.toValue())).toEqual(encode(book.toValue()));
        expect(filled).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });
});
