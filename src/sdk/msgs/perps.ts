/**
 * Message builders of the perps module (docs/modules/perps.md): collateral in a market's
 * isolated subaccount, and batches of orders (place, cancel, cancel-all) under one signature.
 * Prices are integer ticks and sizes integer quantums of the market (`perps/markets` gives
 * `tickSize` and `quantumSize`). Bad arguments throw an ArgumentError before anything is sent.
 */
import type { Coin } from '../../core/coin.ts';
import type { Msg } from '../../core/tx/tx.ts';
import { ArgumentError } from '../errors.ts';
import { toCoin } from '../tx.ts';
import { toAmount } from './common.ts';

/** Letters, digits and dashes, at most 48, like the chain's market ids (`BTC-USD`). */
const MARKET_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/;
/** The most items one `perps/place-orders` msg carries (the chain's maxOrdersPerTx may be lower). */
export const MAX_ORDER_ITEMS = 256;

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
export type TimeInForce = 'gtc' | 'ioc' | 'post-only';

/** One order to place. Omitted options take the chain's defaults (limit, gtc, not reduce-only). */
export interface PlaceOrderParams {
  market: string;
  /** Your id for the order (integer ≥ 0): cancel by it later. */
  clientId: number;
  side: OrderSide;
  /** Limit price in ticks (integer ≥ 1); for a market order, the worst price accepted. */
  priceTicks: number;
  /** Size in quantums (integer ≥ 1). */
  sizeQuantums: number;
  type?: OrderType;
  timeInForce?: TimeInForce;
  /** Only reduce the position (the book requires ioc for it). */
  reduceOnly?: boolean;
  /** The order is removed at the end of this height. */
  goodTilBlock?: number;
}

/** A cancel by your client id or by the chain's order id (16 digits, from `perps/orders`). */
export type OrderRef = { clientId: number } | { orderId: string };

/** One item of a `perps/place-orders` msg, as the chain reads it. */
export type OrderItem =
  | { place: PlaceOrderParams }
  | { cancel: { market: string; clientId?: number; orderId?: string } }
  | { cancelAll: { market: string } };

/** An amount of uusd: base units (bigint, safe integer, digits) or a coin such as `'1000uusd'`. */
export type UusdAmount = bigint | number | string | Coin;

/**
 * Checks a market id and returns it.
 *
 * @example
 * requireMarket('BTC-USD'); // 'BTC-USD'
 */
export function requireMarket(market: string, what = 'market'): string {
  if (typeof market !== 'string' || !MARKET_ID.test(market)) {
    throw new ArgumentError(
      `${what} ${JSON.stringify(market)} is not a market id: letters, digits and dashes (≤ 48), like BTC-USD`,
    );
  }
  return market;
}

/**
 * A positive amount of uusd base units.
 *
 * @example
 * toUusd('1000000uusd'); // 1000000n
 * toUusd(1_000_000n); // 1000000n
 */
export function toUusd(amount: UusdAmount, what = 'amount'): bigint {
  if (typeof amount === 'object' || (typeof amount === 'string' && /[a-z]/.test(amount))) {
    const coin = toCoin(amount as Coin | string);
    if (coin.denom !== 'uusd')
      throw new ArgumentError(`${what} must be in uusd, got ${coin.amount}${coin.denom}`);
    return toAmount(coin.amount, what);
  }
  return toAmount(amount, what);
}

function safeInt(value: number, what: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ArgumentError(`${what} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function oneOf<T extends string>(value: T, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value)) {
    throw new ArgumentError(
      `${what} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * `perps/deposit`: moves uusd from the signer into its subaccount of `market`.
 *
 * @example
 * await client.sendTx(alice, [perpsDepositMsg('BTC-USD', '1000000000uusd')]);
 */
export function perpsDepositMsg(market: string, amount: UusdAmount): Msg {
  return {
    type: 'perps/deposit',
    value: { market: requireMarket(market), amount: toUusd(amount) },
  };
}

/**
 * `perps/withdraw`: moves uusd out of the subaccount (refused if equity would fall below the
 * initial margin).
 *
 * @example
 * const msg = perpsWithdrawMsg('BTC-USD', 500_000_000n);
 */
export function perpsWithdrawMsg(market: string, amount: UusdAmount): Msg {
  return {
    type: 'perps/withdraw',
    value: { market: requireMarket(market), amount: toUusd(amount) },
  };
}

/**
 * One `place` item, checked (see {@link placeOrdersMsg}).
 *
 * @example
 * placeItem({ market: 'BTC-USD', clientId: 1, side: 'buy', priceTicks: 60000, sizeQuantums: 10 });
 */
export function placeItem(p: PlaceOrderParams): OrderItem {
  const place: PlaceOrderParams = {
    market: requireMarket(p.market),
    clientId: safeInt(p.clientId, 'clientId', 0),
    side: oneOf(p.side, ['buy', 'sell'], 'side'),
    priceTicks: safeInt(p.priceTicks, 'priceTicks', 1),
    sizeQuantums: safeInt(p.sizeQuantums, 'sizeQuantums', 1),
  };
  if (p.type !== undefined) place.type = oneOf(p.type, ['limit', 'market'], 'type');
  if (p.timeInForce !== undefined)
    place.timeInForce = oneOf(p.timeInForce, ['gtc', 'ioc', 'post-only'], 'timeInForce');
  if (p.reduceOnly !== undefined) {
    if (typeof p.reduceOnly !== 'boolean') throw new ArgumentError('reduceOnly must be a boolean');
    place.reduceOnly = p.reduceOnly;
  }
  if (p.goodTilBlock !== undefined) place.goodTilBlock = safeInt(p.goodTilBlock, 'goodTilBlock', 0);
  return { place };
}

/**
 * One `cancel` item: by client id or by order id.
 *
 * @example
 * cancelItem('BTC-USD', { clientId: 1 });
 */
export function cancelItem(market: string, ref: OrderRef): OrderItem {
  const m = requireMarket(market);
  if ('orderId' in ref) {
    if (typeof ref.orderId !== 'string' || !/^[0-9]{16}$/.test(ref.orderId))
      throw new ArgumentError(`orderId must be 16 digits, got ${JSON.stringify(ref.orderId)}`);
    return { cancel: { market: m, orderId: ref.orderId } };
  }
  return { cancel: { market: m, clientId: safeInt(ref.clientId, 'clientId', 0) } };
}

/**
 * One `cancelAll` item: every resting order of the signer in `market`.
 *
 * @example
 * cancelAllItem('BTC-USD');
 */
export function cancelAllItem(market: string): OrderItem {
  return { cancelAll: { market: requireMarket(market) } };
}

/**
 * `perps/place-orders`: places and cancels orders in the given order under one signature,
 * matched at once; all items apply or none. Items are built with {@link placeItem},
 * {@link cancelItem} and {@link cancelAllItem} (or given as plain objects, checked the same).
 *
 * @example
 * const msg = placeOrdersMsg([
 *   cancelAllItem('BTC-USD'),
 *   placeItem({ market: 'BTC-USD', clientId: 7, side: 'buy', priceTicks: 59990, sizeQuantums: 20 }),
 *   placeItem({ market: 'BTC-USD', clientId: 8, side: 'sell', priceTicks: 60010, sizeQuantums: 20,
 *     timeInForce: 'post-only', goodTilBlock: 1200 }),
 * ]);
 */
export function placeOrdersMsg(items: readonly OrderItem[]): Msg {
  if (!Array.isArray(items) || items.length === 0)
    throw new ArgumentError('place-orders carries at least one item');
  if (items.length > MAX_ORDER_ITEMS)
    throw new ArgumentError(
      `place-orders carries at most ${MAX_ORDER_ITEMS} items, got ${items.length}`,
    );
  const orders = items.map((item) => {
    if ('place' in item) return placeItem(item.place);
    if ('cancel' in item) {
      const { market, clientId, orderId } = item.cancel;
      if ((clientId === undefined) === (orderId === undefined))
        throw new ArgumentError('a cancel gives exactly one of clientId, orderId');
      return cancelItem(
        market,
        orderId !== undefined ? { orderId } : { clientId: clientId as number },
      );
    }
    if ('cancelAll' in item) return cancelAllItem(item.cancelAll.market);
    throw new ArgumentError('an order item is { place }, { cancel } or { cancelAll }');
  });
  // Plain JSON-like objects: the canonical encoding takes them as they are.
  return { type: 'perps/place-orders', value: { orders } as unknown as Msg['value'] };
}

/**
 * `perps/place-orders` with one order.
 *
 * @example
 * const msg = placeOrderMsg({ market: 'BTC-USD', clientId: 1, side: 'sell', priceTicks: 60000,
 *   sizeQuantums: 5, timeInForce: 'ioc' });
 */
export function placeOrderMsg(p: PlaceOrderParams): Msg {
  return placeOrdersMsg([placeItem(p)]);
}

/**
 * `perps/place-orders` with one cancel.
 *
 * @example
 * const msg = cancelOrderMsg('BTC-USD', { clientId: 1 });
 */
export function cancelOrderMsg(market: string, ref: OrderRef): Msg {
  return placeOrdersMsg([cancelItem(market, ref)]);
}

/**
 * `perps/place-orders` cancelling every resting order of the signer in a market.
 *
 * @example
 * const msg = cancelAllOrdersMsg('BTC-USD');
 */
export function cancelAllOrdersMsg(market: string): Msg {
  return placeOrdersMsg([cancelAllItem(market)]);
}
