import { ChainError } from '../../errors.ts';

/** Staking error codes (range 200–299, codespace `staking`). Never renumbered. */
export const StakingError = {
  ValidatorExists: 200,
  ConsKeyInUse: 201,
  UnknownValidator: 202,
  SelfBondTooLow: 203,
  CommissionTooHigh: 204,
  CommissionChangeTooFast: 205,
  CommissionChangeTooLarge: 206,
  ValidatorJailed: 207,
  ValidatorTombstoned: 208,
  ValidatorInsolvent: 209,
  InsufficientShares: 210,
  TooManyEntries: 211,
  RedelegationHop: 212,
  SelfRedelegation: 213,
  NoDelegation: 214,
  WrongDenom: 215,
  AmountTooSmall: 216,
  SelfDelegationTooLow: 217,
  NotJailed: 218,
  InvalidCommission: 219,
  InvalidFraction: 220,
} as const;

export type StakingErrorName = keyof typeof StakingError;

export function stakingError(code: number, message: string): ChainError {
  return new ChainError(code, message, 'staking');
}

/** Throws a staking ChainError with `code` unless `cond` holds. */
export function ensureStaking(
  cond: unknown,
  code: number,
  message: string | (() => string),
): asserts cond {
  if (!cond) throw stakingError(code, typeof message === 'string' ? message : message());
}
