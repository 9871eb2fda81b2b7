import type { Context } from '../../app/module.ts';
import { divRound, Rounding, toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import { Backstop } from './backstop.ts';
import type { Order, OrderBook, Side } from './book/index.ts';
import type { PerpsKeeper } from './keeper.ts';
import { padSeq } from './keys.ts';
import {
  absBig,
  bankruptcyPrice,
  equity,
  isBackstopLiquidatable,
  liquidationFee,
  liquidationWorstPrice,
  marginRequirement,
  notional,
  partialLiquidationSize,
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
 * Liquidation of the perps markets (end block): the book first, then the market vault's
 * backstop (`backstop.ts`: takeover, the vault's own maintenance, ADL).
 */
export class Liquidation {
  readonly backstop: Backstop;

  constructor(
    private readonly keeper: PerpsKeeper,
    private readonly host: LiquidationHost,
  ) {
    this.backstop = new Backstop(keeper, host);
  }

  /**
   * End block, per market with a price:
   * 0. the vault's backstop subaccount is settled (funding may have moved its collateral);
   * 1. every trader with equity < MMR (current mmf) is liquidated by {@link liquidateOne};
   * 2. the vault's own position is deleveraged if the vault fell below its maintenance
   *    margin (`Backstop.maintain`);
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
      this.backstop.settle(ctx, spec);
      const vaultOwner = this.backstop.owner(spec);
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
      this.backstop.maintain(ctx, spec, mark, mmf, p);
      this.backstop.settle(ctx, spec);
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
   *    much as it can carry (`Backstop.takeover`); the rest is deleveraged at the bankruptcy
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
        taken = this.backstop.takeover(ctx, spec, owner, pos1, bp1, mark, imf, p);
        const pos2 = this.keeper.position(store, market, owner);
        if (pos2.size !== 0n) {
          adl = absBig(pos2.size);
          this.backstop.deleverage(ctx, spec, owner, pos2.size, bp1, mark);
          this.backstop.settle(ctx, spec); // the vault may have been a counterparty
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
}
