import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './rng.ts';

const draws = (seed: string, name: string, n = 5) => {
  const r = createRng(seed, name);
  return Array.from({ length: n }, () => r.float());
};

describe('seeded streams', () => {
  it('the same seed and name give the same draws; another name or seed differs', () => {
    expect(draws('42', 'price:BTC-USD')).toEqual(draws('42', 'price:BTC-USD'));
    expect(draws('42', 'price:BTC-USD')).not.toEqual(draws('42', 'price:ETH-USD'));
    expect(draws('42', 'price:BTC-USD')).not.toEqual(draws('43', 'price:BTC-USD'));
  });

  it('a stream does not depend on other streams being drawn from', () => {
    const a = createRng('7', 'a');
    const b = createRng('7', 'b');
    const first = [a.float(), b.float(), a.float()];
    const a2 = createRng('7', 'a');
    expect([a2.float(), a2.float()]).toEqual([first[0], first[2]]);
  });

  it('floats are in [0, 1), ints in [0, n), normals have mean ≈ 0 and variance ≈ 1', () => {
    const r = createRng('1', 'x');
    let sum = 0;
    let sq = 0;
    let bad = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const f = r.float();
      if (!(f >= 0 && f < 1)) bad++;
      const k = r.int(7);
      if (!(Number.isInteger(k) && k >= 0 && k < 7)) bad++;
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    expect(bad).toBe(0);
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
    expect(() => r.int(0)).toThrow(/positive integer/);
  });

  it('derived seeds are stable strings', () => {
    expect(deriveSeed('42', 'run:0')).toMatch(/^[0-9a-f]{16}$/);
    expect(deriveSeed('42', 'run:0')).toBe(deriveSeed('42', 'run:0'));
  });
});
