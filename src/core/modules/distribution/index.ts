export { SCALE } from './accumulator.ts';
export { DistributionErrorCode } from './errors.ts';
export { DISTRIBUTION_POOL, DistributionKeeper } from './keeper.ts';
export { createDistribution, DistributionModule } from './module.ts';
export {
  DEFAULT_DISTRIBUTION_PARAMS,
  DEVNET_DISTRIBUTION_PARAMS,
  type DistributionParams,
  distributionParams,
  MAINNET_DISTRIBUTION_PARAMS,
} from './params.ts';
