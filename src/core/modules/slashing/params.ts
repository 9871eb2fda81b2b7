import { z } from 'zod';
import { decimalParam } from '../../app/param-schemas.ts';
import { Params } from '../../app/params.ts';
import { fromDecimalString, ONE, toDecimalString } from '../../math/index.ts';

const DAY_MS = 86_400_000;

/** 18-decimal params: the shared schema (a bigint or a decimal string, within bounds). */
export const decSchema = decimalParam;

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);

export const slashingParamsSchema = z.strictObject({
  /** Blocks in the liveness window. */
  signedBlocksWindow: int(2, 1_000_000),
  /** Fraction of the window a validator must sign (18 decimals). */
  minSignedPerWindow: decSchema(0n, ONE),
  /** Jail time after a downtime slash, in ms of block time. */
  downtimeJailDurationMs: int(1_000, 365 * DAY_MS),
  /** Base fraction of stake slashed for a double sign (before the correlation factor). */
  slashFractionDoubleSign: decSchema(0n, ONE),
  /** Base fraction of stake slashed for downtime (before the correlation factor). */
  slashFractionDowntime: decSchema(0n, ONE / 10n),
  /** Evidence is expired when older than BOTH this many blocks … */
  maxAgeNumBlocks: int(1, 100_000_000),
  /** … and this many ms (must be below staking's unbonding time). */
  maxAgeDurationMs: int(1_000, 365 * DAY_MS),
  /** Blocks over which slashes of one fault kind add up for the correlated penalty (0: none). */
  correlationWindowBlocks: int(0, 100_000_000),
  /** Correlation multiplier m (18 decimals; 0 disables): fraction = base × (1 + m·S/T). */
  correlationMultiplier: decSchema(0n, 100n * ONE),
});

export type SlashingParams = z.output<typeof slashingParamsSchema>;
export type SlashingParamsInput = z.input<typeof slashingParamsSchema>;

export const slashingParams = new Params<SlashingParams>('slashing', slashingParamsSchema);

const dec = (s: string) => fromDecimalString(s);

/** Realistic values: the Cosmos SDK defaults, with Ethereum's multiplier of 3. */
export const MAINNET_SLASHING_PARAMS: SlashingParams = {
  signedBlocksWindow: 10_000,
  minSignedPerWindow: dec('0.5'),
  downtimeJailDurationMs: 10 * 60_000,
  slashFractionDoubleSign: dec('0.05'),
  slashFractionDowntime: dec('0.0001'),
  maxAgeNumBlocks: 100_000,
  maxAgeDurationMs: 2 * DAY_MS,
  correlationWindowBlocks: 100_000,
  correlationMultiplier: dec('3'),
};

/** Short periods for a devnet: faults show within seconds. */
export const DEVNET_SLASHING_PARAMS: SlashingParams = {
  signedBlocksWindow: 20,
  minSignedPerWindow: dec('0.5'),
  downtimeJailDurationMs: 30_000,
  slashFractionDoubleSign: dec('0.05'),
  slashFractionDowntime: dec('0.0001'),
  maxAgeNumBlocks: 100,
  maxAgeDurationMs: 60_000,
  correlationWindowBlocks: 100,
  correlationMultiplier: dec('3'),
};

export const DEFAULT_SLASHING_PARAMS = MAINNET_SLASHING_PARAMS;

/** The params as JSON (fractions as decimal strings), for genesis export and queries. */
export function paramsToJson(p: SlashingParams) {
  return {
    ...p,
    minSignedPerWindow: toDecimalString(p.minSignedPerWindow),
    slashFractionDoubleSign: toDecimalString(p.slashFractionDoubleSign),
    slashFractionDowntime: toDecimalString(p.slashFractionDowntime),
    correlationMultiplier: toDecimalString(p.correlationMultiplier),
  };
}
