/**
 * Types of the central limit order book. Prices are integer ticks and sizes integer quantums
 * held in `number` (ARCHITECTURE.md rule 2): every one is a safe integer bounded by the book's
 * limits (checked at the edge in validate.ts), so no arithmetic on them ever leaves the exact
 * range. Nothing here is a fraction.
 */

export type Side = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
export type TimeInForce = 'gtc' | 'ioc' | 'post-only';

/**
 * An order. On the book, `sizeQuantums` is the size still open (it shrinks as the order is
 * filled); the caller's original size is in the placement it made.
 */
export interface Order {
  /** Deterministic and unique among open orders, e.g. `${height}/${txIndex}/${n}`. */
  readonly id: string;
  readonly owner: string;
  readonly subaccount?: string;
  /** Unique per owner among that owner's open orders. Safe integer ≥ 0. */
  readonly clientId: number;
  readonly side: Side;
  /** Limit price; for a market order, the worst price it accepts. Integer ≥ 1. */
  readonly priceTicks: number;
  readonly sizeQuantums: number;
  /** `market` = IOC with a worst price (`priceTicks`); it requires `timeInForce: 'ioc'`. */
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Reduce-only orders must be IOC (they never rest; see book.ts). */
  readonly reduceOnly: boolean;
  /** Last height at which the order may live: `expire(h)` removes it once `goodTilBlock < h`. */
  readonly goodTilBlock?: number;
  /** Arrival sequence: strictly increasing across `place` calls (time priority). */
  readonly seq: number;
}

export interface Fill {
  readonly maker: string;
  readonly taker: string;
  readonly makerOwner: string;
  readonly takerOwner: string;
  /** The maker's price. */
  readonly priceTicks: number;
  readonly sizeQuantums: number;
  readonly takerSide: Side;
}

/**
 * What an operation changed on the book, so that the caller can persist resting orders one by
 * one: `added` are new resting orders, `updated` the new form of partially filled makers,
 * `removed` the ids of orders that left the book (filled, cancelled or expired).
 */
export interface BookChanges {
  readonly added: readonly Order[];
  readonly updated: readonly Order[];
  readonly removed: readonly string[];
}

/** Bounds checked at the edge. All must be safe integers ≥ 1; see `MAX_LIMIT_*` in book.ts. */
export interface BookLimits {
  readonly maxPriceTicks: number;
  readonly maxSizeQuantums: number;
  readonly maxOpenOrdersPerOwner: number;
}

/** How many quantums an order of `side` by `owner` may trade and still only reduce. */
export type MaxReduceFn = (owner: string, side: Side) => number;

export interface PlaceContext {
  /** Current block height: an order with `goodTilBlock < height` is refused as expired. */
  readonly height: number;
  /** Required for reduce-only orders. */
  readonly maxReduce?: MaxReduceFn;
}

export type BookErrorCode =
  | 'invalid-order'
  | 'price-out-of-bounds'
  | 'size-out-of-bounds'
  | 'bad-sequence'
  | 'duplicate-order-id'
  | 'duplicate-client-id'
  | 'too-many-open-orders'
  | 'already-expired'
  | 'post-only-would-cross'
  | 'reduce-only-not-ioc'
  | 'reduce-only-nothing-to-reduce'
  | 'order-not-found'
  | 'not-order-owner';

/** A refusal: the book is exactly as it was before the call. */
export interface BookError {
  readonly ok: false;
  readonly code: BookErrorCode;
  readonly message: string;
}

export interface PlaceOk {
  readonly ok: true;
  readonly fills: readonly Fill[];
  /** The taker's remainder, now resting (GTC / post-only only). */
  readonly resting: Order | undefined;
  /** Set when part of the order neither filled nor rests. */
  readonly cancelledReason: 'ioc-unfilled' | undefined;
  /** Quantums of the order that neither filled nor rest (IOC remainder). */
  readonly cancelledQuantums: number;
  /** Quantums cut from a reduce-only order before matching (size − maxReduce, if positive). */
  readonly clippedQuantums: number;
  /** Own resting orders cancelled by self-trade prevention (as they were when cancelled). */
  readonly selfTradeCancelled: readonly Order[];
  readonly changes: BookChanges;
}

export type PlaceResult = PlaceOk | BookError;

export interface CancelOk {
  readonly ok: true;
  readonly cancelled: Order;
  readonly changes: BookChanges;
}

export type CancelResult = CancelOk | BookError;

/** An aggregated price level (L2). `sizeQuantums` is a bigint: a sum over many orders. */
export interface DepthLevel {
  readonly priceTicks: number;
  readonly sizeQuantums: bigint;
  readonly orders: number;
}

export interface Depth {
  /** Best (highest) first. */
  readonly bids: DepthLevel[];
  /** Best (lowest) first. */
  readonly asks: DepthLevel[];
}

/**
 * The result of walking the book with a taker of `side` for a notional (ticks × quantums).
 * The average price is `notional / sizeQuantums` (the caller rounds it as it needs).
 */
export interface ImpactResult {
  /** The worst price touched (the price of the last level used); undefined on an empty side. */
  readonly worstPriceTicks: number | undefined;
  readonly sizeQuantums: bigint;
  readonly notional: bigint;
  /** False when the side holds less than the notional asked for. */
  readonly complete: boolean;
}

export function bookError(code: BookErrorCode, message: string): BookError {
  return { ok: false, code, message };
}
