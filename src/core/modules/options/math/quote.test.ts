import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromDecimalString, ONE } from '../../../math/index.ts';
import { type OpenSeries, payoutAt, worstCasePayout } from './exposure.ts';
import { askPrice, bidPrice, premiumFor, proceedsFor, utilization } from './quote.ts';

const d = (s: string) => fromDecimalString(s);
const spread = { baseSpread: d('0.02'), skewSlope: d('0.1'), pMin: d('0.01'), pMax: d('0.99') };

describe('quotes', () => {
  it('ask = p + (1 − p)·(base + slope·u), bid = p·(1 − base)', () => {
    expect(askPrice(d('0.5'), 0n, spread)).toBe(d('0.51'));
    expect(askPrice(d('0.5'), d('0.5'), spread)).toBe(d('0.535')); // skew 0.07
    expect(bidPrice(d('0.5'), spread)).toBe(d('0.49'));
    // Clamped to [pMin, pMax].
    expect(askPrice(d('0.999'), ONE, spread)).toBe(d('0.99'));
    expect(bidPrice(d('0.001'), spread)).toBe(d('0.01'));
  });

  it('the ask grows with utilization, stays ≥ bid and ≤ pMax', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: ONE }), fc.bigInt({ min: 0n, max: ONE }), (p, u) => {
        const ask = askPrice(p, u, spread);
        expect(ask >= bidPrice(p, spread)).toBe(true);
        expect(askPrice(p, u + ONE / 10n, spread) >= ask).toBe(true);
        expect(ask <= spread.pMax && ask >= spread.pMin).toBe(true);
      }),
    );
  });

  it('rounds premiums up and proceeds down', () => {
    expect(premiumFor(3n, d('0.5'))).toBe(2n);
    expect(proceedsFor(3n, d('0.5'))).toBe(1n);
    expect(premiumFor(1_000_000n, d('0.523456'))).toBe(523_456n);
    expect(utilization(0n, 0n)).toBe(0n);
    expect(utilization(5n, 0n)).toBe(ONE);
    expect(utilization(1n, 3n)).toBe(333_333_333_333_333_334n);
  });
});

const s = (kind: 'call' | 'put', strike: string, open: bigint, group = 'g'): OpenSeries => ({
  group,
  kind,
  strike: d(strike),
  open,
  openCost: open / 2n,
});

describe('worst-case payout', () => {
  it('a call and a put at one strike never both pay', () => {
    expect(worstCasePayout([s('call', '3000', 100n), s('put', '3000', 70n)])).toBe(100n);
  });

  it('a put above a call both pay between the strikes', () => {
    // call 2900 pays at S ≥ 2900, put 3100 pays at S < 3100: both in [2900, 3100).
    expect(worstCasePayout([s('call', '2900', 10n), s('put', '3100', 20n)])).toBe(30n);
    expect(payoutAt([s('call', '2900', 10n), s('put', '3100', 20n)], d('3100'))).toBe(10n);
  });

  it('separate groups add up; the refund at cost is a floor', () => {
    const a = s('call', '3000', 100n, 'a');
    const b = s('put', '3000', 50n, 'b');
    expect(worstCasePayout([a, b])).toBe(150n);
    const expensive = { ...s('call', '3000', 10n), openCost: 12n };
    expect(worstCasePayout([expensive])).toBe(12n);
    expect(worstCasePayout([])).toBe(0n);
  });

  it('is the maximum of the payout over any settlement price', () => {
    const series = fc.array(
      fc.record({
        kind: fc.constantFrom('call' as const, 'put' as const),
        strike: fc.integer({ min: 1, max: 20 }),
        open: fc.bigInt({ min: 0n, max: 1000n }),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(series, (xs) => {
        const open = xs.map((x) => ({
          group: 'g',
          kind: x.kind,
          strike: BigInt(x.strike) * ONE,
          open: x.open,
          openCost: 0n,
        }));
        let brute = 0n;
        for (let p = 0; p <= 21; p++) {
          const v = payoutAt(open, BigInt(p) * ONE);
          if (v > brute) brute = v;
        }
        expect(worstCasePayout(open)).toBe(brute);
      }),
    );
  });
});
