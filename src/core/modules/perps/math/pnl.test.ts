import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rounding } from '../../../math/index.ts';
import { initialMarginRequirement, maintenanceMarginRequirement } from './margin.ts';
import { applyFill, equity, unrealizedPnl } from './pnl.ts';
import { dec, usd } from './testing.ts';
import { notional, priceFromTicks, sizeFromQuantums } from './units.ts';

describe('units', () => {
  it('notional = |size| · price / 10^30 uusd', () => {
    // 2 BTC × 50,000 USD = 100,000 USD = 10^11 uusd.
    expect(notional(dec('2'), dec('50000'))).toBe(usd('100000'));
    expect(notional(dec('-2'), dec('50000'))).toBe(usd('100000'));
    // 1 raw unit of size × 1 USD = 10^-18 USD: rounds up to 1 uusd, down to 0.
    expect(notional(1n, dec('1'))).toBe(1n);
    expect(notional(1n, dec('1'), Rounding.Floor)).toBe(0n);
  });

  it('converts book ticks and quantums', () => {
    expect(priceFromTicks(50_000, dec('1'))).toBe(dec('50000'));
    expect(sizeFromQuantums(3, dec('0.001'))).toBe(dec('0.003'));
  });
});

describe('unrealizedPnl and equity', () => {
  it('hand-computed', () => {
    // Long 2 BTC from 50,000 marked at 46,000: 2 × (−4,000) = −8,000 USD.
    expect(unrealizedPnl(dec('2'), dec('50000'), dec('46000'))).toBe(usd('-8000'));
    // Short 1.5 ETH from 3,000 marked at 2,900: −1.5 × (−100) = +150 USD.
    expect(unrealizedPnl(dec('-1.5'), dec('3000'), dec('2900'))).toBe(usd('150'));
    // 10,000 USD collateral with both: 10,000 − 8,000 + 150 = 2,150 USD.
    expect(
      equity(usd('10000'), [
        { size: dec('2'), entryPrice: dec('50000'), mark: dec('46000') },
        { size: dec('-1.5'), entryPrice: dec('3000'), mark: dec('2900') },
      ]),
    ).toBe(usd('2150'));
    // −1 raw unit × 1 USD move = −10^-18 USD → floor → −1 uusd.
    expect(unrealizedPnl(-1n, dec('1'), dec('2'))).toBe(-1n);
  });

  it('margin requirements (hand-computed)', () => {
    // IMR: 2 BTC × 46,000 × 10 % = 9,200; + 1.5 ETH × 2,900 × 5 % = 217.5 → 9,417.5 USD.
    const items = [
      { size: dec('2'), mark: dec('46000'), fraction: dec('0.1') },
      { size: dec('-1.5'), mark: dec('2900'), fraction: dec('0.05') },
    ];
    expect(initialMarginRequirement(items)).toBe(usd('9417.5'));
    // A fraction of a uusd rounds up: 1 raw unit × 1 USD × 0.5 → 1 uusd.
    expect(maintenanceMarginRequirement([{ size: 1n, mark: dec('1'), fraction: dec('0.5') }])).toBe(
      1n,
    );
  });

  it('property: PnL of a matched long and short sums to 0 (or −1 uusd of rounding) at any mark', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        (size, entry, mark) => {
          const sum = unrealizedPnl(size, entry, mark) + unrealizedPnl(-size, entry, mark);
          expect(sum === 0n || sum === -1n).toBe(true);
          // Exactly zero when the exact PnL is a whole number of uusd.
          if ((size * (mark - entry)) % 10n ** 30n === 0n) expect(sum).toBe(0n);
        },
      ),
    );
  });
});

describe('applyFill', () => {
  it('averages, reduces, flips (hand-computed)', () => {
    // Long 1 @ 100, buy 1 @ 200 → long 2 @ 150.
    expect(applyFill({ size: dec('1'), entryPrice: dec('100') }, dec('1'), dec('200'))).toEqual({
      size: dec('2'),
      entryPrice: dec('150'),
      realizedPnl: 0n,
    });
    // Long 2 @ 150, sell 0.5 @ 170 → realize 0.5 × 20 = 10 USD, long 1.5 @ 150.
    expect(applyFill({ size: dec('2'), entryPrice: dec('150') }, dec('-0.5'), dec('170'))).toEqual({
      size: dec('1.5'),
      entryPrice: dec('150'),
      realizedPnl: usd('10'),
    });
    // Long 1.5 @ 150, sell 2 @ 140 → realize 1.5 × −10 = −15 USD, short 0.5 @ 140.
    expect(applyFill({ size: dec('1.5'), entryPrice: dec('150') }, dec('-2'), dec('140'))).toEqual({
      size: dec('-0.5'),
      entryPrice: dec('140'),
      realizedPnl: usd('-15'),
    });
    // Close exactly → flat.
    expect(
      applyFill({ size: dec('-0.5'), entryPrice: dec('140') }, dec('0.5'), dec('150')),
    ).toEqual({
      size: 0n,
      entryPrice: 0n,
      realizedPnl: usd('-5'),
    });
    // Averaging rounds against the holder: long 1 @ 1 raw + 2 @ 2 raw = 5/3 raw → 2; short → 1.
    expect(applyFill({ size: 1n, entryPrice: 1n }, 2n, 2n).entryPrice).toBe(2n);
    expect(applyFill({ size: -1n, entryPrice: 1n }, -2n, 2n).entryPrice).toBe(1n);
  });
});
