import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateMarket, hasQuorum, type WeightedReport, weightedMedian } from './median.ts';

/** `a` before `b` in the (price, validator) order. */
function before(a: WeightedReport, b: WeightedReport): boolean {
  return a.price < b.price || (a.price === b.price && a.validator <= b.validator);
}

/**
 * The rule written out plainly, without sorting: for each report, the power of all reports at
 * or before it in (price, validator) order; among the reports where that power is at least
 * half of the total, the one that comes first.
 */
function bruteMedian(reports: WeightedReport[]): bigint | undefined {
  let total = 0n;
  for (const r of reports) total += r.power;
  if (total === 0n) return undefined;
  let best: WeightedReport | undefined;
  for (const r of reports) {
    let atOrBefore = 0n;
    for (const s of reports) if (before(s, r)) atOrBefore += s.power;
    if (atOrBefore * 2n < total) continue;
    if (best === undefined || before(r, best)) best = r;
  }
  return best?.price;
}

/** Quorum plainly: the reporting power reaches the smallest integer ≥ 2/3 of bonded. */
function bruteQuorum(reporting: bigint, bonded: bigint): boolean {
  if (bonded === 0n) return false;
  let needed = 0n;
  while (needed * 3n < bonded * 2n) needed++;
  return reporting >= needed;
}

const reportsArb = fc.uniqueArray(
  fc.record({
    validator: fc.stringMatching(/^[0-9a-f]{4}$/),
    power: fc.bigInt({ min: 0n, max: 6n }),
    price: fc.bigInt({ min: 1n, max: 5n }), // few prices: many ties
  }),
  { selector: (r) => r.validator, maxLength: 12 },
);

describe('weightedMedian', () => {
  it('matches the brute-force rule over random reports and powers (ties, exact halves)', () => {
    fc.assert(
      fc.property(reportsArb, (reports) => {
        expect(weightedMedian(reports)).toBe(bruteMedian(reports));
      }),
      { numRuns: 3000 },
    );
  });

  it('is independent of the input order', () => {
    fc.assert(
      fc.property(reportsArb, fc.integer(), (reports, seed) => {
        const shuffled = [...reports].sort(
          (a, b) =>
            ((seed ^ a.validator.charCodeAt(0)) % 7) - ((seed ^ b.validator.charCodeAt(0)) % 7),
        );
        expect(weightedMedian(shuffled)).toBe(weightedMedian(reports));
      }),
    );
  });

  it('takes the first price reaching exactly half (the lower one)', () => {
    const r = (validator: string, price: bigint, power: bigint) => ({ validator, price, power });
    expect(weightedMedian([r('b', 2n, 1n), r('a', 1n, 1n)])).toBe(1n);
    expect(weightedMedian([r('a', 1n, 50n), r('b', 2n, 50n)])).toBe(1n);
    expect(weightedMedian([r('a', 1n, 49n), r('b', 2n, 51n)])).toBe(2n);
    expect(weightedMedian([r('a', 1n, 30n), r('b', 2n, 20n), r('c', 3n, 50n)])).toBe(2n);
    // A tie on price: the validator order decides which report is the median (same price).
    expect(weightedMedian([r('b', 2n, 1n), r('a', 2n, 1n), r('c', 9n, 1n)])).toBe(2n);
    expect(weightedMedian([])).toBeUndefined();
    expect(weightedMedian([r('a', 5n, 0n)])).toBeUndefined();
  });
});

describe('quorum', () => {
  it('matches the brute-force rule, including exactly two thirds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: 300n }), (r, b) => {
        expect(hasQuorum(r, b)).toBe(bruteQuorum(r, b));
      }),
      { numRuns: 3000 },
    );
    expect(hasQuorum(2n, 3n)).toBe(true);
    expect(hasQuorum(66n, 100n)).toBe(false);
    expect(hasQuorum(67n, 100n)).toBe(true);
    expect(hasQuorum(0n, 0n)).toBe(false);
  });

  it('aggregateMarket reports the median, the reporting power and the quorum', () => {
    fc.assert(
      fc.property(reportsArb, fc.bigInt({ min: 0n, max: 80n }), (reports, extra) => {
        const power = reports.reduce((s, r) => s + r.power, 0n);
        const a = aggregateMarket(reports, power + extra);
        expect(a.median).toBe(bruteMedian(reports));
        expect(a.reportingPower).toBe(power);
        expect(a.reporters).toBe(reports.length);
        expect(a.quorum).toBe(bruteQuorum(power, power + extra));
      }),
      { numRuns: 2000 },
    );
  });
});
