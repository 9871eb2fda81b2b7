import { ChainError } from '../../errors.ts';

/** Error codes of the slashing module (range 300–399, codespace `slashing`). Never renumbered. */
export const SlashingError = {
  /** Evidence whose two votes do not describe one equivocation (height, round, type, validator). */
  InvalidEvidence: 300,
  /** Both votes are for the same block: that is not an equivocation. */
  EvidenceSameBlock: 301,
  /** A vote is bound to another chain id. */
  EvidenceWrongChain: 302,
  /** A vote's signature does not verify for the validator's consensus key. */
  EvidenceBadSignature: 303,
  /** Evidence older than both maxAgeNumBlocks and maxAgeDurationMs. */
  EvidenceExpired: 304,
  /** No validator with that consensus address (or operator). */
  UnknownValidator: 305,
  /** The validator is tombstoned: already punished for double signing, forever jailed. */
  Tombstoned: 306,
  /** Unjail of a validator that is not jailed. */
  NotJailed: 307,
  /** Unjail before the jail period is over. */
  JailPeriodNotOver: 308,
  /** Unjail while the operator's self-delegation is below the validator's minimum. */
  SelfDelegationTooLow: 309,
  /** Evidence for the current or a future height. */
  EvidenceFromFuture: 310,
  /** The signer is not the validator's operator. */
  NotOperator: 311,
} as const;

export type SlashingErrorName = keyof typeof SlashingError;

export function slashingError(code: number, message: string): ChainError {
  return new ChainError(code, message, 'slashing');
}

/** Throws a slashing ChainError with `code` unless `cond` holds. */
export function ensureSlashing(
  cond: unknown,
  code: number,
  message: string | (() => string),
): asserts cond {
  if (!cond) throw slashingError(code, typeof message === 'string' ? message : message());
}
