/** State layout of the bank module. Every key starts with `bank/`. */
export const balanceKey = (address: string, denom: string) => `bank/bal/${address}/${denom}`;
export const balancePrefix = (address: string) => `bank/bal/${address}/`;
export const ALL_BALANCES = 'bank/bal/';
/** Total ever minted of a denom (supply = Σ balances + fee pool + burned). */
export const mintedKey = (denom: string) => `bank/minted/${denom}`;
export const burnedKey = (denom: string) => `bank/burned/${denom}`;
export const feePoolKey = (denom: string) => `bank/feepool/${denom}`;
export const MINTED_PREFIX = 'bank/minted/';
