import { ChainError } from '../../errors.ts';

/** Error codes of the gov module (range 500–599; never renumbered). */
export const GovError = {
  ProposalNotFound: 500,
  UnknownParamsModule: 501,
  UnknownParam: 502,
  ParamOutOfBounds: 503,
  NotInDepositPeriod: 504,
  NotInVotingPeriod: 505,
  NotAStaker: 506,
  WrongDepositDenom: 507,
  /** An execute proposal names a msg type that is not routed or not on gov's allowlist. */
  MsgNotAllowed: 508,
  /** An execute proposal's msg value does not parse against that msg's schema. */
  InvalidMsg: 509,
} as const;

export type GovErrorCode = (typeof GovError)[keyof typeof GovError];

export function govError(code: GovErrorCode, message: string): ChainError {
  return new ChainError(code, message, 'gov');
}

/** Throws a gov ChainError with `code` unless `cond` holds. */
export function ensureGov(
  cond: unknown,
  code: GovErrorCode,
  message: string | (() => string),
): asserts cond {
  if (!cond) throw govError(code, typeof message === 'string' ? message : message());
}
