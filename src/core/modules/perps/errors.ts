import { ChainError } from '../../errors.ts';

/** Error codes of the perps module (range 800–899, codespace `perps`). Never renumbered. */
export const PerpsError = {
  /** No market with that id (the message lists them). */
  UnknownMarket: 800,
  /** The market is paused by governance: only reduce-only orders and cancels. */
  MarketPaused: 801,
  /** The oracle price is stale: the market is reduce-only. */
  OracleReduceOnly: 802,
  /** No oracle price for the market yet. */
  NoPrice: 803,
  /** The order's price is outside the band around the oracle price. */
  PriceOutOfBand: 804,
  /** Equity after the order (worst case) or withdrawal would be below the initial margin. */
  InsufficientMargin: 805,
  /** The fills would raise open interest above the market's cap (names the cap and excess). */
  OiCapExceeded: 806,
  /** The order book refused the order (the message carries the book's code). */
  BookRefused: 807,
  /** A withdrawal above the subaccount's collateral. */
  InsufficientCollateral: 808,
  /** More items in one place-orders tx than params.maxOrdersPerTx. */
  TooManyOrders: 809,
  /** Invalid perps genesis (duplicate market, unknown vault...). */
  InvalidGenesis: 810,
  /** A cancel naming no open order of the signer, or another owner's order. */
  OrderNotFound: 811,
} as const;

export type PerpsErrorCode = (typeof PerpsError)[keyof typeof PerpsError];

export function perpsError(code: PerpsErrorCode, message: string): ChainError {
  return new ChainError(code, message, 'perps');
}

export function ensurePerps(
  cond: unknown,
  code: PerpsErrorCode,
  message: string | (() => string),
): asserts cond {
  if (!cond) throw perpsError(code, typeof message === 'string' ? message : message());
}
