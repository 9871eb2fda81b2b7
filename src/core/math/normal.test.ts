import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectCorrectlyRounded,
  expectWithinSpec,
  tables,
} from '../../../test/fixtures/math/reference.ts';
import { fromDecimalString, ONE, Rounding } from './fixed.ts';
import { NORM_CDF_CUTOFF, NORM_PDF_CUTOFF, normCdf, normPdf } from './normal.ts';

const d = (s: string): bigint => fromDecimalString(s);
const absB = (v: bigint): bigint => (v < 0n ? -v : v);

describe('normCdf', () => {
  it('has a reference table covering body and tails', () => {
    expect(tables.normCdf.length).toBeGreaterThanOrEqual(40);
  });

  it.each(tables.normCdf.map((r) => [r.x, r.y] as const))('Φ(%s) matches mpmath', (x, y) => {
    const got = normCdf(d(x));
    expectWithinSpec(got, y, `normCdf(${x})`);
    expectCorrectlyRounded(got, y, `normCdf(${x})`);
  });

  it('matches published values', () => {
    // Φ(1.96) = 0.9750021048517795…, Φ(−1) = 0.15865525393145705… (to the digits quoted)
    expect(absB(normCdf(d('1.96')) - 975_002_104_851_779_500n) <= 100n).toBe(true);
    expect(absB(normCdf(d('-1')) - 158_655_253_931_457_050n) <= 10n).toBe(true);
    // Φ(1) = 0.841344746068542948585…, Φ(−3) = 0.001349898031630094526…
    expect(normCdf(ONE)).toBe(841_344_746_068_542_949n);
    expect(normCdf(d('-3'))).toBe(1_349_898_031_630_095n);
    expect(normCdf(0n)).toBe(ONE / 2n);
    expect(normCdf(0n, Rounding.Floor)).toBe(ONE / 2n);
    // Standard quantiles (to 18 decimals) land exactly on the probabilities.
    expect(normCdf(d('1.644853626951472714'))).toBe(d('0.95'));
    expect(normCdf(d('1.959963984540054236'))).toBe(d('0.975'));
    expect(normCdf(d('-1.959963984540054236'))).toBe(d('0.025'));
    expect(normCdf(d('2.326347874040841100'))).toBe(d('0.99'));
    expect(normCdf(d('0.674489750196081743'))).toBe(d('0.75'));
  });

  it('clamps beyond the cutoff according to the rounding mode', () => {
    expect(NORM_CDF_CUTOFF).toBe(9n * ONE);
    for (const x of [NORM_CDF_CUTOFF, d('9.5'), d('40'), 10n ** 30n]) {
      expect(normCdf(x)).toBe(ONE);
      expect(normCdf(x, Rounding.Ceil)).toBe(ONE);
      expect(normCdf(x, Rounding.Floor)).toBe(ONE - 1n);
      expect(normCdf(-x)).toBe(0n);
      expect(normCdf(-x, Rounding.Floor)).toBe(0n);
      expect(normCdf(-x, Rounding.Ceil)).toBe(1n);
    }
    // Just inside the cutoff the computed value agrees with the clamped one.
    expect(normCdf(NORM_CDF_CUTOFF - 1n)).toBe(ONE);
    expect(normCdf(1n - NORM_CDF_CUTOFF, Rounding.Ceil)).toBe(1n);
    // Φ(−8.8) = 6.84e-19 → one unit; Φ(−8.9) = 2.79e-19 → 0.
    expect(normCdf(d('-8.8'))).toBe(1n);
    expect(normCdf(d('-8.9'))).toBe(0n);
  });

  it('Φ(x) + Φ(−x) = 1 exactly (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -12n * ONE, max: 12n * ONE }), (x) => {
        // The internal values are exact complements; a HalfEven tie (probability
        // ~2^-109) is the only way the rounded sum could differ from ONE.
        expect(normCdf(x) + normCdf(-x)).toBe(ONE);
        expect(normCdf(x, Rounding.Floor) + normCdf(-x, Rounding.Ceil)).toBe(ONE);
      }),
      { numRuns: 500 },
    );
  });

  it('stays within [0, 1] and is monotone (property)', () => {
    const arg = fc.bigInt({ min: -10n * ONE, max: 10n * ONE });
    fc.assert(
      fc.property(arg, arg, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const pl = normCdf(lo);
        const ph = normCdf(hi);
        expect(0n <= pl && pl <= ph && ph <= ONE).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is monotone across every interpolation-cell boundary', () => {
    // Grid points are i/8; cells switch at odd multiples of 1/16.
    for (let k = 1n; k < 144n; k += 2n) {
      const b = (k * ONE) / 16n;
      for (const x of [b, -b]) {
        const vs = [-2n, -1n, 0n, 1n, 2n].map((e) => normCdf(x + e));
        for (let i = 1; i < vs.length; i++) {
          expect(vs[i - 1]! <= vs[i]!, `Φ not monotone near ${x}`).toBe(true);
        }
        expect(absB(normPdf(x - 1n) - normPdf(x + 1n)) <= 1n).toBe(true);
      }
    }
  });

  it('its central difference matches φ (property)', () => {
    const h = 10n ** 12n; // 1e-6
    fc.assert(
      fc.property(fc.bigInt({ min: -8n * ONE, max: 8n * ONE }), (x) => {
        // Φ(x+h) − Φ(x−h) = 2hφ(x) + (h³/3)φ''(x) + …, |φ''| < 0.4: the remainder is
        // < 1.4e-19, plus three roundings of ½ unit each.
        const diff = normCdf(x + h) - normCdf(x - h);
        const expected = (2n * h * normPdf(x)) / ONE;
        expect(absB(diff - expected) <= 2n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('floor ≤ half-even ≤ ceil ≤ floor + 1 (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -10n * ONE, max: 10n * ONE }), (x) => {
        const fl = normCdf(x, Rounding.Floor);
        const he = normCdf(x, Rounding.HalfEven);
        const ce = normCdf(x, Rounding.Ceil);
        expect(fl <= he && he <= ce && ce - fl <= 1n).toBe(true);
        expect(normCdf(x, Rounding.Trunc)).toBe(fl);
      }),
      { numRuns: 200 },
    );
  });
});

describe('normPdf', () => {
  it.each(tables.normPdf.map((r) => [r.x, r.y] as const))('φ(%s) matches mpmath', (x, y) => {
    const got = normPdf(d(x));
    expectWithinSpec(got, y, `normPdf(${x})`);
    expectCorrectlyRounded(got, y, `normPdf(${x})`);
  });

  it('matches published values', () => {
    // φ(0) = 1/√(2π) = 0.398942280401432677939946…
    expect(normPdf(0n)).toBe(398_942_280_401_432_678n);
    expect(normPdf(0n)).toBe(d(tables.constants.invSqrt2Pi.slice(0, 20)) + 1n);
    // φ(1) = 0.241970724519143349797830…
    expect(normPdf(ONE)).toBe(241_970_724_519_143_350n);
    expect(normPdf(ONE, Rounding.Floor)).toBe(241_970_724_519_143_349n);
  });

  it('is symmetric (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -13n * ONE, max: 13n * ONE }), (x) => {
        expect(normPdf(x)).toBe(normPdf(-x));
      }),
      { numRuns: 300 },
    );
  });

  it('decreases away from zero (property)', () => {
    const arg = fc.bigInt({ min: 0n, max: 13n * ONE });
    fc.assert(
      fc.property(arg, arg, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(normPdf(lo) >= normPdf(hi)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('underflows to a tiny value in the far tails', () => {
    expect(NORM_PDF_CUTOFF).toBe(12n * ONE);
    for (const x of [NORM_PDF_CUTOFF, d('40'), 10n ** 30n]) {
      expect(normPdf(x)).toBe(0n);
      expect(normPdf(-x)).toBe(0n);
      expect(normPdf(x, Rounding.Ceil)).toBe(1n);
    }
    // φ(9) = 1.0279e-18 → 1 unit; φ(9.5) = 2.1e-20 → 0 (computed on the cold path).
    expect(normPdf(d('9'))).toBe(1n);
    expect(normPdf(d('9.5'))).toBe(0n);
    expect(normPdf(d('9.5'), Rounding.Ceil)).toBe(1n);
  });
});
