/** Typed message builders of every module: pass their results to `BulwarkClient.sendTx`. */

export { requireFraction, toAmount } from './common.ts';
export * from './distribution.ts';
export * from './gov.ts';
export * from './perps.ts';
export * from './slashing.ts';
export * from './staking.ts';
export * from './vaults.ts';
