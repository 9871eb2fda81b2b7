import { divRound, Rounding } from '../../../math/index.ts';
import { absBig, NOTIONAL_SCALE, sign } from './units.ts';

/** A position as the math sees it: signed size and average entry price (see units.ts). */
export interface Position {
  size: bigint;
  entryPrice: bigint;
}

/** A position together with the mark price it is valued at. */
export interface MarkedPosition extends Position {
  mark: bigint;
}

/**
 * Rule: `pnl = size · (mark − entryPrice) / 10^30` uusd (longs gain when the mark rises,
 * shorts when it falls).
 * Rounding: `Floor` (a payout rounds down). For a matched long and short
 * (`size` and `−size`, same entry) the two results sum to 0 or −1 uusd: never money created.
 */
export function unrealizedPnl(size: bigint, entryPrice: bigint, mark: bigint): bigint {
  return divRound(size * (mark - entryPrice), NOTIONAL_SCALE, Rounding.Floor);
}

/**
 * Rule: `equity = collateral + Σ size_i · (mark_i − entry_i) / 10^30` (the account's value if
 * every position were closed at its mark; dYdX "total net collateral").
 * Rounding: the exact sum is floored once (in the protocol's favour, and never below the sum
 * of the per-position floors).
 */
export function equity(collateral: bigint, positions: readonly MarkedPosition[]): bigint {
  let num = 0n;
  for (const p of positions) num += p.size * (p.mark - p.entryPrice);
  return collateral + divRound(num, NOTIONAL_SCALE, Rounding.Floor);
}

/** The position after a fill, and the PnL the fill realized (uusd, add to collateral). */
export interface FillResult extends Position {
  realizedPnl: bigint;
}

/**
 * Apply a fill of `fillSize` (signed: + buys, − sells) at `fillPrice` to a position.
 *
 * Rule: the part of the fill that reduces the position realizes
 * `closed · (fillPrice − entry) / 10^30` (signed like the position); the entry price is kept
 * for a reduction, reset to `fillPrice` for the part that flips the side, and for an increase
 * becomes the size-weighted average `(size·entry + fill·fillPrice) / (size + fill)`.
 * Rounding: realized PnL `Floor`; an averaged entry rounds against the holder (a long's entry
 * `Ceil`, a short's `Floor`). A flat result has entry price 0.
 */
export function applyFill(pos: Position, fillSize: bigint, fillPrice: bigint): FillResult {
  const { size, entryPrice } = pos;
  if (fillSize === 0n) return { size, entryPrice, realizedPnl: 0n };
  const next = size + fillSize;
  if (size === 0n || sign(size) === sign(fillSize)) {
    const rounding = next > 0n ? Rounding.Ceil : Rounding.Floor;
    const avg = divRound(size * entryPrice + fillSize * fillPrice, next, rounding);
    return { size: next, entryPrice: avg, realizedPnl: 0n };
  }
  // Reducing (and maybe flipping): the closed quantity carries the position's sign.
  const closedAbs = absBig(fillSize) < absBig(size) ? absBig(fillSize) : absBig(size);
  const closed = sign(size) * closedAbs;
  const realizedPnl = unrealizedPnl(closed, entryPrice, fillPrice);
  if (next === 0n) return { size: 0n, entryPrice: 0n, realizedPnl };
  const flipped = sign(next) !== sign(size);
  return { size: next, entryPrice: flipped ? fillPrice : entryPrice, realizedPnl };
}
