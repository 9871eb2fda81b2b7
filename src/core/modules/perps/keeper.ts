import type { Context } from '../../app/module.ts';
import { moduleAddress } from '../../crypto/address.ts';
import type { Value } from '../../encoding/canonical.ts';
import { divRound, ONE, Rounding, toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { BankKeeper } from '../bank/keeper.ts';
import {
  checkOiCap,
  currentMarginFractions,
  oiCapFromVault,
  oiCapMessage,
  requiredCredit,
} from '../risk/math/index.ts';
import type { VaultsKeeperApi } from '../vaults/api.ts';
import type { PauseSource, PriceSource, SecurityCapSource } from './api.ts';
import {
  type BookLimits,
  type Fill,
  type Order,
  OrderBook,
  orderFromValue,
  orderToValue,
  type PlaceOk,
  type Side,
} from './book/index.ts';
import { ensurePerps, PerpsError, perpsError } from './errors.ts';
import { fundingSamples, impactPrices, runFunding } from './funding.ts';
import {
  collateralKey,
  collateralPrefix,
  dustKey,
  expiryKey,
  expiryPrefix,
  longOiKey,
  MARKET_PREFIX,
  marketKey,
  orderKey,
  orderPrefix,
  padSeq,
  positionKey,
  positionPrefix,
  seqKey,
} from './keys.ts';
import { Liquidation } from './liquidation.ts';
import {
  applyFill,
  equity,
  marginRequirement,
  NOTIONAL_SCALE,
  notional,
  type Position,
  priceFromTicks,
  sizeFromQuantums,
  unrealizedPnl,
} from './math/index.ts';
import { type MarketSpec, PERPS_DENOM, type PerpsParams, perpsParams } from './params.ts';

/** One placement of a `perps/place-orders` msg. */
export interface PlaceItem {
  market: string;
  clientId: number;
  side: Side;
  priceTicks: number;
  sizeQuantums: number;
  type: 'limit' | 'market';
  timeInForce: 'gtc' | 'ioc' | 'post-only';
  reduceOnly: boolean;
  goodTilBlock?: number | undefined;
}

export type OrderItem =
  | { place: PlaceItem }
  | { cancel: { market: string; clientId?: number | undefined; orderId?: string | undefined } }
  | { cancelAll: { market: string } };

/** A subaccount valued at the mark price (uusd; `mark` undefined without an oracle price). */
export interface SubaccountView {
  market: string;
  owner: string;
  collateral: bigint;
  size: bigint;
  entryPrice: bigint;
  mark: bigint | undefined;
  /** collateral + unrealized PnL at the mark (collateral alone without a mark). */
  equity: bigint;
  initialMargin: bigint;
  maintenanceMargin: bigint;
  freeCollateral: bigint;
}

export { LIQUIDATION_CLIENT_ID } from './liquidation.ts';

const FLAT: Position = { size: 0n, entryPrice: 0n };
const NO_CAP = (1n << 255n) - 1n;

/**
 * The perps keeper: the only code touching `perps/` records. Markets are listed at genesis
 * or by a governance `execute` proposal (`perps/list-market`);
 * each market's collateral sits in its own pool account `moduleAddress('perps/<market>')`
 * (isolated margin: one subaccount per (owner, market), one pool per market), and its order
 * book is rebuilt from the stored resting orders whenever a msg needs it, so the state store
 * (and so the app hash) is the only truth about the book.
 *
 * Accounting (exact): for a market with pool balance `P`, collateral `c_i`, positions
 * `(s_i, e_i)` and the dust counter `D` (uusd·10^30):
 * `P·10^30 = Σ c_i·10^30 − Σ s_i·e_i + D`, with `D ≥ 0` and `Σ s_i = 0`. Each fill moves
 * the ideal quote `s·p` from buyer to seller; the floor of realized PnL and the entry-price
 * rounding (both against the trader) leave a non-negative residue per fill, added to `D`.
 * So the accounts' total equity at any price is `P − D/10^30 ≤ P`: rounding never creates
 * money.
 */
export class PerpsKeeper {
  constructor(
    readonly bank: BankKeeper,
    readonly vaults: VaultsKeeperApi,
    readonly prices: PriceSource,
    readonly pauses: PauseSource,
    readonly securityCap?: SecurityCapSource,
  ) {}

  params(store: ReadStore): PerpsParams {
    return perpsParams.get(store);
  }

  // ---- markets ------------------------------------------------------------------------------

  market(store: ReadStore, id: string): MarketSpec | undefined {
    return store.get(marketKey(id)) as unknown as MarketSpec | undefined;
  }

  markets(store: ReadStore): MarketSpec[] {
    const out: MarketSpec[] = [];
    for (const [, v] of store.iterate(MARKET_PREFIX)) out.push(v as unknown as MarketSpec);
    return out;
  }

  requireMarket(store: ReadStore, id: string): MarketSpec {
    const m = this.market(store, id);
    ensurePerps(m !== undefined, PerpsError.UnknownMarket, () => {
      const known = this.markets(store).map((s) => s.id);
      return `unknown market ${id}: expected one of [${known.join(', ')}]`;
    });
    return m;
  }

  /** Lists a market (genesis, or `perps/list-market` from gov): its vault must exist. */
  listMarket(ctx: Context, spec: MarketSpec): void {
    ensurePerps(
      this.market(ctx.store, spec.id) === undefined,
      PerpsError.InvalidGenesis,
      `market ${spec.id} listed twice`,
    );
    ensurePerps(
      this.vaults.vault(ctx.store, spec.vault) !== undefined,
      PerpsError.InvalidGenesis,
      () => `market ${spec.id}: expected an existing vault ${spec.vault}, got none`,
    );
    ctx.store.set(marketKey(spec.id), spec as unknown as Value);
    ctx.store.set(seqKey(spec.id), -1);
    ctx.emit('perps_market_listed', {
      market: spec.id,
      vault: spec.vault,
      pool: this.poolOf(spec.id),
    });
  }

  /** The market's collateral pool account. */
  poolOf(market: string): string {
    return moduleAddress(`perps/${market}`);
  }

  mark(store: ReadStore, spec: MarketSpec): bigint | undefined {
    return this.prices.price(store, spec.oracleMarket);
  }

  /**
   * The market's margin fractions now — the one source for placement checks, withdrawals,
   * funding caps and liquidation eligibility (risk-math.md, "Dynamic margin"):
   * `imf = oiScaledImf(max(baseImf, marginK · σ_block · √marginHorizonBlocks), OI,
   * oiScaleLower, oiScaleUpper)`, `mmf = imf · mmfRatio`, with σ_block the oracle's EWMA
   * volatility per block and OI the market's open interest at the mark, both as they stand
   * in `store`: a block's new price and volatility, and every fill, move them.
   */
  marginFractions(store: ReadStore, spec: MarketSpec): { imf: bigint; mmf: bigint } {
    return currentMarginFractions({
      baseImf: spec.baseImf,
      k: spec.marginK,
      sigmaPerBlock: this.prices.sigmaPerBlock?.(store, spec.oracleMarket) ?? 0n,
      horizonBlocks: spec.marginHorizonBlocks,
      oi: this.openInterest(store, spec),
      lower: spec.oiScaleLower,
      upper: spec.oiScaleUpper,
      mmfRatio: spec.mmfRatio,
    });
  }

  // ---- records --------------------------------------------------------------------------------

  collateral(store: ReadStore, market: string, owner: string): bigint {
    return (store.get(collateralKey(market, owner)) as bigint | undefined) ?? 0n;
  }

  position(store: ReadStore, market: string, owner: string): Position {
    const v = store.get(positionKey(market, owner)) as unknown as Position | undefined;
    return v ?? FLAT;
  }

  /** Σ long sizes of the market (base units ×1e18). */
  longOi(store: ReadStore, market: string): bigint {
    return (store.get(longOiKey(market)) as bigint | undefined) ?? 0n;
  }

  /** Rounding residue kept in the pool (uusd ×10^30). */
  dust(store: ReadStore, market: string): bigint {
    return (store.get(dustKey(market)) as bigint | undefined) ?? 0n;
  }

  collaterals(store: ReadStore, market: string): { owner: string; collateral: bigint }[] {
    const prefix = collateralPrefix(market);
    const out: { owner: string; collateral: bigint }[] = [];
    for (const [k, v] of store.iterate(prefix)) {
      out.push({ owner: k.slice(prefix.length), collateral: v as bigint });
    }
    return out;
  }

  positions(store: ReadStore, market: string): (Position & { owner: string })[] {
    const prefix = positionPrefix(market);
    const out: (Position & { owner: string })[] = [];
    for (const [k, v] of store.iterate(prefix)) {
      const p = v as unknown as Position;
      out.push({ owner: k.slice(prefix.length), size: p.size, entryPrice: p.entryPrice });
    }
    return out;
  }

  storedOrders(store: ReadStore, market: string): Order[] {
    const out: Order[] = [];
    for (const [, v] of store.iterate(orderPrefix(market))) out.push(orderFromValue(v));
    return out;
  }

  limits(spec: MarketSpec): BookLimits {
    return {
      maxPriceTicks: spec.maxPriceTicks,
      maxSizeQuantums: spec.maxSizeQuantums,
      maxOpenOrdersPerOwner: spec.maxOpenOrdersPerOwner,
    };
  }

  /** The market's book, rebuilt from the stored resting orders (time priority = seq). */
  book(store: ReadStore, spec: MarketSpec): OrderBook {
    const lastSeq = (store.get(seqKey(spec.id)) as number | undefined) ?? -1;
    return OrderBook.fromOrders(this.limits(spec), this.storedOrders(store, spec.id), lastSeq);
  }

  subaccount(store: ReadStore, market: string, owner: string): SubaccountView {
    const spec = this.requireMarket(store, market);
    const collateral = this.collateral(store, market, owner);
    const pos = this.position(store, market, owner);
    const mark = this.mark(store, spec);
    if (mark === undefined) {
      return {
        market,
        owner,
        collateral,
        size: pos.size,
        entryPrice: pos.entryPrice,
        mark,
        equity: collateral,
        initialMargin: 0n,
        maintenanceMargin: 0n,
        freeCollateral: collateral,
      };
    }
    const eq = equity(collateral, [{ ...pos, mark }]);
    const { imf, mmf } = this.marginFractions(store, spec);
    const imr = marginRequirement(pos.size, mark, imf);
    return {
      market,
      owner,
      collateral,
      size: pos.size,
      entryPrice: pos.entryPrice,
      mark,
      equity: eq,
      initialMargin: imr,
      maintenanceMargin: marginRequirement(pos.size, mark, mmf),
      freeCollateral: eq - imr,
    };
  }

  // ---- vault providers ------------------------------------------------------------------------

  /** Open interest of a market as uusd notional at the mark (0 without a price). */
  openInterest(store: ReadStore, spec: MarketSpec): bigint {
    const mark = this.mark(store, spec);
    return mark === undefined ? 0n : notional(this.longOi(store, spec.id), mark);
  }

  /** For `vaults.setLockedProvider`: Σ over the vault's markets of `OI · lockedOiRatio`. */
  lockedFor(store: ReadStore, vaultId: string): bigint {
    let total = 0n;
    for (const spec of this.markets(store)) {
      if (spec.vault !== vaultId) continue;
      total += requiredCredit(this.openInterest(store, spec), spec.lockedOiRatio);
    }
    return total;
  }

  // ---- collateral -----------------------------------------------------------------------------

  deposit(ctx: Context, market: string, owner: string, amount: bigint): void {
    this.requireMarket(ctx.store, market);
    this.bank.send(ctx, owner, this.poolOf(market), { denom: PERPS_DENOM, amount });
    this.setCollateral(ctx, market, owner, this.collateral(ctx.store, market, owner) + amount);
    ctx.emit('perps_deposit', { market, owner, amount });
  }

  /** Refused above the collateral, or when equity after it would be below initial margin. */
  withdraw(ctx: Context, market: string, owner: string, amount: bigint): void {
    const spec = this.requireMarket(ctx.store, market);
    const collateral = this.collateral(ctx.store, market, owner);
    ensurePerps(
      amount <= collateral,
      PerpsError.InsufficientCollateral,
      () =>
        `withdraw from ${market}: expected at most ${collateral} uusd (collateral), got ${amount}`,
    );
    const pos = this.position(ctx.store, market, owner);
    if (pos.size !== 0n) {
      const mark = this.mark(ctx.store, spec);
      ensurePerps(
        mark !== undefined,
        PerpsError.NoPrice,
        `withdraw from ${market} with an open position: no oracle price for ${spec.oracleMarket}`,
      );
      const after = equity(collateral - amount, [{ ...pos, mark }]);
      const imr = marginRequirement(pos.size, mark, this.marginFractions(ctx.store, spec).imf);
      ensurePerps(
        after >= imr,
        PerpsError.InsufficientMargin,
        () =>
          `withdraw from ${market}: expected equity after ≥ initial margin ${imr} uusd, got ${after} uusd (at most ${amount - (imr - after)} uusd withdrawable)`,
      );
    }
    this.setCollateral(ctx, market, owner, collateral - amount);
    this.bank.send(ctx, this.poolOf(market), owner, { denom: PERPS_DENOM, amount });
    ctx.emit('perps_withdraw', { market, owner, amount });
  }

  // ---- orders ---------------------------------------------------------------------------------

  /**
   * Executes the items of one `perps/place-orders` msg in order; books are rebuilt from state
   * once per market per msg and every change is written back. Any refusal throws (the tx
   * reverts as a whole).
   */
  placeOrders(ctx: Context, owner: string, items: readonly OrderItem[]): void {
    const max = this.params(ctx.store).maxOrdersPerTx;
    ensurePerps(
      items.length <= max,
      PerpsError.TooManyOrders,
      () => `expected at most ${max} order items per msg, got ${items.length}`,
    );
    const books = new Map<string, OrderBook>();
    const fees = new Map<string, bigint>();
    const bookOf = (spec: MarketSpec): OrderBook => {
      let b = books.get(spec.id);
      if (b === undefined) {
        b = this.book(ctx.store, spec);
        books.set(spec.id, b);
      }
      return b;
    };
    for (const item of items) {
      if ('place' in item) {
        const spec = this.requireMarket(ctx.store, item.place.market);
        const fee = this.place(ctx, owner, spec, bookOf(spec), item.place);
        fees.set(spec.id, (fees.get(spec.id) ?? 0n) + fee);
      } else if ('cancel' in item) {
        const spec = this.requireMarket(ctx.store, item.cancel.market);
        const { clientId, orderId } = item.cancel;
        const ref = orderId ?? clientId;
        ensurePerps(
          ref !== undefined,
          PerpsError.OrderNotFound,
          'cancel: expected clientId or orderId',
        );
        const r = bookOf(spec).cancel(owner, ref);
        if (!r.ok) throw perpsError(PerpsError.OrderNotFound, `cancel in ${spec.id}: ${r.message}`);
        this.removeOrder(ctx, spec.id, r.cancelled);
        ctx.emit('perps_order_cancelled', { market: spec.id, owner, id: r.cancelled.id });
      } else {
        const spec = this.requireMarket(ctx.store, item.cancelAll.market);
        const r = bookOf(spec).cancelAll(owner);
        for (const o of r.orders) {
          this.removeOrder(ctx, spec.id, o);
          ctx.emit('perps_order_cancelled', { market: spec.id, owner, id: o.id });
        }
      }
    }
    for (const [market, fee] of fees)
      this.distributeFees(ctx, this.requireMarket(ctx.store, market), fee);
  }

  // ---- funding (funding.ts) ------------------------------------------------------------------

  /** Premium samples of the current interval. */
  fundingSamples(store: ReadStore, market: string): { sum: bigint; count: number } {
    return fundingSamples(store, market);
  }

  /** Impact bid and ask of `book` (see `impactPrices` in funding.ts). */
  impactPrices(spec: MarketSpec, book: OrderBook): { bid?: bigint; ask?: bigint } {
    return impactPrices(spec, book);
  }

  /** End block: premium samples and, at interval ends, settlement (see `runFunding`). */
  funding(ctx: Context): void {
    runFunding(this, ctx, (c, market, owner, amount) =>
      this.setCollateral(c, market, owner, amount),
    );
  }

  // ---- liquidation (liquidation.ts) ----------------------------------------------------------

  /** Liquidation, the vault backstop and ADL; bound to this keeper's write paths. */
  readonly liquidation: Liquidation = new Liquidation(this, {
    execute: (ctx, spec, book, order, rate) => this.execute(ctx, spec, book, order, rate),
    settleSide: (ctx, spec, owner, delta, price, fee) =>
      this.settleSide(ctx, spec, owner, delta, price, fee),
    setCollateral: (ctx, market, owner, amount) => this.setCollateral(ctx, market, owner, amount),
    removeOrder: (ctx, market, o) => this.removeOrder(ctx, market, o),
    distributeFees: (ctx, spec, total) => this.distributeFees(ctx, spec, total),
  });

  /** End block: see `Liquidation.run`. */
  liquidate(ctx: Context): void {
    this.liquidation.run(ctx);
  }

  /** For `vaults.setEquityAdjuster`: the vault's backstop positions at the oracle price. */
  backstopEquity(store: ReadStore, vaultId: string): bigint {
    return this.liquidation.backstop.equity(store, vaultId);
  }

  /** Removes resting orders with `goodTilBlock < height + 1` (end of block `height`). */
  expire(ctx: Context): void {
    const h = ctx.block.height;
    for (const spec of this.markets(ctx.store)) {
      const prefix = expiryPrefix(spec.id);
      const due: string[] = [];
      for (const [k] of ctx.store.iterate(prefix)) {
        const rest = k.slice(prefix.length);
        const gtb = Number(rest.slice(0, 16));
        if (gtb > h) break;
        due.push(rest.slice(17));
      }
      for (const id of due) {
        const v = ctx.store.get(orderKey(spec.id, id));
        if (v === undefined) continue;
        const o = orderFromValue(v);
        this.removeOrder(ctx, spec.id, o);
        ctx.emit('perps_order_expired', { market: spec.id, owner: o.owner, id });
      }
    }
  }

  private place(
    ctx: Context,
    owner: string,
    spec: MarketSpec,
    book: OrderBook,
    item: PlaceItem,
  ): bigint {
    const store = ctx.store;
    const market = spec.id;
    const height = ctx.block.height;
    if (!item.reduceOnly) {
      ensurePerps(
        !this.pauses.isPaused(store, market),
        PerpsError.MarketPaused,
        `market ${market} is paused by governance: expected a reduce-only order, got an increasing one`,
      );
      ensurePerps(
        !this.prices.isReduceOnly(store, spec.oracleMarket, height),
        PerpsError.OracleReduceOnly,
        `market ${market} is reduce-only (stale oracle price): expected a reduce-only order`,
      );
    }
    const mark = this.mark(store, spec);
    ensurePerps(
      mark !== undefined || item.reduceOnly,
      PerpsError.NoPrice,
      `no oracle price for ${spec.oracleMarket}: only reduce-only orders`,
    );
    const price = priceFromTicks(item.priceTicks, spec.tickSize);
    if (mark !== undefined) this.checkBand(store, spec, mark, price, item.priceTicks);
    const pos = this.position(store, market, owner);
    const signed = (side: Side, q: number) =>
      side === 'buy'
        ? sizeFromQuantums(q, spec.quantumSize)
        : -sizeFromQuantums(q, spec.quantumSize);
    if (!item.reduceOnly && mark !== undefined) {
      this.checkWorstCaseMargin(store, spec, owner, book, pos, mark, {
        side: item.side,
        size: signed(item.side, item.sizeQuantums),
        price,
      });
    }

    const seq = book.lastSeq + 1;
    const id = padSeq(seq);
    const order: Order = {
      id,
      owner,
      clientId: item.clientId,
      side: item.side,
      priceTicks: item.priceTicks,
      sizeQuantums: item.sizeQuantums,
      type: item.type,
      timeInForce: item.timeInForce,
      reduceOnly: item.reduceOnly,
      seq,
      ...(item.goodTilBlock !== undefined ? { goodTilBlock: item.goodTilBlock } : {}),
    };
    const oiBefore = this.longOi(store, market);
    const { res, fee, filled } = this.execute(ctx, spec, book, order, spec.takerFeeRate);
    const oiAfter = this.longOi(store, market);
    if (oiAfter > oiBefore) {
      ensurePerps(
        mark !== undefined,
        PerpsError.NoPrice,
        `no oracle price for ${spec.oracleMarket}`,
      );
      const caps = {
        vault: oiCapFromVault(this.vaults.equity(store, spec.vault), spec.lockedOiRatio),
        security: this.securityCap?.(store, market) ?? NO_CAP,
      };
      const r = checkOiCap(
        notional(oiBefore, mark),
        notional(oiAfter, mark) - notional(oiBefore, mark),
        caps,
      );
      if (!r.ok) throw perpsError(PerpsError.OiCapExceeded, oiCapMessage(market, r));
    }
    ctx.emit('perps_order', {
      market,
      owner,
      id,
      clientId: item.clientId,
      side: item.side,
      priceTicks: item.priceTicks,
      sizeQuantums: item.sizeQuantums,
      filledQuantums: filled,
      restingQuantums: res.resting?.sizeQuantums ?? 0,
      cancelledQuantums: res.cancelledQuantums + res.clippedQuantums,
    });
    return fee;
  }

  /**
   * Puts `order` through the book, writes every book change to the state, and applies the
   * fills (positions, PnL, fees at the given taker rate). Returns the fees collected into the
   * pool, to be distributed by the caller. Throws BookRefused on a refusal.
   */
  private execute(
    ctx: Context,
    spec: MarketSpec,
    book: OrderBook,
    order: Order,
    takerFeeRate: bigint,
  ): { res: PlaceOk; fee: bigint; filled: number } {
    const store = ctx.store;
    const market = spec.id;
    const res = book.place(order, {
      height: ctx.block.height,
      maxReduce: (who, side) => {
        const p = this.position(store, market, who);
        const reducible = side === 'buy' ? (p.size < 0n ? -p.size : 0n) : p.size > 0n ? p.size : 0n;
        const q = reducible / spec.quantumSize;
        const cap = BigInt(spec.maxSizeQuantums);
        return Number(q < cap ? q : cap);
      },
    });
    if (!res.ok) {
      throw perpsError(
        PerpsError.BookRefused,
        `${market} book refused (${res.code}): ${res.message}`,
      );
    }
    store.set(seqKey(market), order.seq);
    for (const rid of res.changes.removed) {
      const v = store.get(orderKey(market, rid));
      if (v !== undefined) this.removeOrder(ctx, market, orderFromValue(v));
    }
    for (const o of res.changes.updated) store.set(orderKey(market, o.id), orderToValue(o));
    for (const o of res.changes.added) {
      store.set(orderKey(market, o.id), orderToValue(o));
      if (o.goodTilBlock !== undefined) store.set(expiryKey(market, o.goodTilBlock, o.id), true);
    }
    let fee = 0n;
    let filled = 0;
    for (const f of res.fills) {
      fee += this.applyTrade(ctx, spec, f, takerFeeRate);
      filled += f.sizeQuantums;
    }
    return { res, fee, filled };
  }

  private checkBand(
    store: ReadStore,
    spec: MarketSpec,
    mark: bigint,
    price: bigint,
    ticks: number,
  ): void {
    const band = this.params(store).priceBand;
    const lo = divRound(mark * (ONE - band), ONE, Rounding.Ceil);
    const hi = divRound(mark * (ONE + band), ONE, Rounding.Floor);
    ensurePerps(
      price >= lo && price <= hi,
      PerpsError.PriceOutOfBand,
      () =>
        `${spec.id} order price out of band: expected within ±${toDecimalString(band)} of the oracle price ${toDecimalString(mark)} USD, i.e. [${toDecimalString(lo)}, ${toDecimalString(hi)}], got ${toDecimalString(price)} (${ticks} ticks)`,
    );
  }

  /**
   * Worst case (dYdX): the owner's resting orders on the same side and this order all fill at
   * their limit prices, paying the higher fee rate. The account must then still hold equity ≥
   * initial margin at the mark. A pure reduction of the position (by this order alone) is
   * exempt: it lowers the requirement.
   */
  private checkWorstCaseMargin(
    store: ReadStore,
    spec: MarketSpec,
    owner: string,
    book: OrderBook,
    pos: Position,
    mark: bigint,
    order: { side: Side; size: bigint; price: bigint },
  ): void {
    const alone = pos.size + order.size;
    const reducing =
      pos.size !== 0n &&
      (alone === 0n || alone > 0n === pos.size > 0n) &&
      (alone < 0n ? -alone : alone) < (pos.size < 0n ? -pos.size : pos.size);
    if (reducing) return;
    const rate = spec.takerFeeRate > spec.makerFeeRate ? spec.takerFeeRate : spec.makerFeeRate;
    let collateral = this.collateral(store, spec.id, owner);
    let p: Position = pos;
    const scenario = book
      .openOrders(owner)
      .filter((o) => o.side === order.side)
      .map((o) => ({
        size:
          (order.side === 'buy' ? 1n : -1n) * sizeFromQuantums(o.sizeQuantums, spec.quantumSize),
        price: priceFromTicks(o.priceTicks, spec.tickSize),
      }));
    scenario.push({ size: order.size, price: order.price });
    for (const s of scenario) {
      const r = applyFill(p, s.size, s.price);
      collateral += r.realizedPnl - marginRequirement(s.size, s.price, rate);
      p = { size: r.size, entryPrice: r.entryPrice };
    }
    const eq = equity(collateral, [{ ...p, mark }]);
    const imr = marginRequirement(p.size, mark, this.marginFractions(store, spec).imf);
    ensurePerps(
      eq >= imr,
      PerpsError.InsufficientMargin,
      () =>
        `${spec.id} order: expected equity ≥ initial margin ${imr} uusd if it and the owner's resting ${order.side} orders fill at their limits, got ${eq} uusd (short by ${imr - eq} uusd)`,
    );
  }

  /** One fill: both positions, realized PnL, fees (returned), OI, the rounding residue. */
  private applyTrade(ctx: Context, spec: MarketSpec, f: Fill, takerFeeRate: bigint): bigint {
    const size = sizeFromQuantums(f.sizeQuantums, spec.quantumSize);
    const price = priceFromTicks(f.priceTicks, spec.tickSize);
    const takerDelta = f.takerSide === 'buy' ? size : -size;
    const takerFee = marginRequirement(size, price, takerFeeRate);
    const makerFee = marginRequirement(size, price, spec.makerFeeRate);
    this.settleSide(ctx, spec, f.takerOwner, takerDelta, price, takerFee);
    this.settleSide(ctx, spec, f.makerOwner, -takerDelta, price, makerFee);
    ctx.emit('perps_fill', {
      market: spec.id,
      maker: f.makerOwner,
      taker: f.takerOwner,
      makerOrder: f.maker,
      takerOrder: f.taker,
      takerSide: f.takerSide,
      priceTicks: f.priceTicks,
      sizeQuantums: f.sizeQuantums,
      takerFee,
      makerFee,
    });
    return takerFee + makerFee;
  }

  private settleSide(
    ctx: Context,
    spec: MarketSpec,
    owner: string,
    delta: bigint,
    price: bigint,
    fee: bigint,
  ): void {
    const store = ctx.store;
    const market = spec.id;
    const pos = this.position(store, market, owner);
    const c = this.collateral(store, market, owner);
    const r = applyFill(pos, delta, price);
    // Ideal quote before − after (×10^30): ≥ 0, the residue kept by the pool.
    const before = c * NOTIONAL_SCALE - pos.size * pos.entryPrice - delta * price;
    const after = (c + r.realizedPnl) * NOTIONAL_SCALE - r.size * r.entryPrice;
    store.set(dustKey(market), this.dust(store, market) + (before - after));
    this.setCollateral(ctx, market, owner, c + r.realizedPnl - fee);
    if (r.size === 0n) store.delete(positionKey(market, owner));
    else store.set(positionKey(market, owner), { size: r.size, entryPrice: r.entryPrice });
    const longBefore = pos.size > 0n ? pos.size : 0n;
    const longAfter = r.size > 0n ? r.size : 0n;
    if (longAfter !== longBefore) {
      store.set(longOiKey(market), this.longOi(store, market) + longAfter - longBefore);
    }
  }

  /**
   * Fees collected from the market pool: `feeShareToVault` (vaults param) to the market's
   * vault as trading-fee income, the rest to the bank fee pool (distributed to stakers).
   */
  private distributeFees(ctx: Context, spec: MarketSpec, total: bigint): void {
    if (total === 0n) return;
    const share = this.vaults.params(ctx.store).feeShareToVault;
    const toVault = divRound(total * share, ONE, Rounding.Floor);
    const pool = this.poolOf(spec.id);
    if (toVault > 0n) {
      this.vaults.creditIncome(
        ctx,
        spec.vault,
        pool,
        { denom: PERPS_DENOM, amount: toVault },
        'trading-fee',
      );
    }
    this.bank.collectFee(ctx, pool, { denom: PERPS_DENOM, amount: total - toVault });
    ctx.emit('perps_fees', { market: spec.id, total, toVault, toFeePool: total - toVault });
  }

  private setCollateral(ctx: Context, market: string, owner: string, amount: bigint): void {
    if (amount === 0n) ctx.store.delete(collateralKey(market, owner));
    else ctx.store.set(collateralKey(market, owner), amount);
  }

  private removeOrder(ctx: Context, market: string, o: Order): void {
    ctx.store.delete(orderKey(market, o.id));
    if (o.goodTilBlock !== undefined) ctx.store.delete(expiryKey(market, o.goodTilBlock, o.id));
  }

  /** The unrealized PnL of a position at `mark` (uusd, Floor). */
  static unrealized(pos: Position, mark: bigint): bigint {
    return unrealizedPnl(pos.size, pos.entryPrice, mark);
  }
}
