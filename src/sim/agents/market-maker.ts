import { z } from 'zod';
import type { Msg } from '../../core/tx/tx.ts';
import { amountSchema, boundedFraction } from '../prices/spec-units.ts';
import type { ActContext } from '../types.ts';
import { agentNames, PerpsTrader, populationFields, type RngFor } from './base.ts';
import {
  limitOrder,
  marketInfo,
  type OrderItem,
  placeOrders,
  toQuantums,
  toTicks,
} from './chain.ts';

/**
 * A market maker: every `refreshEvery` blocks it cancels all its orders and quotes `levels`
 * bids and asks around the oracle price, in one `perps/place-orders` msg (cancel-all first,
 * then the placements: one tx, one signature). The best quotes are `spread` apart; further
 * levels are `levelSpacing` apart. Each level is worth `notional` USD.
 *
 * Inventory: the quotes are shifted against the position (a long lowers both sides) by up
 * to half the spread at `maxInventory` USD, and beyond it the side that would grow the
 * position is not quoted. Sizes are cut so that every order of one side filling at once
 * still leaves equity ≥ 80 % of the initial margin (the chain refuses worse).
 */
export const marketMakerSpec = z.strictObject({
  type: z.literal('market-maker'),
  ...populationFields,
  market: z.string().min(1),
  /** Distance between the best bid and the best ask, as a fraction of the price. */
  spread: boundedFraction(0, 0.2).default(0.002),
  levels: z.number().int().min(1).max(15).default(3),
  levelSpacing: boundedFraction(0, 0.05).default(0.001),
  /** USD value of each level. */
  notional: z.number().positive().default(10_000),
  refreshEvery: z.number().int().min(1).max(100_000).default(5),
  /** uusd moved into the market's subaccount (default: all the uusd of `funds`). */
  collateral: amountSchema.optional(),
  /** USD position at which the quotes are fully skewed and one side stops. */
  maxInventory: z.number().positive().optional(),
});
export type MarketMakerSpec = z.output<typeof marketMakerSpec>;

export class MarketMaker extends PerpsTrader {
  private readonly phase: number;
  private quotes = 0;
  /** Orders placed at the last refresh (none: nothing to cancel, stay silent). */
  private resting = 0;

  constructor(
    name: string,
    readonly spec: MarketMakerSpec,
    phase: number,
  ) {
    const funds = spec.funds;
    super(name, funds, spec.market, spec.collateral ?? funds.uusd ?? 0n);
    this.phase = phase;
  }

  protected decide({ view }: ActContext): Msg[] {
    const s = this.spec;
    if ((view.height + this.phase) % s.refreshEvery !== 0 && this.quotes > 0) return [];
    const m = marketInfo(view, s.market);
    const { sub, fund, equityUusd } = this.account(view);
    if (m.mark === undefined) return fund;
    const mid = m.mark;
    const inventory = sub.size * mid;
    const maxInv = s.maxInventory ?? s.notional * s.levels * 2;
    const skew = Math.max(-1, Math.min(1, inventory / maxInv)) * (s.spread / 2) * mid;
    // worst case per side: every order of the side fills; keep 20 % of margin spare
    const equity = Number(equityUusd) / 1e6;
    const sideBudget = Math.max(0, (0.8 * equity) / m.imf - Math.abs(inventory));
    const perLevel = Math.min(s.notional, sideBudget / s.levels);
    const items: OrderItem[] = [{ cancelAll: { market: s.market } }];
    for (let i = 0; i < s.levels; i++) {
      const off = (s.spread / 2 + i * s.levelSpacing) * mid;
      const bid = toTicks(m, mid - off - skew, 'down');
      let ask = toTicks(m, mid + off - skew, 'up');
      // never quote against oneself (a zero spread on the grid)
      if (bid !== undefined && ask !== undefined && ask <= bid) ask = bid + 1;
      if (bid !== undefined && inventory < maxInv) {
        const q = toQuantums(m, perLevel / (bid * m.tickUsd));
        if (q > 0) items.push(limitOrder(s.market, this.nextClientId(), 'buy', bid, q));
      }
      if (ask !== undefined && inventory > -maxInv) {
        const q = toQuantums(m, perLevel / (ask * m.tickUsd));
        if (q > 0) items.push(limitOrder(s.market, this.nextClientId(), 'sell', ask, q));
      }
    }
    this.quotes += 1;
    const placed = items.length - 1;
    if (placed === 0 && this.resting === 0) return fund;
    this.resting = placed;
    return [...fund, placeOrders(items)];
  }

  override stats() {
    return { ...super.stats(), quotes: this.quotes };
  }
}

export function createMarketMakers(spec: MarketMakerSpec, rngFor: RngFor): MarketMaker[] {
  return agentNames(spec.name ?? spec.type, spec.count).map(
    (name) => new MarketMaker(name, spec, rngFor(name).int(spec.refreshEvery)),
  );
}
