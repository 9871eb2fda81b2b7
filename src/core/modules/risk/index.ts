/** The risk module's public surface, for the app wiring, the CLI and the SDK. */
export { RiskError } from './errors.ts';
export {
  type MarketRisk,
  marketRiskToValue,
  type RiskBasis,
  type RiskDeps,
  RiskKeeper,
  type RiskMarketSpec,
  type RiskOptions,
  type RiskOracle,
  type RiskPerps,
  type RiskStaking,
  type RiskSummary,
  type RiskVaults,
  securingStake,
  summaryToValue,
} from './keeper.ts';
export {
  createRisk,
  type RiskGenesis,
  type RiskGenesisInput,
  RiskModule,
  riskGenesisSchema,
} from './module.ts';
export {
  BWK_MARKET,
  DEFAULT_RISK_PARAMS,
  DEFAULT_WEIGHT,
  DEVNET_RISK_PARAMS,
  MAINNET_RISK_PARAMS,
  paramsToJson,
  type RiskParams,
  type RiskParamsInput,
  riskParams,
  riskParamsSchema,
} from './params.ts';
