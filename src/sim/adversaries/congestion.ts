import { z } from 'zod';
import type { Msg } from '../../core/tx/tx.ts';
import { actorNameSchema, agentNames, PerpsTrader } from '../agents/base.ts';
import {
  limitOrder,
  marketInfo,
  maxNotionalUsd,
  type OrderItem,
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
import type { ActContext } from '../types.ts';

/**
 * A crash into a congested book (pair it with a scripted crash of the price). Each of
 * `count` accounts:
 *
 * - before `from` (from `spoofFrom`) keeps `spoofLevels` bids of `spoofNotional` USD just
 *   under the oracle price (less when its equity cannot margin them all): depth that looks
 *   real, requoted every `refreshEvery` blocks;
 * - in `[from, to)` pulls them all and, every block, cancels and re-places `ordersPerBlock`
 *   one-quantum orders far from the price (`farOffset` away, both sides, on distinct ticks):
 *   useless levels and churn, in one `perps/place-orders` msg per block (one tx per block is
 *   all an agent gets, so a heavier flood needs a larger `count`);
 * - after `to` cancels everything and stops.
 *
 * So the bids a liquidation would hit vanish when the crash starts, and the book is busy.
 * `stats()`: `ordersPlaced`, `cancelAlls`, `spoofedUsd` (USD of spoof bids standing at the
 * last requote before `from`).
 */
export const congestedCrashSpec = z
  .strictObject({
    type: z.literal('congested-crash'),
    name: actorNameSchema.optional(),
    count: z.number().int().min(1).max(1_000).default(1),
    funds: fundsSchema,
    market: z.string().min(1),
    collateral: amountSchema.optional(),
    spoofFrom: durationSchema.default(0),
    spoofLevels: z.number().int().min(0).max(31).default(5),
    spoofNotional: z.number().positive().default(50_000),
    refreshEvery: z.number().int().min(1).default(10),
    from: durationSchema,
    to: durationSchema,
    ordersPerBlock: z.number().int().min(1).max(31).default(30),
    farOffset: boundedFraction(0, 1).default(0.09),
  })
  .refine((s) => s.to > s.from && s.from >= s.spoofFrom, {
    message: 'expected spoofFrom ≤ from < to',
  });
export type CongestedCrashSpec = z.output<typeof congestedCrashSpec>;

export class CongestionAttacker extends PerpsTrader {
  private placed = 0;
  private cancels = 0;
  private spoofed = 0;
  private stopped = false;

  constructor(
    name: string,
    readonly spec: CongestedCrashSpec,
  ) {
    super(name, spec.funds, spec.market, spec.collateral ?? spec.funds.uusd ?? 0n);
  }

  protected decide({ view }: ActContext): Msg[] {
    const s = this.spec;
    const t = this.now(view);
    if (this.unfunded) {
      const { fund } = this.account(view);
      if (fund.length > 0 || this.unfunded) return fund;
    }
    const cancelAll: OrderItem = { cancelAll: { market: s.market } };
    if (t >= s.to) {
      if (this.stopped) return [];
      this.stopped = true;
      this.cancels += 1;
      return [placeOrders([cancelAll])];
    }
    const m = marketInfo(view, s.market);
    if (m.mark === undefined) return [];
    const items: OrderItem[] = [cancelAll];
    if (t >= s.from) {
      for (let i = 0; i < s.ordersPerBlock; i++) {
        const side = i % 2 === 0 ? 'buy' : 'sell';
        const k = Math.floor(i / 2);
        const price = m.mark * (side === 'buy' ? 1 - s.farOffset : 1 + s.farOffset);
        const base = toTicks(m, price, side === 'buy' ? 'down' : 'up');
        if (base === undefined) continue;
        // distinct ticks, moving away from the price
        const ticks = side === 'buy' ? base - k : base + k;
        if (ticks < 1) continue;
        items.push(limitOrder(s.market, this.nextClientId(), side, ticks, 1));
      }
    } else if (t >= s.spoofFrom && s.spoofLevels > 0) {
      if ((view.height % s.refreshEvery !== 0 && this.placed > 0) || this.stopped) return [];
      this.spoofed = 0;
      // all the bids filling at once must stay within the margin (the chain checks it)
      const equity = Number(this.account(view).sub.equity) / 1e6;
      const perLevel = Math.min(s.spoofNotional, maxNotionalUsd(m, equity, 0.01) / s.spoofLevels);
      for (let i = 0; i < s.spoofLevels; i++) {
        const bid = toTicks(m, m.mark * (1 - 0.001 * (i + 1)), 'down');
        if (bid === undefined) continue;
        const q = toQuantums(m, perLevel / m.mark);
        if (q === 0) continue;
        items.push(limitOrder(s.market, this.nextClientId(), 'buy', bid, q));
        this.spoofed += q * m.quantumBase * bid * m.tickUsd;
      }
    } else {
      return [];
    }
    this.cancels += 1;
    this.placed += items.length - 1;
    return [placeOrders(items)];
  }

  override stats() {
    return {
      ...super.stats(),
      ordersPlaced: this.placed,
      cancelAlls: this.cancels,
      spoofedUsd: this.spoofed,
    };
  }
}

export function createCongestionAttackers(spec: CongestedCrashSpec): CongestionAttacker[] {
  return agentNames(spec.name ?? 'congestion', spec.count).map(
    (n) => new CongestionAttacker(n, spec),
  );
}
