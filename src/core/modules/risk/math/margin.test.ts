import { describe, expect, it } from 'vitest';
import { fromDecimalString as dec, ONE } from '../../../math/index.ts';
import {
  currentMarginFractions,
  dynamicImf,
  maintenanceFraction,
  marketMarginFractions,
  oiScaledImf,
} from './margin.ts';

/** uusd from whole USD. */
const usd = (n: bigint): bigint => n * 1_000_000n;

describe('OI-scaled margin (hand-computed, acceptance 4)', () => {
  // dYdX liquidity tier: imf 5 %, lower cap 1,000,000 USD, upper cap 5,000,000 USD.
  const L = usd(1_000_000n);
  const U = usd(5_000_000n);
  const imf = dec('0.05');

  it('imf + max(0, (OI − L)/(U − L)) · (1 − imf), capped at 1', () => {
    // Below the lower cap: the base fraction.
    expect(oiScaledImf(imf, usd(500_000n), L, U)).toBe(imf);
    expect(oiScaledImf(imf, L, L, U)).toBe(imf);
    // OI 2,000,000: (1M / 4M) × 0.95 = 0.2375 → 0.2875 (max leverage ≈ 3.48×).
    expect(oiScaledImf(imf, usd(2_000_000n), L, U)).toBe(dec('0.2875'));
    // OI 3,000,000: 0.5 × 0.95 = 0.475 → 0.525.
    expect(oiScaledImf(imf, usd(3_000_000n), L, U)).toBe(dec('0.525'));
    // At and above the upper cap: 1 (no leverage).
    expect(oiScaledImf(imf, U, L, U)).toBe(ONE);
    expect(oiScaledImf(imf, usd(9_000_000n), L, U)).toBe(ONE);
    // Rounding up: imf 0, L 0, U 3 uusd, OI 1 uusd → 1/3 → 0.333333333333333334.
    expect(oiScaledImf(0n, 1n, 0n, 3n)).toBe(dec('0.333333333333333334'));
    // L = U = 0 disables the scaling; otherwise U ≤ L is refused.
    expect(oiScaledImf(imf, usd(9_000_000n), 0n, 0n)).toBe(imf);
    expect(() => oiScaledImf(imf, 1n, U, L)).toThrow(RangeError);
  });

  it('dynamic imf = max(base, k · σ_annual · √(horizon / year))', () => {
    // σ 80 %/yr, horizon 100 blocks of 40,000/yr → √(1/400) = 0.05 → σ_h 4 %; k 3 → 12 %.
    const input = {
      base: dec('0.05'),
      k: dec('3'),
      sigmaAnnual: dec('0.8'),
      horizonBlocks: 100,
      blocksPerYear: 40_000,
    };
    expect(dynamicImf(input)).toBe(dec('0.12'));
    // σ 20 %: 3 × 1 % = 3 % < base → 5 %.
    expect(dynamicImf({ ...input, sigmaAnnual: dec('0.2') })).toBe(dec('0.05'));
    // Huge σ: capped at 1.
    expect(dynamicImf({ ...input, sigmaAnnual: dec('100') })).toBe(ONE);
    // Rounding up: σ 1, horizon 1/3 year → √(1/3) = 0.577350269189625764507… → …765; k 1.
    expect(
      dynamicImf({ base: 0n, k: ONE, sigmaAnnual: ONE, horizonBlocks: 1, blocksPerYear: 3 }),
    ).toBe(dec('0.577350269189625765'));
  });

  it('maintenance = ratio × initial; the composition', () => {
    expect(maintenanceFraction(dec('0.12'), dec('0.5'))).toBe(dec('0.06'));
    expect(maintenanceFraction(1n, dec('0.5'))).toBe(1n); // 0.5 raw → up
    // Dynamic 12 % then OI 2,000,000 on the tier above: 0.12 + 0.25 × 0.88 = 0.34; mmf 0.17.
    expect(
      marketMarginFractions(
        {
          base: dec('0.05'),
          k: dec('3'),
          sigmaAnnual: dec('0.8'),
          horizonBlocks: 100,
          blocksPerYear: 40_000,
        },
        usd(2_000_000n),
        L,
        U,
        dec('0.5'),
      ),
    ).toEqual({ imf: dec('0.34'), mmf: dec('0.17') });
  });

  it('current fractions from the per-block σ: k · σ_block · √horizon, then OI scaling', () => {
    const input = {
      baseImf: dec('0.05'),
      k: dec('4'),
      sigmaPerBlock: dec('0.0005'),
      horizonBlocks: 3_600,
      oi: 0n,
      lower: usd(500_000n),
      upper: usd(5_000_000n),
      mmfRatio: dec('0.6'),
    };
    // 4 · 0.0005 · √3600 = 0.12; mmf 0.072.
    expect(currentMarginFractions(input)).toEqual({ imf: dec('0.12'), mmf: dec('0.072') });
    // OI 1,400,000: 0.12 + (900,000 / 4,500,000) · 0.88 = 0.296; mmf 0.1776.
    expect(currentMarginFractions({ ...input, oi: usd(1_400_000n) })).toEqual({
      imf: dec('0.296'),
      mmf: dec('0.1776'),
    });
    // k = 0 (or σ = 0): the base.
    expect(currentMarginFractions({ ...input, k: 0n })).toEqual({
      imf: dec('0.05'),
      mmf: dec('0.03'),
    });
  });
});
