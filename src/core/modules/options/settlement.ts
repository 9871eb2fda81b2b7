import type { Context } from '../../app/module.ts';
import { toDecimalString } from '../../math/index.ts';
import type { OptionsKeeper } from './keeper.ts';
import { pays } from './math/index.ts';
import type { SeriesRecord } from './types.ts';

/**
 * Settlement, at each end block, of every open series whose expiry has come (by id order):
 *
 * 1. At the first block with time ≥ expiry, if the oracle's price of the underlying is fresh
 *    (not older than the oracle's maxStaleBlocks), the series settles at that median: every
 *    holder of a series that finishes in the money (call: price ≥ strike; put: below) is paid
 *    1 uusd per contract by the vault, automatically.
 * 2. If the price is stale at expiry, each later block checks again; the first fresh price
 *    within settlementGraceMs after expiry settles it (a fresh price after a stale one is
 *    necessarily a newly published median).
 * 3. If none came by expiry + settlementGraceMs, every holder is refunded at cost (what they
 *    paid for the contracts they still hold) and the series is closed as `refunded`.
 *
 * Positions are deleted as they are paid; the series keeps its accounts (premiums, buy-backs,
 * payouts, refunds), which are the vault's P&L on it.
 */
export function settleDue(ctx: Context, keeper: OptionsKeeper): void {
  const params = keeper.params(ctx.store);
  const now = ctx.block.timeMs;
  for (const rec of keeper.openSeries(ctx.store)) {
    if (now < rec.expiryMs) continue;
    const price = keeper.oracle.price(ctx.store, rec.underlying);
    const fresh =
      price !== undefined &&
      !keeper.oracle.isReduceOnly(ctx.store, rec.underlying, ctx.block.height);
    if (fresh) settle(ctx, keeper, rec, price.price);
    else if (now >= rec.expiryMs + params.settlementGraceMs) refund(ctx, keeper, rec);
  }
}

function settle(ctx: Context, keeper: OptionsKeeper, rec: SeriesRecord, price: bigint): void {
  const inTheMoney = pays(rec.kind, rec.strike, price);
  let paid = 0n;
  let shortfall = 0n;
  for (const h of keeper.holders(ctx.store, rec.id)) {
    if (inTheMoney) {
      const got = keeper.vaults.payOut(ctx, rec.vault, h.owner, h.qty, 'options-payout');
      paid += got;
      shortfall += h.qty - got;
      ctx.emit('options_payout', { series: rec.id, owner: h.owner, qty: h.qty, amount: got });
    }
    keeper.setPosition(ctx.store, rec.id, h.owner, { qty: 0n, cost: 0n });
  }
  close(ctx, keeper, rec, {
    status: 'settled',
    payouts: rec.payouts + paid,
    shortfall: rec.shortfall + shortfall,
    settlementPrice: price,
  });
  ctx.emit('options_settled', {
    series: rec.id,
    price: toDecimalString(price),
    inTheMoney: String(inTheMoney),
    contracts: rec.open,
    paid,
    shortfall,
  });
}

function refund(ctx: Context, keeper: OptionsKeeper, rec: SeriesRecord): void {
  let paid = 0n;
  let shortfall = 0n;
  for (const h of keeper.holders(ctx.store, rec.id)) {
    const got =
      h.cost > 0n ? keeper.vaults.payOut(ctx, rec.vault, h.owner, h.cost, 'options-refund') : 0n;
    paid += got;
    shortfall += h.cost - got;
    ctx.emit('options_refund', { series: rec.id, owner: h.owner, qty: h.qty, amount: got });
    keeper.setPosition(ctx.store, rec.id, h.owner, { qty: 0n, cost: 0n });
  }
  close(ctx, keeper, rec, {
    status: 'refunded',
    refunds: rec.refunds + paid,
    shortfall: rec.shortfall + shortfall,
    settlementPrice: null,
  });
  ctx.emit('options_refunded', {
    series: rec.id,
    reason: 'no fresh oracle price within the settlement grace period',
    contracts: rec.open,
    paid,
    shortfall,
  });
}

function close(
  ctx: Context,
  keeper: OptionsKeeper,
  rec: SeriesRecord,
  change: Partial<SeriesRecord>,
): void {
  keeper.write(ctx.store, {
    ...rec,
    ...change,
    open: 0n,
    openCost: 0n,
    settledHeight: ctx.block.height,
    settledMs: ctx.block.timeMs,
  });
  keeper.closeSeries(ctx.store, rec.id);
}
