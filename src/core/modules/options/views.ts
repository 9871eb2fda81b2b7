import { ChainError } from '../../errors.ts';
import { mul, Rounding, toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import { ensureOptions, OptionsError } from './errors.ts';
import type { OptionsKeeper } from './keeper.ts';
import { seriesToJson, specOf } from './params.ts';
import type { Pricing, SeriesRecord } from './types.ts';

/** Query answers: fractions and prices as decimal strings, amounts as bigints. */

const dec = (v: bigint) => toDecimalString(v);
const decOrNull = (v: bigint | null | undefined) => (v === null || v === undefined ? null : dec(v));

/** Where a series is at the last block's time (trading, halted, expired, settled, refunded). */
export function seriesState(keeper: OptionsKeeper, store: ReadStore, s: SeriesRecord): string {
  if (s.status !== 'open') return s.status;
  const now = keeper.queryMoment(store, s).timeMs;
  if (now >= s.expiryMs) return 'expired';
  return now >= s.expiryMs - keeper.params(store).haltBeforeExpiryMs ? 'halted' : 'trading';
}

export function seriesView(keeper: OptionsKeeper, store: ReadStore, s: SeriesRecord) {
  return {
    ...seriesToJson(specOf(s)),
    state: seriesState(keeper, store, s),
    open: s.open,
    openCost: s.openCost,
    premiums: s.premiums,
    buybacks: s.buybacks,
    payouts: s.payouts,
    refunds: s.refunds,
    shortfall: s.shortfall,
    /** The vault's result on the series so far: premiums − buy-backs − payouts − refunds. */
    vaultPnl: s.premiums - s.buybacks - s.payouts - s.refunds,
    settlementPrice: decOrNull(s.settlementPrice),
    settledHeight: s.settledHeight,
    settledMs: s.settledMs,
  };
}

function pricingView(p: Pricing) {
  return {
    spot: dec(p.spot),
    sigma: dec(p.sigma),
    sigmaEff: decOrNull(p.sigmaEff),
    years: dec(p.years),
    variance: dec(p.variance),
    delayBlocks: p.delayBlocks,
    fair: dec(p.fair),
  };
}

/** What refuses the trade, or null: the query answers even when the trade would fail. */
function refusal(f: () => void): { code: number; message: string } | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof ChainError) return { code: e.code, message: e.message };
    throw e;
  }
}

export function quoteView(keeper: OptionsKeeper, store: ReadStore, id: string, qty: bigint) {
  const rec = keeper.requireSeries(store, id);
  ensureOptions(
    qty > 0n && qty <= keeper.params(store).maxQtyPerTrade,
    OptionsError.InvalidQuantity,
    () => `quantity must be 1 to ${keeper.params(store).maxQtyPerTrade} contracts, got ${qty}`,
  );
  const at = keeper.queryMoment(store, rec);
  const buy = keeper.quoteBuy(store, rec, qty, at);
  const sell = keeper.quoteSell(store, rec, qty, at);
  const tradeRefusal = () => {
    keeper.requireTradable(store, id, qty, at);
  };
  return {
    series: id,
    qty,
    state: seriesState(keeper, store, rec),
    timeMs: at.timeMs,
    ...pricingView(buy.pricing),
    buy: {
      price: dec(buy.price),
      premium: buy.premium,
      utilization: dec(buy.utilization),
      refused: refusal(() => {
        tradeRefusal();
        keeper.checkLimits(rec, buy);
      }),
    },
    sell: { price: dec(sell.price), proceeds: sell.proceeds, refused: refusal(tradeRefusal) },
    limits: {
      equity: buy.equity,
      seriesOpenAfter: buy.seriesOpenAfter,
      seriesLimit: buy.seriesLimit,
      worstCaseAfter: buy.worstAfter,
      vaultLimit: buy.vaultLimit,
    },
  };
}

export function positionView(keeper: OptionsKeeper, store: ReadStore, owner: string) {
  const out = [];
  for (const s of keeper.allSeries(store)) {
    const p = keeper.position(store, s.id, owner);
    if (p.qty === 0n) continue;
    let fair: bigint | null = null;
    try {
      fair = keeper.pricing(store, s, keeper.queryMoment(store, s)).fair;
    } catch (e) {
      if (!(e instanceof ChainError)) throw e;
    }
    out.push({
      series: s.id,
      underlying: s.underlying,
      kind: s.kind,
      strike: dec(s.strike),
      expiryMs: s.expiryMs,
      state: seriesState(keeper, store, s),
      qty: p.qty,
      cost: p.cost,
      fair: decOrNull(fair),
    });
  }
  return out;
}

export function vaultView(keeper: OptionsKeeper, store: ReadStore, id: string) {
  const params = keeper.params(store);
  const equity = keeper.vaults.equity(store, id);
  const base = equity > 0n ? equity : 0n;
  return {
    vault: id,
    account: keeper.vaults.accountOf(id),
    cash: keeper.vaults.cash(store, id),
    liability: keeper.liability(store, id),
    equity,
    worstCase: keeper.worstCase(store, id),
    exposureLimit: mul(base, params.maxVaultExposure, Rounding.Floor),
    openSeries: keeper.openSeries(store).filter((s) => s.vault === id).length,
  };
}
