import { ChainError } from '../../errors.ts';

/** Error codes of the distribution module (range 400–499, never renumbered). */
export const DistributionErrorCode = {
  /** withdraw-rewards names a validator the delegator has no delegation with (or none at all). */
  NoDelegation: 400,
  /** withdraw-commission by an account that is not a validator operator. */
  UnknownValidator: 401,
  /** withdraw-commission when the validator has no commission to withdraw. */
  NoCommission: 402,
  /** A community-pool spend larger than the pool holds. */
  InsufficientCommunityPool: 403,
  /** set-withdraw-address to a module account. */
  InvalidWithdrawAddress: 404,
  /** The distribution pool holds less than it owes (a bug: reported, never expected). */
  PoolUnderfunded: 405,
} as const;

export function distributionError(code: number, message: string): ChainError {
  return new ChainError(code, message, 'distribution');
}

/** Throws a distribution ChainError with `code` unless `cond` holds. */
export function ensureDistr(
  cond: unknown,
  code: number,
  message: string | (() => string),
): asserts cond {
  if (!cond) throw distributionError(code, typeof message === 'string' ? message : message());
}
