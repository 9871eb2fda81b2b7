import type { Context } from '../../app/module.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError } from '../../errors.ts';
import { divRound, mul, ONE, Rounding, toDecimalString } from '../../math/index.ts';
import type { ReadStore, Store } from '../../store/store.ts';
import type { VaultsKeeperApi } from '../vaults/api.ts';
import { ensureOptions, OptionsError } from './errors.ts';
import {
  OPEN_PREFIX,
  openKey,
  positionKey,
  positionPrefix,
  SERIES_PREFIX,
  seriesKey,
  VAULT_PREFIX,
  vaultKey,
} from './keys.ts';
import {
  askPrice,
  bidPrice,
  premiumFor,
  proceedsFor,
  utilization,
  worstCasePayout,
} from './math/index.ts';
import { type OptionsParams, optionsParams, type SeriesSpec } from './params.ts';
import { type Moment, priceSeries, toOpenSeries } from './pricing.ts';
import type {
  BuyQuote,
  OptionsOracle,
  OptionsPauses,
  PerpsVaultCheck,
  Position,
  Pricing,
  SellQuote,
  SeriesRecord,
} from './types.ts';

/** Block time of the last executed block, which the app records for modules between blocks. */
const APP_TIME_KEY = 'app/time';

/** A change to one series' open interest, to evaluate exposure as it would be after a trade. */
interface OpenDelta {
  series: string;
  open: bigint;
  cost: bigint;
}

export interface OptionsDeps {
  vaults: VaultsKeeperApi;
  oracle: OptionsOracle;
  pauses?: OptionsPauses;
  /** Refuses listing a series on a vault that backs a perps market. */
  isPerpsVault?: PerpsVaultCheck;
}

/**
 * The options keeper: the only code touching `options/…` records. Traders buy binary options
 * from the series' vault and sell them back to it; the vault is always short. Money moves
 * physically between the trader and the vault's pool account through the vaults keeper
 * (`creditIncome(…, 'premium')`, `payOut`); nothing else holds uusd for options.
 */
export class OptionsKeeper {
  readonly vaults: VaultsKeeperApi;
  readonly oracle: OptionsOracle;
  private readonly pauses: OptionsPauses | undefined;
  private readonly isPerpsVault: PerpsVaultCheck;

  constructor(deps: OptionsDeps) {
    this.vaults = deps.vaults;
    this.oracle = deps.oracle;
    this.pauses = deps.pauses;
    this.isPerpsVault = deps.isPerpsVault ?? (() => false);
  }

  params(store: ReadStore): OptionsParams {
    return optionsParams.get(store);
  }

  // ---- reads ---------------------------------------------------------------------------------

  series(store: ReadStore, id: string): SeriesRecord | undefined {
    return store.get(seriesKey(id)) as unknown as SeriesRecord | undefined;
  }

  requireSeries(store: ReadStore, id: string): SeriesRecord {
    const rec = this.series(store, id);
    ensureOptions(rec !== undefined, OptionsError.UnknownSeries, () => {
      const open = this.openSeries(store).map((s) => s.id);
      return `unknown series ${JSON.stringify(id)}; open series: ${open.length > 0 ? open.join(', ') : 'none'}`;
    });
    return rec;
  }

  /** Every series ever listed, by id. */
  allSeries(store: ReadStore): SeriesRecord[] {
    const out: SeriesRecord[] = [];
    for (const [, v] of store.iterate(SERIES_PREFIX)) out.push(v as unknown as SeriesRecord);
    return out;
  }

  /** Series not yet settled or refunded, by id. */
  openSeries(store: ReadStore): SeriesRecord[] {
    const out: SeriesRecord[] = [];
    for (const [key] of store.iterate(OPEN_PREFIX)) {
      const rec = this.series(store, key.slice(OPEN_PREFIX.length));
      if (rec !== undefined) out.push(rec);
    }
    return out;
  }

  /** The vaults that back series (by id). */
  optionVaults(store: ReadStore): string[] {
    const out: string[] = [];
    for (const [key] of store.iterate(VAULT_PREFIX)) out.push(key.slice(VAULT_PREFIX.length));
    return out;
  }

  isOptionsVault(store: ReadStore, id: string): boolean {
    return store.get(vaultKey(id)) === true;
  }

  position(store: ReadStore, series: string, owner: string): Position {
    const p = store.get(positionKey(series, owner)) as unknown as Position | undefined;
    return p ?? { qty: 0n, cost: 0n };
  }

  /** Every holder of a series with their position, in address order. */
  holders(store: ReadStore, series: string): ({ owner: string } & Position)[] {
    const prefix = positionPrefix(series);
    const out: ({ owner: string } & Position)[] = [];
    for (const [key, v] of store.iterate(prefix)) {
      out.push({ owner: key.slice(prefix.length), ...(v as unknown as Position) });
    }
    return out;
  }

  /** The last block's time and the height a query answers for (the next block's). */
  queryMoment(store: ReadStore, rec: SeriesRecord): Moment {
    const timeMs = (store.get(APP_TIME_KEY) as number | undefined) ?? 0;
    // Queries know no height: take the price's own, i.e. a quote as fresh as the price.
    const height = this.oracle.price(store, rec.underlying)?.height ?? 0;
    return { timeMs, height };
  }

  pricing(store: ReadStore, rec: SeriesRecord, at: Moment): Pricing {
    return priceSeries(store, this.oracle, this.params(store), rec, at);
  }

  // ---- exposure (the vault's side) ---------------------------------------------------------

  /** Worst-case payout of the vault's open series, optionally after a change to one series. */
  worstCase(store: ReadStore, vaultId: string, delta?: OpenDelta): bigint {
    const open = this.openSeries(store)
      .filter((s) => s.vault === vaultId)
      .map((s) =>
        delta !== undefined && s.id === delta.series
          ? { ...s, open: s.open + delta.open, openCost: s.openCost + delta.cost }
          : s,
      )
      .map(toOpenSeries);
    return worstCasePayout(open);
  }

  /** For `vaults.setLockedProvider`: an options vault locks its worst-case payout. */
  lockedFor(store: ReadStore, vaultId: string): bigint {
    return this.worstCase(store, vaultId);
  }

  /**
   * For `vaults.setEquityAdjuster`: minus what the vault owes on its open series at the model
   * value (rounded up), so that a staker leaving before a loss takes his share of it. A
   * series that cannot be priced (no fresh price) counts at its full payout.
   */
  liability(store: ReadStore, vaultId: string): bigint {
    let total = 0n;
    for (const rec of this.openSeries(store)) {
      if (rec.vault !== vaultId || rec.open === 0n) continue;
      let fair = ONE;
      try {
        fair = this.pricing(store, rec, this.queryMoment(store, rec)).fair;
      } catch (e) {
        if (!(e instanceof ChainError)) throw e;
      }
      total += divRound(rec.open * fair, ONE, Rounding.Ceil);
    }
    return total;
  }

  adjustmentFor(store: ReadStore, vaultId: string): bigint {
    return -this.liability(store, vaultId);
  }

  /** Σ over options vaults of the worst-case payout (uusd): the options' part of the PfC. */
  exposure(store: ReadStore): bigint {
    let total = 0n;
    for (const id of this.optionVaults(store)) total += this.worstCase(store, id);
    return total;
  }

  // ---- listing -------------------------------------------------------------------------------

  /**
   * Lists a series (genesis, or the gov module account). The underlying must be an oracle
   * market; the vault, if it exists, must not back a perps market (if it does not exist yet it
   * is created empty, for stakers to fund); expiry must leave time to trade.
   */
  listSeries(ctx: Context, spec: SeriesSpec): SeriesRecord {
    const { store } = ctx;
    const params = this.params(store);
    ensureOptions(
      this.series(store, spec.id) === undefined,
      OptionsError.InvalidListing,
      `series ${spec.id} is already listed`,
    );
    ensureOptions(
      this.oracle.markets(store).includes(spec.underlying),
      OptionsError.InvalidListing,
      () =>
        `series ${spec.id}: unknown oracle market ${spec.underlying}; markets: ${this.oracle.markets(store).join(', ')}`,
    );
    ensureOptions(
      spec.expiryMs > ctx.block.timeMs + params.haltBeforeExpiryMs,
      OptionsError.InvalidListing,
      () =>
        `series ${spec.id}: expiry ${spec.expiryMs} must be after block time ${ctx.block.timeMs} + haltBeforeExpiryMs ${params.haltBeforeExpiryMs}`,
    );
    ensureOptions(
      !this.isPerpsVault(store, spec.vault),
      OptionsError.InvalidListing,
      () => `series ${spec.id}: vault ${spec.vault} backs a perps market; options need their own`,
    );
    const openInVault = this.openSeries(store).filter((s) => s.vault === spec.vault).length;
    ensureOptions(
      openInVault < params.maxOpenSeriesPerVault,
      OptionsError.InvalidListing,
      () =>
        `vault ${spec.vault} already has ${openInVault} open series; the limit is ${params.maxOpenSeriesPerVault}`,
    );
    if (this.vaults.vault(store, spec.vault) === undefined)
      this.vaults.createVault(ctx, spec.vault);
    store.set(vaultKey(spec.vault), true);
    const rec: SeriesRecord = {
      ...spec,
      status: 'open',
      listedHeight: ctx.block.height,
      open: 0n,
      openCost: 0n,
      premiums: 0n,
      buybacks: 0n,
      payouts: 0n,
      refunds: 0n,
      shortfall: 0n,
      settlementPrice: null,
      settledHeight: null,
      settledMs: null,
    };
    this.write(store, rec);
    store.set(openKey(spec.id), true);
    ctx.emit('options_series_listed', {
      series: spec.id,
      underlying: spec.underlying,
      strike: toDecimalString(spec.strike),
      expiryMs: spec.expiryMs,
      kind: spec.kind,
      vault: spec.vault,
    });
    return rec;
  }

  // ---- trading -------------------------------------------------------------------------------

  /** The series must be trading at `at`: open, not halted, not paused; qty within bounds. */
  requireTradable(store: ReadStore, id: string, qty: bigint, at: Moment): SeriesRecord {
    const rec = this.requireSeries(store, id);
    const params = this.params(store);
    ensureOptions(
      rec.status === 'open' && at.timeMs < rec.expiryMs,
      OptionsError.SeriesExpired,
      () => `series ${id} expired at ${rec.expiryMs} (block time ${at.timeMs}; ${rec.status})`,
    );
    const haltMs = rec.expiryMs - params.haltBeforeExpiryMs;
    ensureOptions(
      at.timeMs < haltMs,
      OptionsError.TradingHalted,
      () =>
        `series ${id} halted at ${haltMs}, ${params.haltBeforeExpiryMs} ms before expiry (block time ${at.timeMs})`,
    );
    const paused = [rec.id, rec.vault, rec.underlying].find((m) => this.pauses?.isPaused(store, m));
    ensureOptions(
      paused === undefined,
      OptionsError.Paused,
      () => `series ${id}: governance paused ${paused}`,
    );
    ensureOptions(
      qty > 0n && qty <= params.maxQtyPerTrade,
      OptionsError.InvalidQuantity,
      () => `quantity must be 1 to ${params.maxQtyPerTrade} contracts, got ${qty}`,
    );
    return rec;
  }

  /**
   * A buy of `qty` at `at`. Utilization u = max(series open / series limit, worst case /
   * vault limit) after the trade, with limits = fraction · the vault's equity now; the new
   * contracts' refund-at-cost floor counts them at their full payout (the premium is not
   * known before the price).
   */
  quoteBuy(store: ReadStore, rec: SeriesRecord, qty: bigint, at: Moment): BuyQuote {
    const params = this.params(store);
    const pricing = this.pricing(store, rec, at);
    const equity = this.vaults.equity(store, rec.vault);
    const base = equity > 0n ? equity : 0n;
    const seriesLimit = mul(base, params.maxSeriesExposure, Rounding.Floor);
    const vaultLimit = mul(base, params.maxVaultExposure, Rounding.Floor);
    const seriesOpenAfter = rec.open + qty;
    const worstAfter = this.worstCase(store, rec.vault, { series: rec.id, open: qty, cost: qty });
    const u1 = utilization(seriesOpenAfter, seriesLimit);
    const u2 = utilization(worstAfter, vaultLimit);
    const u = u1 > u2 ? u1 : u2;
    const price = askPrice(pricing.fair, u, params);
    return {
      pricing,
      price,
      premium: premiumFor(qty, price),
      utilization: u,
      equity,
      seriesOpenAfter,
      seriesLimit,
      worstAfter,
      vaultLimit,
    };
  }

  quoteSell(store: ReadStore, rec: SeriesRecord, qty: bigint, at: Moment): SellQuote {
    const params = this.params(store);
    const pricing = this.pricing(store, rec, at);
    const price = bidPrice(pricing.fair, params);
    return { pricing, price, proceeds: proceedsFor(qty, price) };
  }

  /** The limit checks of a buy quote (ExposureLimit names the limit and the excess). */
  checkLimits(rec: SeriesRecord, q: BuyQuote): void {
    ensureOptions(
      q.seriesOpenAfter <= q.seriesLimit,
      OptionsError.ExposureLimit,
      () =>
        `series ${rec.id} exposure limit: ${q.seriesOpenAfter} open contracts after the trade exceed ${q.seriesLimit} (maxSeriesExposure of vault ${rec.vault}'s equity ${q.equity}) by ${q.seriesOpenAfter - q.seriesLimit}`,
    );
    ensureOptions(
      q.worstAfter <= q.vaultLimit,
      OptionsError.ExposureLimit,
      () =>
        `vault ${rec.vault} exposure limit: worst-case payout ${q.worstAfter} after the trade exceeds ${q.vaultLimit} (maxVaultExposure of equity ${q.equity}) by ${q.worstAfter - q.vaultLimit}`,
    );
  }

  // ---- writes (trading.ts and settlement.ts use them too) --------------------------------------------------

  write(store: Store, rec: SeriesRecord): void {
    store.set(seriesKey(rec.id), rec as unknown as Value);
  }

  setPosition(store: Store, series: string, owner: string, p: Position): void {
    if (p.qty === 0n) store.delete(positionKey(series, owner));
    else store.set(positionKey(series, owner), p as unknown as Value);
  }

  closeSeries(store: Store, id: string): void {
    store.delete(openKey(id));
  }
}
