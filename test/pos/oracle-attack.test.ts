import { afterEach, describe, expect, it } from 'vitest';
import { fromDecimalString } from '../../src/core/math/index.ts';
import type { SyntheticSource } from '../../src/node/prices/synthetic.ts';
import { posNode, type ValidatorView } from './helpers.ts';

let cleanup: () => Promise<void> = async () => {};
afterEach(() => cleanup());

/** Voting powers of val0…val3: 30 %, 19 %, 2 %, 49 % of the stake. */
const POWERS = [30, 19, 2, 49];
const MARKET = 'BTC-USD';

interface PriceView {
  price: string | null;
  height: number;
  stale: boolean;
  reduceOnly: boolean;
}

async function attack(biased: string[], blocks: number, extraFaults: Record<string, unknown> = {}) {
  const faults: Record<string, unknown> = { ...extraFaults };
  for (const name of biased) faults[name] = { bias: { percent: 20, from: 3, to: 1000 } };
  const chain = await posNode({
    config: { faults: faults as never },
    genesis: (g) => {
      const staking = g.app.staking as {
        validators: { selfBond: string }[];
        params: { epochLength: number };
      };
      staking.validators.forEach((v, i) => {
        v.selfBond = String(BigInt(POWERS[i] ?? 1) * 1_000_000n);
      });
      staking.params.epochLength = 1000;
    },
  });
  cleanup = chain.cleanup;
  const { node, q } = chain;
  // The honest price: the synthetic path every validator observes (before its small noise).
  const honest = (h: number) =>
    (node.priceSources.get('val3') as unknown as SyntheticSource).truePrice(MARKET, h)!;
  const deviations: number[] = [];
  for (let i = 0; i < blocks; i++) {
    await node.produceBlock();
    const p = await q<PriceView>('oracle/price', { market: MARKET });
    if (p.price === null || p.height < 4) continue;
    const published = fromDecimalString(p.price);
    const truth = honest(p.height);
    deviations.push(Number(((published - truth) * 1_000_000n) / truth) / 1_000_000);
  }
  return { chain, deviations };
}

const jailed = async (chain: Awaited<ReturnType<typeof posNode>>, name: string) => {
  const op = (await chain.key(name)).address;
  return (await chain.q<ValidatorView>('staking/validator', { operator: op })).jailed;
};

describe('oracle attacks, through the node', () => {
  it('30 % reporting +20 %: the price stays with the honest one; the deviant is slashed and jailed', async () => {
    const { chain, deviations } = await attack(['val0'], 30);
    expect(deviations.length).toBeGreaterThan(20);
    for (const d of deviations) expect(Math.abs(d)).toBeLessThan(0.01);
    expect(await jailed(chain, 'val0')).toBe(true);
    expect(await jailed(chain, 'val3')).toBe(false);
    const misses = await chain.q<{ slashes: number }>('oracle/misses', {
      validator: (await chain.key('val0')).address,
    });
    expect(misses.slashes).toBeGreaterThanOrEqual(1);
  });

  it('49 % reporting +20 %: still held to the honest price; both deviants are slashed and jailed', async () => {
    const { chain, deviations } = await attack(['val0', 'val1'], 30);
    for (const d of deviations) expect(Math.abs(d)).toBeLessThan(0.01);
    expect(await jailed(chain, 'val0')).toBe(true);
    expect(await jailed(chain, 'val1')).toBe(true);
    expect(await jailed(chain, 'val3')).toBe(false);
  });

  it('51 % reporting +20 %: the median moves (the security threshold), as fast as the circuit breaker lets it', async () => {
    const { deviations } = await attack(['val0', 'val1', 'val2'], 12);
    const last = deviations[deviations.length - 1]!;
    expect(last).toBeGreaterThan(0.15);
    // Never more than the per-block bound (5 %) above the previous published move.
    for (let i = 1; i < deviations.length; i++)
      expect(deviations[i]! - deviations[i - 1]!).toBeLessThan(0.06);
  });

  it('below 2/3 reporting: the price goes stale, then the market reduce-only', async () => {
    const chain = await posNode({
      config: { faults: { val3: { oracleSilent: [{ from: 5, to: 1000 }] } } as never },
      genesis: (g) => {
        const staking = g.app.staking as { validators: { selfBond: string }[] };
        staking.validators.forEach((v, i) => {
          v.selfBond = String(BigInt(POWERS[i] ?? 1) * 1_000_000n);
        });
      },
    });
    cleanup = chain.cleanup;
    const { node, q } = chain;
    await chain.until(5);
    const fresh = await q<PriceView>('oracle/price', { market: MARKET });
    expect(fresh.stale).toBe(false);
    const lastFresh = fresh.height;
    await chain.until(10);
    const stale = await q<PriceView>('oracle/price', { market: MARKET });
    expect(stale.height).toBe(lastFresh);
    expect(stale.stale).toBe(true);
    expect(stale.reduceOnly).toBe(false);
    while (node.app.height < lastFresh + 14) await node.produceBlock();
    expect((await q<PriceView>('oracle/price', { market: MARKET })).reduceOnly).toBe(true);
  });

  it('a validator whose feed goes absurd leaves that market out of its report (a miss); the price stays fresh', async () => {
    const chain = await posNode({
      config: { faults: { val1: { bias: { percent: 100, from: 2, to: 1000 } } } as never },
      genesis: (g) => {
        const oracle = g.app.oracle as { params: { markets: { id: string; maxPrice: string }[] } };
        // BWK trades near 2 USD on the devnet; here no report may say more than 3 USD.
        for (const m of oracle.params.markets) if (m.id === 'BWK-USD') m.maxPrice = '3';
      },
    });
    cleanup = chain.cleanup;
    await chain.until(6);
    const val1 = await chain.q<{ operator: string; consAddress: string }>('staking/validator', {
      operator: (await chain.key('val1')).address,
    });
    const reports = await chain.q<{ reports: { validator: string }[] }>('oracle/reports', {
      market: 'BWK-USD',
      height: 4,
    });
    expect(reports.reports.map((r) => r.validator)).not.toContain(val1.consAddress);
    expect(reports.reports).toHaveLength(3);
    const misses = await chain.q<{ totalMisses: number }>('oracle/misses', {
      validator: val1.consAddress,
    });
    expect(misses.totalMisses).toBeGreaterThanOrEqual(3);
    const p = await chain.q<PriceView>('oracle/price', { market: 'BWK-USD' });
    expect(p.stale).toBe(false);
  });
});
