import { describe, expect, it } from 'vitest';
import type { Value } from '../../encoding/canonical.ts';
import { PerpsError } from './errors.ts';
import {
  alice,
  bob,
  cancel,
  cancelAll,
  carol,
  dave,
  depositMsg,
  E18,
  orders,
  PerpsChain,
  place,
  USD,
  withdrawMsg,
} from './testing.ts';

const BTC = 'BTC-USD';
const ETH = 'ETH-USD';
/** 1 BTC in quantums (quantum = 0.0001 BTC). */
const ONE_BTC = 10_000;

function funded(opts: ConstructorParameters<typeof PerpsChain>[0] = {}): PerpsChain {
  const c = new PerpsChain(opts);
  c.block([
    c.tx(alice, [depositMsg(BTC, 10_000n * USD)]),
    c.tx(bob, [depositMsg(BTC, 10_000n * USD)]),
  ]);
  return c;
}

describe('perps: place, match, cancel', () => {
  it('matches a taker against a resting maker: positions, PnL, fees to vault and fee pool', () => {
    const c = funded();
    const vaultBefore = c.vaults.cash(c.store, BTC);
    c.ok(
      alice,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: ONE_BTC })),
    );
    expect(c.query('perps/orders', { owner: alice.address })).toHaveLength(1);
    const ev = c.ok(
      bob,
      orders(
        place({
          clientId: 7,
          side: 'buy',
          priceTicks: 50_100,
          sizeQuantums: ONE_BTC,
          timeInForce: 'ioc',
        }),
      ),
    );
    expect(c.size(BTC, alice)).toBe(-E18);
    expect(c.size(BTC, bob)).toBe(E18);
    // 1 BTC × 50 000 USD: taker 0.05 % = 25 USD, maker 0.02 % = 10 USD.
    expect(c.collateral(BTC, bob)).toBe(10_000n * USD - 25n * USD);
    expect(c.collateral(BTC, alice)).toBe(10_000n * USD - 10n * USD);
    expect(c.vaults.cash(c.store, BTC) - vaultBefore).toBe(17_500_000n);
    expect(c.bank.feePool(c.store, 'uusd')).toBe(17_500_000n);
    expect(c.pool(BTC)).toBe(20_000n * USD - 35n * USD);
    const fill = ev.find((e) => e.type === 'perps_fill');
    expect(fill?.attributes).toMatchObject({
      priceTicks: '50000',
      sizeQuantums: '10000',
      takerSide: 'buy',
    });
    expect(c.query('perps/orders', { owner: alice.address })).toEqual([]);
    expect(c.keeper.longOi(c.store, BTC)).toBe(E18);

    // Close at a higher price: the long gains 1 000 USD, the short loses it.
    c.prices.prices.set(BTC, 51_000n * E18);
    c.ok(
      alice,
      orders(place({ clientId: 2, side: 'buy', priceTicks: 51_000, sizeQuantums: ONE_BTC })),
    );
    c.ok(
      bob,
      orders(
        place({
          clientId: 8,
          side: 'sell',
          priceTicks: 51_000,
          sizeQuantums: ONE_BTC,
          timeInForce: 'ioc',
          reduceOnly: true,
        }),
      ),
    );
    expect(c.size(BTC, alice)).toBe(0n);
    expect(c.size(BTC, bob)).toBe(0n);
    expect(c.collateral(BTC, bob)).toBe(10_000n * USD - 25n * USD + 1_000n * USD - 25_500_000n);
    expect(c.collateral(BTC, alice)).toBe(10_000n * USD - 10n * USD - 1_000n * USD - 10_200_000n);
    expect(c.keeper.longOi(c.store, BTC)).toBe(0n);
  });

  it('partial fills rest, persist in state and rebuild to the same book', () => {
    const c = funded();
    c.ok(
      alice,
      orders(
        place({ clientId: 1, side: 'sell', priceTicks: 50_010, sizeQuantums: 3_000 }),
        place({ clientId: 2, side: 'sell', priceTicks: 50_020, sizeQuantums: 3_000 }),
      ),
    );
    c.ok(bob, orders(place({ clientId: 1, side: 'buy', priceTicks: 50_010, sizeQuantums: 5_000 })));
    // 3 000 filled at 50 010; 2 000 rest as a bid at 50 010.
    expect(c.size(BTC, bob)).toBe(3_000n * 10n ** 14n);
    const book = c.query('perps/book', { market: BTC }) as { bids: Value[]; asks: Value[] };
    expect(book.bids).toEqual([{ priceTicks: 50_010, sizeQuantums: 2_000n, orders: 1 }]);
    expect(book.asks).toEqual([{ priceTicks: 50_020, sizeQuantums: 3_000n, orders: 1 }]);
    // The book is a function of the state alone.
    const spec = c.keeper.requireMarket(c.store, BTC);
    expect(c.keeper.book(c.store, spec).toValue()).toEqual(c.keeper.book(c.store, spec).toValue());
    expect(c.keeper.book(c.store, spec).lastSeq).toBe(2);
  });

  it('a restart from the committed state reproduces the book and the next block', () => {
    const c = funded();
    c.ok(
      alice,
      orders(
        place({ clientId: 1, side: 'sell', priceTicks: 50_020, sizeQuantums: 3_000 }),
        place({ clientId: 2, side: 'sell', priceTicks: 50_010, sizeQuantums: 3_000 }),
        place({
          clientId: 3,
          side: 'sell',
          priceTicks: 50_010,
          sizeQuantums: 1_000,
          goodTilBlock: 99,
        }),
      ),
    );
    c.ok(carol, depositMsg(BTC, 10_000n * USD));
    c.ok(
      carol,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_010, sizeQuantums: 500 })),
    );
    const r = new PerpsChain({ restartFrom: c });
    const spec = c.keeper.requireMarket(c.store, BTC);
    expect(r.keeper.book(r.store, spec).toValue()).toEqual(c.keeper.book(c.store, spec).toValue());
    const msg = orders(
      place({
        clientId: 9,
        side: 'buy',
        priceTicks: 50_020,
        sizeQuantums: 5_000,
        timeInForce: 'ioc',
      }),
    );
    const e1 = c.ok(bob, msg);
    const e2 = r.ok(bob, msg);
    expect(e2).toEqual(e1);
    expect(r.app.appHash).toEqual(c.app.appHash);
    // Time priority survived: the 50 010 level filled alice (3 000), alice (1 000), carol (500).
    const makers = e1.filter((e) => e.type === 'perps_fill').map((e) => e.attributes.maker);
    expect(makers).toEqual([alice.address, alice.address, carol.address, alice.address]);
  });

  it("cancels by client id, by order id, all; never another owner's order", () => {
    const c = funded();
    c.ok(
      alice,
      orders(
        place({ clientId: 1, side: 'buy', priceTicks: 49_000, sizeQuantums: 100 }),
        place({ clientId: 2, side: 'buy', priceTicks: 49_100, sizeQuantums: 100 }),
        place({ clientId: 3, side: 'buy', priceTicks: 49_200, sizeQuantums: 100 }),
      ),
    );
    const mine = c.query('perps/orders', { owner: alice.address }) as { id: string }[];
    expect(mine).toHaveLength(3);
    const r = c.run(bob, orders(cancel(BTC, { orderId: mine[0]!.id })));
    expect(r.code).toBe(PerpsError.OrderNotFound);
    expect(r.log).toContain('to belong to');
    expect(c.run(bob, orders(cancel(BTC, { clientId: 1 }))).code).toBe(PerpsError.OrderNotFound);
    expect(c.query('perps/orders', { owner: alice.address })).toHaveLength(3);
    c.ok(alice, orders(cancel(BTC, { clientId: 2 })));
    c.ok(alice, orders(cancel(BTC, { orderId: mine[0]!.id })));
    expect(c.query('perps/orders', { owner: alice.address })).toHaveLength(1);
    c.ok(alice, orders(cancelAll(BTC)));
    expect(c.query('perps/orders', { owner: alice.address })).toEqual([]);
  });

  it('a tx of several items is atomic: a refused item undoes the earlier ones', () => {
    const c = funded();
    const r = c.run(
      alice,
      orders(
        place({ clientId: 1, side: 'buy', priceTicks: 49_000, sizeQuantums: 100 }),
        place({ clientId: 2, side: 'buy', priceTicks: 1, sizeQuantums: 100 }),
      ),
    );
    expect(r.code).toBe(PerpsError.PriceOutOfBand);
    expect(c.query('perps/orders', { owner: alice.address })).toEqual([]);
  });

  it('expires good-til-block orders at the end of their last block', () => {
    const c = funded();
    const h = c.height + 2;
    c.ok(
      alice,
      orders(
        place({ clientId: 1, side: 'buy', priceTicks: 49_000, sizeQuantums: 100, goodTilBlock: h }),
      ),
    );
    expect(c.query('perps/orders', { owner: alice.address })).toHaveLength(1);
    c.block(); // height h: still alive during it, removed at its end
    expect(c.height).toBe(h);
    expect(c.query('perps/orders', { owner: alice.address })).toEqual([]);
  });
});

describe('perps: refusals', () => {
  it('refuses an order whose worst case leaves equity below initial margin', () => {
    const c = funded();
    c.ok(carol, depositMsg(BTC, 1_000n * USD));
    // 1 BTC at 50 000 needs 2 500 USD initial margin.
    const r = c.run(
      carol,
      orders(place({ clientId: 1, side: 'buy', priceTicks: 50_000, sizeQuantums: ONE_BTC })),
    );
    expect(r.code).toBe(PerpsError.InsufficientMargin);
    expect(r.log).toContain('initial margin 2500000000 uusd');
    // 0.3 BTC (750 USD) fits; a second 0.3 BTC bid would not (resting orders count).
    c.ok(
      carol,
      orders(place({ clientId: 2, side: 'buy', priceTicks: 50_000, sizeQuantums: 3_000 })),
    );
    expect(
      c.run(
        carol,
        orders(place({ clientId: 3, side: 'buy', priceTicks: 50_000, sizeQuantums: 3_000 })),
      ).code,
    ).toBe(PerpsError.InsufficientMargin);
  });

  it('withdraw: refused above collateral or below initial margin; allowed within', () => {
    const c = funded();
    expect(c.run(carol, withdrawMsg(BTC, 1n)).code).toBe(PerpsError.InsufficientCollateral);
    c.ok(
      alice,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: ONE_BTC })),
    );
    c.ok(
      bob,
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 50_000,
          sizeQuantums: ONE_BTC,
          timeInForce: 'ioc',
        }),
      ),
    );
    // bob: collateral 9 975 USD, IMR 2 500 USD.
    const r = c.run(bob, withdrawMsg(BTC, 8_000n * USD));
    expect(r.code).toBe(PerpsError.InsufficientMargin);
    const before = c.uusd(bob.address);
    c.ok(bob, withdrawMsg(BTC, 7_000n * USD));
    expect(c.uusd(bob.address) - before).toBe(7_000n * USD);
    expect(c.collateral(BTC, bob)).toBe(2_975n * USD);
  });

  it('refuses fills above the vault OI cap, naming the cap and the excess', () => {
    // Vault 1 000 USD, lockedOiRatio 0.1 → cap 10 000 USD = 0.2 BTC at 50 000.
    const c = funded({ vaultSeed: 1_000n * USD });
    c.ok(
      alice,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: ONE_BTC })),
    );
    const r = c.run(
      bob,
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 50_000,
          sizeQuantums: 2_500,
          timeInForce: 'ioc',
        }),
      ),
    );
    expect(r.code).toBe(PerpsError.OiCapExceeded);
    expect(r.log).toBe(
      'open interest cap (vault) of BTC-USD exceeded: expected at most 10000000000 uusd, got 12500000000 uusd (excess 2500000000 uusd)',
    );
    c.ok(
      bob,
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 50_000,
          sizeQuantums: 2_000,
          timeInForce: 'ioc',
        }),
      ),
    );
    expect(c.keeper.openInterest(c.store, c.keeper.requireMarket(c.store, BTC))).toBe(
      10_000n * USD,
    );
    // The vault's capital is locked by the open interest.
    expect(c.vaults.locked(c.store, BTC)).toBe(1_000n * USD);
  });

  it('paused market (gov) and stale oracle: only reduce-only orders; they fill', () => {
    const c = funded();
    c.ok(
      alice,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: ONE_BTC })),
    );
    c.ok(
      bob,
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 50_000,
          sizeQuantums: ONE_BTC,
          timeInForce: 'ioc',
        }),
      ),
    );
    c.ok(
      alice,
      orders(place({ clientId: 2, side: 'buy', priceTicks: 50_000, sizeQuantums: 5_000 })),
    );
    c.pauses.paused.add(BTC);
    expect(
      c.run(carol, orders(place({ clientId: 1, side: 'buy', priceTicks: 50_000, sizeQuantums: 1 })))
        .code,
    ).toBe(PerpsError.MarketPaused);
    c.ok(
      bob,
      orders(
        place({
          clientId: 2,
          side: 'sell',
          priceTicks: 50_000,
          sizeQuantums: 5_000,
          timeInForce: 'ioc',
          reduceOnly: true,
        }),
      ),
    );
    expect(c.size(BTC, bob)).toBe(E18 / 2n);
    c.pauses.paused.delete(BTC);
    c.prices.stale.add(BTC);
    expect(
      c.run(carol, orders(place({ clientId: 1, side: 'buy', priceTicks: 50_000, sizeQuantums: 1 })))
        .code,
    ).toBe(PerpsError.OracleReduceOnly);
    // Reduce-only with nothing to reduce: refused by the book.
    const r = c.run(
      carol,
      orders(
        place({
          clientId: 1,
          side: 'sell',
          priceTicks: 50_000,
          sizeQuantums: 1,
          timeInForce: 'ioc',
          reduceOnly: true,
        }),
      ),
    );
    expect(r.code).toBe(PerpsError.BookRefused);
    expect(r.log).toContain('reduce-only-nothing-to-reduce');
  });

  it('bad inputs: zero/negative size, price out of band, unknown market, too many orders', () => {
    const c = funded({ markets: [{ maxOpenOrdersPerOwner: 2 }] });
    for (const sizeQuantums of [0, -5]) {
      expect(
        c.run(alice, orders(place({ clientId: 1, side: 'buy', priceTicks: 50_000, sizeQuantums })))
          .code,
      ).toBe(13);
    }
    const band = c.run(
      alice,
      orders(place({ clientId: 1, side: 'buy', priceTicks: 56_000, sizeQuantums: 1 })),
    );
    expect(band.code).toBe(PerpsError.PriceOutOfBand);
    expect(band.log).toContain(
      '±0.1 of the oracle price 50000 USD, i.e. [45000, 55000], got 56000',
    );
    const unknown = c.run(
      alice,
      orders(
        place({ market: 'DOGE-USD', clientId: 1, side: 'buy', priceTicks: 1, sizeQuantums: 1 }),
      ),
    );
    expect(unknown.code).toBe(PerpsError.UnknownMarket);
    expect(unknown.log).toContain('BTC-USD, ETH-USD');
    expect(c.run(alice, depositMsg('DOGE-USD', 1n)).code).toBe(PerpsError.UnknownMarket);
    c.ok(
      alice,
      orders(
        place({ clientId: 1, side: 'buy', priceTicks: 49_000, sizeQuantums: 1 }),
        place({ clientId: 2, side: 'buy', priceTicks: 49_000, sizeQuantums: 1 }),
      ),
    );
    const many = c.run(
      alice,
      orders(place({ clientId: 3, side: 'buy', priceTicks: 49_000, sizeQuantums: 1 })),
    );
    expect(many.code).toBe(PerpsError.BookRefused);
    expect(many.log).toContain('too-many-open-orders');
    const dup = c.run(
      alice,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 51_000, sizeQuantums: 1 })),
    );
    expect(dup.log).toContain('duplicate-client-id');
    const items = Array.from({ length: 33 }, () => cancelAll(BTC));
    expect(c.run(alice, orders(...items)).code).toBe(PerpsError.TooManyOrders);
  });
});

describe('perps: isolation and conservation', () => {
  it("one market's activity leaves the other market's pool, vault and records untouched", () => {
    // Two chains from the same start: one trades BTC-USD, the control only makes blocks.
    const setup = () => {
      const c = funded();
      c.ok(carol, depositMsg(ETH, 5_000n * USD));
      c.ok(
        carol,
        orders(
          place({
            market: ETH,
            clientId: 1,
            side: 'buy',
            priceTicks: 299_000,
            sizeQuantums: 1_000,
          }),
        ),
      );
      return c;
    };
    const c = setup();
    const control = setup();
    const snap = (x: PerpsChain) => ({
      pool: x.pool(ETH),
      vault: x.vaults.cash(x.store, ETH),
      vaultRecord: x.vaults.vault(x.store, ETH),
      records: [...x.store.iterate('perps/')].filter(([k]) => k.includes(ETH)),
    });
    const btcPoolBefore = c.pool(BTC);
    c.ok(
      alice,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: ONE_BTC })),
    );
    c.ok(
      bob,
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 50_000,
          sizeQuantums: ONE_BTC,
          timeInForce: 'ioc',
        }),
      ),
    );
    c.prices.prices.set(BTC, 45_500n * E18);
    c.ok(
      bob,
      orders(place({ clientId: 2, side: 'sell', priceTicks: 45_500, sizeQuantums: ONE_BTC })),
    );
    c.ok(
      alice,
      orders(
        place({
          clientId: 2,
          side: 'buy',
          priceTicks: 45_500,
          sizeQuantums: ONE_BTC,
          timeInForce: 'ioc',
        }),
      ),
    );
    for (let i = 0; i < 4; i++) control.block();
    expect(c.pool(BTC)).not.toBe(btcPoolBefore);
    expect(snap(c)).toEqual(snap(control));
  });

  it('a random stream keeps uusd conserved and the invariants after every block', () => {
    const c = funded();
    c.block([
      c.tx(carol, [depositMsg(BTC, 50_000n * USD)]),
      c.tx(dave, [depositMsg(BTC, 50_000n * USD)]),
    ]);
    const traders = [alice, bob, carol, dave];
    let x = 12345;
    const rnd = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 16) % n;
    };
    const total = () =>
      [...traders.map((t) => t.address), c.keeper.poolOf(BTC), c.vaults.accountOf(BTC)].reduce(
        (s, a) => s + c.uusd(a),
        0n,
      ) + c.bank.feePool(c.store, 'uusd');
    const start = total();
    let fills = 0;
    for (let b = 0; b < 40; b++) {
      const mark = 50_000 + rnd(2_000) - 1_000;
      c.prices.prices.set(BTC, BigInt(mark) * E18);
      const txs = [];
      for (let i = 0; i < 3; i++) {
        const t = traders[rnd(4)]!;
        const side = rnd(2) === 0 ? 'buy' : 'sell';
        const items = [
          place({
            clientId: b * 10 + i,
            side,
            priceTicks: mark + rnd(200) - 100,
            sizeQuantums: 1 + rnd(3_000),
            timeInForce: rnd(3) === 0 ? 'ioc' : 'gtc',
          }),
        ];
        if (rnd(5) === 0) items.unshift(cancelAll(BTC));
        txs.push(c.tx(t, [orders(...items)]));
      }
      const res = c.block(txs);
      for (const r of res.txResults)
        fills += r.events.filter((e) => e.type === 'perps_fill').length;
      expect(total()).toBe(start);
    }
    expect(fills).toBeGreaterThan(10);
    expect(c.app.brokenInvariants()).toEqual([]);
  });
});

describe('perps: funding', () => {
  it('samples the premium every block and settles longs to shorts, netting to zero', () => {
    const c = funded({ markets: [{ fundingIntervalBlocks: 5 }] });
    c.ok(
      alice,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: ONE_BTC })),
    );
    c.ok(
      bob,
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 50_000,
          sizeQuantums: ONE_BTC,
          timeInForce: 'ioc',
        }),
      ),
    );
    c.ok(carol, depositMsg(BTC, 10_000n * USD));
    // Impact bid 50 500 > index 50 000: premium +1 % per sample, longs pay.
    c.ok(
      carol,
      orders(
        place({ clientId: 1, side: 'buy', priceTicks: 50_500, sizeQuantums: ONE_BTC }),
        place({ clientId: 2, side: 'sell', priceTicks: 50_600, sizeQuantums: ONE_BTC }),
      ),
    );
    while (c.height % 5 !== 0) c.block();
    const a0 = c.collateral(BTC, alice);
    const b0 = c.collateral(BTC, bob);
    const k0 = c.collateral(BTC, carol);
    let funding: Record<string, string> | undefined;
    for (let i = 0; i < 5; i++) {
      const res = c.block();
      const e = res.events.find((x) => x.type === 'perps_funding' && x.attributes.market === BTC);
      if (e !== undefined) funding = e.attributes;
    }
    expect(funding).toMatchObject({ rate: '0.01', samples: '5', paid: String(500n * USD) });
    // 1 BTC × 50 000 USD × 1 % = 500 USD from the long to the short.
    expect(c.collateral(BTC, bob)).toBe(b0 - 500n * USD);
    expect(c.collateral(BTC, alice)).toBe(a0 + 500n * USD);
    expect(c.collateral(BTC, carol)).toBe(k0);
    expect(c.keeper.fundingSamples(c.store, BTC)).toEqual({ sum: 0n, count: 0 });
  });

  it('no premium when the index is inside the impact spread; rate capped', () => {
    const c = funded({ markets: [{ fundingIntervalBlocks: 2 }] });
    const spec = c.keeper.requireMarket(c.store, BTC);
    const book = c.keeper.book(c.store, spec);
    expect(c.keeper.impactPrices(spec, book)).toEqual({});
    c.ok(carol, depositMsg(BTC, 10_000n * USD));
    c.ok(
      carol,
      orders(
        place({ clientId: 1, side: 'buy', priceTicks: 49_900, sizeQuantums: ONE_BTC }),
        place({ clientId: 2, side: 'sell', priceTicks: 50_100, sizeQuantums: ONE_BTC }),
      ),
    );
    expect(c.keeper.impactPrices(spec, c.keeper.book(c.store, spec))).toEqual({
      bid: 49_900n * E18,
      ask: 50_100n * E18,
    });
  });
});

describe('perps: stress', () => {
  it('a random walk with liquidations, funding and deleveraging keeps every invariant', () => {
    const c = new PerpsChain({ markets: [{ fundingIntervalBlocks: 4 }] });
    const traders = [alice, bob, carol, dave];
    c.block(traders.map((t, i) => c.tx(t, [depositMsg(BTC, BigInt(2_000 + 3_000 * i) * USD)])));
    let x = 777;
    const rnd = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 16) % n;
    };
    const total = () =>
      [...traders.map((t) => t.address), c.keeper.poolOf(BTC), c.vaults.accountOf(BTC)].reduce(
        (sum, a) => sum + c.uusd(a),
        0n,
      ) + c.bank.feePool(c.store, 'uusd');
    const start = total();
    let mark = 50_000;
    const seen = new Set<string>();
    for (let b = 0; b < 60; b++) {
      mark += rnd(2_001) - 1_000;
      c.prices.prices.set(BTC, BigInt(mark) * E18);
      const txs = [];
      for (let i = 0; i < 3; i++) {
        const t = traders[rnd(4)]!;
        txs.push(
          c.tx(t, [
            orders(
              cancelAll(BTC),
              place({
                clientId: b * 10 + i,
                side: rnd(2) === 0 ? 'buy' : 'sell',
                priceTicks: mark + rnd(100) - 50,
                sizeQuantums: 1 + rnd(6_000),
                timeInForce: rnd(3) === 0 ? 'ioc' : 'gtc',
              }),
            ),
          ]),
        );
      }
      const res = c.block(txs);
      for (const e of res.events) seen.add(e.type);
      for (const r of res.txResults) for (const e of r.events) seen.add(e.type);
      expect(total()).toBe(start);
    }
    expect(seen).toContain('perps_fill');
    expect(seen).toContain('perps_funding');
    expect(seen).toContain('perps_liquidation');
    expect(c.app.brokenInvariants()).toEqual([]);
  });
});

describe('perps: queries and genesis', () => {
  it('subaccount, positions, markets, export', () => {
    const c = funded();
    c.ok(
      alice,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: ONE_BTC })),
    );
    c.ok(
      bob,
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 50_000,
          sizeQuantums: ONE_BTC,
          timeInForce: 'ioc',
        }),
      ),
    );
    c.prices.prices.set(BTC, 51_000n * E18);
    const sub = c.query('perps/subaccount', { owner: bob.address, market: BTC });
    expect(sub).toMatchObject({
      collateral: 9_975n * USD,
      size: E18,
      equity: 10_975n * USD,
      initialMargin: 2_550n * USD,
      maintenanceMargin: 1_530n * USD,
      freeCollateral: 8_425n * USD,
    });
    expect(c.query('perps/positions', { owner: alice.address })).toEqual([
      {
        market: BTC,
        size: -E18,
        entryPrice: 50_000n * E18,
        mark: 51_000n * E18,
        unrealizedPnl: -1_000n * USD,
      },
    ]);
    const markets = c.query('perps/markets') as { id: string; longOi: bigint }[];
    expect(markets.map((m) => m.id)).toEqual([BTC, ETH]);
    expect(markets[0]!.longOi).toBe(E18);
    const g = c.app.module('perps')?.exportGenesis(c.store) as {
      markets: { id: string; tickSize: string }[];
    };
    expect(g.markets[0]).toMatchObject({ id: BTC, tickSize: String(E18) });
  });
});
