import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adlClose, adlRanking } from './adl.ts';
import {
  backstopTakeoverSize,
  badDebt,
  bankruptcyPrice,
  coverBadDebt,
  isBackstopLiquidatable,
  isLiquidatable,
  liquidationFee,
  liquidationPrice,
  liquidationWorstPrice,
  partialLiquidationSize,
} from './liquidation.ts';
import { maintenanceMarginRequirement } from './margin.ts';
import { applyFill, equity } from './pnl.ts';
import { dec, usd } from './testing.ts';
import { notional } from './units.ts';

/**
 * The running example (acceptance 4): a trader deposits 10,000 USD and goes long 2 BTC at
 * 50,000 (10× leverage; imf 10 %, mmf 5 %). The mark then falls to 46,000.
 *   equity = 10,000 + 2 × (46,000 − 50,000) = 2,000 USD
 *   MMR    = 2 × 46,000 × 5 %                = 4,600 USD  → liquidatable (2,000 < 4,600)
 */
const C = usd('10000');
const SIZE = dec('2');
const ENTRY = dec('50000');
const MMF = dec('0.05');
const MARK = dec('46000');

describe('bankruptcy and liquidation prices (hand-computed)', () => {
  it('bankruptcy price: entry − collateral / size', () => {
    // Long: 50,000 − 10,000 / 2 = 45,000; equity there: 10,000 + 2 × (−5,000) = 0.
    expect(bankruptcyPrice(SIZE, ENTRY, C)).toBe(dec('45000'));
    expect(equity(C, [{ size: SIZE, entryPrice: ENTRY, mark: dec('45000') }])).toBe(0n);
    // Short 2 BTC at 50,000 with 10,000: 50,000 + 10,000 / 2 = 55,000.
    expect(bankruptcyPrice(-SIZE, ENTRY, C)).toBe(dec('55000'));
    // Long with collateral ≥ entry notional (1× leverage) never goes bankrupt: 0.
    expect(bankruptcyPrice(SIZE, ENTRY, usd('100000'))).toBe(0n);
    // Rounding toward the entry: long 3 @ 10 USD with 10 USD: 10 − 10/3 = 6.666… → Ceil.
    expect(bankruptcyPrice(dec('3'), dec('10'), usd('10'))).toBe(dec('6.666666666666666667'));
    expect(bankruptcyPrice(dec('-3'), dec('10'), usd('10'))).toBe(dec('13.333333333333333333'));
  });

  it('liquidation price: (entry − C/size) / (1 ∓ mmf)', () => {
    // Long: (50,000 − 5,000) / 0.95 = 47,368.421052631578947368421… → Ceil.
    // Check: equity 10,000 + 2 × (p − 50,000) = 2p − 90,000 = 4,736.84…; MMR = 0.1 p = 4,736.84…
    expect(liquidationPrice(SIZE, ENTRY, C, MMF)).toBe(dec('47368.421052631578947369'));
    // Short: (50,000 + 5,000) / 1.05 = 52,380.952380952380952380952… → Floor.
    expect(liquidationPrice(-SIZE, ENTRY, C, MMF)).toBe(dec('52380.952380952380952380'));
    expect(() => liquidationPrice(SIZE, ENTRY, C, dec('1'))).toThrow(RangeError);
  });

  it('property: equity at the bankruptcy price is ≥ 0, and < 0 one raw unit beyond it', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        fc.boolean(),
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        (abs, long, entryPrice, collateral) => {
          const size = long ? abs : -abs;
          const bp = bankruptcyPrice(size, entryPrice, collateral);
          const at = (mark: bigint) => equity(collateral, [{ size, entryPrice, mark }]);
          if (bp === 0n) {
            // Only a long can be safe at every price: equity at price 0 is ≥ 0.
            expect(long).toBe(true);
            expect(at(0n)).toBeGreaterThanOrEqual(0n);
            return;
          }
          expect(at(bp)).toBeGreaterThanOrEqual(0n);
          expect(at(long ? bp - 1n : bp + 1n)).toBeLessThan(0n);
        },
      ),
    );
  });
});

describe('liquidation (hand-computed)', () => {
  const eq = equity(C, [{ size: SIZE, entryPrice: ENTRY, mark: MARK }]);
  const mmr = maintenanceMarginRequirement([{ size: SIZE, mark: MARK, fraction: MMF }]);

  it('is liquidatable; the backstop threshold is ⅔ MMR', () => {
    expect(eq).toBe(usd('2000'));
    expect(mmr).toBe(usd('4600'));
    expect(isLiquidatable(eq, mmr)).toBe(true);
    expect(isLiquidatable(mmr, mmr)).toBe(false); // strict
    // ⅔ × 4,600 = 3,066.67 > 2,000 → the vault may take it over directly.
    expect(isBackstopLiquidatable(eq, mmr, dec('2') / 3n)).toBe(true);
    expect(isBackstopLiquidatable(usd('3100'), mmr, dec('2') / 3n)).toBe(false);
  });

  it('partial size restores (1 + buffer) × MMR after a close at the mark with the fee', () => {
    // q ≥ ((1+b)·mmf·|s|·p − E) / (((1+b)·mmf − φ)·p) with b = 10 %, φ = 1 %:
    //   (0.055 × 2 × 46,000 − 2,000) / (0.045 × 46,000) = 3,060 / 2,070 = 1.478260869… BTC
    //   → step 0.001 → 1.479 BTC (remainder 0.521 BTC = 23,966 USD > minPartialNotional).
    const input = {
      size: SIZE,
      mark: MARK,
      equity: eq,
      mmf: MMF,
      feeRate: dec('0.01'),
      buffer: dec('0.1'),
      minPartialNotional: usd('1000'),
      stepSize: dec('0.001'),
    };
    const q = partialLiquidationSize(input);
    expect(q).toBe(dec('1.479'));
    // Book fills 1.479 at the mark: realized 1.479 × −4,000 = −5,916 → collateral 4,084.
    const fill = applyFill({ size: SIZE, entryPrice: ENTRY }, -q, MARK);
    expect(fill.realizedPnl).toBe(usd('-5916'));
    const collateral = C + fill.realizedPnl;
    const eqAfter = equity(collateral, [{ size: fill.size, entryPrice: ENTRY, mark: MARK }]);
    expect(eqAfter).toBe(usd('2000')); // closing at the mark keeps equity
    // Fee 1 % of 1.479 × 46,000 = 68,034 USD … = 680.34 USD, within the 2,000 left.
    const fee = liquidationFee(notional(q, MARK), dec('0.01'), eqAfter);
    expect(fee).toBe(usd('680.34'));
    // Remainder: equity 1,319.66 ≥ 1.1 × MMR(0.521 × 46,000 × 5 % = 1,198.3) = 1,318.13.
    const mmrAfter = maintenanceMarginRequirement([{ size: fill.size, mark: MARK, fraction: MMF }]);
    expect(mmrAfter).toBe(usd('1198.3'));
    expect(eqAfter - fee).toBe(usd('1319.66'));
    expect((eqAfter - fee) * 10n).toBeGreaterThanOrEqual(mmrAfter * 11n);
    // Small positions and broke accounts go in one piece; healthy ones not at all.
    expect(partialLiquidationSize({ ...input, minPartialNotional: usd('100000') })).toBe(SIZE);
    expect(partialLiquidationSize({ ...input, equity: 0n })).toBe(SIZE);
    expect(partialLiquidationSize({ ...input, equity: usd('6000') })).toBe(0n);
    expect(partialLiquidationSize({ ...input, feeRate: dec('0.06') })).toBe(SIZE);
  });

  it('property: the partial close restores the target (or closes all)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 10n ** 15n, max: 10n ** 22n }),
        fc.boolean(),
        fc.bigInt({ min: 10n ** 18n, max: 10n ** 23n }),
        fc.bigInt({ min: 1n, max: 10n ** 10n }),
        (abs, long, mark, equityValue) => {
          const size = long ? abs : -abs;
          const i = {
            size,
            mark,
            equity: equityValue,
            mmf: dec('0.03'),
            feeRate: dec('0.005'),
            buffer: dec('0.2'),
            minPartialNotional: 0n,
          };
          const q = partialLiquidationSize(i);
          expect(q).toBeGreaterThanOrEqual(0n);
          expect(q).toBeLessThanOrEqual(abs);
          if (q === abs) return;
          const fee = liquidationFee(notional(q, mark), i.feeRate, equityValue);
          const rest = maintenanceMarginRequirement([
            { size: abs - q, mark, fraction: dec('0.036') }, // (1 + 20 %) × 3 %
          ]);
          // Within the two ceilings of fee and requirement (≤ 2 uusd).
          expect(equityValue - fee + 2n).toBeGreaterThanOrEqual(rest);
        },
      ),
    );
  });

  it('worst price, fee cap, bad debt, vault, ADL: the under-water case', () => {
    // Book path: the worst sell is the better of bankruptcy (45,000) and mark − slippage.
    expect(liquidationWorstPrice(SIZE, MARK, dec('45000'), dec('0.01'))).toBe(dec('45540'));
    expect(liquidationWorstPrice(SIZE, MARK, dec('45000'), dec('0.05'))).toBe(dec('45000'));
    expect(liquidationWorstPrice(-SIZE, MARK, dec('55000'), dec('0.01'))).toBe(dec('46460'));
    // The mark gaps to 44,000: equity 10,000 − 12,000 = −2,000; no bid reaches 45,000, so the
    // vault takes the 2 BTC at the bankruptcy price. The trader ends at exactly 0 and pays no
    // fee; the vault holds long 2 @ 45,000 marked at 44,000: a 2,000 USD loss (the bad debt).
    const gap = dec('44000');
    const bp = bankruptcyPrice(SIZE, ENTRY, C);
    expect(liquidationWorstPrice(SIZE, gap, bp, dec('0.01'))).toBe(bp);
    const closed = applyFill({ size: SIZE, entryPrice: ENTRY }, -SIZE, bp);
    expect(C + closed.realizedPnl).toBe(0n);
    expect(liquidationFee(notional(SIZE, bp), dec('0.01'), C + closed.realizedPnl)).toBe(0n);
    expect(badDebt(equity(C, [{ size: SIZE, entryPrice: ENTRY, mark: gap }]))).toBe(usd('2000'));
    // A vault with 1,500 pays 1,500; 500 is left → ADL instead of the vault.
    expect(coverBadDebt(usd('1500'), usd('2000'))).toEqual({
      fromVault: usd('1500'),
      shortfall: usd('500'),
    });
    expect(coverBadDebt(usd('-5'), usd('10'))).toEqual({ fromVault: 0n, shortfall: usd('10') });
    // ADL at 44,000 (score = pnl · mark / (entry · equity)):
    //   dave  long 1 @ 40,000, collateral 1,000: pnl 4,000, equity 5,000 → 0.88 (same side)
    //   bob   short 3 @ 48,000, collateral 2,000: pnl 12,000, equity 14,000 → 0.785714…
    //   alice short 1 @ 50,000, collateral 5,000: pnl 6,000, equity 11,000 → 0.48
    //   carol short 1 @ 43,000: losing → not ranked
    const ranked = adlRanking(
      [
        { owner: 'alice', size: dec('-1'), entryPrice: dec('50000'), collateral: usd('5000') },
        { owner: 'bob', size: dec('-3'), entryPrice: dec('48000'), collateral: usd('2000') },
        { owner: 'carol', size: dec('-1'), entryPrice: dec('43000'), collateral: usd('5000') },
        { owner: 'dave', size: dec('1'), entryPrice: dec('40000'), collateral: usd('1000') },
      ],
      gap,
    );
    expect(ranked.map((r) => [r.owner, r.score])).toEqual([
      ['dave', dec('0.88')],
      ['bob', dec('0.785714285714285714')],
      ['alice', dec('0.48')],
    ]);
    // The bankrupt long 2 closes against bob (dave is on the same side) at 45,000:
    // bob buys back 2 of his 3 and realizes −2 × (45,000 − 48,000) = 6,000 USD.
    expect(adlClose(SIZE, bp, ranked)).toEqual({
      fills: [{ owner: 'bob', sizeDelta: dec('2'), realizedPnl: usd('6000') }],
      remaining: 0n,
    });
    // Larger than the queue: bob 3, then alice 1, 1 left over.
    const big = adlClose(dec('5'), bp, ranked);
    expect(big.fills.map((f) => [f.owner, f.sizeDelta])).toEqual([
      ['bob', dec('3')],
      ['alice', dec('1')],
    ]);
    expect(big.remaining).toBe(dec('1'));
  });

  it('ADL ties go by owner', () => {
    const same = { size: dec('-1'), entryPrice: dec('100'), collateral: usd('10') };
    const ranked = adlRanking(
      [
        { owner: 'b', ...same },
        { owner: 'a', ...same },
      ],
      dec('90'),
    );
    expect(ranked.map((r) => r.owner)).toEqual(['a', 'b']);
  });
});

describe('vault backstop takeover (hand-computed)', () => {
  // The vault takes over a bankrupt long 1 BTC at its bankruptcy price 47 025 with the mark at
  // 48 400 (imf 5 %, the margin may use half of the vault's equity, step 0.0001 BTC).
  const base = {
    vault: { size: 0n, entryPrice: 0n },
    size: dec('1'),
    price: dec('47025'),
    mark: dec('48400'),
    imf: dec('0.05'),
    maxEquityShare: dec('0.5'),
    stepSize: dec('0.0001'),
  };

  it('takes all when its equity carries it, the largest grid quantity otherwise', () => {
    // Equity 100 017.5: IMR 2 420 ≤ ½ × (100 017.5 + 1 375): all of it.
    expect(backstopTakeoverSize({ ...base, vaultEquity: usd('100017.5') })).toBe(dec('1'));
    // Equity 3 017.5: 0.242·k ≤ ½ · (3 017.5 + 0.1375·k) (k quantums) ⇔ k ≤ 8 708.5…
    const q = backstopTakeoverSize({ ...base, vaultEquity: usd('3017.5') });
    expect(q).toBe(dec('0.8708'));
    // At 0.8708: IMR 2 107.336 ≤ ½ × (3 017.5 + 1 197.35) = 2 107.425; at 0.8709 it is not:
    // 2 107.578 > ½ × (3 017.5 + 1 197.4875) = 2 107.49375.
    expect(maintenanceMarginRequirement([{ size: q, mark: base.mark, fraction: base.imf }])).toBe(
      usd('2107.336'),
    );
    // Nothing when its equity is nil or negative, or the share is 0.
    expect(backstopTakeoverSize({ ...base, vaultEquity: 0n })).toBe(0n);
    expect(backstopTakeoverSize({ ...base, vaultEquity: usd('-5') })).toBe(0n);
    expect(backstopTakeoverSize({ ...base, vaultEquity: usd('1000000'), maxEquityShare: 0n })).toBe(
      0n,
    );
  });

  it('an opposite takeover that reduces the vault is allowed even when it was over its limit', () => {
    // The vault is long 1 at 47 025, mark 59 000, equity 1 000 (IMR 2 950 > ½ × 1 000). A
    // bankrupt short 1 sold to it at 59 990 closes its long: IMR 0 after, equity 1 000 + 990.
    const input = {
      ...base,
      vault: { size: dec('1'), entryPrice: dec('47025') },
      vaultEquity: usd('1000'),
      size: dec('-1'),
      price: dec('59990'),
      mark: dec('59000'),
    };
    expect(backstopTakeoverSize(input)).toBe(dec('1'));
    // A bankrupt long would add to its long: nothing.
    expect(backstopTakeoverSize({ ...input, size: dec('1'), price: dec('58000') })).toBe(0n);
  });

  it("the vault's bankruptcy price when it is broke: its cash is the collateral", () => {
    // Long 0.264 at 47 025 with 1 181.93 USD of cash: 47 025 − 1 181.93 / 0.264 =
    // 42 547.99242424… (Ceil); closing there costs it exactly its cash.
    const bp = bankruptcyPrice(dec('0.264'), dec('47025'), usd('1181.93'));
    expect(bp).toBe(dec('42547.992424242424242425'));
    const closed = applyFill({ size: dec('0.264'), entryPrice: dec('47025') }, dec('-0.264'), bp);
    expect(closed.realizedPnl).toBe(usd('-1181.93'));
  });

  it('property: the result fits the limit and one step more does not', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 50_000n }),
        fc.boolean(),
        fc.bigInt({ min: -50_000n, max: 50_000n }),
        fc.bigInt({ min: 0n, max: 200_000n }),
        fc.bigInt({ min: 40_000n, max: 60_000n }),
        fc.bigInt({ min: 40_000n, max: 60_000n }),
        (k, long, vk, equityUsd, priceUsd, markUsd) => {
          const step = dec('0.0001');
          const size = (long ? k : -k) * step;
          const vault = { size: vk * step, entryPrice: vk === 0n ? 0n : dec('50000') };
          const i = {
            ...base,
            vault,
            vaultEquity: usd(String(equityUsd)),
            size,
            price: dec(String(priceUsd)),
            mark: dec(String(markUsd)),
          };
          const q = backstopTakeoverSize(i);
          expect(q % step).toBe(0n);
          expect(q).toBeGreaterThanOrEqual(0n);
          expect(q).toBeLessThanOrEqual(k * step);
          const rule = (taken: bigint) => {
            const sgn = long ? 1n : -1n;
            const after = applyFill(vault, sgn * taken, i.price);
            const pnl = (p: { size: bigint; entryPrice: bigint }) =>
              equity(0n, [{ ...p, mark: i.mark }]);
            const e1 = i.vaultEquity - pnl(vault) + after.realizedPnl + pnl(after);
            const imr = maintenanceMarginRequirement([
              { size: after.size, mark: i.mark, fraction: i.imf },
            ]);
            return imr * 2n <= e1;
          };
          if (q > 0n) expect(rule(q)).toBe(true);
          if (q < k * step && rule(0n)) expect(rule(q + step)).toBe(false);
        },
      ),
    );
  });
});
