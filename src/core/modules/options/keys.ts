/**
 * State layout of the options module. Every key starts with `options/`. Series ids and vault
 * ids contain no `/`, addresses are bech32, so segments never overlap.
 */

/** A series record (`SeriesRecord`), by id. */
export const seriesKey = (id: string) => `options/series/${id}`;
export const SERIES_PREFIX = 'options/series/';

/** Index of series not yet settled: `options/open/<id>` → true. */
export const openKey = (id: string) => `options/open/${id}`;
export const OPEN_PREFIX = 'options/open/';

/** A holder's position `{qty, cost}` in a series; absent when zero. */
export const positionKey = (series: string, owner: string) => `options/position/${series}/${owner}`;
export const positionPrefix = (series: string) => `options/position/${series}/`;

/** The vaults the options module backs its series with: `options/vault/<id>` → true. */
export const vaultKey = (id: string) => `options/vault/${id}`;
export const VAULT_PREFIX = 'options/vault/';
