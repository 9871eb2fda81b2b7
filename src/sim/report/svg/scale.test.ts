import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extent, linearScale, niceDomain, niceStep } from './scale.ts';

describe('niceStep', () => {
  it.each([
    [100, 5, 20],
    [100, 10, 10],
    [97, 6, 20],
    [1, 5, 0.2],
    [0.25, 6, 0.05],
    [300, 8, 50],
    [2_500_000, 6, 500_000],
    [7, 6, 2],
  ])('span %s in at most %s ticks → %s', (span, ticks, step) => {
    expect(niceStep(span, ticks)).toBeCloseTo(step, 12);
  });
  it('falls back to 1 for an empty or non-finite span', () => {
    expect(niceStep(0, 5)).toBe(1);
    expect(niceStep(Number.NaN, 5)).toBe(1);
  });
});

describe('niceDomain', () => {
  it('widens to whole steps and lists the ticks', () => {
    expect(niceDomain({ min: 3, max: 97 }, 5)).toEqual({
      domain: { min: 0, max: 100 },
      ticks: [0, 20, 40, 60, 80, 100],
    });
  });
  it('prints decimal ticks without float noise', () => {
    const { ticks } = niceDomain({ min: 0.1, max: 0.35 }, 5);
    expect(ticks).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });
  it('gives a flat series an interval around its value', () => {
    const { domain, ticks } = niceDomain({ min: 50, max: 50 });
    expect(domain.min).toBeLessThan(50);
    expect(domain.max).toBeGreaterThan(50);
    expect(ticks.length).toBeGreaterThan(1);
    expect(niceDomain({ min: 0, max: 0 }).domain).toEqual({ min: -1, max: 1 });
  });
  it('accepts a reversed or non-finite domain', () => {
    expect(niceDomain({ min: 10, max: 0 }, 5).domain).toEqual({ min: 0, max: 10 });
    expect(niceDomain({ min: Number.NaN, max: 3 }, 5).domain).toEqual({ min: 0, max: 1 });
  });
  it('covers the data with evenly spaced ticks, never more than maxTicks + 1 intervals', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.integer({ min: 2, max: 12 }),
        (a, b, maxTicks) => {
          const min = Math.min(a, b);
          const max = Math.max(a, b);
          const { domain, ticks } = niceDomain({ min, max }, maxTicks);
          const tol = (Math.abs(min) + Math.abs(max) + 1) * 1e-9;
          expect(domain.min).toBeLessThanOrEqual(min + tol);
          expect(domain.max).toBeGreaterThanOrEqual(max - tol);
          expect(ticks[0]).toBe(domain.min);
          expect(ticks[ticks.length - 1]).toBe(domain.max);
          expect(ticks.length - 1).toBeLessThanOrEqual(maxTicks + 1);
          const step = ticks[1]! - ticks[0]!;
          for (let i = 1; i < ticks.length; i++) {
            expect(ticks[i]! - ticks[i - 1]!).toBeCloseTo(step, 6);
          }
        },
      ),
    );
  });
});

describe('extent and linearScale', () => {
  it('ignores non-finite values and reports nothing for no values', () => {
    expect(extent([[3, Number.NaN, -2], [7]])).toEqual({ min: -2, max: 7 });
    expect(extent([[], [Number.NaN]])).toBeUndefined();
  });
  it('maps the domain onto the pixel range, inverted for y', () => {
    const sy = linearScale({ min: 0, max: 100 }, 300, 20);
    expect(sy(0)).toBe(300);
    expect(sy(100)).toBe(20);
    expect(sy(50)).toBe(160);
  });
  it('puts every value in the middle of a zero-width domain', () => {
    expect(linearScale({ min: 5, max: 5 }, 0, 100)(123)).toBe(50);
  });
});
