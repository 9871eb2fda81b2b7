import { z } from 'zod';
import type { Msg } from '../../core/tx/tx.ts';
import { amountSchema, boundedFraction, durationSchema } from '../prices/spec-units.ts';
import type { ActContext } from '../types.ts';
import { agentNames, PerpsTrader, populationFields } from './base.ts';
import {
  marketInfo,
  marketOrder,
  maxNotionalUsd,
  placeOrders,
  toQuantums,
  toTicks,
} from './chain.ts';

/**
 * A leveraged trend follower. It keeps an exponentially weighted moving average of the
 * oracle price with half-life `halfLife` (a time, so the average does not depend on the
 * block time: each block weighs the new price by 1 − 2^(−dt/halfLife)). Every `rebalance`
 * it targets a position of `leverage` × equity: long when the price is more than
 * `threshold` above the average, short when as far below, flat in between, and trades the
 * difference with a market order (at most `maxOrderNotional` USD at once; reduce-only when
 * going flat). Leverage is capped below what the chain's margin check allows for an order
 * whose limit is `slippage` away (about 1 / (slippage + initial margin)).
 * A leveraged crowd on one side is what turns a crash into a liquidation cascade.
 */
export const trendSpec = z.strictObject({
  type: z.literal('trend'),
  ...populationFields,
  market: z.string().min(1),
  halfLife: durationSchema
    .refine((s) => s > 0, { message: 'expected a half-life > 0' })
    .default(3600),
  leverage: z.number().positive().max(100).default(3),
  threshold: boundedFraction(0, 1).default(0.005),
  rebalance: durationSchema.default(600),
  slippage: boundedFraction(0, 0.5).default(0.02),
  maxOrderNotional: z.number().positive().optional(),
  collateral: amountSchema.optional(),
});
export type TrendSpec = z.output<typeof trendSpec>;

export class TrendFollower extends PerpsTrader {
  private ewma: number | undefined;
  private lastRebalance = Number.NEGATIVE_INFINITY;
  private orders = 0;

  constructor(
    name: string,
    readonly spec: TrendSpec,
  ) {
    super(name, spec.funds, spec.market, spec.collateral ?? spec.funds.uusd ?? 0n);
  }

  protected decide({ view }: ActContext): Msg[] {
    const s = this.spec;
    const dt = view.blockTimeMs / 1000;
    const m = marketInfo(view, s.market);
    if (m.mark === undefined) return this.unfunded ? this.account(view).fund : [];
    const alpha = 1 - 2 ** (-dt / s.halfLife);
    this.ewma = this.ewma === undefined ? m.mark : this.ewma + alpha * (m.mark - this.ewma);
    const now = this.now(view);
    if (!this.unfunded && now - this.lastRebalance < s.rebalance) return [];
    const { sub, fund, equityUusd } = this.account(view);
    if (fund.length > 0 || this.unfunded) return fund;
    this.lastRebalance = now;
    const signal = m.mark / this.ewma - 1;
    const equity = equityUsdOf(equityUusd);
    if (equity <= 0) return [];
    const dir = signal > s.threshold ? 1 : signal < -s.threshold ? -1 : 0;
    const targetUsd = Math.min(s.leverage * equity, maxNotionalUsd(m, equity, s.slippage));
    const target = (dir * targetUsd) / m.mark;
    let delta = target - sub.size;
    const cap = (s.maxOrderNotional ?? Number.POSITIVE_INFINITY) / m.mark;
    delta = Math.max(-cap, Math.min(cap, delta));
    const q = toQuantums(m, Math.abs(delta));
    if (q === 0) return [];
    const side = delta > 0 ? 'buy' : 'sell';
    const worst =
      side === 'buy'
        ? toTicks(m, m.mark * (1 + s.slippage), 'down')
        : toTicks(m, m.mark * (1 - s.slippage), 'up');
    if (worst === undefined) return [];
    this.orders += 1;
    const reduceOnly = dir === 0;
    return [placeOrders([marketOrder(s.market, this.nextClientId(), side, worst, q, reduceOnly)])];
  }

  override stats() {
    return { ...super.stats(), orders: this.orders };
  }
}

const equityUsdOf = (uusd: bigint) => Number(uusd) / 1e6;

export function createTrendFollowers(spec: TrendSpec): TrendFollower[] {
  return agentNames(spec.name ?? spec.type, spec.count).map((n) => new TrendFollower(n, spec));
}
