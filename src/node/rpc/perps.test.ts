import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alice, bob, carol, PerpsChain, USD } from '../../core/modules/perps/testing.ts';
import type { Msg } from '../../core/tx/tx.ts';
import { Metrics } from '../metrics.ts';
import { type RpcServer, startRpcServer } from './server.ts';
import { type AnyJson, MemoryNode, WsClient } from './testing.ts';

/**
 * The perps feeds of the RPC server (docs/rpc.md): `book` and `fills` subscriptions and the
 * `perps_fills` / `perps_funding` methods, through a real server on an ephemeral port and the
 * perps module executing real orders (prices fixed: BTC-USD at 50,000 USD).
 */

const BTC = 'BTC-USD';
const deposit = (amount: bigint): Msg => ({
  type: 'perps/deposit',
  value: { market: BTC, amount },
});
const place = (clientId: number, side: 'buy' | 'sell', size: number, tif = 'gtc'): Msg => ({
  type: 'perps/place-orders',
  value: {
    orders: [
      {
        place: {
          market: BTC,
          clientId,
          side,
          priceTicks: 50_000,
          sizeQuantums: size,
          timeInForce: tif,
        },
      },
    ],
  },
});

let node: MemoryNode<PerpsChain>;
let server: RpcServer;

async function rpc(method: string, params?: unknown): Promise<AnyJson> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return res.json();
}

/** Puts txs in the mempool and commits them as the next block; every tx must succeed. */
async function block(...txs: Uint8Array[]): Promise<number> {
  for (const tx of txs) {
    const r = await rpc('broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') });
    expect(r.result.code, r.result.log).toBe(0);
  }
  const e = node.commitBlock();
  for (const r of e.results.txResults) expect(r.code, r.log).toBe(0);
  return e.block.header.height;
}

beforeAll(async () => {
  // Funding settles every 4 blocks, so that perps_funding has settlements to find.
  node = new MemoryNode(new PerpsChain({ markets: [{ fundingIntervalBlocks: 4 }] }));
  node.commitBlock();
  server = await startRpcServer({
    api: node,
    host: '127.0.0.1',
    port: 0,
    metrics: new Metrics({ defaultMetrics: false }),
  });
  const c = node.chain;
  await block(c.tx(alice, [deposit(10_000n * USD)]), c.tx(bob, [deposit(10_000n * USD)]));
});

afterAll(async () => {
  await server?.close();
});

describe('book and fills subscriptions', () => {
  it('sends the book after each block that changed it, and the fills by market and account', async () => {
    const ws = await WsClient.open(server.wsUrl);
    try {
      const sub = async (params: unknown) => {
        const r = await ws.call('subscribe', params);
        expect(r.error).toBeUndefined();
        return r.result.subscription as string;
      };
      const book = await sub({ event: 'book', market: BTC, levels: 1 });
      const fills = await sub({ event: 'fills', market: BTC });
      const bobs = await sub({ event: 'fills', account: bob.address });
      const carols = await sub({ event: 'fills', account: carol.address });
      const eth = await sub({ event: 'fills', market: 'ETH-USD' });

      // A block that leaves the book alone sends no snapshot.
      node.commitBlock();
      const c = node.chain;
      // alice rests two bids: 100 quantums at 50,000 and 10 at 49,999 (beyond levels: 1).
      const second: Msg = {
        type: 'perps/place-orders',
        value: {
          orders: [
            {
              place: {
                market: BTC,
                clientId: 2,
                side: 'buy',
                priceTicks: 49_999,
                sizeQuantums: 10,
              },
            },
          ],
        },
      };
      const h1 = await block(c.tx(alice, [place(1, 'buy', 100), second]));
      const first = await ws.take((m) => m.params?.subscription === book);
      expect(first.params.result).toEqual({
        height: h1,
        market: BTC,
        bids: [{ priceTicks: 50_000, sizeQuantums: '100', orders: 1 }],
        asks: [],
      });

      // bob sells 40 into alice's bid: one fill, the level shrinks to 60.
      const h2 = await block(c.tx(bob, [place(7, 'sell', 40, 'ioc')]));
      const after = await ws.take((m) => m.params?.subscription === book);
      expect(after.params.result).toEqual({
        height: h2,
        market: BTC,
        bids: [{ priceTicks: 50_000, sizeQuantums: '60', orders: 1 }],
        asks: [],
      });
      const fill = await ws.take((m) => m.params?.subscription === fills);
      expect(fill.params.result).toEqual({
        height: h2,
        fills: [
          {
            height: h2,
            txHash: expect.stringMatching(/^[0-9A-F]{64}$/),
            market: BTC,
            maker: alice.address,
            taker: bob.address,
            makerOrder: expect.any(String),
            takerOrder: expect.any(String),
            takerSide: 'sell',
            priceTicks: 50_000,
            sizeQuantums: 40,
            // 40 quantums · 0.0001 BTC · 50,000 USD = 200 USD; taker 0.05 %, maker 0.02 %.
            takerFee: String((200n * USD * 5n) / 10_000n),
            makerFee: String((200n * USD * 2n) / 10_000n),
          },
        ],
      });
      const byAccount = await ws.take((m) => m.params?.subscription === bobs);
      expect(byAccount.params.result).toEqual(fill.params.result);

      // Only now: every notification of h2 has been sent (the book's comes last).
      await ws.call('health');
      expect(ws.notifications(carols)).toEqual([]);
      expect(ws.notifications(eth)).toEqual([]);
      expect(ws.notifications(fills)).toEqual([]);

      // A cancel changes the book too: alice's best level is gone, 49,999 shows.
      const h3 = await block(
        c.tx(alice, [
          {
            type: 'perps/place-orders',
            value: { orders: [{ cancel: { market: BTC, clientId: 1 } }] },
          },
        ]),
      );
      const cancelled = await ws.take((m) => m.params?.subscription === book);
      expect(cancelled.params.result).toMatchObject({
        height: h3,
        bids: [{ priceTicks: 49_999, sizeQuantums: '10', orders: 1 }],
      });
    } finally {
      await ws.close();
    }
  });

  it('refuses unknown markets (-32000, UnknownMarket), bad accounts and levels (-32602)', async () => {
    const ws = await WsClient.open(server.wsUrl);
    try {
      const unknown = await ws.call('subscribe', { event: 'book', market: 'DOGE-USD' });
      expect(unknown.error.code).toBe(-32000);
      expect(unknown.error.message).toContain('unknown market DOGE-USD');
      expect(unknown.error.data).toMatchObject({ code: 800 });
      const fillsUnknown = await ws.call('subscribe', { event: 'fills', market: 'DOGE-USD' });
      expect(fillsUnknown.error.code).toBe(-32000);
      const badAccount = await ws.call('subscribe', { event: 'fills', account: 'bwk1nope' });
      expect(badAccount.error.code).toBe(-32602);
      expect(badAccount.error.message).toContain('account');
      const noMarket = await ws.call('subscribe', { event: 'book' });
      expect(noMarket.error.code).toBe(-32602);
      const deep = await ws.call('subscribe', { event: 'book', market: BTC, levels: 101 });
      expect(deep.error.code).toBe(-32602);
      expect(deep.error.message).toContain('levels');
      expect((await rpc('subscribe', { event: 'fills' })).error.code).toBe(-32601);
    } finally {
      await ws.close();
    }
  });
});

describe('perps_fills and perps_funding', () => {
  it('lists the fills of recent blocks, filtered, and pages by height', async () => {
    const all = (await rpc('perps_fills', { market: BTC })).result;
    expect(all.toHeight).toBe(node.app.height);
    expect(all.fromHeight).toBe(1);
    expect(all.fills).toHaveLength(1);
    expect(all.fills[0]).toMatchObject({
      maker: alice.address,
      taker: bob.address,
      sizeQuantums: 40,
    });

    // bob rests two bids of 5 at 50,000; carol sells 10 into both: two fills in one block.
    const c = node.chain;
    await block(c.tx(carol, [deposit(1_000n * USD)]));
    const h = await block(c.tx(bob, [place(8, 'buy', 5), place(9, 'buy', 5)]));
    await block(c.tx(carol, [place(3, 'sell', 10, 'ioc')]));

    const carols = (await rpc('perps_fills', { account: carol.address })).result;
    expect(carols.fills.map((f: AnyJson) => f.taker)).toEqual([carol.address, carol.address]);
    // Two fills in one block are never split by the limit: the whole block comes.
    const newest = (await rpc('perps_fills', { limit: 1 })).result;
    expect(newest.fills).toHaveLength(2);
    expect(newest.fromHeight).toBe(node.app.height);
    // The next page ends below it and reaches the first fill.
    const older = (await rpc('perps_fills', { toHeight: newest.fromHeight - 1 })).result;
    expect(older.fills).toHaveLength(1);
    expect(older.toHeight).toBe(newest.fromHeight - 1);
    const window = (await rpc('perps_fills', { fromHeight: h, toHeight: h })).result;
    expect(window.fills).toEqual([]);

    expect((await rpc('perps_fills', { toHeight: node.app.height + 1 })).error.code).toBe(-32002);
    expect((await rpc('perps_fills', { fromHeight: 5, toHeight: 4 })).error.code).toBe(-32602);
    expect((await rpc('perps_fills', { market: 'DOGE-USD' })).error.code).toBe(-32000);
    expect((await rpc('perps_fills', { limit: 0 })).error.code).toBe(-32602);
  });

  it("reads a market's funding settlements at its interval's heights", async () => {
    while (node.app.height % 4 !== 1) node.commitBlock();
    const latest = node.app.height;
    const r = (await rpc('perps_funding', { market: BTC, limit: 2 })).result;
    expect(r).toMatchObject({
      market: BTC,
      height: latest,
      fundingIntervalBlocks: 4,
      nextSettlementHeight: latest + 3,
    });
    expect(r.settlements.map((s: AnyJson) => s.height)).toEqual([latest - 1, latest - 5]);
    expect(r.settlements[0]).toMatchObject({ price: '50000', samples: 4 });
    expect(typeof r.settlements[0].rate).toBe('string');
    expect((await rpc('perps_funding', { market: 'DOGE-USD' })).error.code).toBe(-32000);
    expect((await rpc('perps_funding', {})).error.code).toBe(-32602);
  });
});
