import { divRound, ONE, Rounding } from '../../../math/index.ts';
import { unrealizedPnl } from './pnl.ts';
import { absBig, sign } from './units.ts';

/** A position that may be deleveraged: one per owner in the (isolated) market. */
export interface AdlCandidate {
  owner: string;
  size: bigint;
  entryPrice: bigint;
  /** The account's collateral (uusd), without this position's PnL. */
  collateral: bigint;
}

export interface AdlRanked extends AdlCandidate {
  /** Unrealized PnL at the mark (uusd, `Floor`). */
  pnl: bigint;
  /** `collateral + pnl` (uusd). */
  equity: bigint;
  /** `PnL% × leverage` (Dec, `Floor`; display only — the order uses the exact ratio). */
  score: bigint;
}

/**
 * Auto-deleveraging queue of a market (Hyperliquid / BitMEX style).
 *
 * Rule: `score = PnL% × leverage = (pnl / entry notional) × (mark notional / equity)`, which
 * simplifies to `pnl · mark / (entry · equity)`. Only positions in profit (`pnl > 0`) with
 * positive equity are ranked. Order: score descending, compared exactly (cross-multiplied
 * rationals, no rounding), ties by owner ascending (code-unit order).
 * Rounding: `pnl` `Floor`; the reported `score` `Floor`.
 */
export function adlRanking(positions: readonly AdlCandidate[], mark: bigint): AdlRanked[] {
  const ranked: AdlRanked[] = [];
  for (const p of positions) {
    if (p.size === 0n) continue;
    const pnl = unrealizedPnl(p.size, p.entryPrice, mark);
    const eq = p.collateral + pnl;
    if (pnl <= 0n || eq <= 0n || p.entryPrice <= 0n) continue;
    const score = divRound(pnl * mark * ONE, p.entryPrice * eq, Rounding.Floor);
    ranked.push({ ...p, pnl, equity: eq, score });
  }
  ranked.sort((a, b) => {
    // a before b when pnl_a·mark/(e_a·eq_a) > pnl_b·mark/(e_b·eq_b); mark > 0 cancels.
    const l = a.pnl * b.entryPrice * b.equity;
    const r = b.pnl * a.entryPrice * a.equity;
    if (l !== r) return l > r ? -1 : 1;
    return a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0;
  });
  return ranked;
}

export interface AdlFill {
  owner: string;
  /** Change to the counterparty's size (opposite sign to its position). */
  sizeDelta: bigint;
  /** PnL the counterparty realizes by closing at the bankruptcy price (uusd, `Floor`). */
  realizedPnl: bigint;
}

/**
 * Close a bankrupt position (`bankruptSize`, signed) against the ADL queue at its bankruptcy
 * price.
 *
 * Rule: walk `ranked` (from {@link adlRanking}) in order, skipping positions on the bankrupt
 * position's side; each opposite position closes `min(remaining, |size|)` at `price`, so the
 * bankrupt account ends at equity 0 and no loss is left to anyone else. `remaining` is what
 * the queue could not absorb (0 in a market whose longs and shorts balance).
 * Rounding: realized PnL `Floor`; sizes exact.
 */
export function adlClose(
  bankruptSize: bigint,
  price: bigint,
  ranked: readonly AdlRanked[],
): { fills: AdlFill[]; remaining: bigint } {
  let remaining = absBig(bankruptSize);
  const fills: AdlFill[] = [];
  const side = sign(bankruptSize);
  for (const p of ranked) {
    if (remaining === 0n) break;
    if (sign(p.size) !== -side) continue;
    const q = absBig(p.size) < remaining ? absBig(p.size) : remaining;
    const closed = sign(p.size) * q;
    fills.push({
      owner: p.owner,
      sizeDelta: -closed,
      realizedPnl: unrealizedPnl(closed, p.entryPrice, price),
    });
    remaining -= q;
  }
  return { fills, remaining };
}
