import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromDecimalString as dec } from '../../../math/index.ts';
import { checkOiCap, oiCapFromVault, oiCapMessage, requiredCredit } from './caps.ts';
import {
  costOfCorruption,
  maxMoveOverWindow,
  oiCapsFromSecurityBudget,
  profitFromCorruption,
  securityBudget,
  securityCheck,
  stakeToOiRatio,
} from './security.ts';

/** uusd from whole USD. */
const usd = (n: bigint): bigint => n * 1_000_000n;

describe('security budget (hand-computed)', () => {
  it('largest move the breaker allows over an attack window', () => {
    const breaker = { maxMovePerBlock: dec('0.05'), maxMovePerWindow: dec('0.25') };
    // 1 block: 5 %.
    expect(maxMoveOverWindow({ ...breaker, breakerWindowBlocks: 600, attackBlocks: 1 })).toBe(
      dec('0.05'),
    );
    // 10 blocks: min(1.05^10 = 1.6288946…, 1.25^2 = 1.5625) − 1 = 56.25 % (two windows).
    expect(maxMoveOverWindow({ ...breaker, breakerWindowBlocks: 600, attackBlocks: 10 })).toBe(
      dec('0.5625'),
    );
    // 5 blocks: 1.05^5 − 1 = 0.2762815625 < 0.5625.
    expect(maxMoveOverWindow({ ...breaker, breakerWindowBlocks: 600, attackBlocks: 5 })).toBe(
      dec('0.2762815625'),
    );
    // 1,200 blocks, window 600: min(1.05^1200 ≈ 2.6e25, 1.25^3) − 1 = 0.953125.
    expect(maxMoveOverWindow({ ...breaker, breakerWindowBlocks: 600, attackBlocks: 1200 })).toBe(
      dec('0.953125'),
    );
    // 100 % per block over 1,000 blocks: 2^1000 is beyond the math bound (∞); the window wins.
    expect(
      maxMoveOverWindow({
        maxMovePerBlock: dec('1'),
        maxMovePerWindow: dec('0.25'),
        breakerWindowBlocks: 1000,
        attackBlocks: 1000,
      }),
    ).toBe(dec('0.5625'));
  });

  it('PfC, CoC, budget, caps, stake-to-OI', () => {
    // PfC: 10,000,000 USD of OI × 56.25 % = 5,625,000 USD.
    expect(profitFromCorruption(usd(10_000_000n), dec('0.5625'))).toBe(usd(5_625_000n));
    // CoC: 100,000,000 BWK bonded (10^14 ubwk) × ½ × 2 USD × 50 % slashable = 50,000,000 USD.
    const coc = costOfCorruption({
      bondedStake: 10n ** 14n,
      thresholdFraction: dec('0.5'),
      bwkPrice: dec('2'),
      slashableFraction: dec('0.5'),
    });
    expect(coc).toBe(usd(50_000_000n));
    // γ = 25 %: budget 50M / 1.25 = 40,000,000 USD.
    expect(securityBudget(coc, dec('0.25'))).toBe(usd(40_000_000n));
    // BTC weight 3, move 56.25 %: 30M → cap 53,333,333.333333 USD (floored to the uusd);
    // ETH weight 1, move 80 %: 10M → cap 12,500,000 USD.
    const caps = oiCapsFromSecurityBudget(
      [
        { id: 'BTC-USD', maxMove: dec('0.5625'), weight: 3n },
        { id: 'ETH-USD', maxMove: dec('0.8'), weight: 1n },
      ],
      coc,
      dec('0.25'),
    );
    expect(caps).toEqual([
      { id: 'BTC-USD', budget: usd(30_000_000n), cap: 53_333_333_333_333n },
      { id: 'ETH-USD', budget: usd(10_000_000n), cap: usd(12_500_000n) },
    ]);
    // At the caps, Σ PfC = 30,000,000 (29,999,999.9999998 rounded up) + 10,000,000 ≤ budget.
    expect(
      securityCheck(
        [
          { oi: 53_333_333_333_333n, maxMove: dec('0.5625') },
          { oi: usd(12_500_000n), maxMove: dec('0.8') },
        ],
        coc,
        dec('0.25'),
      ),
    ).toEqual({ pfc: usd(40_000_000n), budget: usd(40_000_000n), ok: true });
    expect(
      securityCheck([{ oi: usd(12_500_001n), maxMove: dec('0.8') }], usd(10_000_000n), 0n).ok,
    ).toBe(false);
    // Stake value 200,000,000 USD over OI 50,000,000 USD: 4.
    expect(stakeToOiRatio(usd(200_000_000n), usd(50_000_000n))).toBe(dec('4'));
    expect(stakeToOiRatio(1n, 0n)).toBeNull();
  });

  it('property: caps are monotone in CoC and keep Σ PfC within the budget', () => {
    const market = fc.record({
      maxMove: fc.bigInt({ min: 1n, max: 10n ** 19n }),
      weight: fc.bigInt({ min: 0n, max: 1000n }),
    });
    fc.assert(
      fc.property(
        fc.array(market, { minLength: 1, maxLength: 8 }),
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.bigInt({ min: 0n, max: 10n ** 18n }),
        (ms, a, b, gamma) => {
          const markets = ms.map((m, i) => ({ id: `m${i}`, ...m }));
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const capsLo = oiCapsFromSecurityBudget(markets, lo, gamma);
          const capsHi = oiCapsFromSecurityBudget(markets, hi, gamma);
          capsLo.forEach((c, i) => {
            expect(c.cap).toBeLessThanOrEqual(capsHi[i]!.cap);
          });
          const check = securityCheck(
            capsHi.map((c, i) => ({ oi: c.cap, maxMove: markets[i]!.maxMove })),
            hi,
            gamma,
          );
          expect(check.ok).toBe(true);
          // Every subset of markets too (the sum of non-negative terms).
          const half = securityCheck(
            capsHi
              .filter((_, i) => i % 2 === 0)
              .map((c, i) => ({ oi: c.cap, maxMove: markets[2 * i]!.maxMove })),
            hi,
            gamma,
          );
          expect(half.ok).toBe(true);
        },
      ),
    );
  });
});

describe('OI caps', () => {
  it('vault capacity and required credit (Synthetix)', () => {
    // Vault 1,000,000 USD, lockedOiRatio 10 % → 10,000,000 USD of OI.
    expect(oiCapFromVault(usd(1_000_000n), dec('0.1'))).toBe(usd(10_000_000n));
    expect(oiCapFromVault(-1n, dec('0.1'))).toBe(0n);
    expect(() => oiCapFromVault(1n, 0n)).toThrow(RangeError);
    // OI 5,000,000 USD locks 500,000 USD.
    expect(requiredCredit(usd(5_000_000n), dec('0.1'))).toBe(usd(500_000n));
  });

  it('refuses with the binding cap and the excess; reductions always pass', () => {
    const caps = { vault: usd(10_000_000n), security: usd(12_500_000n) };
    // 9M + 2M = 11M > min(10M, 12.5M) → vault cap, excess 1M.
    const r = checkOiCap(usd(9_000_000n), usd(2_000_000n), caps);
    expect(r).toEqual({
      ok: false,
      cap: 'vault',
      limit: usd(10_000_000n),
      excess: usd(1_000_000n),
    });
    if (!r.ok) {
      expect(oiCapMessage('BTC-USD', r)).toBe(
        'open interest cap (vault) of BTC-USD exceeded: expected at most 10000000000000 uusd, got 11000000000000 uusd (excess 1000000000000 uusd)',
      );
    }
    expect(
      checkOiCap(usd(9_000_000n), usd(2_000_000n), {
        vault: usd(20_000_000n),
        security: usd(10_500_000n),
      }),
    ).toEqual({ ok: false, cap: 'security', limit: usd(10_500_000n), excess: usd(500_000n) });
    expect(checkOiCap(usd(9_000_000n), usd(1_000_000n), caps)).toEqual({ ok: true });
    // Above the cap already (prices moved): a reduction passes, an increase does not.
    expect(checkOiCap(usd(11_000_000n), -usd(1n), caps)).toEqual({ ok: true });
    expect(checkOiCap(usd(11_000_000n), 1n, caps).ok).toBe(false);
  });
});
