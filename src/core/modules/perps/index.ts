/** The perps module's public surface, for the app wiring, the CLI and other modules. */
export {
  NO_PAUSE,
  oraclePrices,
  type PauseSource,
  type PriceSource,
  type SecurityCapSource,
} from './api.ts';
export { PerpsError } from './errors.ts';
export {
  LIQUIDATION_CLIENT_ID,
  type OrderItem,
  PerpsKeeper,
  type PlaceItem,
  type SubaccountView,
} from './keeper.ts';
export {
  createPerps,
  type PerpsGenesis,
  type PerpsGenesisInput,
  PerpsModule,
  perpsGenesisSchema,
} from './module.ts';
export {
  DEFAULT_PERPS_PARAMS,
  DEVNET_MARKETS,
  DEVNET_PERPS_PARAMS,
  MAINNET_PERPS_PARAMS,
  type MarketSpec,
  type MarketSpecInput,
  marketToJson,
  PERPS_DENOM,
  type PerpsParams,
  paramsToJson,
  perpsParams,
} from './params.ts';
