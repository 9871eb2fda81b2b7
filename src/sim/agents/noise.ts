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
 * A noise trader: small market orders at random times (a Poisson process of `tradesPerHour`,
 * so the rate does not depend on the block time), of a random side and a size uniform in
 * [0.2, 1] × `notional` USD, accepting at worst `slippage` away from the oracle price. Past
 * `maxPosition` USD (or what its equity can margin) it only trades back toward flat
 * (reduce-only).
 */
export const noiseSpec = z.strictObject({
  type: z.literal('noise'),
  ...populationFields,
  market: z.string().min(1),
  tradesPerHour: z.number().positive().max(1e6).default(6),
  /** USD of the largest trade. */
  notional: z.number().positive().default(1_000),
  slippage: boundedFraction(0, 0.5).default(0.01),
  maxPosition: z.number().positive().default(20_000),
  collateral: amountSchema.optional(),
  /** Optional pause before the first trade (e.g. to let market makers quote first). */
  startAfter: durationSchema.default(0),
});
export type NoiseSpec = z.output<typeof noiseSpec>;

export class NoiseTrader extends PerpsTrader {
  private trades = 0;

  constructor(
    name: string,
    readonly spec: NoiseSpec,
  ) {
    super(name, spec.funds, spec.market, spec.collateral ?? spec.funds.uusd ?? 0n);
  }

  protected decide({ view, rng }: ActContext): Msg[] {
    const s = this.spec;
    const dt = view.blockTimeMs / 1000;
    const now = this.now(view);
    if (this.unfunded) {
      const { fund } = this.account(view);
      if (fund.length > 0 || this.unfunded) return fund;
    }
    if (now < s.startAfter) return [];
    if (rng.float() >= 1 - Math.exp((-s.tradesPerHour * dt) / 3600)) return [];
    const { sub } = this.account(view);
    const m = marketInfo(view, s.market);
    if (m.mark === undefined || sub.equity <= 0n) return [];
    const position = sub.size * m.mark;
    const limit = Math.min(s.maxPosition, maxNotionalUsd(m, Number(sub.equity) / 1e6, s.slippage));
    const beyond = Math.abs(position) >= limit;
    const side = beyond ? (position > 0 ? 'sell' : 'buy') : rng.float() < 0.5 ? 'buy' : 'sell';
    let usd = s.notional * (0.2 + 0.8 * rng.float());
    // a trade that grows the position stops at the limit
    if (!beyond && (side === 'buy') === position >= 0)
      usd = Math.min(usd, limit - Math.abs(position));
    const worst =
      side === 'buy'
        ? toTicks(m, m.mark * (1 + s.slippage), 'down')
        : toTicks(m, m.mark * (1 - s.slippage), 'up');
    const q = toQuantums(m, usd / m.mark);
    if (worst === undefined || q === 0) return [];
    this.trades += 1;
    return [placeOrders([marketOrder(s.market, this.nextClientId(), side, worst, q, beyond)])];
  }

  override stats() {
    return { ...super.stats(), trades: this.trades };
  }
}

export function createNoiseTraders(spec: NoiseSpec): NoiseTrader[] {
  return agentNames(spec.name ?? spec.type, spec.count).map((n) => new NoiseTrader(n, spec));
}
