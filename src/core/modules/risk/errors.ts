import { ChainError } from '../../errors.ts';

/** Error codes of the risk module (range 900–999, codespace `risk`). Never renumbered. */
export const RiskError = {
  /** No perps market with that id. */
  UnknownMarket: 900,
  /** The oracle's circuit breaker does not bound the move over `attackBlocks`. */
  UnboundedMove: 901,
} as const;

export type RiskErrorCode = (typeof RiskError)[keyof typeof RiskError];

export function riskError(code: RiskErrorCode, message: string): ChainError {
  return new ChainError(code, message, 'risk');
}

export function ensureRisk(
  cond: unknown,
  code: RiskErrorCode,
  message: string | (() => string),
): asserts cond {
  if (!cond) throw riskError(code, typeof message === 'string' ? message : message());
}
