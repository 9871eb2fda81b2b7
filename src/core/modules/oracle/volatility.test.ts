import { describe, expect, it } from 'vitest';
import { fromDecimalString, ONE } from '../../math/index.ts';
import {
  annualized,
  ewmaVariance,
  logReturn,
  sigmaPerBlock,
  varianceOfAnnual,
} from './volatility.ts';

const d = (s: string) => fromDecimalString(s);
/** Within `ulps` units of the 18th decimal. */
const near = (got: bigint, want: bigint, ulps = 5n) =>
  expect(got > want ? got - want : want - got).toBeLessThanOrEqual(ulps);

describe('EWMA realized volatility', () => {
  it('follows a hand-computed series (λ = 0.9, prices 100, 110, 99, 99, 103.95)', () => {
    // Values computed with 50-digit decimals: r = ln(P_t / P_{t−1}),
    // var_t = 0.9·var_{t−1} + 0.1·r², σ = √var, σ_year = √(var · 31 536 000).
    const table = [
      {
        price: '110',
        r: '0.095310179804324860',
        v: '0.000908403037433273',
        s: '0.030139725238184794',
      },
      {
        price: '99',
        r: '-0.105360515657826301',
        v: '0.001927646559658252',
        s: '0.043904971924125543',
      },
      { price: '99', r: '0', v: '0.001734881903692427', s: '0.041651913565794633' },
      {
        price: '103.95',
        r: '0.048790164169432003',
        v: '0.001799441725291197',
        s: '0.042419827030425253',
      },
    ];
    const annual = [
      '169.255422921972314738',
      '246.556812733663155404',
      '233.904330260994479318',
      '238.216695990820901033',
    ];
    const lambda = d('0.9');
    let prev = d('100');
    let variance = 0n;
    table.forEach((row, i) => {
      const price = d(row.price);
      const r = logReturn(price, prev);
      near(r, d(row.r), 1n);
      variance = ewmaVariance(variance, r, lambda);
      near(variance, d(row.v), 3n);
      near(sigmaPerBlock(variance), d(row.s), 50n);
      // √ amplifies the variance's last-digit error by √(blocksPerYear)/2σ: a looser bound.
      near(annualized(variance, 31_536_000), d(annual[i] as string), 10n ** 6n);
      prev = price;
    });
  });

  it('converts an annual volatility to a per-block variance and back', () => {
    // The per-block variance (≈ 1.1e-8) keeps ≈ 10 significant digits in 18 decimals.
    const v = varianceOfAnnual(d('0.6'), 31_536_000);
    near(annualized(v, 31_536_000), d('0.6'), 10n ** 7n);
    expect(varianceOfAnnual(0n, 100)).toBe(0n);
    expect(ewmaVariance(0n, 0n, d('0.99'))).toBe(0n);
    expect(ewmaVariance(ONE, 0n, d('0.5'))).toBe(ONE / 2n);
  });
});
