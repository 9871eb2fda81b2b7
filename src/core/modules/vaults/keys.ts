/**
 * State layout of the vaults module. Every key starts with `vaults/`. Vault ids contain no
 * `/` (see VAULT_ID_PATTERN), so `<id>/` prefixes never overlap. Request ids are zero-padded
 * to 12 digits so that sorted iteration is request order.
 */
export const PARAMS_KEY = 'vaults/params';

/** One record per vault (`VaultRecord`): shares, booked cash, request counter, totals. */
export const vaultKey = (id: string) => `vaults/vault/${id}`;
export const VAULT_PREFIX = 'vaults/vault/';

/** Reverse index: pool account address → vault id (to refuse vault-to-vault transfers). */
export const accountKey = (address: string) => `vaults/account/${address}`;
export const ACCOUNT_PREFIX = 'vaults/account/';

/** Shares (18-decimal bigint) of one owner in one vault; absent when zero. */
export const sharesKey = (id: string, owner: string) => `vaults/shares/${id}/${owner}`;
export const sharesPrefix = (id: string) => `vaults/shares/${id}/`;

/** One pending withdrawal request (`WithdrawRequest`). */
export const pendingKey = (id: string, owner: string, request: number) =>
  `vaults/pending/${id}/${owner}/${String(request).padStart(12, '0')}`;
export const pendingOwnerPrefix = (id: string, owner: string) => `vaults/pending/${id}/${owner}/`;
export const pendingPrefix = (id: string) => `vaults/pending/${id}/`;
