import { describe, expect, it } from 'vitest';
import { alice, bob, carol, E18, PerpsChain, START } from '../../core/modules/perps/testing.ts';
import { hasStats } from '../agents/base.ts';
import { agentSpec, createAgents } from '../agents/index.ts';
import { drive, refusals } from '../agents/testing.ts';
import { testRng } from '../prices/testing.ts';
import type { Agent } from '../types.ts';
import { adversarySpec, createAdversary } from './index.ts';

const maker = () =>
  createAgents(
    agentSpec.parse({
      type: 'market-maker',
      funds: { uusd: '900_000_000_000' },
      market: 'BTC-USD',
      spread: '0.2%',
      levels: 5,
      levelSpacing: '0.2%',
      notional: 60_000,
      refreshEvery: 1,
    }),
    () => testRng(1),
  )[0]!;

function attackers(spec: unknown): Agent[] {
  const { agents, fault } = createAdversary(adversarySpec.parse(spec), ['val0']);
  expect(fault).toBeUndefined();
  return agents!;
}

type Orders = { priceTicks: number; side: string; sizeQuantums: number }[];

describe('pump', () => {
  it('opens a large long, pushes through the asks, exits and withdraws; its stats value the attack', () => {
    const chain = new PerpsChain();
    const [pump] = attackers({
      type: 'pump',
      funds: { uusd: String(START), ubwk: String(START) }, // what the test chain gives bob
      market: 'BTC-USD',
      collateral: '200_000_000_000',
      open: 150_000,
      openAt: '2s',
      openOver: '3s',
      push: '1%',
      pushNotional: 20_000,
      pushAt: '6s',
      pushOver: '3s',
      exitAt: '12s',
    });
    const resync = (w: typeof alice) => chain.resyncNonce(w);
    const actors: [Agent, typeof alice][] = [
      [maker(), alice],
      [pump!, bob],
    ];
    const out = drive(chain, actors, 6, { resync });
    const opened = Number(chain.size('BTC-USD', bob)) / 1e18;
    // 150 000 USD at ~50 000: about 3 BTC, bought in three slices
    expect(opened).toBeGreaterThan(2.9);
    expect(opened).toBeLessThan(3.01);
    out.push(...drive(chain, actors, 4, { resync }));
    const pushed = Number(chain.size('BTC-USD', bob)) / 1e18;
    expect(pushed).toBeGreaterThan(opened + 0.5); // three pushes of ~0.4 BTC
    out.push(...drive(chain, actors, 8, { resync }));
    expect(refusals(out)).toEqual([]);
    expect(chain.size('BTC-USD', bob)).toBe(0n);
    expect(chain.collateral('BTC-USD', bob)).toBe(0n);
    const stats = (pump as Agent & { stats(): Record<string, unknown> }).stats();
    const bobTxs = out.filter((o) => o.agent === pump!.name).length;
    expect(stats.phase).toBe('done');
    // the mark never moved: the attacker paid spreads and fees and lost money
    expect(stats.pnlUusd).toBe(chain.uusd(bob.address) - START);
    expect(stats.pnlUusd as bigint).toBeLessThan(0n);
    expect(stats.feesUbwk).toBe(1000n * BigInt(bobTxs));
    expect(stats.capitalUusd).toBe(200_000_000_000n);
    expect(stats.peakLongUsd as number).toBeGreaterThan(pushed * 49_000);
  });

  it('refuses phases out of order', () => {
    const r = adversarySpec.safeParse({
      type: 'pump',
      funds: {},
      market: 'BTC-USD',
      open: 1,
      pushNotional: 1,
      pushAt: '1h',
      exitAt: '30m',
    });
    expect(JSON.stringify(r.error?.issues)).toMatch(/openAt ≤ pushAt ≤ exitAt/);
  });
});

describe('congested crash', () => {
  it('shows near bids, pulls them when the crash starts, floods far orders, then stops', () => {
    const chain = new PerpsChain();
    const [spammer] = attackers({
      type: 'congested-crash',
      funds: { uusd: '500_000_000_000' },
      market: 'BTC-USD',
      spoofLevels: 3,
      spoofNotional: 50_000,
      refreshEvery: 2,
      from: '10s',
      to: '20s',
      ordersPerBlock: 20,
    });
    const resync = (w: typeof alice) => chain.resyncNonce(w);
    const actors: [Agent, typeof alice][] = [
      [maker(), alice],
      [spammer!, carol],
    ];
    const orders = () => chain.query('perps/orders', { owner: carol.address }) as unknown as Orders;
    const out = drive(chain, actors, 8, { resync });
    const spoof = orders();
    expect(spoof).toHaveLength(3);
    expect(spoof.every((o) => o.side === 'buy' && o.priceTicks >= 49_850)).toBe(true);
    chain.prices.prices.set('BTC-USD', 45_000n * E18); // the crash
    out.push(...drive(chain, actors, 6, { resync }));
    const flood = orders();
    expect(flood).toHaveLength(20);
    // nothing within 8 % of the price: useless to a liquidation (slippage bound 5 %)
    expect(flood.every((o) => Math.abs(o.priceTicks / 45_000 - 1) > 0.08)).toBe(true);
    expect(flood.every((o) => o.sizeQuantums === 1)).toBe(true);
    out.push(...drive(chain, actors, 8, { resync }));
    expect(refusals(out)).toEqual([]);
    expect(orders()).toHaveLength(0);
    const stats = hasStats(spammer!) ? spammer.stats() : {};
    expect(stats.cancelAlls).toBeGreaterThan(5);
    expect(stats.ordersPlaced as number).toBeGreaterThan(5 * 20);
  });

  it('shrinks its spoof bids to what its equity can margin', () => {
    const chain = new PerpsChain();
    const [spammer] = attackers({
      type: 'congested-crash',
      funds: { uusd: '5_000_000_000' }, // 5 000 USD against 5 × 50 000 USD of bids
      market: 'BTC-USD',
      from: '1h',
      to: '2h',
    });
    const out = drive(chain, [[spammer!, carol]], 4, { resync: (w) => chain.resyncNonce(w) });
    expect(refusals(out)).toEqual([]);
    const bids = chain.query('perps/orders', { owner: carol.address }) as unknown as Orders;
    expect(bids).toHaveLength(5);
    const usd = bids.reduce((a, o) => a + o.sizeQuantums * 0.0001 * o.priceTicks, 0);
    expect(usd).toBeGreaterThan(50_000);
    expect(usd).toBeLessThan(5_000 / 0.05);
  });

  it('makes `count` accounts', () => {
    const agents = attackers({
      type: 'congested-crash',
      count: 3,
      funds: { uusd: 1 },
      market: 'BTC-USD',
      from: '1h',
      to: '2h',
    });
    expect(agents.map((a) => a.name)).toEqual(['congestion-0', 'congestion-1', 'congestion-2']);
  });
});
