/** The perps order book: a pure, deterministic central limit order book (one per market). */
export { OrderBook, type RemovedResult, withSize } from './book.ts';
export { orderFromValue, orderToValue } from './serialize.ts';
export type * from './types.ts';
export { bookError } from './types.ts';
export { MAX_LIMIT } from './validate.ts';
