import { describe, expect, it } from 'vitest';
import { type SyntheticSourceConfig, syntheticSourceSchema } from './config.ts';
import { floatToPrice, PRICE_ONE, parseDecimal18 } from './decimal.ts';
import { CounterRng } from './rng.ts';
import { BLOCK_STEPS, SyntheticPath, SyntheticSource, YEAR_SECONDS } from './synthetic.ts';

const devnet = (over: Partial<SyntheticSourceConfig> = {}): SyntheticSourceConfig => ({
  ...syntheticSourceSchema.parse({ kind: 'synthetic' }),
  ...over,
});

function stats(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  let m2 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  const variance = m2 / (n - 1);
  return { mean, stdev: Math.sqrt(variance), kurtosis: m4 / n / (m2 / n) ** 2 };
}

function logReturns(path: SyntheticPath, from: number, n: number): number[] {
  const out: number[] = [];
  let prev = path.logAt(from);
  for (let h = from + 1; h <= from + n; h++) {
    const cur = path.logAt(h);
    out.push(cur - prev);
    prev = cur;
  }
  return out;
}

describe('decimal conversion', () => {
  it('parses decimal strings exactly, with exponents', () => {
    expect(parseDecimal18('2')).toBe(2n * PRICE_ONE);
    expect(parseDecimal18('60123.45')).toBe(6012345n * 10n ** 16n);
    expect(parseDecimal18('.5')).toBe(5n * 10n ** 17n);
    expect(parseDecimal18('1.5e-7')).toBe(150_000_000_000n);
    expect(parseDecimal18('6.0123e+4')).toBe(60_123n * PRICE_ONE);
    expect(parseDecimal18('-1')).toBe(-PRICE_ONE);
    expect(parseDecimal18('0.0000000000000000015')).toBe(2n); // rounded half up at 18 places
    for (const bad of ['', '.', 'abc', '1,5', '1e', '0x10', 'NaN', 'Infinity', '1e9999']) {
      expect(parseDecimal18(bad)).toBeUndefined();
    }
  });

  it('converts floats through 12 significant digits, never to zero', () => {
    expect(floatToPrice(2)).toBe(2n * PRICE_ONE);
    expect(floatToPrice(60123.45678901234)).toBe(601234567890n * 10n ** 11n);
    expect(floatToPrice(1.23456789012345e-9)).toBe(1234567890n);
    expect(floatToPrice(1e21)).toBe(10n ** 39n);
    expect(floatToPrice(0)).toBe(1n);
    expect(floatToPrice(Number.NaN)).toBe(1n);
  });
});

describe('counter-based generator', () => {
  it('is a pure function of key and counter, and looks uniform', () => {
    const a = new CounterRng(42, 7);
    const b = new CounterRng(42, 7);
    const c = new CounterRng(43, 7);
    expect(a.uniform(123_456_789_012, 3)).toBe(b.uniform(123_456_789_012, 3));
    expect(a.uniform(1, 0)).not.toBe(c.uniform(1, 0));
    const xs = Array.from({ length: 20_000 }, (_, i) => a.uniform(i, 0));
    expect(Math.min(...xs)).toBeGreaterThan(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const s = stats(xs);
    expect(s.mean).toBeCloseTo(0.5, 2);
    expect(s.stdev).toBeCloseTo(Math.sqrt(1 / 12), 2);
    const zs = stats(Array.from({ length: 20_000 }, (_, i) => a.normal(i, 5)));
    expect(Math.abs(zs.mean)).toBeLessThan(0.03);
    expect(zs.stdev).toBeCloseTo(1, 1);
    expect(zs.kurtosis).toBeGreaterThan(2.85);
    expect(zs.kurtosis).toBeLessThan(3.15);
  });
});

describe('synthetic source', () => {
  it('gives the same prices for the same seed, market and height across instances', () => {
    const a = new SyntheticSource(devnet(), 'val1');
    const b = new SyntheticSource(devnet(), 'val1');
    for (const h of [0, 1, 2, 77, 4095, 4096, 4097, 100_000]) {
      expect(a.observe(h, 0)).toEqual(b.observe(h, 0));
    }
    expect(Object.keys(a.observe(1, 0)).sort()).toEqual(['BTC-USD', 'BWK-USD', 'ETH-USD']);
  });

  it('a fresh instance at a height equals one that stepped there, in any order', () => {
    const stepped = new SyntheticSource(devnet(), 'val1');
    for (let h = 1; h <= 500; h++) stepped.observe(h, h * 1000);
    const fresh = new SyntheticSource(devnet(), 'val1');
    expect(fresh.observe(500, 0)).toEqual(stepped.observe(500, 0));
    // far heights (a restart after a long run), visited backwards and forwards
    const far = [9_000_123, 4096 * 3, 12_289, 1, 9_000_123, 5_000_000];
    const x = new SyntheticSource(devnet(), 'val1');
    const got = far.map((h) => x.observe(h, 0));
    const y = new SyntheticSource(devnet(), 'val1');
    const want = [...far].reverse().map((h) => y.observe(h, 0));
    expect(got).toEqual(want.reverse());
  });

  it('validators share the path and differ only by their small observation noise', () => {
    const v1 = new SyntheticSource(devnet(), 'val1');
    const v2 = new SyntheticSource(devnet(), 'val2');
    let differs = 0;
    for (let h = 1; h <= 200; h++) {
      const a = v1.observe(h, 0);
      const b = v2.observe(h, 0);
      const truth = v1.truePrice('BTC-USD', h) ?? 0n;
      expect(v2.truePrice('BTC-USD', h)).toBe(truth);
      for (const m of ['BWK-USD', 'BTC-USD', 'ETH-USD']) {
        const pa = a[m] ?? 0n;
        const pb = b[m] ?? 0n;
        if (pa !== pb) differs++;
        // 5 bps noise each: far below 0.5 % apart
        const diff = pa > pb ? pa - pb : pb - pa;
        expect(diff * 200n).toBeLessThan(pa);
      }
    }
    expect(differs).toBeGreaterThan(590);
    const quiet = new SyntheticSource(devnet({ noiseBps: 0 }), 'val9');
    expect(quiet.observe(10, 0)['BTC-USD']).toBe(v1.truePrice('BTC-USD', 10));
    const otherSeed = new SyntheticSource(devnet({ seed: 7 }), 'val1');
    expect(otherSeed.observe(100, 0)['BTC-USD']).not.toBe(v1.observe(100, 0)['BTC-USD']);
  });

  it('starts at the start price', () => {
    const s = new SyntheticSource(devnet({ noiseBps: 0 }), 'val1');
    expect(s.observe(0, 0)).toEqual({
      'BWK-USD': 2n * PRICE_ONE,
      'BTC-USD': 60_000n * PRICE_ONE,
      'ETH-USD': 3_000n * PRICE_ONE,
    });
  });

  it('log returns have stdev ≈ vol·√dt and mean ≈ (μ − σ²/2)·dt, Gaussian tails (no jumps)', () => {
    for (const stepSeconds of [1, 3600]) {
      const dt = stepSeconds / YEAR_SECONDS;
      const path = new SyntheticPath(11, 'X-USD', { start: 1, drift: 0.5, vol: 0.8 }, stepSeconds);
      // 3 blocks and a bit, crossing block boundaries
      const r = logReturns(path, BLOCK_STEPS - 100, 3 * BLOCK_STEPS + 300);
      const s = stats(r);
      const sd = 0.8 * Math.sqrt(dt);
      expect(s.stdev / sd).toBeGreaterThan(0.97);
      expect(s.stdev / sd).toBeLessThan(1.03);
      expect(Math.abs(s.mean - (0.5 - 0.32) * dt)).toBeLessThan((5 * sd) / Math.sqrt(r.length));
      expect(s.kurtosis).toBeGreaterThan(2.8);
      expect(s.kurtosis).toBeLessThan(3.2);
    }
  });

  it('adds Merton jumps: variance σ²dt + λdt(m² + s²), heavy tails', () => {
    const stepSeconds = 3600;
    const dt = stepSeconds / YEAR_SECONDS;
    const jumps = { intensity: 200, mean: -0.01, stdev: 0.05 };
    const path = new SyntheticPath(
      5,
      'J-USD',
      { start: 1, drift: 0, vol: 0.8, jumps },
      stepSeconds,
    );
    const r = logReturns(path, 0, 12 * BLOCK_STEPS);
    const s = stats(r);
    const want = 0.64 * dt + 200 * dt * (0.01 ** 2 + 0.05 ** 2);
    expect(s.stdev ** 2 / want).toBeGreaterThan(0.9);
    expect(s.stdev ** 2 / want).toBeLessThan(1.1);
    expect(s.kurtosis).toBeGreaterThan(4);
  });

  it('the drift is the total expected return (jumps compensated)', () => {
    // one year in 8766 hourly steps; E[S(T)/S(0)] = e^{μT} across many seeds
    const jumps = { intensity: 10, mean: -0.05, stdev: 0.1 };
    let sum = 0;
    const n = 2000;
    for (let seed = 0; seed < n; seed++) {
      const p = new SyntheticPath(seed, 'M-USD', { start: 1, drift: 0.1, vol: 0.5, jumps }, 3600);
      sum += p.priceAt(8766);
    }
    expect(Math.abs(sum / n - Math.exp(0.1))).toBeLessThan(0.06);
  });

  it('prices are always positive, even for wild parameters', () => {
    const cfg = syntheticSourceSchema.parse({
      kind: 'synthetic',
      stepSeconds: 86_400,
      noiseBps: 100,
      markets: {
        'WILD-USD': {
          start: 1e-9,
          drift: -10,
          vol: 10,
          jumps: { intensity: 300, mean: -2, stdev: 2 },
        },
        'BIG-USD': { start: 1e15, drift: 10, vol: 10 },
        'CALM-USD': { start: 0.01, vol: 0.1 },
      },
    });
    const s = new SyntheticSource(cfg, 'val1');
    for (let h = 0; h <= 5000; h += 7) {
      for (const p of Object.values(s.observe(h, 0))) expect(p).toBeGreaterThan(0n);
    }
  });
});
