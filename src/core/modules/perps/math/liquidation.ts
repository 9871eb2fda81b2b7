import { divRound, ONE, Rounding } from '../../../math/index.ts';
import { marginRequirement } from './margin.ts';
import { applyFill, type Position, unrealizedPnl } from './pnl.ts';
import { absBig, NOTIONAL_SCALE } from './units.ts';

function requireSize(size: bigint, fn: string): void {
  if (size === 0n) throw new RangeError(`${fn}: size must be non-zero`);
}

/**
 * Bankruptcy price of an isolated position: the mark at which the account's equity is zero.
 *
 * Rule (dYdX v4 bankruptcy price, one position): `collateral + size · (p − entry) / 10^30 = 0`
 * ⇒ `p = entry − collateral · 10^30 / size`. `collateral` is everything in the account except
 * this position's PnL (collateral plus other positions' PnL for a cross account).
 * Rounding: toward the entry (a long's `Ceil`, a short's `Floor`), so that
 * `equity(collateral, position at p) ≥ 0`: closing at p never leaves bad debt from rounding.
 * Clamped at 0: for a long, 0 means no positive price bankrupts it; for a short, 0 means it is
 * bankrupt at every price (collateral already negative beyond the entry value).
 */
export function bankruptcyPrice(size: bigint, entryPrice: bigint, collateral: bigint): bigint {
  requireSize(size, 'bankruptcyPrice');
  const rounding = size > 0n ? Rounding.Ceil : Rounding.Floor;
  const p = divRound(size * entryPrice - collateral * NOTIONAL_SCALE, size, rounding);
  return p > 0n ? p : 0n;
}

/**
 * Liquidation price of an isolated position: the mark at which equity equals the
 * maintenance margin requirement.
 *
 * Rule: `collateral + size·(p − entry)/10^30 = |size|·p·mmf/10^30`
 * ⇒ `p = (size·entry − collateral·10^30) / (size·(1 − sgn(size)·mmf))`
 * (long: `(entry − C/size)/(1 − mmf)`, short: `(entry − C/size)/(1 + mmf)`).
 * Rounding: so that liquidation triggers no later than the exact price (a long's `Ceil`, a
 * short's `Floor`). Clamped at 0 (a long that cannot be liquidated at any positive price).
 * @throws RangeError when `size` is 0 or, for a long, `mmf ≥ 1`.
 */
export function liquidationPrice(
  size: bigint,
  entryPrice: bigint,
  collateral: bigint,
  mmf: bigint,
): bigint {
  requireSize(size, 'liquidationPrice');
  const den = size * ONE - absBig(size) * mmf;
  if (den <= 0n && size > 0n) throw new RangeError('liquidationPrice: mmf must be < 1');
  const num = (size * entryPrice - collateral * NOTIONAL_SCALE) * ONE;
  const p = divRound(num, den, size > 0n ? Rounding.Ceil : Rounding.Floor);
  return p > 0n ? p : 0n;
}

/** Rule: liquidatable when `equity < maintenance margin requirement` (strict). */
export function isLiquidatable(equityValue: bigint, mmr: bigint): boolean {
  return equityValue < mmr;
}

/**
 * Rule (Hyperliquid backstop): the market vault takes the position over directly when
 * `equity < ratio · MMR` (Hyperliquid: ratio = ⅔). Exact comparison.
 */
export function isBackstopLiquidatable(equityValue: bigint, mmr: bigint, ratio: bigint): boolean {
  return equityValue * ONE < mmr * ratio;
}

/**
 * The worst price a liquidation order may fill at on the book.
 *
 * Rule: never worse than the bankruptcy price (a fill beyond it would create bad debt), and
 * never further than `maxSlippage` from the mark. Closing a long sells:
 * `max(bankruptcy, mark·(1 − maxSlippage))`; closing a short buys:
 * `min(bankruptcy, mark·(1 + maxSlippage))`. What the book cannot fill within it goes to the
 * vault at the bankruptcy price. (When the bankruptcy price is beyond the mark — the account
 * is under water — the book cannot fill, as intended.)
 * Rounding: the slippage bound rounds toward the mark.
 */
export function liquidationWorstPrice(
  size: bigint,
  mark: bigint,
  bankruptcy: bigint,
  maxSlippage: bigint,
): bigint {
  requireSize(size, 'liquidationWorstPrice');
  if (size > 0n) {
    const floorByMark = divRound(mark * (ONE - maxSlippage), ONE, Rounding.Ceil);
    return floorByMark > bankruptcy ? floorByMark : bankruptcy;
  }
  const capByMark = divRound(mark * (ONE + maxSlippage), ONE, Rounding.Floor);
  return capByMark < bankruptcy ? capByMark : bankruptcy;
}

export interface PartialLiquidationInput {
  /** Signed position size. */
  size: bigint;
  mark: bigint;
  /** Account equity at the mark (uusd). */
  equity: bigint;
  mmf: bigint;
  /** Liquidation fee rate on the closed notional (Dec). */
  feeRate: bigint;
  /** Extra margin the remainder must hold: target is `(1 + buffer) · MMR` (Dec). */
  buffer: bigint;
  /** Positions (or remainders) with notional at or below this are closed entirely (uusd). */
  minPartialNotional: bigint;
  /** Size increment; the result rounds up to a multiple of it (default: 1 raw unit). */
  stepSize?: bigint;
}

/**
 * How much of a liquidatable position to close (a positive base quantity, ≤ |size|).
 *
 * Rule: close the least `q` such that, closing at the mark and paying `feeRate` on the
 * closed notional, the remainder holds `(1 + buffer)` times its maintenance margin:
 * `E − q·p·φ ≥ (1+b)·mmf·(|s| − q)·p` ⇒ `q ≥ ((1+b)·mmf·|s|·p − E·10^30) / (((1+b)·mmf − φ)·p)`.
 * The buffer absorbs the slippage of the actual fills. Everything is closed when equity ≤ 0,
 * when `(1+b)·mmf ≤ φ` (closing cannot restore margin), or when the position's or the
 * remainder's notional is ≤ `minPartialNotional` (small positions go in one piece).
 * Returns 0 when the account already holds the target.
 * Rounding: `Ceil` (close more), then up to a multiple of `stepSize`.
 */
export function partialLiquidationSize(i: PartialLiquidationInput): bigint {
  requireSize(i.size, 'partialLiquidationSize');
  const a = absBig(i.size);
  const step = i.stepSize ?? 1n;
  if (step <= 0n) throw new RangeError('partialLiquidationSize: stepSize must be > 0');
  const whole = (n: bigint): bigint => divRound(n * i.mark, NOTIONAL_SCALE, Rounding.Ceil);
  if (i.equity <= 0n || whole(a) <= i.minPartialNotional) return a;
  const target = divRound((ONE + i.buffer) * i.mmf, ONE, Rounding.Ceil);
  if (target <= i.feeRate) return a;
  const num = target * a * i.mark - i.equity * NOTIONAL_SCALE * ONE;
  if (num <= 0n) return 0n;
  let q = divRound(num, (target - i.feeRate) * i.mark, Rounding.Ceil);
  q = divRound(q, step, Rounding.Ceil) * step;
  if (q >= a || whole(a - q) <= i.minPartialNotional) return a;
  return q;
}

/**
 * Rule (dYdX v4 / Hyperliquid): the liquidation fee, paid to the market vault, is
 * `feeRate · closed notional`, capped by what the account has left (`max(0, equity after
 * the close)`): a fee never creates bad debt.
 * Rounding: `Ceil` before the cap (a charge).
 */
export function liquidationFee(
  closedNotional: bigint,
  feeRate: bigint,
  equityAfterClose: bigint,
): bigint {
  const fee = divRound(closedNotional * feeRate, ONE, Rounding.Ceil);
  const room = equityAfterClose > 0n ? equityAfterClose : 0n;
  return fee < room ? fee : room;
}

/** Rule: bad debt of a closed-out account is `max(0, −equity)`. Exact. */
export function badDebt(equityValue: bigint): bigint {
  return equityValue < 0n ? -equityValue : 0n;
}

/**
 * Rule: bad debt is paid by the market's own vault up to its equity; the rest (`shortfall`)
 * is removed by auto-deleveraging in that market (never by another vault). Exact.
 */
export function coverBadDebt(
  vaultEquity: bigint,
  debt: bigint,
): { fromVault: bigint; shortfall: bigint } {
  const available = vaultEquity > 0n ? vaultEquity : 0n;
  const fromVault = debt < available ? debt : available;
  return { fromVault, shortfall: debt - fromVault };
}

export interface BackstopTakeoverInput {
  /** The vault's current position in the market (flat: size 0). */
  vault: Position;
  /** The vault's equity now: cash + adjustment, its position marked at `mark` (uusd). */
  vaultEquity: bigint;
  /** Signed size left by the book, to be taken over (the vault gets the same sign). */
  size: bigint;
  /** The price of the takeover: the liquidated account's bankruptcy price. */
  price: bigint;
  mark: bigint;
  /** Initial-margin fraction the vault's position must hold (the market's current imf). */
  imf: bigint;
  /** The initial margin may use at most this share of the vault's equity (Dec, ≤ 1). */
  maxEquityShare: bigint;
  /** The quantity is a multiple of it (the market's quantum). */
  stepSize: bigint;
}

/**
 * How much of a bankrupt remainder the market's vault takes over (a base quantity ≥ 0,
 * ≤ |size|, a multiple of `stepSize`).
 *
 * Rule (Hyperliquid backstop vault, with a per-market draw cap as Drift's): the vault buys
 * (sells) `q` at the bankruptcy price `b` only while, after it, the initial margin of its
 * position at the mark is at most `maxEquityShare` of its equity:
 * `IMR(V + q) ≤ share · (E + realized + uPnL(V + q) − uPnL(V))`. The left side is convex
 * and the right side linear in `q`, so the admissible `q` form a prefix `[0, q*]`: the
 * largest one is found by bisection on the step grid. When the vault fails the rule before
 * the takeover, it takes all if that satisfies the rule (an opposite position that reduces
 * its own), else nothing (then ADL takes everything).
 * Rounding: PnL `Floor`, margin `Ceil` (both against the vault taking more).
 */
export function backstopTakeoverSize(i: BackstopTakeoverInput): bigint {
  requireSize(i.size, 'backstopTakeoverSize');
  if (i.maxEquityShare <= 0n) return 0n;
  if (i.stepSize <= 0n) throw new RangeError('backstopTakeoverSize: stepSize must be > 0');
  const v = i.vault;
  const pnl0 = v.size === 0n ? 0n : unrealizedPnl(v.size, v.entryPrice, i.mark);
  const sgn = i.size > 0n ? 1n : -1n;
  const fits = (steps: bigint): boolean => {
    const after = applyFill(v, sgn * steps * i.stepSize, i.price);
    const pnl1 = after.size === 0n ? 0n : unrealizedPnl(after.size, after.entryPrice, i.mark);
    const e1 = i.vaultEquity - pnl0 + after.realizedPnl + pnl1;
    const imr = marginRequirement(after.size, i.mark, i.imf);
    return imr * ONE <= e1 * i.maxEquityShare;
  };
  const max = absBig(i.size) / i.stepSize;
  if (fits(max)) return max * i.stepSize;
  if (!fits(0n)) return 0n;
  let lo = 0n; // fits(lo)
  let hi = max; // !fits(hi)
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo * i.stepSize;
}
