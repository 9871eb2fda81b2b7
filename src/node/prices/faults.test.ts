import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { faultSchema } from '../../consensus/solo/faults.ts';
import { PRICE_ONE, scaleByPercent } from './decimal.ts';
import {
  applyPriceFaults,
  createPriceSource,
  type PriceSource,
  priceFaultSchema,
  priceFaultShape,
  pricesSchema,
  SyntheticSource,
  sourceConfigFor,
  withPriceFaults,
} from './index.ts';

const P = (usd: bigint) => usd * PRICE_ONE;

describe('fault schema', () => {
  it('defaults, bounds, and merges into the node config fault schema', () => {
    expect(priceFaultSchema.parse({})).toEqual({ oracleSilent: [] });
    const merged = z.strictObject({ ...faultSchema.shape, ...priceFaultShape });
    const f = merged.parse({
      offline: [{ from: 3, to: 4 }],
      bias: { percent: 5, from: 10, to: 20 },
      oracleSilent: [{ from: 30, to: 40 }],
    });
    expect(f).toEqual({
      offline: [{ from: 3, to: 4 }],
      doubleSignAt: [],
      bias: { percent: 5, from: 10, to: 20 },
      oracleSilent: [{ from: 30, to: 40 }],
    });
    const ok = (x: unknown) => priceFaultSchema.safeParse(x).success;
    expect(ok({ bias: { percent: -100, from: 1, to: 2 } })).toBe(false);
    expect(ok({ bias: { percent: 5, from: 3, to: 2 } })).toBe(false);
    expect(ok({ bias: { percent: 5, from: 0, to: 2 } })).toBe(false);
    expect(ok({ bias: { percent: 5, from: 1, to: 2, markets: ['BTC-USD'] } })).toBe(true);
    expect(ok({ oracleSilent: [{ from: 5, to: 4 }] })).toBe(false);
    expect(ok({ silent: [] })).toBe(false);
  });
});

describe('bias and silence', () => {
  const obs = { 'BTC-USD': P(60_000n), 'ETH-USD': P(3_000n) };

  it('scales exactly by 1 + percent/100', () => {
    expect(scaleByPercent(P(2n), 10)).toBe(22n * 10n ** 17n);
    expect(scaleByPercent(P(2n), -5)).toBe(19n * 10n ** 17n);
    expect(scaleByPercent(P(60_000n), 0.5)).toBe(P(60_300n));
    expect(scaleByPercent(1n, 50)).toBe(1n);
  });

  it('biases heights in [from, to] only, and only the listed markets', () => {
    const faults = { bias: { percent: 10, from: 5, to: 7 } };
    expect(applyPriceFaults(faults, 4, obs)).toEqual(obs);
    expect(applyPriceFaults(faults, 5, obs)).toEqual({
      'BTC-USD': P(66_000n),
      'ETH-USD': P(3_300n),
    });
    expect(applyPriceFaults(faults, 7, obs)['ETH-USD']).toBe(P(3_300n));
    expect(applyPriceFaults(faults, 8, obs)).toEqual(obs);
    const one = { bias: { percent: -20, from: 1, to: 9, markets: ['ETH-USD'] } };
    expect(applyPriceFaults(one, 2, obs)).toEqual({ 'BTC-USD': P(60_000n), 'ETH-USD': P(2_400n) });
  });

  it('a silent validator reports nothing and its source is not asked', async () => {
    let asked = 0;
    const inner: PriceSource = {
      observe: async () => {
        asked++;
        return obs;
      },
    };
    const src = withPriceFaults(inner, {
      oracleSilent: [
        { from: 2, to: 3 },
        { from: 10, to: 10 },
      ],
      bias: { percent: 1, from: 1, to: 100 },
    });
    expect(await src.observe(1, 0)).toEqual({ 'BTC-USD': P(60_600n), 'ETH-USD': P(3_030n) });
    expect(await src.observe(2, 0)).toEqual({});
    expect(await src.observe(3, 0)).toEqual({});
    expect(await src.observe(10, 0)).toEqual({});
    expect(await src.observe(11, 0)).toEqual({ 'BTC-USD': P(60_600n), 'ETH-USD': P(3_030n) });
    expect(asked).toBe(2);
    expect(withPriceFaults(inner, { oracleSilent: [] })).toBe(inner);
    expect(withPriceFaults(inner, undefined)).toBe(inner);
  });
});

describe('prices config and createPriceSource', () => {
  it('defaults to the devnet synthetic markets', () => {
    const cfg = pricesSchema.parse(undefined);
    expect(cfg.validators).toEqual({});
    expect(cfg.default.kind).toBe('synthetic');
    if (cfg.default.kind !== 'synthetic') return;
    expect(cfg.default.seed).toBe(42);
    expect(Object.keys(cfg.default.markets)).toEqual(['BWK-USD', 'BTC-USD', 'ETH-USD']);
    expect(cfg.default.markets['BTC-USD']).toMatchObject({ start: 60_000, vol: 0.6 });
    expect(cfg.default.markets['BWK-USD']).toMatchObject({ start: 2, vol: 0.8 });
    expect(cfg.default.markets['ETH-USD']).toMatchObject({ start: 3_000, vol: 0.7 });
  });

  it('rejects unknown kinds and fields, bad market ids, too many jumps per height', () => {
    const bad = (x: unknown) => pricesSchema.safeParse(x).success;
    expect(bad({ default: { kind: 'magic' } })).toBe(false);
    expect(bad({ default: { kind: 'synthetic', sead: 1 } })).toBe(false);
    expect(bad({ default: { kind: 'file', markets: { 'BTC USD': 'x.csv' } } })).toBe(false);
    expect(bad({ default: { kind: 'file', markets: {} } })).toBe(false);
    expect(
      bad({
        default: {
          kind: 'synthetic',
          stepSeconds: 86_400,
          markets: { 'X-USD': { start: 1, vol: 1, jumps: { intensity: 1000 } } },
        },
      }),
    ).toBe(false);
    expect(
      bad({ default: { kind: 'synthetic', markets: { 'X-USD': { start: 0, vol: 1 } } } }),
    ).toBe(false);
  });

  it('builds each validator its source, with its faults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bwk-prices-'));
    try {
      await writeFile(join(dir, 'btc.csv'), '0,50000\n');
      const prices = pricesSchema.parse({
        default: { kind: 'synthetic', noiseBps: 0 },
        validators: { val3: { kind: 'file', markets: { 'BTC-USD': 'btc.csv' } } },
      });
      expect(sourceConfigFor(prices, 'val3').kind).toBe('file');
      expect(sourceConfigFor(prices, 'toString').kind).toBe('synthetic');
      const config = {
        prices,
        faults: {
          val2: {
            offline: [],
            doubleSignAt: [],
            bias: { percent: 10, from: 1, to: 5 },
            oracleSilent: [],
          },
          val4: { oracleSilent: [{ from: 1, to: 1 }] },
        },
      };
      const v1 = await createPriceSource(config, 'val1');
      const v2 = await createPriceSource(config, 'val2');
      const v3 = await createPriceSource(config, 'val3', { baseDir: dir });
      const v4 = await createPriceSource(config, 'val4');
      expect(v1).toBeInstanceOf(SyntheticSource);
      const a = await v1.observe(3, 0);
      const b = await v2.observe(3, 0);
      expect(b['BTC-USD']).toBe(scaleByPercent(a['BTC-USD'] ?? 0n, 10));
      expect(await v2.observe(6, 0)).toEqual(await v1.observe(6, 0));
      expect(await v3.observe(1, 1_700_000_000_000)).toEqual({ 'BTC-USD': P(50_000n) });
      expect(await v4.observe(1, 0)).toEqual({});
      expect(await v4.observe(2, 0)).toEqual(await v1.observe(2, 0));
      const h = await createPriceSource(
        {
          prices: pricesSchema.parse({
            default: {
              kind: 'http',
              markets: { 'BTC-USD': { url: 'http://127.0.0.1:1/', path: 'p' } },
            },
          }),
        },
        'val1',
      );
      await h.close?.();
      expect(await h.observe(1, 0)).toEqual({});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
