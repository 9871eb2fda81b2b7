import { z } from 'zod';
import { PRESETS } from '../../node/presets.ts';
import { durationSchema, priceProcessSpec } from '../prices/index.ts';

/**
 * The scenario file (YAML). Every object is strict: an unknown key is an error, so a typo
 * never silently falls back to a default. Amounts a person writes are in display units
 * (USD, BWK); durations as `'30s'`, `'6h'`, `'1d'` or seconds.
 */

const name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes');
const marketId = z.string().regex(/^[A-Z0-9]{1,16}-[A-Z0-9]{1,16}$/, 'a market id like BTC-USD');
const positive = z.number().positive().finite();
const monikerSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _');

const validatorsSchema = z.union([
  /** `{ count: 21, stake: 100000 }`: val0 … val20 with equal stakes (BWK). */
  z.strictObject({ count: z.number().int().min(1).max(200), stake: positive }),
  z
    .array(z.strictObject({ name: monikerSchema, stake: positive }))
    .min(1)
    .max(200)
    .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, {
      message: 'validator names must be unique',
    }),
]);

const marketSchema = z.strictObject({
  id: marketId,
  /** Starting price (USD). */
  price: positive,
  /** Fields of the perps listing to override, as in a genesis file (`baseImf: "0.1"`). */
  listing: z.record(z.string(), z.unknown()).optional(),
  /** The market's vault deposit at genesis (USD); default 1,000,000. */
  vault: z.number().min(0).finite().default(1_000_000),
});

export const genesisSchema = z.strictObject({
  /** The node's parameter preset the scenario starts from. */
  preset: z.enum(PRESETS).default('mainnet-like'),
  validators: validatorsSchema.default({ count: 4, stake: 100_000 }),
  markets: z
    .array(marketSchema)
    .min(1)
    .max(32)
    .refine((ms) => new Set(ms.map((m) => m.id)).size === ms.length, {
      message: 'market ids must be unique',
    }),
  /** USD per BWK (the BWK-USD oracle market that values the stake). */
  bwkPrice: positive.default(1),
  /** Per module, params to override (as in a genesis file: fractions as strings). */
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});

/** A parameter to sweep: `module.field` (e.g. `slashing.slashFractionDoubleSign`) → values. */
export const sweepSchema = z
  .record(
    z
      .string()
      .regex(/^[a-z]+\.[A-Za-z0-9.]+$/, 'a param path like slashing.slashFractionDoubleSign'),
    z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .max(100),
  )
  .refine((s) => Object.keys(s).length <= 4, { message: 'at most 4 swept params' });

export const scenarioSchema = z
  .strictObject({
    name,
    description: z.string().max(2000).default(''),
    /** Seed of the Monte Carlo runs (each run's streams derive from it). */
    seed: z.union([z.number().int().min(0), z.string().min(1).max(64)]).transform(String),
    /** Duration: a number of blocks or a time (`1d`), at `blockTime` per block. */
    blocks: z.number().int().min(1).max(100_000_000).optional(),
    duration: durationSchema.optional(),
    blockTime: durationSchema.default(1).refine((s) => s >= 0.001 && s <= 3600, {
      message: 'expected a block time between 1ms and 1h',
    }),
    runs: z.number().int().min(1).max(100_000).default(1),
    genesis: genesisSchema,
    /** One price process per market id (and optionally BWK-USD); absent: constant. */
    prices: z.record(z.string(), priceProcessSpec).default({}),
    agents: z.array(z.unknown()).default([]),
    adversaries: z.array(z.unknown()).default([]),
    sweep: sweepSchema.optional(),
    metrics: z
      .strictObject({
        /** Sample metrics every N blocks (default: about 2,000 samples per run). */
        every: z.number().int().min(1).optional(),
      })
      .default({}),
    /** Check every module's invariants every N blocks (1: every block). */
    invariantsEvery: z.number().int().min(1).default(1),
  })
  .refine((s) => (s.blocks === undefined) !== (s.duration === undefined), {
    message: 'give exactly one of blocks and duration',
  });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioSpec = z.output<typeof scenarioSchema>;
