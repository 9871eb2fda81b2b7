import type { Context } from '../../app/module.ts';
import { divRound, Rounding, toDecimalString } from '../../math/index.ts';
import { ensureOptions, OptionsError } from './errors.ts';
import type { OptionsKeeper } from './keeper.ts';
import { OPTIONS_DENOM } from './params.ts';

/**
 * The two trades. Traders only buy from and sell back to the series' vault, which is always
 * short; premiums, buy-backs and their records move together or not at all (a refused
 * trade throws before anything is written, and the tx's branch is dropped).
 */

/** Buys `qty` contracts at the vault's ask if it is ≤ `maxPrice`; returns the premium paid. */
export function buy(
  ctx: Context,
  keeper: OptionsKeeper,
  owner: string,
  id: string,
  qty: bigint,
  maxPrice: bigint,
): bigint {
  const at = { timeMs: ctx.block.timeMs, height: ctx.block.height };
  const rec = keeper.requireTradable(ctx.store, id, qty, at);
  const q = keeper.quoteBuy(ctx.store, rec, qty, at);
  ensureOptions(
    q.price <= maxPrice,
    OptionsError.SlippageExceeded,
    () =>
      `ask ${toDecimalString(q.price)} per contract exceeds --max-price ${toDecimalString(maxPrice)}`,
  );
  keeper.checkLimits(rec, q);
  keeper.vaults.creditIncome(
    ctx,
    rec.vault,
    owner,
    { denom: OPTIONS_DENOM, amount: q.premium },
    'premium',
  );
  const pos = keeper.position(ctx.store, id, owner);
  keeper.setPosition(ctx.store, id, owner, { qty: pos.qty + qty, cost: pos.cost + q.premium });
  keeper.write(ctx.store, {
    ...rec,
    open: rec.open + qty,
    openCost: rec.openCost + q.premium,
    premiums: rec.premiums + q.premium,
  });
  ctx.emit('options_trade', {
    series: id,
    owner,
    side: 'buy',
    qty,
    price: toDecimalString(q.price),
    fair: toDecimalString(q.pricing.fair),
    amount: q.premium,
    spot: toDecimalString(q.pricing.spot),
  });
  return q.premium;
}

/**
 * Sells `qty` held contracts back to the vault at its bid if it is ≥ `minPrice`; the cost
 * basis falls pro rata (rounded up: what stays refundable is never more than was paid).
 * Refused if the vault's cash after paying would not cover its worst case.
 */
export function sell(
  ctx: Context,
  keeper: OptionsKeeper,
  owner: string,
  id: string,
  qty: bigint,
  minPrice: bigint,
): bigint {
  const at = { timeMs: ctx.block.timeMs, height: ctx.block.height };
  const rec = keeper.requireTradable(ctx.store, id, qty, at);
  const pos = keeper.position(ctx.store, id, owner);
  ensureOptions(
    qty <= pos.qty,
    OptionsError.InsufficientHolding,
    () => `${owner} holds ${pos.qty} contracts of ${id}, cannot sell ${qty}`,
  );
  const q = keeper.quoteSell(ctx.store, rec, qty, at);
  ensureOptions(
    q.price >= minPrice,
    OptionsError.SlippageExceeded,
    () =>
      `bid ${toDecimalString(q.price)} per contract is below --min-price ${toDecimalString(minPrice)}`,
  );
  const costOut = qty === pos.qty ? pos.cost : divRound(pos.cost * qty, pos.qty, Rounding.Ceil);
  const worstAfter = keeper.worstCase(ctx.store, rec.vault, {
    series: id,
    open: -qty,
    cost: -costOut,
  });
  const cash = keeper.vaults.cash(ctx.store, rec.vault);
  ensureOptions(
    cash - q.proceeds >= worstAfter,
    OptionsError.VaultCannotPay,
    () =>
      `vault ${rec.vault} cannot buy back: cash ${cash} − ${q.proceeds} would not cover its worst-case payout ${worstAfter}`,
  );
  if (q.proceeds > 0n) keeper.vaults.payOut(ctx, rec.vault, owner, q.proceeds, 'options-buyback');
  keeper.setPosition(ctx.store, id, owner, { qty: pos.qty - qty, cost: pos.cost - costOut });
  keeper.write(ctx.store, {
    ...rec,
    open: rec.open - qty,
    openCost: rec.openCost - costOut,
    buybacks: rec.buybacks + q.proceeds,
  });
  ctx.emit('options_trade', {
    series: id,
    owner,
    side: 'sell',
    qty,
    price: toDecimalString(q.price),
    fair: toDecimalString(q.pricing.fair),
    amount: q.proceeds,
    spot: toDecimalString(q.pricing.spot),
  });
  return q.proceeds;
}
