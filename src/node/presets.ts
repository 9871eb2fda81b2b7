import {
  DEVNET_DISTRIBUTION_PARAMS,
  paramsToJson as distributionParamsJson,
  MAINNET_DISTRIBUTION_PARAMS,
} from '../core/modules/distribution/params.ts';
import {
  DEVNET_GOV_PARAMS,
  govParamsToJson,
  MAINNET_GOV_PARAMS,
} from '../core/modules/gov/params.ts';
import {
  DEVNET_ORACLE_PARAMS,
  MAINNET_ORACLE_PARAMS,
  paramsToJson as oracleParamsJson,
} from '../core/modules/oracle/params.ts';
import {
  DEVNET_MARKETS,
  DEVNET_PERPS_PARAMS,
  MAINNET_PERPS_PARAMS,
  marketToJson,
  paramsToJson as perpsParamsJson,
} from '../core/modules/perps/index.ts';
import {
  DEVNET_RISK_PARAMS,
  MAINNET_RISK_PARAMS,
  paramsToJson as riskParamsJson,
} from '../core/modules/risk/index.ts';
import {
  DEVNET_SLASHING_PARAMS,
  MAINNET_SLASHING_PARAMS,
  paramsToJson as slashingParamsJson,
} from '../core/modules/slashing/params.ts';
import type { StakingParams } from '../core/modules/staking/api.ts';
import { DEVNET_STAKING_PARAMS, MAINNET_STAKING_PARAMS } from '../core/modules/staking/params.ts';
import {
  DEVNET_VAULTS_PARAMS,
  MAINNET_VAULTS_PARAMS,
  paramsToJson as vaultsParamsJson,
} from '../core/modules/vaults/params.ts';

/**
 * Parameter presets for new chains. `devnet`: short periods so a person can watch unbonding,
 * epochs, jailing and votes happen in minutes. `mainnet-like`: the realistic values
 * (21-day unbonding, week-long votes, Cosmos' slashing defaults).
 */
export const PRESETS = ['devnet', 'mainnet-like'] as const;
export type Preset = (typeof PRESETS)[number];

const stakingJson = (p: StakingParams) => ({ ...p, minSelfBond: String(p.minSelfBond) });

/** Each module's `params` as the genesis file writes them (JSON: decimals and amounts as strings). */
export function presetParams(preset: Preset): Record<string, unknown> {
  const devnet = preset === 'devnet';
  return {
    staking: stakingJson(devnet ? DEVNET_STAKING_PARAMS : MAINNET_STAKING_PARAMS),
    slashing: slashingParamsJson(devnet ? DEVNET_SLASHING_PARAMS : MAINNET_SLASHING_PARAMS),
    distribution: distributionParamsJson(
      devnet ? DEVNET_DISTRIBUTION_PARAMS : MAINNET_DISTRIBUTION_PARAMS,
    ),
    gov: govParamsToJson(devnet ? DEVNET_GOV_PARAMS : MAINNET_GOV_PARAMS),
    oracle: oracleParamsJson(devnet ? DEVNET_ORACLE_PARAMS : MAINNET_ORACLE_PARAMS),
    vaults: vaultsParamsJson(devnet ? DEVNET_VAULTS_PARAMS : MAINNET_VAULTS_PARAMS),
    perps: perpsParamsJson(devnet ? DEVNET_PERPS_PARAMS : MAINNET_PERPS_PARAMS),
    risk: riskParamsJson(devnet ? DEVNET_RISK_PARAMS : MAINNET_RISK_PARAMS),
  };
}

/** The perpetual markets a new chain lists (each backed by the vault of the same id). */
export function presetMarkets(): unknown[] {
  return DEVNET_MARKETS.map(marketToJson);
}
