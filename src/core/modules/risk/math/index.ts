/** Pure risk math: dynamic margin, OI caps, security budget (cost vs profit of corruption). */
export {
  checkOiCap,
  type OiCapCheck,
  type OiCaps,
  oiCapFromVault,
  oiCapMessage,
  requiredCredit,
} from './caps.ts';
export {
  type CurrentMarginInput,
  currentMarginFractions,
  type DynamicImfInput,
  dynamicImf,
  maintenanceFraction,
  marketMarginFractions,
  oiScaledImf,
} from './margin.ts';
export {
  type BreakerBounds,
  type CostOfCorruptionInput,
  costOfCorruption,
  maxMoveOverWindow,
  oiCapsFromSecurityBudget,
  profitFromCorruption,
  type SecurityCap,
  type SecurityMarket,
  securityBudget,
  securityCheck,
  stakeToOiRatio,
} from './security.ts';
