/** The vaults module's public surface, for the app wiring and the product modules. */
export type {
  EquityAdjuster,
  LockedProvider,
  LossResult,
  VaultIncomeKind,
  VaultRecord,
  VaultsKeeperApi,
  WithdrawRequest,
} from './api.ts';
export { VaultError } from './errors.ts';
export type { VaultsGenesis, VaultsGenesisInput } from './genesis.ts';
export { MAX_TOTAL_SHARES, requestStatus, VaultsKeeper } from './keeper.ts';
export { createVaults, VaultsModule } from './module.ts';
export {
  DEFAULT_VAULTS_PARAMS,
  DEVNET_VAULTS_PARAMS,
  MAINNET_VAULTS_PARAMS,
  paramsToJson,
  VAULT_DENOM,
  VAULT_ID_PATTERN,
  type VaultsParams,
  vaultsParams,
} from './params.ts';
export {
  freeCapital,
  SHARES_PER_UNIT,
  sharePrice,
  sharesForDeposit,
  valueOfShares,
} from './shares.ts';
