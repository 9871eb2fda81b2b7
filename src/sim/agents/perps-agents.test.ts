import { describe, expect, it } from 'vitest';
import {
  alice,
  bob,
  carol,
  dave,
  E18,
  orders,
  PerpsChain,
  place,
} from '../../core/modules/perps/testing.ts';
import { testRng } from '../prices/testing.ts';
import { agentSpec, createAgents, hasStats } from './index.ts';
import { drive, refusals } from './testing.ts';

const rngFor = (name: string) => testRng(name.length);
const funds = { uusd: '100_000_000_000' }; // 100 000 USD

function one(spec: unknown) {
  const agents = createAgents(agentSpec.parse(spec), rngFor);
  expect(agents).toHaveLength(1);
  return agents[0]!;
}

const mmSpec = {
  type: 'market-maker',
  funds,
  market: 'BTC-USD',
  spread: '0.2%',
  levels: 3,
  notional: 20_000,
  refreshEvery: 2,
};

describe('market maker', () => {
  it('quotes both sides on the grid, inside the band, and requotes in one tx the chain accepts', () => {
    const chain = new PerpsChain();
    const mm = one(mmSpec);
    const out = drive(chain, [[mm, alice]], 8, { resync: (w) => chain.resyncNonce(w) });
    expect(refusals(out)).toEqual([]);
    expect(out.length).toBeGreaterThanOrEqual(4);
    // the first tx funds the subaccount and quotes; later ones cancel-all and requote
    expect(out[0]!.msgs.map((m) => m.type)).toEqual(['perps/deposit', 'perps/place-orders']);
    expect(out.at(-1)!.msgs.map((m) => m.type)).toEqual(['perps/place-orders']);
    const book = chain.query('perps/book', { market: 'BTC-USD' }) as {
      bids: { priceTicks: number; sizeQuantums: bigint }[];
      asks: { priceTicks: number; sizeQuantums: bigint }[];
    };
    expect(book.bids.map((l) => l.priceTicks)).toEqual([49_950, 49_900, 49_850]);
    expect(book.asks.map((l) => l.priceTicks)).toEqual([50_050, 50_100, 50_150]);
    // 20 000 USD per level at ~50 000 USD: 0.4 BTC = 4000 quantums of 0.0001 BTC
    expect(Number(book.bids[0]!.sizeQuantums)).toBe(Math.floor(20_000 / 49_950 / 0.0001));
    const orders = chain.query('perps/orders', { owner: alice.address }) as unknown[];
    expect(orders).toHaveLength(6);
    expect(chain.collateral('BTC-USD', alice)).toBe(100_000_000_000n);
  });

  it('moves its quotes with the oracle price and skews them against its inventory', () => {
    const chain = new PerpsChain();
    const mm = one({ ...mmSpec, refreshEvery: 1 });
    const resync = (w: typeof alice) => chain.resyncNonce(w);
    drive(chain, [[mm, alice]], 2, { resync });
    chain.prices.prices.set('BTC-USD', 52_000n * E18);
    drive(chain, [[mm, alice]], 1, { resync });
    const mid = () => {
      const book = chain.query('perps/book', { market: 'BTC-USD' }) as {
        bids: { priceTicks: number }[];
        asks: { priceTicks: number }[];
      };
      return (book.bids[0]!.priceTicks + book.asks[0]!.priceTicks) / 2;
    };
    expect(mid()).toBe(52_000); // flat: centred on the new oracle price
    // bob lifts 0.2 BTC: the maker is short ~10 400 USD of its 120 000 USD limit
    chain.ok(bob, [
      { type: 'perps/deposit', value: { market: 'BTC-USD', amount: 50_000_000_000n } },
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 52_100,
          sizeQuantums: 2000,
          type: 'market',
          timeInForce: 'ioc',
        }),
      ),
    ]);
    expect(refusals(drive(chain, [[mm, alice]], 1, { resync }))).toEqual([]);
    // shifted up by (10 400 / 120 000) × half the spread × price ≈ 4.5 USD
    expect(mid() - 52_000).toBeGreaterThanOrEqual(4);
    expect(mid() - 52_000).toBeLessThanOrEqual(5.5);
  });

  it('stops quoting the side that would grow its inventory past maxInventory', () => {
    const chain = new PerpsChain();
    const mm = one({ ...mmSpec, maxInventory: 5_000, refreshEvery: 1 });
    const resync = (w: typeof alice) => chain.resyncNonce(w);
    drive(chain, [[mm, alice]], 2, { resync });
    // bob lifts 0.3 BTC (~15 000 USD) of the maker's asks: the maker is short past its limit
    chain.ok(bob, [
      { type: 'perps/deposit', value: { market: 'BTC-USD', amount: 50_000_000_000n } },
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 50_200,
          sizeQuantums: 3000,
          type: 'market',
          timeInForce: 'ioc',
        }),
      ),
    ]);
    expect(chain.size('BTC-USD', alice)).toBe(-3000n * (E18 / 10_000n));
    expect(refusals(drive(chain, [[mm, alice]], 2, { resync }))).toEqual([]);
    const mine = chain.query('perps/orders', { owner: alice.address }) as { side: string }[];
    expect(mine.length).toBe(3);
    expect(mine.every((o) => o.side === 'buy')).toBe(true);
  });
});

describe('noise trader', () => {
  it('trades small market orders against the book at a Poisson rate, all accepted', () => {
    const chain = new PerpsChain();
    const mm = one(mmSpec);
    const noise = one({
      type: 'noise',
      funds,
      market: 'BTC-USD',
      tradesPerHour: 1200, // one per 3 s on average
      notional: 2_000,
    });
    const out = drive(
      chain,
      [
        [mm, alice],
        [noise, carol],
      ],
      60,
      {
        resync: (w) => chain.resyncNonce(w),
      },
    );
    expect(refusals(out)).toEqual([]);
    const trades = out.filter(
      (o) => o.agent === noise.name && o.msgs[0]!.type === 'perps/place-orders',
    );
    // 59 blocks of 1 s at 1/3 per second: 19.7 expected; a Poisson count within ±4σ
    expect(trades.length).toBeGreaterThan(19.7 - 4 * Math.sqrt(19.7));
    expect(trades.length).toBeLessThan(19.7 + 4 * Math.sqrt(19.7));
    expect(chain.size('BTC-USD', carol)).not.toBe(0n);
    expect(chain.size('BTC-USD', carol)).toBe(-chain.size('BTC-USD', alice));
    expect(hasStats(noise) && noise.stats().trades).toBe(trades.length);
  });
});

describe('noise trader margin', () => {
  it('keeps its trades within what its equity can margin', () => {
    const chain = new PerpsChain();
    const mm = one({ ...mmSpec, funds: { uusd: '900_000_000_000' }, notional: 100_000, levels: 5 });
    const noise = one({
      type: 'noise',
      funds: { uusd: '1_000_000_000' }, // 1 000 USD
      market: 'BTC-USD',
      tradesPerHour: 3600, // every block
      notional: 50_000, // far beyond 1 000 USD of margin
      maxPosition: 1_000_000,
    });
    const resync = (w: typeof alice) => chain.resyncNonce(w);
    let peak = 0;
    for (let b = 0; b < 40; b++) {
      const out = drive(
        chain,
        [
          [mm, alice],
          [noise, carol],
        ],
        1,
        { resync },
      );
      expect(refusals(out)).toEqual([]);
      peak = Math.max(peak, (Math.abs(Number(chain.size('BTC-USD', carol))) / 1e18) * 50_000);
    }
    // 0.9 × 1 000 / (0.01 + 1.01 × 0.05) ≈ 14 900 USD
    expect(peak).toBeGreaterThan(1_000);
    expect(peak).toBeLessThan(14_900);
  });
});

describe('trend follower', () => {
  it('goes long in a rising market and short in a falling one, with leverage', () => {
    const chain = new PerpsChain();
    const mm = one({ ...mmSpec, funds: { uusd: '900_000_000_000' }, notional: 100_000, levels: 5 });
    const trend = one({
      type: 'trend',
      funds: { uusd: '10_000_000_000' }, // 10 000 USD
      market: 'BTC-USD',
      halfLife: '20s',
      leverage: 3,
      threshold: '0.5%',
      rebalance: '5s',
    });
    const actors: [typeof mm, typeof alice][] = [
      [mm, alice],
      [trend, dave],
    ];
    const resync = (w: typeof alice) => chain.resyncNonce(w);
    drive(chain, actors, 3, { resync });
    let price = 50_000n;
    for (let i = 0; i < 20; i++) {
      price += 200n;
      chain.prices.prices.set('BTC-USD', price * E18);
      expect(refusals(drive(chain, actors, 1, { resync }))).toEqual([]);
    }
    const long = chain.size('BTC-USD', dave);
    expect(long).toBeGreaterThan(0n);
    // 3 × equity at the mark (equity grew with the long's PnL; rebalanced every 5 s)
    const sub = chain.query('perps/subaccount', { owner: dave.address, market: 'BTC-USD' }) as {
      equity: bigint;
    };
    const target = (3 * Number(sub.equity)) / 1e6 / Number(price);
    expect(Math.abs(Number(long) / 1e18 - target) / target).toBeLessThan(0.05);
    expect(Number(sub.equity)).toBeGreaterThan(10_000e6); // it rode the trend
    for (let i = 0; i < 40; i++) {
      price -= 200n;
      chain.prices.prices.set('BTC-USD', price * E18);
      expect(refusals(drive(chain, actors, 1, { resync }))).toEqual([]);
    }
    expect(chain.size('BTC-USD', dave)).toBeLessThan(0n);
  });
});

describe('trend follower leverage', () => {
  it('caps leverage below what the margin check allows, so its orders are accepted', () => {
    const chain = new PerpsChain();
    const mm = one({ ...mmSpec, funds: { uusd: '900_000_000_000' }, notional: 100_000, levels: 5 });
    const trend = one({
      type: 'trend',
      funds: { uusd: '10_000_000_000' },
      market: 'BTC-USD',
      halfLife: '20s',
      leverage: 50, // the market allows 20x
      threshold: '0.1%',
      rebalance: '1s',
    });
    const resync = (w: typeof alice) => chain.resyncNonce(w);
    drive(
      chain,
      [
        [mm, alice],
        [trend, dave],
      ],
      3,
      { resync },
    );
    chain.prices.prices.set('BTC-USD', 51_000n * E18);
    const out = drive(
      chain,
      [
        [mm, alice],
        [trend, dave],
      ],
      3,
      { resync },
    );
    expect(refusals(out)).toEqual([]);
    const lev = ((Number(chain.size('BTC-USD', dave)) / 1e18) * 51_000) / 10_000;
    // 0.9 / (0.02 + 1.02 × 0.05) ≈ 12.7x (the default 2 % slippage), not 50x
    expect(lev).toBeGreaterThan(11);
    expect(lev).toBeLessThanOrEqual(12.7);
  });
});

describe('vault staker', () => {
  it('deposits into the vault, asks to withdraw when the yield is too low, and withdraws after the cooldown', () => {
    const chain = new PerpsChain();
    const staker = one({
      type: 'vault-staker',
      funds: { uusd: '40_000_000_000' },
      vault: 'BTC-USD',
      chunk: '10_000_000_000',
      checkEvery: '10s',
      lookback: '10s',
      enterYield: '1000%', // never deposits again
      exitYield: '500%', // always wants out
      withdrawFraction: '100%',
    });
    const wallet0 = chain.uusd(bob.address);
    const out = drive(chain, [[staker, bob]], 100, { resync: (w) => chain.resyncNonce(w) });
    expect(refusals(out)).toEqual([]);
    const types = out.flatMap((o) => o.msgs.map((m) => m.type));
    expect(types[0]).toBe('vaults/deposit');
    expect(types).toContain('vaults/request-withdraw');
    expect(types).toContain('vaults/withdraw');
    const shares = chain.query('vaults/shares', { vault: 'BTC-USD', owner: bob.address }) as {
      shares: bigint;
    };
    expect(shares.shares).toBe(0n);
    // back in the wallet (the vault earned nothing meanwhile: no trading)
    expect(chain.uusd(bob.address)).toBe(wallet0);
  });

  it('adds a chunk when the yield is above its entry threshold', () => {
    const chain = new PerpsChain();
    const staker = one({
      type: 'vault-staker',
      funds: { uusd: '40_000_000_000' },
      vault: 'BTC-USD',
      chunk: '10_000_000_000',
      checkEvery: '5s',
      lookback: '5s',
      enterYield: '0%', // a flat share price is enough
      exitYield: '-100%',
    });
    const wallet0 = chain.uusd(bob.address);
    const out = drive(chain, [[staker, bob]], 12, { resync: (w) => chain.resyncNonce(w) });
    expect(refusals(out)).toEqual([]);
    expect(out.filter((o) => o.msgs[0]!.type === 'vaults/deposit').length).toBe(3);
    expect(chain.uusd(bob.address)).toBe(wallet0 - 30_000_000_000n);
  });
});
