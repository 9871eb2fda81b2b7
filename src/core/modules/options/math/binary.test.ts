import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exp, fromDecimalString, mul, ONE, Rounding } from '../../../math/index.ts';
import {
  type BinaryInputs,
  binaryPrice,
  d2,
  effectiveVolatility,
  MS_PER_YEAR,
  pays,
  totalVariance,
  yearsToExpiry,
} from './binary.ts';

const d = (s: string) => fromDecimalString(s);
const absB = (v: bigint) => (v < 0n ? -v : v);
/** σ²·T for a plain Black–Scholes input. */
const bsVariance = (sigma: bigint, years: bigint) =>
  totalVariance({ sigma, years, oracleNoise: 0n, blockVariance: 0n, delayBlocks: 0 });

describe('binaryPrice against published values', () => {
  it("Haug's cash-or-nothing put: S=100, K=80, r=q=0.06, T=0.75, σ=0.35, payout 10 → 2.6710", () => {
    const i: BinaryInputs = {
      kind: 'put',
      spot: d('100'),
      strike: d('80'),
      rate: d('0.06'),
      carry: d('0.06'),
      years: d('0.75'),
      variance: bsVariance(d('0.35'), d('0.75')),
    };
    const put10 = 10n * binaryPrice(i);
    expect(absB(put10 - d('2.6710')) <= d('0.0001')).toBe(true);
    // Closer: the double-precision evaluation of the same formula gives 2.67104568446135.
    expect(absB(put10 - d('2.67104568446135')) <= d('0.000000000001')).toBe(true);
    // The call of the same pair: 6.88892913386965.
    const call10 = 10n * binaryPrice({ ...i, kind: 'call' });
    expect(absB(call10 - d('6.88892913386965')) <= d('0.000000000001')).toBe(true);
  });

  it('d2 matches its definition on the Haug inputs', () => {
    const x = d2({
      spot: d('100'),
      strike: d('80'),
      rate: d('0.06'),
      carry: d('0.06'),
      years: d('0.75'),
      variance: bsVariance(d('0.35'), d('0.75')),
    });
    // (ln 1.25 − 0.06125·0.75) / (0.35·√0.75) = 0.58462835101880 (double precision)
    expect(absB(x - d('0.58462835101880')) <= d('0.000000000001')).toBe(true);
  });
});

// Random inputs over the ranges a listing can take.
const decIn = (lo: bigint, hi: bigint) => fc.bigInt({ min: lo, max: hi });
const inputs = fc.record({
  spot: decIn(ONE / 100n, 100_000n * ONE),
  strike: decIn(ONE / 100n, 100_000n * ONE),
  rate: decIn(0n, ONE / 5n),
  carry: decIn(0n, ONE / 5n),
  years: decIn(0n, 5n * ONE),
  sigma: decIn(0n, 3n * ONE),
  noise: decIn(0n, ONE / 100n),
});

describe('binaryPrice laws', () => {
  it('call + put = e^{−rT} to 1e-12 on random inputs', () => {
    fc.assert(
      fc.property(inputs, (r) => {
        const variance = totalVariance({
          sigma: r.sigma,
          years: r.years,
          oracleNoise: r.noise,
          blockVariance: 0n,
          delayBlocks: 0,
        });
        const base = { ...r, variance };
        const c = binaryPrice({ ...base, kind: 'call' });
        const p = binaryPrice({ ...base, kind: 'put' });
        const disc = exp(-mul(r.rate, r.years, Rounding.HalfEven));
        expect(absB(c + p - disc) <= 1_000_000n).toBe(true); // 1e-12
        expect(c >= 0n && p >= 0n && c <= disc && p <= disc).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the call rises and the put falls with the spot', () => {
    fc.assert(
      fc.property(inputs, decIn(1n, 1_000n * ONE), (r, bump) => {
        const variance = bsVariance(r.sigma, r.years) + 1n;
        const base = { ...r, variance };
        const up = { ...base, spot: r.spot + bump };
        expect(binaryPrice({ ...up, kind: 'call' }) >= binaryPrice({ ...base, kind: 'call' })).toBe(
          true,
        );
        expect(binaryPrice({ ...up, kind: 'put' }) <= binaryPrice({ ...base, kind: 'put' })).toBe(
          true,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('tends to the payoff as T → 0 (no oracle noise) and to ½ at the money', () => {
    const at = (spot: string, years: string) =>
      binaryPrice({
        kind: 'call',
        spot: d(spot),
        strike: d('3000'),
        rate: d('0.05'),
        carry: 0n,
        years: d(years),
        variance: bsVariance(d('0.8'), d(years)),
      });
    // One second before expiry, 1 % in the money: worth all but nothing of the payout.
    const second = '0.0000000317';
    expect(at('3030', second) > d('0.999999')).toBe(true);
    expect(at('2970', second) < d('0.000001')).toBe(true);
    expect(absB(at('3000', second) - ONE / 2n) < d('0.001')).toBe(true);
    // At T = 0 exactly: the settlement rule (a call pays at S ≥ K).
    expect(at('3000', '0')).toBe(ONE);
    expect(at('2999.99', '0')).toBe(0n);
    // Further from expiry the price is less certain.
    expect(at('3030', '0.01') < at('3030', second)).toBe(true);
  });

  it('with oracle noise the price stays uncertain at T → 0 (smooth in S)', () => {
    const noise = d('0.002');
    const at = (spot: string) =>
      binaryPrice({
        kind: 'call',
        spot: d(spot),
        strike: d('3000'),
        rate: 0n,
        carry: 0n,
        years: 0n,
        variance: totalVariance({
          sigma: d('0.8'),
          years: 0n,
          oracleNoise: noise,
          blockVariance: 0n,
          delayBlocks: 0,
        }),
      });
    // 0.1 % above the strike is half a noise σ: N(0.5 − 0.001) ≈ 0.691.
    expect(absB(at('3003') - d('0.6911')) < d('0.001')).toBe(true);
    expect(absB(at('3000') - ONE / 2n) < d('0.001')).toBe(true);
  });
});

describe('totalVariance and helpers', () => {
  it('adds the oracle noise and the variance accrued over the reporting delay', () => {
    const v = totalVariance({
      sigma: d('0.8'),
      years: d('0.5'),
      oracleNoise: d('0.01'),
      blockVariance: d('0.000001'),
      delayBlocks: 3,
    });
    // 0.64·0.5 + 0.0001 + 3·0.000001
    expect(v).toBe(d('0.320103'));
    const sigmaEff = effectiveVolatility(v, d('0.5'));
    expect(sigmaEff !== undefined && sigmaEff > d('0.8')).toBe(true);
    expect(effectiveVolatility(v, 0n)).toBeUndefined();
  });

  it('years to expiry and the settlement rule', () => {
    expect(yearsToExpiry(0, Number(MS_PER_YEAR))).toBe(ONE);
    expect(yearsToExpiry(10, 5)).toBe(0n);
    expect(pays('call', d('3000'), d('3000'))).toBe(true);
    expect(pays('put', d('3000'), d('3000'))).toBe(false);
    expect(pays('put', d('3000'), d('2999'))).toBe(true);
  });

  it('refuses non-positive prices', () => {
    const bad = {
      kind: 'call' as const,
      spot: 0n,
      strike: ONE,
      rate: 0n,
      carry: 0n,
      years: ONE,
      variance: ONE,
    };
    expect(() => binaryPrice(bad)).toThrow(RangeError);
  });
});
