import type { Context } from '../../app/module.ts';
import { divRound, Rounding, toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { OrderBook } from './book/index.ts';
import type { PerpsKeeper } from './keeper.ts';
import { fundingKey } from './keys.ts';
import {
  fundingPremium,
  fundingRate,
  fundingRateCap,
  NOTIONAL_SCALE,
  settleFunding,
} from './math/index.ts';
import type { MarketSpec } from './params.ts';

/**
 * Funding of the perps markets: a premium sample per block from the impact bid and ask
 * against the oracle price, settled every `fundingIntervalBlocks` (the pure formulas are in
 * `math/funding.ts`).
 */

/** Premium samples of the current interval. */
export function fundingSamples(store: ReadStore, market: string): { sum: bigint; count: number } {
  const v = store.get(fundingKey(market)) as { sum: bigint; count: number } | undefined;
  return v ?? { sum: 0n, count: 0 };
}

/**
 * Impact bid and ask (USD ×1e18): the average price a taker gets for `impactNotional` uusd
 * on each side (bid Floor, ask Ceil); undefined when the side cannot fill it.
 */
export function impactPrices(spec: MarketSpec, book: OrderBook): { bid?: bigint; ask?: bigint } {
  // ticks·quantums per uusd: tickSize·quantumSize / 10^30.
  const unit = spec.tickSize * spec.quantumSize;
  const target = divRound(spec.impactNotional * NOTIONAL_SCALE, unit, Rounding.Ceil);
  const out: { bid?: bigint; ask?: bigint } = {};
  if (target <= 0n) return out;
  const bid = book.impactPrice('sell', target);
  if (bid.complete && bid.sizeQuantums > 0n) {
    out.bid = divRound(bid.notional * spec.tickSize, bid.sizeQuantums, Rounding.Floor);
  }
  const ask = book.impactPrice('buy', target);
  if (ask.complete && ask.sizeQuantums > 0n) {
    out.ask = divRound(ask.notional * spec.tickSize, ask.sizeQuantums, Rounding.Ceil);
  }
  return out;
}

/**
 * End block: one premium sample per market (`fundingPremium(impact bid, impact ask,
 * oracle)`); at heights that are multiples of `fundingIntervalBlocks`, the rate
 * `clamp(mean + interest, ±multiple·(imf − mmf))` is settled with `settleFunding` at the
 * oracle price — payments move between subaccounts' collateral and sum to exactly 0.
 */
export function runFunding(
  keeper: PerpsKeeper,
  ctx: Context,
  setCollateral: (ctx: Context, market: string, owner: string, amount: bigint) => void,
): void {
  const store = ctx.store;
  const p = keeper.params(store);
  for (const spec of keeper.markets(store)) {
    const mark = keeper.mark(store, spec);
    const s = fundingSamples(store, spec.id);
    let { sum, count } = s;
    if (mark !== undefined) {
      const { bid, ask } = impactPrices(spec, keeper.book(store, spec));
      sum += fundingPremium(bid, ask, mark);
      count += 1;
    }
    if (ctx.block.height % spec.fundingIntervalBlocks !== 0) {
      store.set(fundingKey(spec.id), { sum, count });
      continue;
    }
    store.delete(fundingKey(spec.id));
    if (mark === undefined) continue;
    const mean = count === 0 ? 0n : divRound(sum, BigInt(count), Rounding.Trunc);
    const { imf, mmf } = keeper.marginFractions(store, spec);
    const cap = fundingRateCap(imf, mmf, p.fundingCapMultiple);
    const rate = fundingRate([mean], { interestRate: p.fundingInterestRate, cap });
    const positions = keeper.positions(store, spec.id);
    const payments = settleFunding(positions, rate, mark);
    let paid = 0n;
    for (const pay of payments) {
      if (pay.payment === 0n) continue;
      if (pay.payment > 0n) paid += pay.payment;
      const c = keeper.collateral(store, spec.id, pay.owner);
      setCollateral(ctx, spec.id, pay.owner, c - pay.payment);
    }
    ctx.emit('perps_funding', {
      market: spec.id,
      rate: toDecimalString(rate),
      samples: count,
      price: toDecimalString(mark),
      paid,
    });
  }
}
