import { ChainError } from '../../errors.ts';

/** Error codes of the vaults module (range 700–799, codespace `vaults`). Never renumbered. */
export const VaultError = {
  /** No vault with that id. */
  UnknownVault: 700,
  /** A vault with that id already exists (createVault, genesis). */
  VaultExists: 701,
  /** Asking to earmark more shares than the owner holds and has not yet earmarked. */
  InsufficientShares: 702,
  /** No pending request of the owner has finished its cooldown (says when the first does). */
  CooldownNotOver: 703,
  /** The payout would dip into the capital the market's open positions lock (says how much). */
  LockedCapital: 704,
  /** The vault's equity is ≤ 0 while shares exist (deposit refused; shares worth nothing). */
  VaultInsolvent: 705,
  /** The owner already has maxPendingPerOwner withdrawal requests in this vault. */
  TooManyPending: 706,
  /** The owner has no (such) pending withdrawal request in this vault. */
  NothingPending: 707,
  /** A deposit below params.minDeposit. */
  BelowMinDeposit: 708,
  /** A deposit so small against the share price that it would mint no share. */
  ZeroShares: 709,
  /** A coin that is not the vaults' denom (uusd). */
  WrongDenom: 710,
  /** A keeper call that would move tokens between two vault accounts, or into/out of itself. */
  IsolationBreach: 711,
  /** A negative or otherwise invalid amount handed to the keeper by another module. */
  InvalidAmount: 712,
  /** Invalid vaults genesis (duplicate id, shares that do not add up...). */
  InvalidGenesis: 713,
  /** Every matured request of the owner has expired (its withdrawal window is over). */
  RequestExpired: 714,
  /** A vault id that is not letters, digits and dashes (≤ 48). */
  InvalidVaultId: 715,
} as const;

export type VaultErrorCode = (typeof VaultError)[keyof typeof VaultError];

export function vaultError(code: VaultErrorCode, message: string): ChainError {
  return new ChainError(code, message, 'vaults');
}

export function ensureVault(
  cond: unknown,
  code: VaultErrorCode,
  message: string | (() => string),
): asserts cond {
  if (!cond) throw vaultError(code, typeof message === 'string' ? message : message());
}
