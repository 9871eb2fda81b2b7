/**
 * Message builders of the vaults module (docs/modules/vaults.md): deposit uusd into a
 * market's staking vault for shares, earmark shares for withdrawal, withdraw after the
 * cooldown. Bad arguments throw an ArgumentError before anything is sent.
 */
import type { Msg } from '../../core/tx/tx.ts';
import { ArgumentError } from '../errors.ts';
import { requireMarket, toUusd, type UusdAmount } from './perps.ts';

const SHARE_ONE = 10n ** 18n;
const MAX_SHARES = 1n << 200n;

/**
 * Shares as the chain counts them (18-decimal fixed point): a bigint is taken as raw units,
 * a string as a decimal number of shares (`'12.5'` → 12.5 × 10^18).
 *
 * @example
 * toShares('12.5'); // 12500000000000000000n
 * toShares(10n ** 18n); // one share
 */
export function toShares(shares: bigint | string): bigint {
  let raw: bigint;
  if (typeof shares === 'bigint') raw = shares;
  else {
    const m = typeof shares === 'string' ? /^(\d{1,61})(?:\.(\d{1,18}))?$/.exec(shares) : null;
    if (m === null)
      throw new ArgumentError(
        `shares ${JSON.stringify(String(shares))} is not a decimal number such as "12.5" (at most 18 decimals)`,
      );
    raw = BigInt(m[1] as string) * SHARE_ONE + BigInt((m[2] ?? '').padEnd(18, '0'));
  }
  if (raw <= 0n) throw new ArgumentError(`shares must be positive, got ${raw}`);
  if (raw > MAX_SHARES) throw new ArgumentError(`shares ${raw} is above 2^200`);
  return raw;
}

/**
 * `vaults/deposit`: uusd into a vault, for shares at its current equity per share.
 *
 * @example
 * await client.sendTx(alice, [vaultDepositMsg('BTC-USD', '5000000000uusd')]);
 */
export function vaultDepositMsg(vault: string, amount: UusdAmount): Msg {
  return {
    type: 'vaults/deposit',
    value: { vault: requireMarket(vault, 'vault'), amount: toUusd(amount) },
  };
}

/**
 * `vaults/request-withdraw`: earmarks shares; they can be withdrawn after the cooldown.
 *
 * @example
 * const msg = vaultRequestWithdrawMsg('BTC-USD', '1000');
 */
export function vaultRequestWithdrawMsg(vault: string, shares: bigint | string): Msg {
  return {
    type: 'vaults/request-withdraw',
    value: { vault: requireMarket(vault, 'vault'), shares: toShares(shares) },
  };
}

/**
 * `vaults/cancel-withdraw`: cancels one pending request by its number, or all of them.
 *
 * @example
 * const msg = vaultCancelWithdrawMsg('BTC-USD', 3);
 */
export function vaultCancelWithdrawMsg(vault: string, request?: number): Msg {
  if (request !== undefined && (!Number.isSafeInteger(request) || request < 1))
    throw new ArgumentError(`request must be an integer ≥ 1, got ${String(request)}`);
  return {
    type: 'vaults/cancel-withdraw',
    value: {
      vault: requireMarket(vault, 'vault'),
      ...(request !== undefined ? { request } : {}),
    },
  };
}

/**
 * `vaults/withdraw`: withdraws every request whose cooldown is over, at the current share price.
 *
 * @example
 * const msg = vaultWithdrawMsg('BTC-USD');
 */
export function vaultWithdrawMsg(vault: string): Msg {
  return { type: 'vaults/withdraw', value: { vault: requireMarket(vault, 'vault') } };
}
