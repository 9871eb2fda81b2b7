import type { BlockResults } from '../../consensus/block.ts';
import type { Event } from '../../core/app/types.ts';

/**
 * What the RPC reads from the perps module's events (docs/modules/perps.md): the fills of a
 * block and the markets whose book it touched. Only events of successful txs and of the
 * block's end (liquidations, expiries) count: a failed tx changed nothing.
 */

/** One `perps_fill` event as JSON (docs/rpc.md, "perps_fills"). */
export interface FillJson {
  height: number;
  /** The tx that made the fill, or null for a fill of the block's end (a liquidation). */
  txHash: string | null;
  market: string;
  maker: string;
  taker: string;
  makerOrder: string;
  takerOrder: string;
  takerSide: string;
  priceTicks: number;
  sizeQuantums: number;
  /** uusd, decimal strings. */
  takerFee: string;
  makerFee: string;
  [key: string]: string | number | null;
}

/** Which fills a subscriber or a `perps_fills` caller wants; an absent field matches all. */
export interface FillFilter {
  market?: string | undefined;
  /** Matches fills where this address is the maker or the taker. */
  account?: string | undefined;
}

/** Events that add, shrink or remove resting orders: after one, a market's book may differ. */
const BOOK_EVENTS: ReadonlySet<string> = new Set([
  'perps_order',
  'perps_order_cancelled',
  'perps_order_expired',
  'perps_fill',
  'perps_liquidation',
]);

/** Every event of the block that took effect, with the hash of its tx (null: block end). */
function effectiveEvents(results: BlockResults): { event: Event; txHash: string | null }[] {
  const out: { event: Event; txHash: string | null }[] = [];
  for (const r of results.txResults) {
    if (r.code !== 0) continue;
    for (const event of r.events) out.push({ event, txHash: r.hash });
  }
  for (const event of results.events) out.push({ event, txHash: null });
  return out;
}

function fillJson(event: Event, height: number, txHash: string | null): FillJson {
  const a = event.attributes;
  return {
    height,
    txHash,
    market: a.market ?? '',
    maker: a.maker ?? '',
    taker: a.taker ?? '',
    makerOrder: a.makerOrder ?? '',
    takerOrder: a.takerOrder ?? '',
    takerSide: a.takerSide ?? '',
    priceTicks: Number(a.priceTicks),
    sizeQuantums: Number(a.sizeQuantums),
    takerFee: a.takerFee ?? '0',
    makerFee: a.makerFee ?? '0',
  };
}

export function matchesFill(filter: FillFilter, f: FillJson): boolean {
  if (filter.market !== undefined && f.market !== filter.market) return false;
  if (filter.account !== undefined && f.maker !== filter.account && f.taker !== filter.account)
    return false;
  return true;
}

/** The block's fills in execution order (txs in block order, then the block's end). */
export function fillsOf(results: BlockResults): FillJson[] {
  return effectiveEvents(results)
    .filter(({ event }) => event.type === 'perps_fill')
    .map(({ event, txHash }) => fillJson(event, results.height, txHash));
}

/** The markets whose book the block may have changed, sorted. */
export function bookMarketsChanged(results: BlockResults): string[] {
  const out = new Set<string>();
  for (const { event } of effectiveEvents(results)) {
    const market = event.attributes.market;
    if (BOOK_EVENTS.has(event.type) && market !== undefined) out.add(market);
  }
  return [...out].sort();
}

/** One `perps_funding` settlement as JSON (docs/rpc.md, "perps_funding"). */
export interface FundingJson {
  height: number;
  /** Funding rate of the interval (decimal, per interval; positive: longs pay shorts). */
  rate: string;
  /** Premium samples averaged into the rate. */
  samples: number;
  /** Oracle price the payments were computed at (USD, decimal). */
  price: string;
  /** uusd moved from payers to receivers. */
  paid: string;
}

/** The settlement of `market` in this block's end, if any. */
export function fundingOf(results: BlockResults, market: string): FundingJson | undefined {
  const e = results.events.find(
    (x) => x.type === 'perps_funding' && x.attributes.market === market,
  );
  if (e === undefined) return undefined;
  const a = e.attributes;
  return {
    height: results.height,
    rate: a.rate ?? '0',
    samples: Number(a.samples),
    price: a.price ?? '0',
    paid: a.paid ?? '0',
  };
}
