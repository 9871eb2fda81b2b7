import { describe, expect, it } from 'vitest';
import { encode } from '../../../encoding/canonical.ts';
import { OrderBook } from './book.ts';
import { newBook, OrderFactory, ok, TEST_LIMITS } from './testing.ts';
import type { Order } from './types.ts';

const H = { height: 1 };

function setup() {
  const book = newBook();
  const f = new OrderFactory();
  const place = (o: Order, ctx = H) => book.place(o, ctx);
  return { book, f, place };
}

describe('matching', () => {
  it('fills across levels at the makers’ prices and rests the remainder', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'sell', priceTicks: 101, sizeQuantums: 5 })));
    ok(place(f.make({ owner: 'b', side: 'sell', priceTicks: 102, sizeQuantums: 5 })));
    ok(place(f.make({ owner: 'c', side: 'sell', priceTicks: 103, sizeQuantums: 5 })));
    const r = ok(place(f.make({ owner: 't', side: 'buy', priceTicks: 102, sizeQuantums: 12 })));
    expect(r.fills).toEqual([
      {
        maker: 'o0',
        taker: 'o3',
        makerOwner: 'a',
        takerOwner: 't',
        priceTicks: 101,
        sizeQuantums: 5,
        takerSide: 'buy',
      },
      {
        maker: 'o1',
        taker: 'o3',
        makerOwner: 'b',
        takerOwner: 't',
        priceTicks: 102,
        sizeQuantums: 5,
        takerSide: 'buy',
      },
    ]);
    expect(r.resting?.sizeQuantums).toBe(2);
    expect(r.changes).toEqual({ added: [r.resting], updated: [], removed: ['o0', 'o1'] });
    expect(book.bestBid()).toBe(102);
    expect(book.bestAsk()).toBe(103);
    expect(book.size).toBe(2);
  });

  it('gives time priority within a level and updates a partially filled maker', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'sell', priceTicks: 100, sizeQuantums: 4 })));
    ok(place(f.make({ owner: 'b', side: 'sell', priceTicks: 100, sizeQuantums: 4 })));
    const r = ok(place(f.make({ owner: 't', side: 'buy', priceTicks: 100, sizeQuantums: 6 })));
    expect(r.fills.map((x) => [x.maker, x.sizeQuantums])).toEqual([
      ['o0', 4],
      ['o1', 2],
    ]);
    expect(r.changes.removed).toEqual(['o0']);
    expect(r.changes.updated).toEqual([{ ...book.order('o1'), sizeQuantums: 2 }]);
    expect(book.order('o1')?.sizeQuantums).toBe(2);
    expect(r.resting).toBeUndefined();
    expect(r.cancelledReason).toBeUndefined();
  });

  it('fills a sell taker against the highest bids first', () => {
    const { f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'buy', priceTicks: 99, sizeQuantums: 1 })));
    ok(place(f.make({ owner: 'b', side: 'buy', priceTicks: 100, sizeQuantums: 1 })));
    const r = ok(place(f.make({ owner: 't', side: 'sell', priceTicks: 1, sizeQuantums: 2 })));
    expect(r.fills.map((x) => x.priceTicks)).toEqual([100, 99]);
  });

  it('cancels what an IOC order leaves', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'sell', priceTicks: 100, sizeQuantums: 3 })));
    const r = ok(
      place(
        f.make({ owner: 't', side: 'buy', priceTicks: 100, sizeQuantums: 10, timeInForce: 'ioc' }),
      ),
    );
    expect(r.fills).toHaveLength(1);
    expect(r.cancelledReason).toBe('ioc-unfilled');
    expect(r.cancelledQuantums).toBe(7);
    expect(r.changes.added).toEqual([]);
    expect(book.size).toBe(0);
  });

  it('stops a market order at its worst price', () => {
    const { book, f, place } = setup();
    for (const p of [100, 101, 105]) {
      ok(place(f.make({ owner: `m${p}`, side: 'sell', priceTicks: p, sizeQuantums: 5 })));
    }
    const market = { type: 'market', timeInForce: 'ioc' } as const;
    const r = ok(
      place(f.make({ owner: 't', side: 'buy', priceTicks: 101, sizeQuantums: 20, ...market })),
    );
    expect(r.fills.map((x) => x.priceTicks)).toEqual([100, 101]);
    expect(r.cancelledQuantums).toBe(10);
    expect(book.bestAsk()).toBe(105);
    const bad = place(
      f.make({ owner: 't', side: 'buy', priceTicks: 101, sizeQuantums: 1, type: 'market' }),
    );
    expect(bad.ok === false && bad.code).toBe('invalid-order');
  });
});

describe('refusals leave the book unchanged', () => {
  it('refuses a post-only order that would cross', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'sell', priceTicks: 100, sizeQuantums: 3 })));
    const before = encode(book.toValue());
    const r = place(
      f.make({
        owner: 'b',
        side: 'buy',
        priceTicks: 100,
        sizeQuantums: 1,
        timeInForce: 'post-only',
      }),
    );
    expect(r.ok === false && r.code).toBe('post-only-would-cross');
    expect(encode(book.toValue())).toEqual(before);
    const rest = ok(
      place(
        f.make({
          owner: 'b',
          side: 'buy',
          priceTicks: 99,
          sizeQuantums: 1,
          timeInForce: 'post-only',
        }),
      ),
    );
    expect(rest.resting?.priceTicks).toBe(99);
  });

  it('checks prices, sizes and sequence at the edge', () => {
    const { book, f, place } = setup();
    const cases: [Partial<Order>, string][] = [
      [{ priceTicks: 0 }, 'price-out-of-bounds'],
      [{ priceTicks: 1.5 }, 'price-out-of-bounds'],
      [{ priceTicks: Number.NaN }, 'price-out-of-bounds'],
      [{ priceTicks: TEST_LIMITS.maxPriceTicks + 1 }, 'price-out-of-bounds'],
      [{ sizeQuantums: 0 }, 'size-out-of-bounds'],
      [{ sizeQuantums: 2 ** 53 }, 'size-out-of-bounds'],
      [{ sizeQuantums: TEST_LIMITS.maxSizeQuantums + 1 }, 'size-out-of-bounds'],
      [{ clientId: -1 }, 'invalid-order'],
      [{ id: '' }, 'invalid-order'],
    ];
    for (const [fields, code] of cases) {
      const r = place({
        ...f.make({ owner: 'a', side: 'buy', priceTicks: 10, sizeQuantums: 1 }),
        ...fields,
      });
      expect(r.ok === false && r.code, JSON.stringify(fields)).toBe(code);
    }
    ok(place(f.make({ owner: 'a', side: 'buy', priceTicks: 10, sizeQuantums: 1, seq: 100 })));
    const old = place(
      f.make({ owner: 'a', side: 'buy', priceTicks: 10, sizeQuantums: 1, seq: 100 }),
    );
    expect(old.ok === false && old.code).toBe('bad-sequence');
    const dup = place({
      ...f.make({ owner: 'b', side: 'buy', priceTicks: 10, sizeQuantums: 1 }),
      id: 'o100',
    });
    expect(dup.ok === false && dup.code).toBe('duplicate-order-id');
    expect(book.size).toBe(1);
  });

  it('keeps client ids unique per owner among open orders', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'buy', priceTicks: 10, sizeQuantums: 1, clientId: 7 })));
    const dup = place(
      f.make({ owner: 'a', side: 'buy', priceTicks: 11, sizeQuantums: 1, clientId: 7 }),
    );
    expect(dup.ok === false && dup.code).toBe('duplicate-client-id');
    ok(place(f.make({ owner: 'b', side: 'buy', priceTicks: 11, sizeQuantums: 1, clientId: 7 })));
    expect(book.cancel('a', 7).ok).toBe(true);
    ok(place(f.make({ owner: 'a', side: 'buy', priceTicks: 11, sizeQuantums: 1, clientId: 7 })));
  });

  it('bounds the open orders of an owner', () => {
    const book = newBook({ maxOpenOrdersPerOwner: 2 });
    const f = new OrderFactory();
    ok(book.place(f.make({ owner: 'a', side: 'buy', priceTicks: 10, sizeQuantums: 1 }), H));
    ok(book.place(f.make({ owner: 'a', side: 'buy', priceTicks: 11, sizeQuantums: 1 }), H));
    const r = book.place(f.make({ owner: 'a', side: 'buy', priceTicks: 12, sizeQuantums: 1 }), H);
    expect(r.ok === false && r.code).toBe('too-many-open-orders');
    // An IOC never rests, so it is not counted against the limit.
    ok(
      book.place(
        f.make({ owner: 'a', side: 'buy', priceTicks: 12, sizeQuantums: 1, timeInForce: 'ioc' }),
        H,
      ),
    );
    ok(book.place(f.make({ owner: 'b', side: 'buy', priceTicks: 12, sizeQuantums: 1 }), H));
  });
});

describe('reduce-only', () => {
  it('clips to what reduces, refuses when nothing does, and must be IOC', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'm', side: 'buy', priceTicks: 100, sizeQuantums: 50 })));
    const asked: string[] = [];
    const ctx = {
      height: 1,
      maxReduce: (owner: string, side: string) => {
        asked.push(`${owner}:${side}`);
        return owner === 'long' ? 3 : 0;
      },
    };
    const ro = { reduceOnly: true, timeInForce: 'ioc' } as const;
    const r = ok(
      place(f.make({ owner: 'long', side: 'sell', priceTicks: 90, sizeQuantums: 10, ...ro }), ctx),
    );
    expect(r.clippedQuantums).toBe(7);
    expect(r.fills.map((x) => x.sizeQuantums)).toEqual([3]);
    expect(r.cancelledQuantums).toBe(0);
    expect(asked).toEqual(['long:sell']);
    const none = place(
      f.make({ owner: 'flat', side: 'sell', priceTicks: 90, sizeQuantums: 1, ...ro }),
      ctx,
    );
    expect(none.ok === false && none.code).toBe('reduce-only-nothing-to-reduce');
    const gtc = place(
      f.make({ owner: 'long', side: 'sell', priceTicks: 90, sizeQuantums: 1, reduceOnly: true }),
      ctx,
    );
    expect(gtc.ok === false && gtc.code).toBe('reduce-only-not-ioc');
    const noCb = place(
      f.make({ owner: 'long', side: 'sell', priceTicks: 90, sizeQuantums: 1, ...ro }),
    );
    expect(noCb.ok === false && noCb.code).toBe('invalid-order');
    expect(book.order('o0')?.sizeQuantums).toBe(47);
  });
});

describe('self-trade prevention (cancel maker)', () => {
  it('cancels the owner’s resting orders met by its taker and goes on matching', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'sell', priceTicks: 100, sizeQuantums: 5 })));
    ok(place(f.make({ owner: 'b', side: 'sell', priceTicks: 100, sizeQuantums: 5 })));
    ok(place(f.make({ owner: 'a', side: 'sell', priceTicks: 101, sizeQuantums: 5 })));
    const r = ok(place(f.make({ owner: 'a', side: 'buy', priceTicks: 101, sizeQuantums: 7 })));
    expect(r.fills.map((x) => [x.makerOwner, x.sizeQuantums])).toEqual([['b', 5]]);
    expect(r.selfTradeCancelled.map((o) => o.id)).toEqual(['o0', 'o2']);
    expect(r.changes.removed).toEqual(['o0', 'o1', 'o2']);
    expect(r.resting?.sizeQuantums).toBe(2);
    expect(book.bestAsk()).toBeUndefined();
    expect(book.bestBid()).toBe(101);
  });
});

describe('cancel and expiry', () => {
  it('cancels only the owner’s own orders, by id or client id', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'buy', priceTicks: 10, sizeQuantums: 1, clientId: 42 })));
    const other = book.cancel('b', 'o0');
    expect(other.ok === false && other.code).toBe('not-order-owner');
    const byClientOfOther = book.cancel('b', 42);
    expect(byClientOfOther.ok === false && byClientOfOther.code).toBe('order-not-found');
    const c = book.cancel('a', 42);
    expect(c.ok && c.changes.removed).toEqual(['o0']);
    const again = book.cancel('a', 'o0');
    expect(again.ok === false && again.code).toBe('order-not-found');
    expect(book.bestBid()).toBeUndefined();
  });

  it('cancels all of an owner’s orders, oldest first', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'buy', priceTicks: 10, sizeQuantums: 1 })));
    ok(place(f.make({ owner: 'b', side: 'buy', priceTicks: 10, sizeQuantums: 1 })));
    ok(place(f.make({ owner: 'a', side: 'sell', priceTicks: 20, sizeQuantums: 1 })));
    const r = book.cancelAll('a');
    expect(r.changes.removed).toEqual(['o0', 'o2']);
    expect(book.openOrders('a')).toEqual([]);
    expect(book.openOrders('b').map((o) => o.id)).toEqual(['o1']);
    expect(book.cancelAll('nobody').orders).toEqual([]);
  });

  it('expires good-til-block orders once the height passes them', () => {
    const { book, f, place } = setup();
    ok(
      place(f.make({ owner: 'a', side: 'buy', priceTicks: 10, sizeQuantums: 1, goodTilBlock: 6 })),
    );
    ok(
      place(f.make({ owner: 'b', side: 'buy', priceTicks: 11, sizeQuantums: 1, goodTilBlock: 5 })),
    );
    ok(
      place(f.make({ owner: 'c', side: 'sell', priceTicks: 20, sizeQuantums: 1, goodTilBlock: 5 })),
    );
    ok(place(f.make({ owner: 'd', side: 'sell', priceTicks: 21, sizeQuantums: 1 })));
    ok(
      place(f.make({ owner: 'e', side: 'sell', priceTicks: 22, sizeQuantums: 1, goodTilBlock: 5 })),
    );
    expect(book.cancel('e', 'o4').ok).toBe(true);
    expect(book.expire(5).orders).toEqual([]);
    expect(book.expire(6).changes.removed).toEqual(['o1', 'o2']);
    expect(book.expire(7).changes.removed).toEqual(['o0']);
    expect(book.expire(100).orders).toEqual([]);
    expect(book.size).toBe(1);
    const late = place(
      f.make({ owner: 'a', side: 'buy', priceTicks: 10, sizeQuantums: 1, goodTilBlock: 6 }),
      {
        height: 7,
      },
    );
    expect(late.ok === false && late.code).toBe('already-expired');
  });
});

describe('queries', () => {
  it('reports depth, impact prices and open orders', () => {
    const { book, f, place } = setup();
    ok(place(f.make({ owner: 'a', side: 'sell', priceTicks: 101, sizeQuantums: 2 })));
    ok(place(f.make({ owner: 'b', side: 'sell', priceTicks: 101, sizeQuantums: 3 })));
    ok(place(f.make({ owner: 'a', side: 'sell', priceTicks: 104, sizeQuantums: 10 })));
    ok(place(f.make({ owner: 'a', side: 'buy', priceTicks: 99, sizeQuantums: 4 })));
    ok(place(f.make({ owner: 'c', side: 'buy', priceTicks: 98, sizeQuantums: 1 })));
    expect(book.depth(1)).toEqual({
      bids: [{ priceTicks: 99, sizeQuantums: 4n, orders: 1 }],
      asks: [{ priceTicks: 101, sizeQuantums: 5n, orders: 2 }],
    });
    expect(book.depth(5).bids.map((l) => l.priceTicks)).toEqual([99, 98]);
    // 505 at 101, then ceil(95 / 104) = 1 at 104.
    expect(book.impactPrice('buy', 600n)).toEqual({
      worstPriceTicks: 104,
      sizeQuantums: 6n,
      notional: 609n,
      complete: true,
    });
    expect(book.impactPrice('sell', 10_000n)).toEqual({
      worstPriceTicks: 98,
      sizeQuantums: 5n,
      notional: 494n,
      complete: false,
    });
    expect(book.openOrders('a').map((o) => o.id)).toEqual(['o0', 'o2', 'o3']);
  });
});

describe('serialization', () => {
  it('round-trips through canonical values, keeping priority', () => {
    const { book, f, place } = setup();
    ok(
      place(
        f.make({ owner: 'a', side: 'sell', priceTicks: 101, sizeQuantums: 2, subaccount: 's1' }),
      ),
    );
    ok(
      place(
        f.make({ owner: 'b', side: 'sell', priceTicks: 101, sizeQuantums: 3, goodTilBlock: 9 }),
      ),
    );
    ok(
      place(
        f.make({
          owner: 'c',
          side: 'buy',
          priceTicks: 99,
          sizeQuantums: 4,
          timeInForce: 'post-only',
        }),
      ),
    );
    ok(place(f.make({ owner: 'd', side: 'buy', priceTicks: 101, sizeQuantums: 1 })));
    const value = book.toValue();
    const copy = OrderBook.fromValue(TEST_LIMITS, value);
    expect(encode(copy.toValue())).toEqual(encode(value));
    expect(copy.lastSeq).toBe(3);
    expect(copy.expire(10).changes.removed).toEqual(['o1']);
    const r = ok(
      copy.place(f.make({ owner: 'e', side: 'buy', priceTicks: 101, sizeQuantums: 9 }), H),
    );
    // o3 took 1 of o0 on placement; o1 expired: only o0's last quantum is left.
    expect(r.fills.map((x) => [x.maker, x.sizeQuantums])).toEqual([['o0', 1]]);
  });

  it('refuses a crossing or malformed stored book', () => {
    const f = new OrderFactory();
    const bid = f.make({ owner: 'a', side: 'buy', priceTicks: 101, sizeQuantums: 1 });
    const ask = f.make({ owner: 'b', side: 'sell', priceTicks: 100, sizeQuantums: 1 });
    expect(() => OrderBook.fromOrders(TEST_LIMITS, [bid, ask], 1)).toThrow(/crosses/);
    expect(() => OrderBook.fromOrders(TEST_LIMITS, [ask], 0)).toThrow(/lastSeq/);
    expect(() =>
      OrderBook.fromValue(TEST_LIMITS, { lastSeq: 0, bids: [{ id: 'x' }], asks: [] }),
    ).toThrow();
  });
});
