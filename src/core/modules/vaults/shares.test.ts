import { describe, expect, it } from 'vitest';
import { ONE } from '../../math/index.ts';
import { freeCapital, sharePrice, sharesForDeposit, valueOfShares } from './shares.ts';

describe('share arithmetic (hand-computed)', () => {
  it('the first deposit mints one share per uusd base unit', () => {
    expect(sharesForDeposit(1_000_000n, 0n, 0n)).toBe(1_000_000n * ONE);
    expect(sharePrice(0n, 0n)).toBe(ONE);
  });

  it('later deposits mint at equity per share, rounded down', () => {
    // 1e6 shares (1e24 raw) over 1_500_000 uusd: price 1.5, 3_000_000 uusd buys 2e6 shares.
    expect(sharesForDeposit(3_000_000n, 1_500_000n, 10n ** 24n)).toBe(2n * 10n ** 24n);
    // 1e24 raw over 1_000_001: 10^30 / 1_000_001 = 999999000000999999000000.99… → floor.
    expect(sharesForDeposit(1_000_000n, 1_000_001n, 10n ** 24n)).toBe(
      999_999_000_000_999_999_000_000n,
    );
    expect(() => sharesForDeposit(1n, 0n, 1n)).toThrow(RangeError);
  });

  it('values shares at equity per share, rounded down; nothing when equity ≤ 0', () => {
    const total = 1_999_999_000_000_999_999_000_000n;
    expect(valueOfShares(10n ** 24n, 2_000_001n, total)).toBe(1_000_001n);
    expect(valueOfShares(999_999_000_000_999_999_000_000n, 2_000_001n, total)).toBe(999_999n);
    expect(valueOfShares(10n ** 24n, 0n, total)).toBe(0n);
    expect(valueOfShares(10n ** 24n, -5n, total)).toBe(0n);
    expect(valueOfShares(0n, 100n, total)).toBe(0n);
  });

  it('prices one share in uusd with 18 decimals', () => {
    expect(sharePrice(1_500_000n, 10n ** 24n)).toBe((3n * ONE) / 2n);
    expect(sharePrice(2_000_001n, 1_999_999_000_000_999_999_000_000n)).toBe(
      1_000_001_000_000_000_000n,
    );
    expect(sharePrice(-1_000_000n, 10n ** 24n)).toBe(-ONE);
  });

  it('free capital = max(0, min(equity, cash) − locked)', () => {
    expect(freeCapital(1_000n, 1_000n, 300n)).toBe(700n);
    expect(freeCapital(1_200n, 1_000n, 300n)).toBe(700n); // unrealized gains are not cash
    expect(freeCapital(800n, 1_000n, 300n)).toBe(500n); // unrealized losses count
    expect(freeCapital(200n, 1_000n, 300n)).toBe(0n);
    expect(freeCapital(-50n, 1_000n, 0n)).toBe(0n);
  });
});
