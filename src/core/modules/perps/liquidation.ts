import type { Context } from '../../app/module.ts';
import { divRound, Rounding, toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { Order, OrderBook, Side } from './book/index.ts';
import type { PerpsKeeper } from './keeper.ts';
import { padSeq } from './keys.ts';
import {
  absBig,
  adlRanking,
  backstopTakeoverSize,
  bankruptcyPrice,
  equity,
  isBackstopLiquidatable,
  liquidationFee,
  liquidationWorstPrice,
  marginRequirement,
  notional,
  type Position,
  partialLiquidationSize,
  unrealizedPnl,
} from './math/index.ts';
import { type MarketSpec, PERPS_DENOM, type PerpsParams } from './params.ts';

/** Client id of the IOC a liquidation places (the owner's orders are cancelled first). */
export const LIQUIDATION_CLIENT_ID = Number.MAX_SAFE_INTEGER;

/** The keeper's private write paths that liquidation uses (bound by the keeper). */
export interface LiquidationHost {
  execute(
    ctx: Context,
    spec: MarketSpec,
    book: OrderBook,
    order: Order,
    takerFeeRate: bigint,
  ): { fee: bigint; filled: number };
  settleSide(
    ctx: Context,
    spec: MarketSpec,
    owner: string,
    delta: bigint,
    price: bigint,
    fee: bigint,
  ): void;
  setCollateral(ctx: Context, market: string, owner: string, amount: bigint): void;
  removeOrder(ctx: Context, market: string, o: Order): void;
  distributeFees(ctx: Context, spec: MarketSpec, total: bigint): void;
}

/**
 * The margin fractions liquidation and the backstop use: the market's current dynamic
 * (volatility- and OI-scaled) fractions, the same ones placement checks against.
 */
export function marginFractions(
  keeper: PerpsKeeper,
  store: ReadStore,
  spec: MarketSpec,
): { imf: bigint; mmf: bigint } {
  return keeper.marginFractions(store, spec);
}

/**
 * Liquidation, the vault backstop and auto-deleveraging of the perps markets (end block).
 *
 * The market's vault holds its backstop position as an ordinary subaccount of the market
 * whose owner is the vault's pool account (`vaults.accountOf(vault)`). Its collateral is kept
 * at 0: whatever the position realizes (a reduction, funding, deleveraging) is settled with
 * the vault at once — gains into it as `backstop` income, losses paid by `payOut` (a part the
 * vault cannot pay stays as negative collateral and counts in its equity). The unrealized PnL
 * at the oracle price counts in the vault's equity through the equity adjuster
 * ({@link backstopEquity}). The vault never trades its position on the book: it is held,
 * pays and earns funding, shrinks when the vault takes over an opposite position, and is
 * deleveraged when the vault's equity falls below its maintenance margin.
 */
export class Liquidation {
  constructor(
    private readonly keeper: PerpsKeeper,
    private readonly host: LiquidationHost,
  ) {}

  /** The owner of the vault's backstop subaccount in `spec`'s market. */
  backstopOwner(spec: MarketSpec): string {
    return this.keeper.vaults.accountOf(spec.vault);
  }

  /**
   * For `vaults.setEquityAdjuster`: Σ over the vault's markets of its backstop subaccount's
   * collateral + unrealized PnL at the oracle price (0 PnL without a price).
   */
  backstopEquity(store: ReadStore, vaultId: string): bigint {
    let total = 0n;
    const owner = this.keeper.vaults.accountOf(vaultId);
    for (const spec of this.keeper.markets(store)) {
      if (spec.vault !== vaultId) continue;
      total += this.keeper.collateral(store, spec.id, owner);
      const pos = this.keeper.position(store, spec.id, owner);
      const mark = this.keeper.mark(store, spec);
      if (pos.size !== 0n && mark !== undefined) {
        total += unrealizedPnl(pos.size, pos.entryPrice, mark);
      }
    }
    return total;
  }

  /**
   * End block, per market with a price:
   * 0. the vault's backstop subaccount is settled (funding may have moved its collateral);
   * 1. every trader with equity < MMR (current mmf) is liquidated by {@link liquidateOne};
   * 2. the vault's own position is deleveraged if the vault fell below its maintenance
   *    margin ({@link maintainBackstop});
   * 3. fees collected from makers go out as for any fill;
   * 4. negative collateral of a flat account is bad debt: `absorbLoss` into the pool; an
   *    uncovered part stays as the account's negative collateral.
   */
  run(ctx: Context): void {
    const store = ctx.store;
    const p = this.keeper.params(store);
    for (const spec of this.keeper.markets(store)) {
      const mark = this.keeper.mark(store, spec);
      if (mark === undefined) continue;
      this.settleBackstop(ctx, spec);
      const vaultOwner = this.backstopOwner(spec);
      const { mmf } = marginFractions(this.keeper, store, spec);
      const underwater = (owner: string): boolean => {
        const pos = this.keeper.position(store, spec.id, owner);
        if (pos.size === 0n) return false;
        const eq = equity(this.keeper.collateral(store, spec.id, owner), [{ ...pos, mark }]);
        return eq < marginRequirement(pos.size, mark, mmf);
      };
      const due = this.keeper
        .positions(store, spec.id)
        .map((x) => x.owner)
        .filter((o) => o !== vaultOwner && underwater(o));
      let fees = 0n;
      let book: OrderBook | undefined;
      for (const owner of due) {
        if (!underwater(owner)) continue;
        book ??= this.keeper.book(store, spec);
        fees += this.liquidateOne(ctx, spec, book, owner, mark, p);
      }
      this.maintainBackstop(ctx, spec, mark, p);
      this.settleBackstop(ctx, spec);
      this.host.distributeFees(ctx, spec, fees);
      for (const { owner, collateral } of this.keeper.collaterals(store, spec.id)) {
        if (owner === vaultOwner) continue;
        if (collateral >= 0n || this.keeper.position(store, spec.id, owner).size !== 0n) continue;
        const pool = this.keeper.poolOf(spec.id);
        const loss = this.keeper.vaults.absorbLoss(ctx, spec.vault, -collateral, pool);
        this.host.setCollateral(ctx, spec.id, owner, collateral + loss.covered);
        ctx.emit('perps_bad_debt', {
          market: spec.id,
          owner,
          debt: -collateral,
          covered: loss.covered,
          uncovered: loss.uncovered,
        });
      }
    }
  }

  /**
   * Liquidates one account (equity < MMR at the mark). Returns the maker fees collected.
   * 1. Its resting orders are cancelled.
   * 2. Mode: **full** when equity < `backstopRatio · MMR` or the position's notional is at
   *    most `partialLiquidationMinNotional`; otherwise **partial**: the size to close is
   *    `partialLiquidationSize` (enough to leave `(1 + liquidationBuffer) · MMR`, on the
   *    quantum grid).
   * 3. That size is closed against the book by an IOC no worse than
   *    `liquidationWorstPrice(size, mark, bankruptcy, liquidationSlippage)` (no taker fee).
   * 4. Full mode only: the vault takes over what the book left at the bankruptcy price, as
   *    much as it can carry ({@link takeover}); the rest is deleveraged at the bankruptcy
   *    price against the opposite positions in `adlRanking` order. A partial step that the
   *    book cannot fill waits for the next block (or for the account to cross the backstop
   *    threshold).
   * 5. `liquidationFee` on the notional closed (at the mark), capped by what is left, to the
   *    vault.
   */
  private liquidateOne(
    ctx: Context,
    spec: MarketSpec,
    book: OrderBook,
    owner: string,
    mark: bigint,
    p: PerpsParams,
  ): bigint {
    const store = ctx.store;
    const market = spec.id;
    const { imf, mmf } = marginFractions(this.keeper, store, spec);
    for (const o of book.cancelAll(owner).orders) this.host.removeOrder(ctx, market, o);
    const pos0 = this.keeper.position(store, market, owner);
    const c0 = this.keeper.collateral(store, market, owner);
    const eq0 = equity(c0, [{ ...pos0, mark }]);
    const mmr = marginRequirement(pos0.size, mark, mmf);
    const abs0 = absBig(pos0.size);
    const whole =
      isBackstopLiquidatable(eq0, mmr, p.backstopRatio) ||
      notional(pos0.size, mark) <= p.partialLiquidationMinNotional;
    const target = whole
      ? abs0
      : partialLiquidationSize({
          size: pos0.size,
          mark,
          equity: eq0,
          mmf,
          feeRate: p.liquidationFeeRate,
          buffer: p.liquidationBuffer,
          minPartialNotional: p.partialLiquidationMinNotional,
          stepSize: spec.quantumSize,
        });
    // A partial step that would leave too small a remainder closes everything: a full one.
    const full = whole || target === abs0;
    const bp = bankruptcyPrice(pos0.size, pos0.entryPrice, c0);
    const worst = liquidationWorstPrice(pos0.size, mark, bp, p.liquidationSlippage);
    const r = this.closeOnBook(ctx, spec, book, owner, pos0.size, target, worst);
    let taken = 0n;
    let adl = 0n;
    if (full) {
      const pos1 = this.keeper.position(store, market, owner);
      if (pos1.size !== 0n) {
        const c1 = this.keeper.collateral(store, market, owner);
        const bp1 = bankruptcyPrice(pos1.size, pos1.entryPrice, c1);
        taken = this.takeover(ctx, spec, owner, pos1, bp1, mark, imf, p);
        const pos2 = this.keeper.position(store, market, owner);
        if (pos2.size !== 0n) {
          adl = absBig(pos2.size);
          this.deleverage(ctx, spec, owner, pos2.size, bp1, mark);
          this.settleBackstop(ctx, spec); // the vault may have been a counterparty
        }
      }
    }
    const posEnd = this.keeper.position(store, market, owner);
    const closed = abs0 - absBig(posEnd.size);
    const c2 = this.keeper.collateral(store, market, owner);
    const eq2 = equity(c2, [{ ...posEnd, mark }]);
    const room = c2 < eq2 ? c2 : eq2;
    const lf = liquidationFee(notional(closed, mark), p.liquidationFeeRate, room);
    if (lf > 0n) {
      this.host.setCollateral(ctx, market, owner, c2 - lf);
      this.keeper.vaults.creditIncome(
        ctx,
        spec.vault,
        this.keeper.poolOf(market),
        { denom: PERPS_DENOM, amount: lf },
        'liquidation-fee',
      );
    }
    ctx.emit('perps_liquidation', {
      market,
      owner,
      mode: full ? 'full' : 'partial',
      size: pos0.size,
      closed,
      remaining: posEnd.size,
      mark: toDecimalString(mark),
      bankruptcyPrice: toDecimalString(bp),
      worstPrice: toDecimalString(worst),
      bookQuantums: r.filled,
      takenOver: taken,
      deleveraged: adl,
      liquidationFee: lf,
    });
    return r.fee;
  }

  /** An IOC reduce-only order closing up to `target` (base ×1e18) of `size` at `worst`. */
  private closeOnBook(
    ctx: Context,
    spec: MarketSpec,
    book: OrderBook,
    owner: string,
    size: bigint,
    target: bigint,
    worst: bigint,
  ): { fee: bigint; filled: number } {
    const side: Side = size > 0n ? 'sell' : 'buy';
    let ticks =
      side === 'sell'
        ? divRound(worst, spec.tickSize, Rounding.Ceil)
        : divRound(worst, spec.tickSize, Rounding.Floor);
    // A buy may be capped at the top tick (a better limit); a sell above it cannot fill.
    const maxTicks = BigInt(spec.maxPriceTicks);
    if (side === 'buy' && ticks > maxTicks) ticks = maxTicks;
    const maxQ = BigInt(spec.maxSizeQuantums);
    const q = target / spec.quantumSize < maxQ ? target / spec.quantumSize : maxQ;
    if (ticks < 1n || ticks > maxTicks || q <= 0n) return { fee: 0n, filled: 0 };
    const seq = book.lastSeq + 1;
    const order: Order = {
      id: padSeq(seq),
      owner,
      clientId: LIQUIDATION_CLIENT_ID,
      side,
      priceTicks: Number(ticks),
      sizeQuantums: Number(q),
      type: 'market',
      timeInForce: 'ioc',
      reduceOnly: true,
      seq,
    };
    return this.host.execute(ctx, spec, book, order, 0n);
  }

  /**
   * The vault takes over up to all of `pos` from `owner` at `price` (the bankruptcy price of
   * the remainder): `backstopTakeoverSize` — after it, the initial margin of the vault's
   * position in this market (current imf) must be ≤ `backstopMaxEquityShare` × the vault's
   * equity (cash + adjustment, the new position marked at the oracle). Returns the size taken
   * (base ×1e18, ≥ 0).
   */
  private takeover(
    ctx: Context,
    spec: MarketSpec,
    owner: string,
    pos: Position,
    price: bigint,
    mark: bigint,
    imf: bigint,
    p: PerpsParams,
  ): bigint {
    const store = ctx.store;
    const vaultOwner = this.backstopOwner(spec);
    const q = backstopTakeoverSize({
      vault: this.keeper.position(store, spec.id, vaultOwner),
      vaultEquity: this.keeper.vaults.equity(store, spec.vault),
      size: pos.size,
      price,
      mark,
      imf,
      maxEquityShare: p.backstopMaxEquityShare,
      stepSize: spec.quantumSize,
    });
    const sgn = pos.size > 0n ? 1n : -1n;
    if (q === 0n) return 0n;
    this.host.settleSide(ctx, spec, owner, -sgn * q, price, 0n);
    this.host.settleSide(ctx, spec, vaultOwner, sgn * q, price, 0n);
    this.settleBackstop(ctx, spec);
    ctx.emit('perps_backstop_takeover', {
      market: spec.id,
      vault: spec.vault,
      liquidated: owner,
      size: sgn * q,
      price: toDecimalString(price),
      vaultSize: this.keeper.position(store, spec.id, vaultOwner).size,
    });
    return q;
  }

  /**
   * The vault exhausted: when its equity is below the maintenance margin of its position in
   * this market (current mmf), the position is deleveraged against the opposite positions in
   * `adlRanking` order. With equity > 0, `partialLiquidationSize` of it (no fee, buffer
   * `liquidationBuffer`) closes at the mark, which leaves the vault's equity unchanged and its
   * margin restored; with equity ≤ 0, all of it closes at the vault's bankruptcy price, so
   * the vault ends at equity ≥ 0 and nobody else bears a loss.
   */
  private maintainBackstop(ctx: Context, spec: MarketSpec, mark: bigint, p: PerpsParams): void {
    const store = ctx.store;
    const owner = this.backstopOwner(spec);
    const v = this.keeper.position(store, spec.id, owner);
    if (v.size === 0n) return;
    const { mmf } = marginFractions(this.keeper, store, spec);
    const ev = this.keeper.vaults.equity(store, spec.vault);
    const mmr = marginRequirement(v.size, mark, mmf);
    if (ev >= mmr) return;
    let size: bigint;
    let price: bigint;
    if (ev <= 0n) {
      size = v.size;
      // "Collateral" of the position: everything in the vault's equity but its own PnL.
      const rest = ev - unrealizedPnl(v.size, v.entryPrice, mark);
      price = bankruptcyPrice(v.size, v.entryPrice, rest);
    } else {
      const q = partialLiquidationSize({
        size: v.size,
        mark,
        equity: ev,
        mmf,
        feeRate: 0n,
        buffer: p.liquidationBuffer,
        minPartialNotional: 0n,
        stepSize: spec.quantumSize,
      });
      size = v.size > 0n ? q : -q;
      price = mark;
    }
    if (size === 0n) return;
    ctx.emit('perps_backstop_deleverage', {
      market: spec.id,
      vault: spec.vault,
      vaultEquity: ev,
      maintenanceMargin: mmr,
      size,
      price: toDecimalString(price),
    });
    this.deleverage(ctx, spec, owner, size, price, mark);
    this.settleBackstop(ctx, spec);
  }

  /** Moves the vault's backstop collateral to (gains) or from (losses) the vault. */
  private settleBackstop(ctx: Context, spec: MarketSpec): void {
    const owner = this.backstopOwner(spec);
    const c = this.keeper.collateral(ctx.store, spec.id, owner);
    if (c === 0n) return;
    const pool = this.keeper.poolOf(spec.id);
    if (c > 0n) {
      this.keeper.vaults.creditIncome(
        ctx,
        spec.vault,
        pool,
        { denom: PERPS_DENOM, amount: c },
        'backstop',
      );
      this.host.setCollateral(ctx, spec.id, owner, 0n);
    } else {
      const paid = this.keeper.vaults.payOut(ctx, spec.vault, pool, -c, 'backstop-loss');
      this.host.setCollateral(ctx, spec.id, owner, c + paid);
    }
  }

  /** Closes `size` of `owner` at `price` against the opposite positions (ADL queue order). */
  private deleverage(
    ctx: Context,
    spec: MarketSpec,
    owner: string,
    size: bigint,
    price: bigint,
    mark: bigint,
  ): void {
    const store = ctx.store;
    const opposite = this.keeper
      .positions(store, spec.id)
      .filter((x) => x.owner !== owner && x.size > 0n !== size > 0n);
    const ranked = adlRanking(
      opposite.map((x) => ({
        owner: x.owner,
        size: x.size,
        entryPrice: x.entryPrice,
        collateral: this.keeper.collateral(store, spec.id, x.owner),
      })),
      mark,
    ).map((r) => r.owner);
    const inRank = new Set(ranked);
    const queue = [...ranked, ...opposite.map((x) => x.owner).filter((o) => !inRank.has(o))];
    let remaining = absBig(size);
    for (const other of queue) {
      if (remaining === 0n) break;
      const abs = absBig(this.keeper.position(store, spec.id, other).size);
      const q = abs < remaining ? abs : remaining;
      const delta = size > 0n ? q : -q; // the counterparty's change: it closes toward zero
      this.host.settleSide(ctx, spec, other, delta, price, 0n);
      this.host.settleSide(ctx, spec, owner, -delta, price, 0n);
      remaining -= q;
      ctx.emit('perps_deleverage', {
        market: spec.id,
        liquidated: owner,
        counterparty: other,
        size: q,
        price: toDecimalString(price),
      });
    }
  }
}
