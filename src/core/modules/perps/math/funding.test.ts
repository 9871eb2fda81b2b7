import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fundingPayment,
  fundingPremium,
  fundingRate,
  fundingRateCap,
  scaleFundingRate,
  settleFunding,
} from './funding.ts';
import { dec, usd } from './testing.ts';

describe('funding (hand-computed, acceptance 4)', () => {
  const index = dec('50000');

  it('premium samples: (max(0, bid − index) − max(0, index − ask)) / index', () => {
    // Impact bid above the index: (50,100 − 50,000) / 50,000 = 0.2 %.
    expect(fundingPremium(dec('50100'), dec('50150'), index)).toBe(dec('0.002'));
    // Impact ask below: −(50,000 − 49,950) / 50,000 = −0.1 %.
    expect(fundingPremium(dec('49900'), dec('49950'), index)).toBe(dec('-0.001'));
    // Index inside the impact spread: 0. A missing side: 0.
    expect(fundingPremium(dec('49990'), dec('50010'), index)).toBe(0n);
    expect(fundingPremium(undefined, dec('49950'), index)).toBe(0n);
    // Truncation toward zero: 1 raw unit over an index of 3 → 0.333… → 0.333333333333333333.
    expect(fundingPremium(dec('4') + 1n, dec('5'), dec('3'))).toBe(dec('0.333333333333333333'));
  });

  it('rate: mean premium, Hyperliquid interest clamp, dYdX cap', () => {
    const hl = { interestRate: dec('0.0001'), interestClamp: dec('0.0005'), cap: dec('0.04') };
    // Samples 0.2 %, −0.1 %, 0 → mean 0.0333…% ; |0.01 % − mean| < 0.05 % → F = interest.
    const samples = [dec('0.002'), dec('-0.001'), 0n];
    expect(fundingRate(samples, hl)).toBe(dec('0.0001'));
    // Mean 0.2 %: 0.01 % − 0.2 % = −0.19 % → clamped to −0.05 % → F = 0.15 %.
    expect(fundingRate([dec('0.002')], hl)).toBe(dec('0.0015'));
    // Mean −0.3 %: 0.01 % + 0.3 % → +0.05 % → F = −0.25 %.
    expect(fundingRate([dec('-0.003')], hl)).toBe(dec('-0.0025'));
    // dYdX form (no interest clamp): F = mean + interest = 0.000333333333333333 + 0.0001.
    expect(fundingRate(samples, { interestRate: dec('0.0001'), cap: dec('1') })).toBe(
      dec('0.000433333333333333'),
    );
    // dYdX cap: 600 % × (imf − mmf) = 6 × (5 % − 3 %) = 12 %.
    const cap = fundingRateCap(dec('0.05'), dec('0.03'), dec('6'));
    expect(cap).toBe(dec('0.12'));
    expect(fundingRate([dec('0.5')], { interestRate: 0n, cap })).toBe(dec('0.12'));
    expect(fundingRate([dec('-0.5')], { interestRate: 0n, cap })).toBe(dec('-0.12'));
    // No samples: the interest alone (clamped).
    expect(fundingRate([], hl)).toBe(dec('0.0001'));
    // 8-hour rate paid hourly: / 8.
    expect(scaleFundingRate(dec('0.0015'), 8 * 3_600_000, 3_600_000)).toBe(dec('0.0001875'));
  });

  it('payment: size × price × rate, longs pay when positive', () => {
    // Long 2 BTC at 50,000 with 0.15 %: 2 × 50,000 × 0.0015 = 150 USD paid.
    expect(fundingPayment(dec('2'), dec('0.0015'), index)).toBe(usd('150'));
    // The matching short receives 150.
    expect(fundingPayment(dec('-2'), dec('0.0015'), index)).toBe(usd('-150'));
    // Negative rate: the short pays.
    expect(fundingPayment(dec('-2'), dec('-0.0015'), index)).toBe(usd('150'));
    // Rounding up: 7 units × 1 USD × 0.0000015 = 10.5 uusd → pays 11; receiving rounds to −10.
    expect(fundingPayment(dec('7'), dec('0.0000015'), dec('1'))).toBe(11n);
    expect(fundingPayment(dec('-7'), dec('0.0000015'), dec('1'))).toBe(-10n);
  });

  it('settlement distributes exactly (largest remainder, ties by owner)', () => {
    // Rate 0.00015 %, price 1 USD: a (long 10) pays 15 uusd. Receivers' shares of 15 by size:
    // b 3/10 → 4.5, c 3/10 → 4.5, d 4/10 → 6 → floors 4, 4, 6 (14); the 1 uusd left goes to the
    // largest remainder — b and c tie at .5 → b (owner order).
    const out = settleFunding(
      [
        { owner: 'd', size: dec('-4') },
        { owner: 'c', size: dec('-3') },
        { owner: 'a', size: dec('10') },
        { owner: 'b', size: dec('-3') },
      ],
      dec('0.0000015'),
      dec('1'),
    );
    expect(out).toEqual([
      { owner: 'd', payment: -6n },
      { owner: 'c', payment: -4n },
      { owner: 'a', payment: 15n },
      { owner: 'b', payment: -5n },
    ]);
    // Nobody on the receiving side: nobody pays.
    expect(settleFunding([{ owner: 'a', size: dec('1') }], dec('0.01'), dec('1'))).toEqual([
      { owner: 'a', payment: 0n },
    ]);
    expect(() =>
      settleFunding(
        [
          { owner: 'a', size: 1n },
          { owner: 'a', size: -1n },
        ],
        1n,
        1n,
      ),
    ).toThrow(RangeError);
  });

  it('property: settlement nets to zero; payers pay their rounded-up amount', () => {
    const party = fc.record({
      size: fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
    });
    fc.assert(
      fc.property(
        fc.array(party, { maxLength: 12 }),
        fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }),
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        (parties, rate, price) => {
          const positions = parties.map((p, i) => ({ owner: `o${i}`, size: p.size }));
          const out = settleFunding(positions, rate, price);
          let sum = 0n;
          for (const o of out) sum += o.payment;
          expect(sum).toBe(0n);
          const anyReceiver = positions.some((p) => (rate > 0n ? p.size < 0n : p.size > 0n));
          out.forEach((o, i) => {
            const size = positions[i]!.size;
            const pays = rate > 0n ? size > 0n : rate < 0n && size < 0n;
            if (pays && anyReceiver) expect(o.payment).toBe(fundingPayment(size, rate, price));
            if (!pays) expect(o.payment).toBeLessThanOrEqual(0n);
          });
        },
      ),
    );
  });
});
