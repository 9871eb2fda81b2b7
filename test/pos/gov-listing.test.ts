import { afterEach, describe, expect, it } from 'vitest';
import { fromDecimalString } from '../../src/core/math/index.ts';
import type { Msg } from '../../src/core/tx/tx.ts';
import { posNode } from './helpers.ts';

let cleanup: () => Promise<void> = async () => {};
afterEach(() => cleanup());

const E18 = 10n ** 18n;
const USD = 1_000_000n;
const DEPOSIT = { denom: 'ubwk', amount: 10_000_000n };
const MARKET = 'BTC-USD-2';
const SERIES = 'ETH-3000-C-GOV';
const SERIES_VAULT = 'ETH-OPT-GOV';
/** 0.01 BTC in BTC-USD quantums (0.0001 BTC each). */
const SIZE_QUANTUMS = 100;

const submitExecute = (msgs: unknown[]): Msg => ({
  type: 'gov/submit-proposal',
  value: {
    content: {
      type: 'execute',
      title: 'List BTC-USD-2 and an ETH call',
      description: 'A second BTC perpetual on its own vault, and an ETH-USD binary call.',
      msgs,
    },
    initialDeposit: DEPOSIT,
  } as never,
});
const vote = (proposalId: number, option: string): Msg => ({
  type: 'gov/vote',
  value: { proposalId, option },
});
const order = (side: 'buy' | 'sell', priceTicks: number, tif: 'gtc' | 'ioc'): Msg => ({
  type: 'perps/place-orders',
  value: {
    orders: [
      {
        place: {
          market: MARKET,
          clientId: 1,
          side,
          priceTicks,
          sizeQuantums: SIZE_QUANTUMS,
          type: 'limit',
          timeInForce: tif,
          reduceOnly: false,
        },
      },
    ],
  },
});

interface Proposal {
  id: number;
  status: string;
  failReason: string | null;
}

describe('governance lists markets, through the node', () => {
  it('an execute proposal lists a perps market on a new vault and an options series; both trade', async () => {
    let btcSpec: Record<string, unknown> = {};
    let genesisMs = 0;
    const chain = await posNode({
      genesis: (g) => {
        genesisMs = Date.parse((g as unknown as { genesisTime: string }).genesisTime);
        const perps = g.app.perps as { markets: Record<string, unknown>[] };
        btcSpec = { ...perps.markets.find((m) => m.id === 'BTC-USD')! };
      },
    });
    cleanup = chain.cleanup;
    const { node, key, tx, q, resync } = chain;
    const alice = await key('alice');
    const bob = await key('bob');
    const vals = await Promise.all(['val0', 'val1', 'val2', 'val3'].map((n) => key(n)));
    const price = async (market: string) => {
      const p = await q<{ price: string | null }>('oracle/price', { market });
      return p.price === null ? undefined : fromDecimalString(p.price);
    };
    while ((await price('BTC-USD')) === undefined || (await price('ETH-USD')) === undefined)
      await node.produceBlock();

    const listMarket = {
      type: 'perps/list-market',
      value: { market: { ...btcSpec, id: MARKET, vault: MARKET } },
    };
    const listSeries = {
      type: 'options/list-series',
      value: {
        series: {
          id: SERIES,
          underlying: 'ETH-USD',
          strike: '3000',
          expiryMs: genesisMs + 3_600_000,
          kind: 'call',
          vault: SERIES_VAULT,
        },
      },
    };

    // A proposal whose msg does not parse is refused at submission, naming the msg.
    const broken = await node.broadcastTxSync(
      tx(alice, [
        submitExecute([listSeries, { type: 'perps/list-market', value: { market: {} } }]),
      ]),
    );
    expect(broken.code).not.toBe(0);
    expect(broken.log).toContain('msg 1 (perps/list-market)');
    await resync(alice);
    // So is a msg governance may not execute.
    const transfer = { type: 'bank/send', value: { to: bob.address, amount: DEPOSIT } };
    const refused = await node.broadcastTxSync(tx(alice, [submitExecute([transfer])]));
    expect(refused.code).not.toBe(0);
    expect(refused.log).toContain('not executable by governance');
    await resync(alice);
    // Nobody but the gov account may send the listing msgs themselves.
    const direct = await node.broadcastTxSync(tx(alice, [listMarket as Msg]));
    expect(direct.code).not.toBe(0);
    await resync(alice);

    // Submit, vote, wait out the voting period and the timelock.
    const sub = await node.produceBlock([tx(alice, [submitExecute([listMarket, listSeries])])]);
    expect(sub.results.txResults.map((r) => [r.code, r.log]).at(-1)).toEqual([0, '']);
    await node.produceBlock(vals.map((v) => tx(v, [vote(1, 'yes')])));
    expect((await q<{ id: string }[]>('perps/markets')).map((m) => m.id)).not.toContain(MARKET);
    let p = await q<Proposal>('gov/proposal', { id: 1 });
    while (p.status !== 'executed' && p.status !== 'failed' && node.app.height < 400) {
      await node.produceBlock();
      p = await q<Proposal>('gov/proposal', { id: 1 });
    }
    expect([p.status, p.failReason]).toEqual(['executed', null]);

    // Both listed, each on a new, empty vault of its own.
    const markets = await q<{ id: string; vault: string; oracleMarket: string }[]>('perps/markets');
    expect(markets.find((m) => m.id === MARKET)).toMatchObject({
      vault: MARKET,
      oracleMarket: 'BTC-USD',
    });
    const series = await q<{ id: string; state: string }[]>('options/series');
    expect(series.find((s) => s.id === SERIES)?.state).toBe('trading');
    for (const vault of [MARKET, SERIES_VAULT]) {
      expect((await q<{ equity: bigint }>('vaults/info', { vault })).equity).toBe(0n);
    }

    // Liquidity providers fund the vaults; then the market trades and the series quotes.
    const fund = (vault: string): Msg => ({
      type: 'vaults/deposit',
      value: { vault, amount: 100_000n * USD },
    });
    const funded = await node.produceBlock([tx(alice, [fund(MARKET), fund(SERIES_VAULT)])]);
    expect(funded.results.txResults.map((r) => r.log).at(-1)).toBe('');
    const p0 = Number((await price('BTC-USD'))! / E18);
    const collateral = (amount: bigint): Msg => ({
      type: 'perps/deposit',
      value: { market: MARKET, amount },
    });
    const maker = await node.produceBlock([
      tx(alice, [collateral(10_000n * USD), order('sell', p0, 'gtc')]),
      tx(bob, [collateral(10_000n * USD)]),
    ]);
    expect(maker.results.txResults.map((r) => r.log).slice(-2)).toEqual(['', '']);
    const taker = await node.produceBlock([tx(bob, [order('buy', p0, 'ioc')])]);
    expect(taker.results.txResults.map((r) => r.log).at(-1)).toBe('');
    const size = async (owner: string) =>
      (await q<{ size: bigint }>('perps/subaccount', { owner, market: MARKET })).size;
    expect(await size(bob.address)).toBe(E18 / 100n);
    expect(await size(alice.address)).toBe(-E18 / 100n);

    const quote = await q<{ fair: string; buy: { price: string; refused: unknown } }>(
      'options/quote',
      { series: SERIES, qty: '1000000' },
    );
    expect(quote.buy.refused).toBeNull();
    expect(fromDecimalString(quote.buy.price) >= fromDecimalString(quote.fair)).toBe(true);
    expect(node.app.brokenInvariants()).toEqual([]);
  });
});

describe('governance listings refused at execution, through the node', () => {
  it('a listing that breaks a rule fails its proposal with the reason and changes nothing', async () => {
    let btcSpec: Record<string, unknown> = {};
    const chain = await posNode({
      genesis: (g) => {
        const perps = g.app.perps as { markets: Record<string, unknown>[] };
        btcSpec = { ...perps.markets.find((m) => m.id === 'BTC-USD')! };
      },
    });
    cleanup = chain.cleanup;
    const { node, key, tx, q } = chain;
    const alice = await key('alice');
    const vals = await Promise.all(['val0', 'val1', 'val2', 'val3'].map((n) => key(n)));
    while (
      (await q<{ price: string | null }>('oracle/price', { market: 'BTC-USD' })).price === null
    )
      await node.produceBlock();
    const list = (spec: Record<string, unknown>) => ({
      type: 'perps/list-market',
      value: { market: { ...btcSpec, ...spec } },
    });
    // Each parses (so each is accepted at submission) and each breaks a listing rule.
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 'BTC-USD', vault: 'BTC-USD-NEW' }, 'already listed'],
      [
        { id: 'DOGE-USD', vault: 'DOGE-USD', oracleMarket: 'DOGE-USD' },
        'no price for market DOGE-USD',
      ],
      [{ id: 'BTC-USD-3', vault: 'ETH-USD' }, 'vault ETH-USD already exists'],
    ];
    // The second msg of each would list a fine market: it must not survive the failure.
    const subs = await node.produceBlock(
      cases.map(([spec]) =>
        tx(alice, [submitExecute([list({ id: 'BTC-USD-OK', vault: 'BTC-USD-OK' }), list(spec)])]),
      ),
    );
    expect(subs.results.txResults.slice(-cases.length).map((r) => r.log)).toEqual(
      cases.map(() => ''),
    );
    await node.produceBlock(
      vals.flatMap((v) => [
        tx(
          v,
          cases.map((_, i) => vote(i + 1, 'yes')),
        ),
      ]),
    );
    const marketsBefore = await q<unknown[]>('perps/markets');
    const vaultsBefore = await q<unknown[]>('vaults/list');
    const proposals = () =>
      Promise.all(cases.map((_, i) => q<Proposal>('gov/proposal', { id: i + 1 })));
    let ps = await proposals();
    while (
      ps.some((p) => p.status !== 'failed' && p.status !== 'executed') &&
      node.app.height < 400
    ) {
      await node.produceBlock();
      ps = await proposals();
    }
    for (const [i, [, reason]] of cases.entries()) {
      expect(ps[i]?.status).toBe('failed');
      expect(ps[i]?.failReason).toContain('msg 1 (perps/list-market)');
      expect(ps[i]?.failReason).toContain(reason);
    }
    expect((await q<{ id: string }[]>('perps/markets')).map((m) => m.id)).toEqual(
      (marketsBefore as { id: string }[]).map((m) => m.id),
    );
    expect((await q<{ id: string }[]>('vaults/list')).map((v) => v.id)).toEqual(
      (vaultsBefore as { id: string }[]).map((v) => v.id),
    );
    expect(node.app.brokenInvariants()).toEqual([]);
  });
});
