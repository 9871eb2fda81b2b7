export {
  type BinaryInputs,
  binaryPrice,
  d2,
  effectiveVolatility,
  MS_PER_YEAR,
  type OptionKind,
  pays,
  totalVariance,
  type VarianceInputs,
  yearsToExpiry,
} from './binary.ts';
export {
  groupWorstCase,
  type OpenSeries,
  payoutAt,
  worstCasePayout,
} from './exposure.ts';
export {
  askPrice,
  bidPrice,
  premiumFor,
  proceedsFor,
  type SpreadParams,
  utilization,
} from './quote.ts';
