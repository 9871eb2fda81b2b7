import { afterEach, describe, expect, it } from 'vitest';
import { moduleAddress } from '../../src/core/crypto/address.ts';
import { fromDecimalString } from '../../src/core/math/index.ts';
import type { Msg } from '../../src/core/tx/tx.ts';
import { posNode } from '../pos/helpers.ts';

let cleanup: () => Promise<void> = async () => {};
afterEach(() => cleanup());

const VAULT = 'ETH-OPT';
/** What the devnet seeds every vault with (100 000 USD). */
const SEED = 100_000_000_000n;
const EXPIRY_AFTER_MS = 60_000;

interface SeriesView {
  id: string;
  state: string;
  open: bigint;
  premiums: bigint;
  payouts: bigint;
  vaultPnl: bigint;
  settlementPrice: string | null;
}

/** Calls and puts around the synthetic ETH-USD start (3 000), expiring a minute after genesis. */
const SERIES = [
  { id: 'C2900', kind: 'call', strike: '2900' },
  { id: 'C3100', kind: 'call', strike: '3100' },
  { id: 'C3400', kind: 'call', strike: '3400' },
  { id: 'P3000', kind: 'put', strike: '3000' },
  { id: 'P3500', kind: 'put', strike: '3500' },
] as const;

/** Who buys what (contracts); prices move +10 % before expiry. */
const TRADES: { who: 'alice' | 'bob'; series: string; qty: bigint }[] = [
  { who: 'alice', series: 'C2900', qty: 3_000_000_000n },
  { who: 'alice', series: 'C3100', qty: 5_000_000_000n },
  { who: 'bob', series: 'C3100', qty: 2_000_000_000n },
  { who: 'bob', series: 'C3400', qty: 1_000_000_000n },
  { who: 'alice', series: 'P3000', qty: 4_000_000_000n },
  { who: 'bob', series: 'P3500', qty: 6_000_000_000n },
];

const buy = (series: string, qty: bigint): Msg => ({
  type: 'options/buy',
  value: { series, qty, maxPrice: '1' },
});

describe('binary options, through a devnet node', () => {
  it('buys calls and puts, moves the price, settles at expiry: every payout and the vault to the base unit', async () => {
    let genesisMs = 0;
    const chain = await posNode({
      // Every validator's synthetic ETH-USD feed reads 10 % high from height 12 on.
      config: {
        faults: Object.fromEntries(
          ['val0', 'val1', 'val2', 'val3'].map((v) => [
            v,
            { bias: { percent: 10, from: 12, to: 100_000, markets: ['ETH-USD'] } },
          ]),
        ) as never,
      },
      genesis: (g) => {
        const root = g as unknown as { genesisTime: string };
        genesisMs = Date.parse(root.genesisTime);
        const options = g.app.options as { params: Record<string, unknown>; series: unknown[] };
        options.params.haltBeforeExpiryMs = 5_000;
        options.series = SERIES.map((s) => ({
          ...s,
          underlying: 'ETH-USD',
          expiryMs: genesisMs + EXPIRY_AFTER_MS,
          vault: VAULT,
        }));
      },
    });
    cleanup = chain.cleanup;
    const { node, key, tx, q } = chain;
    const alice = await key('alice');
    const bob = await key('bob');
    const keys = { alice, bob };
    const uusd = async (address: string) =>
      BigInt((await q<{ amount: bigint }>('bank/balance', { address, denom: 'uusd' })).amount);
    const vaultAccount = moduleAddress(`vaults/${VAULT}`);
    const perpVaults = ['BTC-USD', 'ETH-USD'].map((id) => moduleAddress(`vaults/${id}`));

    // Wait for the oracle's first ETH-USD price.
    while (
      (await q<{ price: string | null }>('oracle/price', { market: 'ETH-USD' })).price === null
    )
      await node.produceBlock();
    const before = {
      alice: await uusd(alice.address),
      bob: await uusd(bob.address),
      vault: await uusd(vaultAccount),
      perps: await Promise.all(perpVaults.map(uusd)),
    };
    expect(before.vault).toBe(SEED);

    // The quote through the node's query path.
    const quote = await q<{ fair: string; buy: { price: string; refused: unknown } }>(
      'options/quote',
      { series: 'C3100', qty: '1000' },
    );
    expect(quote.buy.refused).toBeNull();
    expect(fromDecimalString(quote.buy.price) >= fromDecimalString(quote.fair)).toBe(true);

    // Every trade in one block; the premium each paid is in its event.
    const ev = await node.produceBlock(TRADES.map((t) => tx(keys[t.who], [buy(t.series, t.qty)])));
    // The block's first result is the oracle's entry; the trades follow in order.
    const results = ev.results.txResults.slice(-TRADES.length);
    expect(results.map((r) => [r.code, r.log])).toEqual(TRADES.map(() => [0, '']));
    const premiums = results.map((r) => {
      const e = r.events.find((x) => x.type === 'options_trade');
      return BigInt(e?.attributes.amount ?? '-1');
    });
    const paidBy = (who: string) =>
      TRADES.reduce((s, t, i) => (t.who === who ? s + (premiums[i] ?? 0n) : s), 0n);
    const totalPremiums = premiums.reduce((a, b) => a + b, 0n);
    expect(await uusd(alice.address)).toBe(before.alice - paidBy('alice'));
    expect(await uusd(bob.address)).toBe(before.bob - paidBy('bob'));
    expect(await uusd(vaultAccount)).toBe(SEED + totalPremiums);

    // Blocks until every series has settled (the price moves +10 % on the way).
    let series: SeriesView[] = [];
    for (let i = 0; i < 200; i++) {
      await node.produceBlock();
      series = await q<SeriesView[]>('options/series');
      if (series.every((s) => s.state === 'settled')) break;
    }
    expect(series.map((s) => s.state)).toEqual(SERIES.map(() => 'settled'));
    const settle = fromDecimalString(series[0]?.settlementPrice ?? '0');
    // The biased feed: about 3 300, clear of every strike.
    expect(settle > fromDecimalString('3200') && settle < fromDecimalString('3390')).toBe(true);
    const inTheMoney = new Set(['C2900', 'C3100', 'P3500']);
    for (const s of series) {
      const bought = TRADES.filter((t) => t.series === s.id).reduce((a, t) => a + t.qty, 0n);
      expect([s.id, s.payouts, s.open]).toEqual([s.id, inTheMoney.has(s.id) ? bought : 0n, 0n]);
    }

    // Every holder: what they paid out, plus 1 uusd per in-the-money contract.
    const wonBy = (who: string) =>
      TRADES.reduce((s, t) => (t.who === who && inTheMoney.has(t.series) ? s + t.qty : s), 0n);
    expect(await uusd(alice.address)).toBe(before.alice - paidBy('alice') + wonBy('alice'));
    expect(await uusd(bob.address)).toBe(before.bob - paidBy('bob') + wonBy('bob'));
    const payouts = wonBy('alice') + wonBy('bob');
    expect(payouts).toBe(16_000_000_000n);
    expect(await uusd(vaultAccount)).toBe(SEED + totalPremiums - payouts);
    const pnl = series.reduce((a, s) => a + s.vaultPnl, 0n);
    expect(pnl).toBe(totalPremiums - payouts);

    // The payouts exceeded the premiums: the options vault took the loss, and its stakers
    // with it; the perps vaults did not move by one unit.
    expect(payouts > totalPremiums).toBe(true);
    expect(await Promise.all(perpVaults.map(uusd))).toEqual(before.perps);
    const vaults = await q<{ id: string; equity: bigint }[]>('vaults/list');
    const equity = (id: string) => BigInt(vaults.find((v) => v.id === id)?.equity ?? -1n);
    expect(equity(VAULT)).toBe(SEED + totalPremiums - payouts);
    expect(equity('ETH-USD')).toBe(before.perps[1]);
    expect(await q('options/positions', { owner: alice.address })).toEqual([]);
  }, 120_000);
});
