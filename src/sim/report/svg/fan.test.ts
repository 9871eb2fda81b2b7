import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classedPaths } from '../testing.ts';
import { fanChart, fanQuantiles, quantile } from './fan.ts';

describe('quantile', () => {
  it('interpolates between order statistics (position q·(n−1))', () => {
    const s = [1, 2, 3, 4];
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile(s, 0.5)).toBe(2.5);
    expect(quantile(s, 0.9)).toBeCloseTo(3.7, 12);
    expect(quantile(s, 1)).toBe(4);
  });
  it('gives the value itself for one sample and NaN for none', () => {
    expect(quantile([7], 0.1)).toBe(7);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
  it('clamps q into [0, 1]', () => {
    expect(quantile([1, 2], -1)).toBe(1);
    expect(quantile([1, 2], 2)).toBe(2);
  });
});

describe('fanQuantiles', () => {
  it('computes per-block quantiles and ignores non-finite samples', () => {
    const q = fanQuantiles([10, 20], [[4, 1, 3, 2, Number.NaN], [5]]);
    expect(q.p50).toEqual([2.5, 5]);
    expect(q.p10[0]).toBeCloseTo(1.3, 12);
    expect(q.p90[1]).toBe(5);
    expect(q.n).toEqual([4, 1]);
  });
  it('leaves a gap (NaN) where no run has a sample', () => {
    const q = fanQuantiles([1], [[]]);
    expect(Number.isNaN(q.p50[0]!)).toBe(true);
  });
  it('orders the quantiles p10 ≤ p25 ≤ p50 ≤ p75 ≤ p90 and keeps them within the samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), {
          minLength: 1,
          maxLength: 20,
        }),
        (samples) => {
          const q = fanQuantiles(
            samples.map((_, i) => i),
            samples,
          );
          samples.forEach((s, i) => {
            const chain = [q.p10[i]!, q.p25[i]!, q.p50[i]!, q.p75[i]!, q.p90[i]!];
            for (let k = 1; k < chain.length; k++)
              expect(chain[k]).toBeGreaterThanOrEqual(chain[k - 1]!);
            expect(chain[0]).toBeGreaterThanOrEqual(Math.min(...s));
            expect(chain[4]).toBeLessThanOrEqual(Math.max(...s));
          });
        },
      ),
    );
  });
});

describe('fanChart', () => {
  it('draws two bands and a median line with path data', () => {
    const x = [1, 2, 3, 4];
    const samples = x.map((b) => [b, b * 2, b * 3, b * 4]);
    const svg = fanChart({
      id: 'f',
      title: 'Equity',
      desc: 'test',
      xLabel: 'block',
      yLabel: 'equity',
      x,
      samples,
      color: '#000',
    });
    const paths = classedPaths(svg);
    expect(paths.filter((p) => p.cls === 'band')).toHaveLength(2);
    expect(paths.filter((p) => p.cls === 'series')).toHaveLength(1);
    for (const p of paths) expect(p.d.length).toBeGreaterThan(0);
    expect(svg).toContain('data-chart="fan"');
  });
});
