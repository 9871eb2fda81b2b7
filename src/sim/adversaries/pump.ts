import { z } from 'zod';
import type { Msg } from '../../core/tx/tx.ts';
import { actorNameSchema, PerpsTrader } from '../agents/base.ts';
import {
  balance,
  type MarketInfo,
  marketInfo,
  marketOrder,
  type OrderItem,
  oiHeadroomUsd,
  perpsWithdraw,
  placeOrders,
  toQuantums,
  toTicks,
} from '../agents/chain.ts';
import {
  amountSchema,
  boundedFraction,
  durationSchema,
  fundsSchema,
} from '../prices/spec-units.ts';
import type { ActContext, SimView } from '../types.ts';

/**
 * A Mango-style pump: a well-funded trader opens a large long in a thin market, then
 * pushes the price up through the book, hoping the mark follows and its long can be
 * borrowed against or closed at a profit.
 *
 * 1. From the start: deposits `collateral` into the market's subaccount.
 * 2. `[openAt, openAt + openOver)`: buys `open` USD of the market with market orders (an
 *    equal slice every block, each accepting at most `slippage` above the oracle price).
 * 3. `[pushAt, pushAt + pushOver)`: every block, an IOC buy of `pushNotional` USD with a
 *    limit `push` above the oracle price (inside the band): it sweeps the asks up to it.
 * 4. From `exitAt`: sells the position back (reduce-only), then withdraws its collateral.
 *
 * On Bulwark the mark is the oracle price, which honest validators take from outside, so
 * the push alone does not move the mark: pair it with an `oracle-coalition` (or an engine
 * whose true price follows the book) to model a corrupted price. Its `stats()` say whether
 * the attack paid: `pnlUusd` = (wallet uusd + subaccount equity) − genesis uusd, `feesUbwk`
 * = ubwk spent on fees, `capitalUusd` = collateral put at risk, `peakLongUsd` (filled, at
 * the mark), `orderedUsd` (notional of the buy orders sent; IOC rests are cancelled).
 *
 * The opening buys in slices until the position reaches `open` USD (a thin book may fill
 * less: the window closes regardless). Every buy is cut to the market's open-interest
 * headroom (the chain refuses an order raising OI above min(vault cap, security cap) with
 * 806): a rational attacker sizes to what the chain accepts. `capLimitedUsd` in its stats
 * is how much of its buying the cap cut off, `capBlocks` in how many blocks.
 */
export const pumpSpec = z
  .strictObject({
    type: z.literal('pump'),
    name: actorNameSchema.optional(),
    funds: fundsSchema,
    market: z.string().min(1),
    collateral: amountSchema.optional(),
    open: z.number().positive(),
    openAt: durationSchema.default(0),
    openOver: durationSchema.default(0),
    push: boundedFraction(0, 1).default(0.05),
    pushNotional: z.number().positive(),
    pushAt: durationSchema,
    pushOver: durationSchema.default(600),
    exitAt: durationSchema,
    slippage: boundedFraction(0, 1).default(0.02),
  })
  .refine((s) => s.pushAt >= s.openAt && s.exitAt >= s.pushAt, {
    message: 'expected openAt ≤ pushAt ≤ exitAt',
  });
export type PumpSpec = z.output<typeof pumpSpec>;

export class PumpAttacker extends PerpsTrader {
  private phase: 'funding' | 'opening' | 'pushing' | 'exiting' | 'done' = 'funding';
  private ordered = 0;
  private peakLongUsd = 0;
  private capLimitedUsd = 0;
  private capBlocks = 0;
  private walletUusd: bigint;
  private walletUbwk: bigint;
  private equityUusd = 0n;

  constructor(
    name: string,
    readonly spec: PumpSpec,
  ) {
    super(name, spec.funds, spec.market, spec.collateral ?? spec.funds.uusd ?? 0n);
    this.walletUusd = this.funds.uusd ?? 0n;
    this.walletUbwk = this.funds.ubwk ?? 0n;
  }

  protected decide({ view }: ActContext): Msg[] {
    const s = this.spec;
    const t = this.now(view);
    const { sub, fund } = this.account(view);
    this.observe(view, sub.equity);
    if (fund.length > 0 || this.unfunded) return fund;
    const m = marketInfo(view, s.market);
    if (m.mark === undefined) return [];
    this.peakLongUsd = Math.max(this.peakLongUsd, sub.size * m.mark);
    const dt = view.blockTimeMs / 1000;
    if (t >= s.exitAt) return this.exit(m, sub.size, sub.collateral);
    if (t >= s.pushAt && t < s.pushAt + s.pushOver) {
      this.phase = 'pushing';
      const limit = toTicks(m, m.mark * (1 + s.push), 'down');
      return this.buy(view, m, s.pushNotional, limit, 'limit');
    }
    const longUsd = Math.max(0, sub.size * m.mark);
    const opening = t >= s.openAt && t < Math.max(s.openAt + s.openOver, s.openAt + dt);
    if (opening && longUsd < s.open) {
      // a slice per block, until the position (not the orders sent) reaches `open`
      this.phase = 'opening';
      const slices = Math.max(1, Math.round(s.openOver / dt));
      const usd = Math.min(s.open / slices, s.open - longUsd);
      return this.buy(view, m, usd, toTicks(m, m.mark * (1 + s.slippage), 'down'), 'market');
    }
    return [];
  }

  private buy(
    view: SimView,
    m: MarketInfo,
    wanted: number,
    limit: number | undefined,
    kind: 'limit' | 'market',
  ): Msg[] {
    // A margin under the headroom: the oracle price moves between this read and the fill.
    const room = oiHeadroomUsd(view, this.market);
    const usd = room === undefined ? wanted : Math.min(wanted, room * 0.98);
    if (usd < wanted) {
      this.capLimitedUsd += wanted - Math.max(0, usd);
      this.capBlocks++;
    }
    if (usd <= 0) return [];
    const q = toQuantums(m, usd / m.mark!);
    if (limit === undefined || q === 0) return [];
    this.ordered += usd;
    const item: OrderItem =
      kind === 'market'
        ? marketOrder(this.market, this.nextClientId(), 'buy', limit, q)
        : {
            place: {
              market: this.market,
              clientId: this.nextClientId(),
              side: 'buy',
              priceTicks: limit,
              sizeQuantums: q,
              type: 'limit',
              timeInForce: 'ioc',
              reduceOnly: false,
            },
          };
    return [placeOrders([item])];
  }

  private exit(m: MarketInfo, size: number, collateral: bigint): Msg[] {
    if (size > 0) {
      this.phase = 'exiting';
      const worst = toTicks(m, m.mark! * (1 - this.spec.slippage), 'up');
      const q = toQuantums(m, size);
      if (worst === undefined || q === 0) return [];
      return [placeOrders([marketOrder(this.market, this.nextClientId(), 'sell', worst, q, true)])];
    }
    if (collateral > 0n && this.phase !== 'done') {
      this.phase = 'done';
      return [perpsWithdraw(this.market, collateral)];
    }
    return [];
  }

  /** Reads the wallet and the subaccount so that `stats()` can value the attack. */
  private observe(view: SimView, equity: bigint): void {
    this.walletUusd = balance(view, this.address, 'uusd');
    this.walletUbwk = balance(view, this.address, 'ubwk');
    this.equityUusd = equity;
  }

  override stats() {
    const startUusd = this.funds.uusd ?? 0n;
    return {
      ...super.stats(),
      phase: this.phase,
      pnlUusd: this.walletUusd + this.equityUusd - startUusd,
      feesUbwk: (this.funds.ubwk ?? 0n) - this.walletUbwk,
      capitalUusd: this.collateral,
      orderedUsd: this.ordered,
      peakLongUsd: this.peakLongUsd,
      capLimitedUsd: this.capLimitedUsd,
      capBlocks: this.capBlocks,
    };
  }
}
