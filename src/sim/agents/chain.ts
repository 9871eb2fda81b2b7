import type { Msg } from '../../core/tx/tx.ts';
import type { SimView } from '../types.ts';

/**
 * What the actors read from the chain and the messages they send, in the chain's own
 * shapes (the zod schemas of `src/core/modules/{perps,vaults,staking}/`). Queries answer
 * bigints (in process) or decimal strings (over RPC): the readers below accept both.
 */

/** A bigint from a query field (bigint, integer number or decimal integer string). */
export function big(v: unknown, what = 'value'): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?[0-9]+$/.test(v)) return BigInt(v);
  throw new TypeError(`expected an integer ${what}, got ${JSON.stringify(String(v))}`);
}

/** A float from a query field (number, bigint or decimal string such as "0.05"). */
export function float(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number(v);
  return Number.NaN;
}

const E18 = 1e18;

/**
 * Answers of one height are shared by every actor (a market's listing, the APR table…): the
 * engine asks each actor in turn against the same committed state, so a query asked twice at
 * one height has one answer. Keyed by view object and height.
 */
const cache = new WeakMap<SimView, { height: number; answers: Map<string, unknown> }>();

export function cachedQuery<T>(view: SimView, path: string, args: Record<string, unknown> = {}): T {
  let c = cache.get(view);
  if (c === undefined || c.height !== view.height) {
    c = { height: view.height, answers: new Map() };
    cache.set(view, c);
  }
  const key = `${path} ${JSON.stringify(args, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`;
  if (!c.answers.has(key)) c.answers.set(key, view.query<T>(path, args));
  return c.answers.get(key) as T;
}

/** A market's grid and margin terms, and its oracle price this block (undefined: none yet). */
export interface MarketInfo {
  id: string;
  oracleMarket: string;
  /** USD per tick and base units per quantum, as floats (for sizing; the chain checks). */
  tickUsd: number;
  quantumBase: number;
  maxPriceTicks: number;
  maxSizeQuantums: number;
  /** Initial-margin fraction (1 / max leverage). */
  imf: number;
  /** Oracle (mark) price in USD. */
  mark: number | undefined;
  /** The order price band around the oracle price (e.g. 0.1 = ±10 %). */
  priceBand: number;
}

interface MarketAnswer {
  id: string;
  oracleMarket: string;
  tickSize: string | bigint;
  quantumSize: string | bigint;
  baseImf: string;
  maxPriceTicks: number;
  maxSizeQuantums: number;
  mark: bigint | string | null;
}

export function marketInfo(view: SimView, market: string): MarketInfo {
  const all = cachedQuery<MarketAnswer[]>(view, 'perps/markets');
  const m = all.find((x) => x.id === market);
  if (m === undefined) {
    throw new Error(
      `no perps market ${market}; the chain lists ${all.map((x) => x.id).join(', ') || 'none'}`,
    );
  }
  const params = cachedQuery<{ priceBand: string }>(view, 'perps/params');
  return {
    id: m.id,
    oracleMarket: m.oracleMarket,
    tickUsd: Number(big(m.tickSize, 'tickSize')) / E18,
    quantumBase: Number(big(m.quantumSize, 'quantumSize')) / E18,
    maxPriceTicks: m.maxPriceTicks,
    maxSizeQuantums: m.maxSizeQuantums,
    imf: float(m.baseImf),
    mark: m.mark === null || m.mark === undefined ? undefined : Number(big(m.mark, 'mark')) / E18,
    priceBand: float(params.priceBand),
  };
}

/**
 * How much more open interest (USD notional at the oracle price) the market takes before
 * its effective cap, min(vault cap, security cap), refuses an order that raises it (806);
 * 0 when full, undefined when the risk module does not know the market. A sizing hint
 * only: fills of other txs in the same block may use it first.
 */
export function oiHeadroomUsd(view: SimView, market: string): number | undefined {
  let r: { oi: unknown; cap: { effective: unknown } };
  try {
    r = cachedQuery(view, 'risk/market', { market });
  } catch {
    return undefined;
  }
  const room = big(r.cap.effective, 'cap.effective') - big(r.oi, 'oi');
  return room > 0n ? Number(room) / 1e6 : 0;
}

/** One subaccount as the perps module reports it (money in uusd, size in base ×1e18). */
export interface Subaccount {
  collateral: bigint;
  /** Signed position in base units (float). */
  size: number;
  equity: bigint;
  freeCollateral: bigint;
}

export function subaccount(view: SimView, market: string, owner: string): Subaccount {
  const s = view.query<Record<string, unknown>>('perps/subaccount', { owner, market });
  return {
    collateral: big(s.collateral, 'collateral'),
    size: Number(big(s.size, 'size')) / E18,
    equity: big(s.equity, 'equity'),
    freeCollateral: big(s.freeCollateral, 'freeCollateral'),
  };
}

export function balance(view: SimView, address: string, denom: string): bigint {
  const b = view.query<{ amount: unknown }>('bank/balance', { address, denom });
  return big(b.amount, 'balance');
}

// ---- the grid --------------------------------------------------------------------------------

/**
 * A price in ticks, rounded toward the passive side (`down` for a bid, `up` for an ask) and
 * kept inside the oracle band and the market's range; undefined when no tick qualifies.
 */
export function toTicks(m: MarketInfo, price: number, round: 'down' | 'up'): number | undefined {
  if (m.mark === undefined || !(price > 0)) return undefined;
  const raw = price / m.tickUsd;
  let ticks = round === 'down' ? Math.floor(raw + 1e-9) : Math.ceil(raw - 1e-9);
  // the chain's band check is exact; stay one tick inside it
  const lo = Math.ceil((m.mark * (1 - m.priceBand)) / m.tickUsd) + 1;
  const hi = Math.floor((m.mark * (1 + m.priceBand)) / m.tickUsd) - 1;
  ticks = Math.min(Math.max(ticks, lo), hi, m.maxPriceTicks);
  return ticks >= 1 && lo <= hi ? ticks : undefined;
}

/**
 * The largest position (USD at the mark) that an order with a limit `slippage` away can
 * open and still pass the chain's margin check, which values the order at its limit: equity
 * E − N·slippage must cover N·(1 + slippage)·imf. Kept 10 % below.
 */
export function maxNotionalUsd(m: MarketInfo, equityUsd: number, slippage: number): number {
  return Math.max(0, (0.9 * equityUsd) / (slippage + (1 + slippage) * m.imf));
}

/** A size in quantums (rounded down, at most the market's maximum); 0 when below one. */
export function toQuantums(m: MarketInfo, sizeBase: number): number {
  if (!(sizeBase > 0)) return 0;
  return Math.min(Math.floor(sizeBase / m.quantumBase + 1e-9), m.maxSizeQuantums);
}

// ---- messages ------------------------------------------------------------------------------

export type Side = 'buy' | 'sell';

export interface PlaceOrder {
  market: string;
  clientId: number;
  side: Side;
  priceTicks: number;
  sizeQuantums: number;
  type: 'limit' | 'market';
  timeInForce: 'gtc' | 'ioc' | 'post-only';
  reduceOnly: boolean;
  goodTilBlock?: number;
}

export type OrderItem =
  | { place: PlaceOrder }
  | { cancel: { market: string; clientId: number } }
  | { cancelAll: { market: string } };

export const perpsDeposit = (market: string, amount: bigint): Msg => ({
  type: 'perps/deposit',
  value: { market, amount },
});

export const perpsWithdraw = (market: string, amount: bigint): Msg => ({
  type: 'perps/withdraw',
  value: { market, amount },
});

/** `perps/place-orders`: placements and cancels, in order, under one signature. */
export const placeOrders = (orders: OrderItem[]): Msg => ({
  type: 'perps/place-orders',
  value: { orders: orders as unknown as Msg['value'] },
});

export const limitOrder = (
  market: string,
  clientId: number,
  side: Side,
  priceTicks: number,
  sizeQuantums: number,
): OrderItem => ({
  place: {
    market,
    clientId,
    side,
    priceTicks,
    sizeQuantums,
    type: 'limit',
    timeInForce: 'gtc',
    reduceOnly: false,
  },
});

/** A market order: IOC, `worstTicks` the worst price it accepts. */
export const marketOrder = (
  market: string,
  clientId: number,
  side: Side,
  worstTicks: number,
  sizeQuantums: number,
  reduceOnly = false,
): OrderItem => ({
  place: {
    market,
    clientId,
    side,
    priceTicks: worstTicks,
    sizeQuantums,
    type: 'market',
    timeInForce: 'ioc',
    reduceOnly,
  },
});

export const vaultDeposit = (vault: string, amount: bigint): Msg => ({
  type: 'vaults/deposit',
  value: { vault, amount },
});
export const vaultRequestWithdraw = (vault: string, shares: bigint): Msg => ({
  type: 'vaults/request-withdraw',
  value: { vault, shares },
});
export const vaultWithdraw = (vault: string): Msg => ({
  type: 'vaults/withdraw',
  value: { vault },
});

export const delegate = (validator: string, denom: string, amount: bigint): Msg => ({
  type: 'staking/delegate',
  value: { validator, amount: { denom, amount } },
});
export const redelegateShares = (src: string, dst: string, shares: bigint): Msg => ({
  type: 'staking/redelegate',
  value: { src, dst, shares },
});

// ---- time --------------------------------------------------------------------------------

/**
 * Seconds since genesis at the start of the block being built, from the view's clock.
 * `timeMs` keeps running when consensus halts (no quorum) while `height` stands still, so
 * time windows must follow `timeMs` — a window of offline validators that halts the chain
 * must still end. The genesis time is not in the view: it is inferred on the first call as
 * `timeMs − height × blockTimeMs`, which holds as long as the actor is asked from the first
 * block on (the engine asks every actor and fault every block).
 */
export class RunClock {
  private startMs: number | undefined;

  seconds(view: SimView): number {
    this.startMs ??= view.timeMs - view.height * view.blockTimeMs;
    return (view.timeMs - this.startMs) / 1000;
  }
}
