import type { Context } from '../../app/module.ts';
import { toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { PerpsKeeper } from './keeper.ts';
import type { LiquidationHost } from './liquidation.ts';
import {
  absBig,
  adlRanking,
  backstopTakeoverSize,
  bankruptcyPrice,
  marginRequirement,
  type Position,
  partialLiquidationSize,
  unrealizedPnl,
} from './math/index.ts';
import { type MarketSpec, PERPS_DENOM, type PerpsParams } from './params.ts';

/**
 * The vault backstop of the perps markets and auto-deleveraging (called by `Liquidation`).
 *
 * The market's vault holds its backstop position as an ordinary subaccount of the market
 * whose owner is the vault's pool account (`vaults.accountOf(vault)`). Its collateral is kept
 * at 0: whatever the position realizes (a reduction, funding, deleveraging) is settled with
 * the vault at once — gains into it as `backstop` income, losses paid by `payOut` (a part the
 * vault cannot pay stays as negative collateral and counts in its equity). The unrealized PnL
 * at the oracle price counts in the vault's equity through the equity adjuster
 * ({@link Backstop.equity}). The vault never trades its position on the book: it is held,
 * pays and earns funding, shrinks when the vault takes over an opposite position, and is
 * deleveraged when the vault's equity falls below its maintenance margin.
 */
export class Backstop {
  constructor(
    private readonly keeper: PerpsKeeper,
    private readonly host: LiquidationHost,
  ) {}

  /** The owner of the vault's backstop subaccount in `spec`'s market. */
  owner(spec: MarketSpec): string {
    return this.keeper.vaults.accountOf(spec.vault);
  }

  /**
   * For `vaults.setEquityAdjuster`: Σ over the vault's markets of its backstop subaccount's
   * collateral + unrealized PnL at the oracle price (0 PnL without a price).
   */
  equity(store: ReadStore, vaultId: string): bigint {
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
   * The vault takes over up to all of `pos` from `owner` at `price` (the bankruptcy price of
   * the remainder): `backstopTakeoverSize` — after it, the initial margin of the vault's
   * position in this market (current imf) must be ≤ `backstopMaxEquityShare` × the vault's
   * equity (cash + adjustment, the new position marked at the oracle). Returns the size taken
   * (base ×1e18, ≥ 0).
   */
  takeover(
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
    const vaultOwner = this.owner(spec);
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
    this.settle(ctx, spec);
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
   * this market (`mmf`: the market's current fraction), the position is deleveraged against the opposite positions in
   * `adlRanking` order. With equity > 0, `partialLiquidationSize` of it (no fee, buffer
   * `liquidationBuffer`) closes at the mark, which leaves the vault's equity unchanged and its
   * margin restored; with equity ≤ 0, all of it closes at the vault's bankruptcy price: the
   * vault pays all it has and ends at equity 0, and the shortfall falls on the ADL
   * counterparties of this market (they close at that price instead of the mark), never on
   * another vault.
   */
  maintain(ctx: Context, spec: MarketSpec, mark: bigint, mmf: bigint, p: PerpsParams): void {
    const store = ctx.store;
    const owner = this.owner(spec);
    const v = this.keeper.position(store, spec.id, owner);
    if (v.size === 0n) return;
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
    this.settle(ctx, spec);
  }

  /** Moves the vault's backstop collateral to (gains) or from (losses) the vault. */
  settle(ctx: Context, spec: MarketSpec): void {
    const owner = this.owner(spec);
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
  deleverage(
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
