import { z } from 'zod';
import { decimalParam } from '../../app/param-schemas.ts';
import { Params } from '../../app/params.ts';
import { fromDecimalString, ONE, toDecimalString } from '../../math/index.ts';

const DAY_MS = 86_400_000;

/** 18-decimal params: the shared schema (a bigint or a decimal string, within bounds). */
export const decSchema = decimalParam;

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);

/** `BASE-QUOTE`, upper-case letters and digits: `BTC-USD`. */
export const MARKET_ID_PATTERN = /^[A-Z0-9]{1,16}-[A-Z0-9]{1,16}$/;
export const marketIdSchema = z
  .string()
  .regex(MARKET_ID_PATTERN, 'must be BASE-QUOTE in upper-case letters and digits, like BTC-USD');

/** Largest price accepted anywhere (10^15 units of the quote asset). */
export const MAX_PRICE = 10n ** 15n * ONE;

export const marketSchema = z
  .strictObject({
    id: marketIdSchema,
    /** Reports below this price are absurd: the extension is refused. > 0. */
    minPrice: decSchema(1n, MAX_PRICE),
    /** Reports above this price are absurd: the extension is refused. */
    maxPrice: decSchema(1n, MAX_PRICE),
    /** Annualized volatility the EWMA starts from at the first published price (default 0). */
    initialVolatility: decSchema(0n, 100n * ONE).optional(),
  })
  .refine((m) => m.minPrice < m.maxPrice, { message: 'minPrice must be below maxPrice' });

export const oracleParamsSchema = z
  .strictObject({
    /** Listed markets, each with its absurd-price bounds. Ids unique. */
    markets: z
      .array(marketSchema)
      .max(256)
      .refine((ms) => new Set(ms.map((m) => m.id)).size === ms.length, {
        message: 'market ids must be unique',
      }),
    /** A price older than this many blocks puts its market in reduce-only. */
    maxStaleBlocks: int(1, 1_000_000),
    /** Circuit breaker: largest move of the published price in one block (fraction). */
    maxMovePerBlock: decSchema(ONE / 10_000n, ONE),
    /** Circuit breaker: largest move from the price at the start of the breaker window. */
    maxMovePerWindow: decSchema(ONE / 10_000n, 10n * ONE),
    /** Length of the breaker window in blocks. */
    breakerWindowBlocks: int(1, 10_000_000),
    /** Band half-width = max(deviationK · σ_block, minBand), relative to the median. */
    deviationK: decSchema(0n, 1_000n * ONE),
    minBand: decSchema(ONE / 10_000n, ONE),
    /** Blocks in a validator's deviation window. */
    oracleWindow: int(1, 10_000_000),
    /** More misses than this within one window: slash and jail. */
    maxMissesPerWindow: int(0, 10_000_000),
    /** Base fraction slashed for too many misses (before slashing's correlation factor). */
    slashFractionOracle: decSchema(0n, ONE / 2n),
    /** Jail time after an oracle slash (block time, ms), recorded in slashing's signing info. */
    jailDurationMs: int(0, 365 * DAY_MS),
    /** EWMA decay of the squared log returns: var ← λ·var + (1−λ)·r². */
    ewmaLambda: decSchema(ONE / 2n, ONE - ONE / 1_000_000n),
    /** Blocks per year, to annualize the per-block volatility. */
    blocksPerYear: int(1, 1_000_000_000),
    /** Largest vote extension accepted, in bytes. */
    maxExtensionBytes: int(64, 1 << 20),
    /** Heights of reports kept for the `oracle/reports` query. */
    reportsKept: int(1, 100_000),
  })
  .refine((p) => p.maxMissesPerWindow < p.oracleWindow, {
    message: 'maxMissesPerWindow must be below oracleWindow',
  });

export type OracleParams = z.output<typeof oracleParamsSchema>;
export type OracleParamsInput = z.input<typeof oracleParamsSchema>;
export type MarketParams = OracleParams['markets'][number];

export const oracleParams = new Params<OracleParams>('oracle', oracleParamsSchema);

const dec = (s: string) => fromDecimalString(s);

/** The devnet's markets: the chain's own token and two majors. */
export const DEFAULT_MARKETS: MarketParams[] = [
  {
    id: 'BWK-USD',
    minPrice: dec('0.000001'),
    maxPrice: dec('1000000'),
    initialVolatility: dec('1'),
  },
  { id: 'BTC-USD', minPrice: dec('1'), maxPrice: dec('100000000'), initialVolatility: dec('0.6') },
  {
    id: 'ETH-USD',
    minPrice: dec('0.01'),
    maxPrice: dec('10000000'),
    initialVolatility: dec('0.8'),
  },
];

/** Realistic values (1 s blocks). */
export const MAINNET_ORACLE_PARAMS: OracleParams = {
  markets: DEFAULT_MARKETS,
  maxStaleBlocks: 30,
  maxMovePerBlock: dec('0.05'),
  maxMovePerWindow: dec('0.25'),
  breakerWindowBlocks: 600,
  deviationK: dec('10'),
  minBand: dec('0.01'),
  oracleWindow: 1_000,
  maxMissesPerWindow: 500,
  slashFractionOracle: dec('0.01'),
  jailDurationMs: 10 * 60_000,
  ewmaLambda: dec('0.995'),
  blocksPerYear: 31_536_000,
  maxExtensionBytes: 4_096,
  reportsKept: 100,
};

/** Short windows for a devnet: faults show within seconds. */
export const DEVNET_ORACLE_PARAMS: OracleParams = {
  ...MAINNET_ORACLE_PARAMS,
  maxStaleBlocks: 10,
  breakerWindowBlocks: 60,
  oracleWindow: 20,
  maxMissesPerWindow: 10,
  jailDurationMs: 30_000,
};

export const DEFAULT_ORACLE_PARAMS = MAINNET_ORACLE_PARAMS;

/** The params as JSON (decimals as strings), for genesis export and queries. */
export function paramsToJson(p: OracleParams) {
  return {
    ...p,
    markets: p.markets.map((m) => ({
      id: m.id,
      minPrice: toDecimalString(m.minPrice),
      maxPrice: toDecimalString(m.maxPrice),
      ...(m.initialVolatility !== undefined
        ? { initialVolatility: toDecimalString(m.initialVolatility) }
        : {}),
    })),
    maxMovePerBlock: toDecimalString(p.maxMovePerBlock),
    maxMovePerWindow: toDecimalString(p.maxMovePerWindow),
    deviationK: toDecimalString(p.deviationK),
    minBand: toDecimalString(p.minBand),
    slashFractionOracle: toDecimalString(p.slashFractionOracle),
    ewmaLambda: toDecimalString(p.ewmaLambda),
  };
}
