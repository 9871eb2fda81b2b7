/** The options module's public surface, for the app wiring, the CLI and the SDK. */
export { OptionsError } from './errors.ts';
export { type OptionsDeps, OptionsKeeper } from './keeper.ts';
export {
  buyMsgSchema,
  createOptions,
  listSeriesMsgSchema,
  type OptionsGenesis,
  type OptionsGenesisInput,
  OptionsModule,
  optionsGenesisSchema,
  sellMsgSchema,
} from './module.ts';
export {
  DEFAULT_OPTIONS_PARAMS,
  DEVNET_OPTIONS_PARAMS,
  DEVNET_OPTIONS_VAULT,
  devnetSeries,
  MAINNET_OPTIONS_PARAMS,
  OPTIONS_DENOM,
  type OptionsParams,
  optionsParams,
  paramsToJson,
  type SeriesSpec,
  type SeriesSpecInput,
  seriesToJson,
} from './params.ts';
export type {
  OptionsOracle,
  OptionsPauses,
  PerpsVaultCheck,
  Position,
  SeriesRecord,
} from './types.ts';
