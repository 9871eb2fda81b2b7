import { z } from 'zod';
import { decimalParam } from '../../app/param-schemas.ts';
import { Params } from '../../app/params.ts';
import { DENOM_PATTERN } from '../../coin.ts';
import { type Dec, fromDecimalString, ONE, toDecimalString } from '../../math/index.ts';

/** Fractions: the shared 18-decimal param schema (a bigint or a decimal string, within bounds). */
const fraction = decimalParam;

/** Seconds in a Julian year (365.25 days): the number of 1-second blocks per year. */
export const SECONDS_PER_YEAR = 31_557_600;

/**
 * Distribution and mint parameters (as stored: fractions are 18-decimal fixed point).
 * Bounds are checked at genesis and on every governance change.
 */
export const distributionParamsSchema = z
  .strictObject({
    /** Share of every block's rewards that goes to the community pool. [0, 1] */
    communityTax: fraction(0n, ONE),
    /** Largest yearly change of the inflation rate (reached when nothing is bonded). [0, 1] */
    inflationRateChange: fraction(0n, ONE),
    /** Upper bound of the annual inflation rate. [0, 1] */
    inflationMax: fraction(0n, ONE),
    /** Lower bound of the annual inflation rate. [0, 1], ≤ inflationMax */
    inflationMin: fraction(0n, ONE),
    /** Bonded ratio (bonded / supply) the inflation steers toward. (0, 1] */
    goalBonded: fraction(1n, ONE),
    /** Expected blocks per year: turns annual rates into per-block amounts. [1, 10^9] */
    blocksPerYear: z.number().int().min(1).max(1_000_000_000),
    /** The staking denom: the one minted, and the one whose supply inflation is measured on. */
    bondDenom: z.string().regex(DENOM_PATTERN),
  })
  .refine((p) => p.inflationMin <= p.inflationMax, {
    message: 'inflationMin must be ≤ inflationMax',
    path: ['inflationMin'],
  });

export type DistributionParams = z.infer<typeof distributionParamsSchema>;

export const distributionParams = new Params('distribution', distributionParamsSchema);

const dec = (s: string): Dec => fromDecimalString(s);

/** Cosmos SDK defaults (x/mint, x/distribution), with 1-second blocks. */
export const DEFAULT_DISTRIBUTION_PARAMS: DistributionParams = {
  communityTax: dec('0.02'),
  inflationRateChange: dec('0.13'),
  inflationMax: dec('0.20'),
  inflationMin: dec('0.07'),
  goalBonded: dec('0.67'),
  blocksPerYear: SECONDS_PER_YEAR,
  bondDenom: 'ubwk',
};

/** Devnet: 1 s blocks; the same economics as mainnet, so APRs read alike. */
export const DEVNET_DISTRIBUTION_PARAMS: DistributionParams = { ...DEFAULT_DISTRIBUTION_PARAMS };

/** Mainnet-like: 1 s blocks, Cosmos Hub-like economics. */
export const MAINNET_DISTRIBUTION_PARAMS: DistributionParams = { ...DEFAULT_DISTRIBUTION_PARAMS };

/** The initial annual inflation rate when the genesis leaves it out (Cosmos' 13 %). */
export const DEFAULT_INFLATION: Dec = dec('0.13');

/** A decimal string in JSON (`"0.02"`) → 18-decimal fixed point. */
export const decStringSchema = z
  .string()
  .max(64)
  .regex(/^(0|[1-9][0-9]*)(\.[0-9]{1,18})?$/, 'must be a decimal string like "0.02"')
  .transform((s) => fromDecimalString(s));

/** Params as JSON (genesis export, queries): fractions as decimal strings. */
export function paramsToJson(p: DistributionParams) {
  return {
    communityTax: toDecimalString(p.communityTax),
    inflationRateChange: toDecimalString(p.inflationRateChange),
    inflationMax: toDecimalString(p.inflationMax),
    inflationMin: toDecimalString(p.inflationMin),
    goalBonded: toDecimalString(p.goalBonded),
    blocksPerYear: p.blocksPerYear,
    bondDenom: p.bondDenom,
  };
}
