import { describe, expect, it } from 'vitest';
import { fromDecimalString as dec, ONE } from '../../math/index.ts';
import { correlatedFraction } from './correlation.ts';

describe('correlatedFraction = min(1, base × (1 + m·S/T))', () => {
  it('matches hand-computed values', () => {
    const cases: [string, string, bigint, bigint, string][] = [
      // base, m, S, T, expected
      ['0.05', '3', 100n, 1000n, '0.065'], // one validator of 10 %
      ['0.05', '3', 300n, 1000n, '0.095'], // three of 10 % together
      ['0.05', '3', 1000n, 3000n, '0.1'], // a third of the stake: ×2
      ['0.05', '0', 300n, 1000n, '0.05'], // m = 0: the Cosmos default
      ['0.0001', '3', 500n, 1000n, '0.00025'],
      ['0.5', '3', 1000n, 1000n, '1'], // capped at 1
      ['0.05', '3', 0n, 1000n, '0.05'],
      ['0.05', '3', 10n, 0n, '0.05'], // no bonded power: no correlation term
      ['0', '3', 300n, 1000n, '0'],
    ];
    for (const [base, m, s, t, want] of cases) {
      expect(correlatedFraction(dec(base), dec(m), s, t), `${base} ${m} ${s}/${t}`).toBe(dec(want));
    }
  });

  it('rounds the correlation term up (against the slashed validator)', () => {
    // 0.05 × 3 × 1/3 = 0.05 exactly; 0.05 × 1 × 1/3 = 0.01666…67 rounded up.
    expect(correlatedFraction(dec('0.05'), ONE, 1n, 3n)).toBe(
      dec('0.05') + 16_666_666_666_666_667n,
    );
  });

  it('is monotone in S and never exceeds 1', () => {
    let last = 0n;
    for (let s = 0n; s <= 1000n; s += 50n) {
      const f = correlatedFraction(dec('0.3'), dec('3'), s, 1000n);
      expect(f).toBeGreaterThanOrEqual(last);
      expect(f).toBeLessThanOrEqual(ONE);
      last = f;
    }
    expect(last).toBe(ONE);
  });
});
