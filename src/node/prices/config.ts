import { z } from 'zod';

/** A market id, as the oracle and the markets name them (`BTC-USD`). */
export const MARKET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const marketId = z.string().regex(MARKET_PATTERN, 'a market id, e.g. BTC-USD');

// ---------------------------------------------------------------------------------------------
// synthetic

export const syntheticMarketSchema = z.strictObject({
  /** Price at height 0, USD per unit. */
  start: z.number().positive().max(1e15),
  /** Annual drift μ (total expected return, jumps included): 0.05 = +5 %/year. */
  drift: z.number().min(-10).max(10).default(0),
  /** Annual volatility σ of the diffusion: 0.8 = 80 %. */
  vol: z.number().min(0).max(10),
  /** Merton jumps: Poisson arrivals (`intensity` per year), log sizes ~ N(mean, stdev²). */
  jumps: z
    .strictObject({
      intensity: z.number().min(0).max(1e6),
      mean: z.number().min(-5).max(5).default(0),
      stdev: z.number().min(0).max(5).default(0),
    })
    .optional(),
});

/**
 * Devnet markets. Illustrative figures, not fitted to data: levels near their 2024 range,
 * volatilities of the order crypto assets show (BTC ≈ 60 %, ETH ≈ 70 %, a small-cap native
 * token 80 %), a few jumps a year skewed slightly downwards.
 */
export const DEVNET_SYNTHETIC_MARKETS = {
  'BWK-USD': { start: 2, drift: 0, vol: 0.8, jumps: { intensity: 12, mean: -0.01, stdev: 0.06 } },
  'BTC-USD': {
    start: 60_000,
    drift: 0,
    vol: 0.6,
    jumps: { intensity: 6, mean: -0.005, stdev: 0.04 },
  },
  'ETH-USD': {
    start: 3_000,
    drift: 0,
    vol: 0.7,
    jumps: { intensity: 8, mean: -0.005, stdev: 0.05 },
  },
} as const satisfies Record<string, z.input<typeof syntheticMarketSchema>>;

export const syntheticSourceSchema = z
  .strictObject({
    kind: z.literal('synthetic'),
    /** The path's seed: validators with the same seed see the same underlying path. */
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(42),
    /** Simulated seconds per height: 1 is real time at 1 s blocks; larger speeds the market up. */
    stepSeconds: z
      .number()
      .positive()
      .max(365.25 * 24 * 3600)
      .default(1),
    /** Per-validator observation noise, standard deviation in basis points (5 = 0.05 %). */
    noiseBps: z.number().min(0).max(1000).default(5),
    markets: z
      .record(marketId, syntheticMarketSchema)
      .refine((m) => Object.keys(m).length >= 1, 'at least one market')
      .prefault(DEVNET_SYNTHETIC_MARKETS),
  })
  .superRefine((cfg, ctx) => {
    for (const [market, m] of Object.entries(cfg.markets)) {
      const perStep = ((m.jumps?.intensity ?? 0) * cfg.stepSeconds) / (365.25 * 24 * 3600);
      if (perStep > 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['markets', market, 'jumps', 'intensity'],
          message: `more than one jump per height expected (${perStep.toFixed(2)}); lower intensity or stepSeconds`,
        });
      }
    }
  });

// ---------------------------------------------------------------------------------------------
// file

export const fileSourceSchema = z.strictObject({
  kind: z.literal('file'),
  /**
   * market → CSV file of `timestamp,price` rows (relative paths are resolved against the
   * directory the node passes, normally the node's home).
   */
  markets: z
    .record(marketId, z.string().min(1))
    .refine((m) => Object.keys(m).length >= 1, 'at least one market'),
  /** Added to the block time before the lookup (replay old data on a new chain). */
  offsetMs: z.number().int().default(0),
});

// ---------------------------------------------------------------------------------------------
// http

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

export const httpMarketSchema = z.strictObject({
  url: httpUrl,
  /** Where the price is in the JSON answer: `data.price`, `result[0].last`, `price`. */
  path: z
    .string()
    .min(1)
    .regex(/^[^.[\]]+(\[\d+\])*(\.[^.[\]]+(\[\d+\])*)*$/, 'a JSON path like data.price or a[0].b'),
  headers: z.record(z.string(), z.string()).default({}),
});

export const httpSourceSchema = z.strictObject({
  kind: z.literal('http'),
  markets: z
    .record(marketId, httpMarketSchema)
    .refine((m) => Object.keys(m).length >= 1, 'at least one market'),
  /** Per request (connect, headers and body). */
  timeoutMs: z.number().int().min(1).max(60_000).default(500),
  /** How long (block time) a market's last good price stands in for failed fetches. */
  maxAgeMs: z.number().int().min(0).max(86_400_000).default(30_000),
});

// ---------------------------------------------------------------------------------------------

export const priceSourceSchema = z.discriminatedUnion('kind', [
  syntheticSourceSchema,
  fileSourceSchema,
  httpSourceSchema,
]);

/**
 * The node config's `prices` section: the source every validator of this node uses, and
 * per-validator replacements (by validator name).
 */
export const pricesSchema = z
  .strictObject({
    default: priceSourceSchema.prefault({ kind: 'synthetic' }),
    validators: z.record(z.string().min(1), priceSourceSchema).default({}),
  })
  .prefault({});

export type SyntheticMarketConfig = z.infer<typeof syntheticMarketSchema>;
export type SyntheticSourceConfig = z.infer<typeof syntheticSourceSchema>;
export type FileSourceConfig = z.infer<typeof fileSourceSchema>;
export type HttpMarketConfig = z.infer<typeof httpMarketSchema>;
export type HttpSourceConfig = z.infer<typeof httpSourceSchema>;
export type PriceSourceConfig = z.infer<typeof priceSourceSchema>;
export type PricesConfig = z.infer<typeof pricesSchema>;
export type PricesConfigInput = z.input<typeof pricesSchema>;
