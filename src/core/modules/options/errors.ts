import { ChainError } from '../../errors.ts';

/** Error codes of the options module (range 1000–1099, codespace `options`). Never renumbered. */
export const OptionsError = {
  /** No series with that id (the message lists the open ones). */
  UnknownSeries: 1000,
  /** The series has expired (settled, refunded or awaiting its settlement price). */
  SeriesExpired: 1001,
  /** Trading has halted: the block time is within haltBeforeExpiryMs of expiry. */
  TradingHalted: 1002,
  /** Zero, negative or more than maxQtyPerTrade contracts. */
  InvalidQuantity: 1003,
  /** The quote is worse than the trader's --max-price / --min-price. */
  SlippageExceeded: 1004,
  /** The trade would take a series or the vault past its exposure limit (names both). */
  ExposureLimit: 1005,
  /** Selling more contracts than the signer holds. */
  InsufficientHolding: 1006,
  /** No fresh oracle price for the underlying (none yet, or stale): no quote. */
  NoFreshPrice: 1007,
  /** Invalid listing: duplicate id, unknown market, a perps vault, expiry too close... */
  InvalidListing: 1008,
  /** Only the gov module account may list a series by message. */
  Unauthorized: 1009,
  /** The vault's cash would not cover its worst-case payout after a buy-back. */
  VaultCannotPay: 1010,
  /** Governance paused the series, its vault or its underlying (emergency-pause). */
  Paused: 1011,
} as const;

export type OptionsErrorCode = (typeof OptionsError)[keyof typeof OptionsError];

export function optionsError(code: OptionsErrorCode, message: string): ChainError {
  return new ChainError(code, message, 'options');
}

export function ensureOptions(
  cond: unknown,
  code: OptionsErrorCode,
  message: string | (() => string),
): asserts cond {
  if (!cond) throw optionsError(code, typeof message === 'string' ? message : message());
}
