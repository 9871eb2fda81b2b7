import { ChainError } from '../../errors.ts';

/** Error codes of the oracle module (range 600–699, codespace `oracle`). Never renumbered. */
export const OracleError = {
  /** A market id that is not listed in the params. */
  UnknownMarket: 600,
  /** No validator with that consensus or operator address. */
  UnknownValidator: 601,
  /** A market that has never had a published price. */
  NoPrice: 602,
  /** No reports kept for that height (pruned, not yet applied, or no entry then). */
  NoReports: 603,
  /** Invalid oracle genesis (a record for an unlisted market, a bad value). */
  InvalidGenesis: 604,
} as const;

export function ensureOracle(cond: unknown, code: number, message: string): asserts cond {
  if (!cond) throw new ChainError(code, message, 'oracle');
}
