import { z } from 'zod';
import { Params } from '../../app/params.ts';
import { DENOM_PATTERN, MAX_AMOUNT } from '../../coin.ts';
import type { StakingParams } from './api.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Staking params with their bounds (checked at genesis and by governance). */
export const stakingParamsSchema = z.strictObject({
  /** How long undelegated tokens stay slashable before they are paid out: 1 s … 365 days. */
  unbondingTimeMs: z
    .number()
    .int()
    .min(1000)
    .max(365 * DAY_MS),
  /** Size of the active set: 1 … 1000. */
  maxValidators: z.number().int().min(1).max(1000),
  /** Unbonding (and redelegation) entries per delegator–validator pair: 1 … 100. */
  maxEntries: z.number().int().min(1).max(100),
  /** Blocks per epoch (the active set changes only at epoch boundaries): 1 … 1 000 000. */
  epochLength: z.number().int().min(1).max(1_000_000),
  bondDenom: z.string().regex(DENOM_PATTERN),
  /** Smallest self-bond a create-validator may bring (base units): 1 … 2^127 − 1. */
  minSelfBond: z.bigint().min(1n).max(MAX_AMOUNT),
  /** Epoch snapshots always kept (beyond those within the unbonding period): 0 … 100 000. */
  historicalEntries: z.number().int().min(0).max(100_000),
}) satisfies z.ZodType<StakingParams>;

export const stakingParams = new Params<StakingParams>('staking', stakingParamsSchema);

/** Defaults = the mainnet-like preset. */
export const MAINNET_STAKING_PARAMS: StakingParams = {
  unbondingTimeMs: 21 * DAY_MS,
  maxValidators: 100,
  maxEntries: 7,
  /** About one hour of 1 s blocks. */
  epochLength: 3600,
  bondDenom: 'ubwk',
  minSelfBond: 1_000_000n,
  historicalEntries: 100,
};

/** Devnet: unbonding of 2 minutes, epochs of 20 blocks. */
export const DEVNET_STAKING_PARAMS: StakingParams = {
  ...MAINNET_STAKING_PARAMS,
  unbondingTimeMs: 2 * 60 * 1000,
  epochLength: 20,
  historicalEntries: 100,
};

export const DEFAULT_STAKING_PARAMS: StakingParams = MAINNET_STAKING_PARAMS;
