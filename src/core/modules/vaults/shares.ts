import { mulDiv, ONE, Rounding } from '../../math/index.ts';

/**
 * The pure arithmetic of vault shares. Shares are 18-decimal fixed point: `ONE` (10^18) raw
 * units are one share, and the first deposit into an empty vault mints one share per uusd
 * base unit (`amount · ONE` raw). Every rounding is against the party that asks: a
 * depositor's shares and a withdrawer's payout are rounded down, so the remainder stays with
 * the vault's other holders and no sequence of operations can extract more than it put in.
 */

/** Raw shares minted per uusd base unit by the first deposit into an empty vault. */
export const SHARES_PER_UNIT = ONE;

/**
 * Shares minted for `amount` uusd at the vault's current equity per share:
 * `⌊amount · totalShares / equity⌋`, or `amount · ONE` into an empty vault (totalShares = 0).
 * The caller refuses the deposit before this when equity ≤ 0 while shares exist.
 */
export function sharesForDeposit(amount: bigint, equity: bigint, totalShares: bigint): bigint {
  if (totalShares === 0n) return amount * SHARES_PER_UNIT;
  if (equity <= 0n) throw new RangeError(`sharesForDeposit: equity ${equity} ≤ 0`);
  return mulDiv(amount, totalShares, equity, Rounding.Floor);
}

/** What `shares` are worth now: `⌊shares · equity / totalShares⌋`, and 0 when equity ≤ 0. */
export function valueOfShares(shares: bigint, equity: bigint, totalShares: bigint): bigint {
  if (shares === 0n || equity <= 0n || totalShares === 0n) return 0n;
  return mulDiv(shares, equity, totalShares, Rounding.Floor);
}

/**
 * The price of one whole share (ONE raw) in uusd base units, as an 18-decimal number:
 * `equity · ONE² / totalShares` rounded down; 1 (ONE) for an empty vault, the first
 * deposit's price. Negative when the equity is.
 */
export function sharePrice(equity: bigint, totalShares: bigint): bigint {
  if (totalShares === 0n) return ONE;
  return mulDiv(equity, ONE * ONE, totalShares, Rounding.Floor);
}

/**
 * Capital a withdrawal may take: `max(0, min(equity, cash) − locked)`. Bounded by the cash as
 * well as by the equity: a positive adjustment (unrealized gains of backstop positions) is
 * not cash and is not paid out before it is realized.
 */
export function freeCapital(equity: bigint, cash: bigint, locked: bigint): bigint {
  const base = equity < cash ? equity : cash;
  const free = base - locked;
  return free > 0n ? free : 0n;
}
