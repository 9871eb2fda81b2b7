/** Pure perpetuals math: units, PnL, margin, liquidation, funding, deleveraging. */
export { type AdlCandidate, type AdlFill, type AdlRanked, adlClose, adlRanking } from './adl.ts';
export {
  type FundingParty,
  type FundingRateParams,
  type FundingSettlement,
  fundingPayment,
  fundingPremium,
  fundingRate,
  fundingRateCap,
  scaleFundingRate,
  settleFunding,
} from './funding.ts';
export {
  type BackstopTakeoverInput,
  backstopTakeoverSize,
  badDebt,
  bankruptcyPrice,
  coverBadDebt,
  isBackstopLiquidatable,
  isLiquidatable,
  liquidationFee,
  liquidationPrice,
  liquidationWorstPrice,
  type PartialLiquidationInput,
  partialLiquidationSize,
} from './liquidation.ts';
export {
  freeCollateral,
  initialMarginRequirement,
  type MarginItem,
  maintenanceMarginRequirement,
  marginRequirement,
} from './margin.ts';
export {
  applyFill,
  equity,
  type FillResult,
  type MarkedPosition,
  type Position,
  unrealizedPnl,
} from './pnl.ts';
export {
  absBig,
  NOTIONAL_SCALE,
  notional,
  priceFromTicks,
  sign,
  sizeFromQuantums,
  UUSD_PER_USD,
} from './units.ts';
