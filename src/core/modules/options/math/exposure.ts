import type { Dec } from '../../../math/index.ts';
import { type OptionKind, pays } from './binary.ts';

/**
 * Worst-case payout of the vault's open options (pure). The vault is short every open
 * contract. Series on the same underlying and expiry settle on one price, so their payouts
 * are not independent: a call and a put at one strike never both pay. Per such group the
 * payout as a function of the settlement price is a step function that only changes at the
 * strikes (calls pay at S ≥ K, puts at S < K), so its maximum is found by evaluating it below
 * the lowest strike and at every strike. Groups (other underlyings or expiries) may all end
 * badly at once, so their worst cases add up.
 *
 * If a group cannot be settled (no fresh price within the grace period) every holder is
 * refunded at cost, so a group's worst case is also at least its open cost.
 */
export interface OpenSeries {
  /** Series settling on the same price share a group (underlying + expiry). */
  group: string;
  kind: OptionKind;
  strike: Dec;
  /** Open contracts (each pays 1 uusd). */
  open: bigint;
  /** What the holders paid for them (the refund-at-cost liability). */
  openCost: bigint;
}

/** The payout of one group's series at settlement price `price`. */
export function payoutAt(series: readonly OpenSeries[], price: Dec): bigint {
  let total = 0n;
  for (const s of series) if (pays(s.kind, s.strike, price)) total += s.open;
  return total;
}

/** max over settlement prices of `payoutAt`, and at least the refund of every open cost. */
export function groupWorstCase(series: readonly OpenSeries[]): bigint {
  if (series.length === 0) return 0n;
  let worst = 0n;
  let refund = 0n;
  let lowest = series[0]?.strike ?? 0n;
  for (const s of series) {
    refund += s.openCost;
    if (s.strike < lowest) lowest = s.strike;
  }
  // Below the lowest strike (every put pays, no call does) and at each strike.
  const points = [lowest - 1n, ...series.map((s) => s.strike)];
  for (const p of points) {
    const v = payoutAt(series, p);
    if (v > worst) worst = v;
  }
  return worst > refund ? worst : refund;
}

/** Σ over groups of each group's worst case. */
export function worstCasePayout(series: readonly OpenSeries[]): bigint {
  const groups = new Map<string, OpenSeries[]>();
  for (const s of series) {
    const g = groups.get(s.group);
    if (g === undefined) groups.set(s.group, [s]);
    else g.push(s);
  }
  let total = 0n;
  for (const g of groups.values()) total += groupWorstCase(g);
  return total;
}
