import { z } from 'zod';
import { decimalParam, integerParam } from '../../app/param-schemas.ts';
import { Params } from '../../app/params.ts';
import { MAX_AMOUNT } from '../../coin.ts';
import { fromDecimalString, ONE, toDecimalString } from '../../math/index.ts';
import { VAULT_ID_PATTERN } from '../vaults/params.ts';

const DAY_MS = 86_400_000;

/** Premiums, payouts and refunds are uusd; one contract pays 1 uusd when it finishes in the money. */
export const OPTIONS_DENOM = 'uusd';

/** A series id: letters, digits and dashes (≤ 48), never a `/` (one key segment). */
export const SERIES_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/;
export const seriesIdSchema = z
  .string()
  .regex(SERIES_ID_PATTERN, 'must be letters, digits and dashes (≤ 48), like ETH-3000-C-1D');

const vaultIdSchema = z
  .string()
  .regex(VAULT_ID_PATTERN, 'must be letters, digits and dashes (≤ 48), like ETH-OPT');

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);

/** A count of contracts or an amount of uusd: a bigint or a decimal integer string. */
const amountParam = (lo: bigint) => integerParam(lo, MAX_AMOUNT);

/** Largest strike (USD ×1e18), as the oracle's largest price. */
const MAX_STRIKE = 10n ** 15n * ONE;

/** One series' listing (genesis or governance). JSON: strike as a decimal string. */
export const seriesSpecSchema = z.strictObject({
  id: seriesIdSchema,
  /** The oracle market whose median settles it (e.g. ETH-USD). */
  underlying: z.string().min(1).max(64),
  /** USD ×1e18: a call pays when the settlement price is ≥ strike, a put when it is below. */
  strike: decimalParam(1n, MAX_STRIKE),
  /** Block time (unix ms) of expiry. */
  expiryMs: int(1, Number.MAX_SAFE_INTEGER),
  kind: z.enum(['call', 'put']),
  /** The backing vault: its own, never one that backs a perps market. */
  vault: vaultIdSchema,
});

export type SeriesSpec = z.output<typeof seriesSpecSchema>;
export type SeriesSpecInput = z.input<typeof seriesSpecSchema>;

export const optionsParamsSchema = z
  .strictObject({
    /** Risk-free rate r (annual, continuous): discounting and drift. */
    riskFreeRate: decimalParam(0n, ONE / 2n),
    /** Yield of the underlying q (annual, continuous): the drift is r − q. */
    carryRate: decimalParam(0n, ONE / 2n),
    /** Floor under the oracle's realized volatility (annual): a calm EWMA never prices at ~0. */
    minVolatility: decimalParam(ONE / 100n, 10n * ONE),
    /** Relative standard deviation of one oracle reading (σ_oracle, see totalVariance). */
    oracleNoise: decimalParam(0n, ONE / 10n),
    /** Spread of every quote: ask = p + (1 − p)·skew with skew ≥ baseSpread; bid = p·(1 − baseSpread). */
    baseSpread: decimalParam(0n, ONE / 2n),
    /** Skew added per unit of the vault's utilization (0 to 1) after a buy. */
    skewSlope: decimalParam(0n, ONE),
    /** Quotes are clamped to [pMin, pMax] (per 1 uusd of payout). */
    pMin: decimalParam(ONE / 1_000_000n, ONE / 2n),
    pMax: decimalParam(ONE / 2n, ONE),
    /** Open contracts of one series ≤ this fraction of the vault's equity. */
    maxSeriesExposure: decimalParam(ONE / 10_000n, ONE),
    /** Worst-case payout of all the vault's open series ≤ this fraction of its equity. */
    maxVaultExposure: decimalParam(ONE / 10_000n, ONE),
    /** Contracts in one buy or sell. */
    maxQtyPerTrade: amountParam(1n),
    /** Trading stops this long before expiry (ms of block time). */
    haltBeforeExpiryMs: int(0, 30 * DAY_MS),
    /** After expiry, how long a stale price may be waited for before refunding at cost (ms). */
    settlementGraceMs: int(0, 30 * DAY_MS),
    /** Most series one vault may have open (bounds the worst-case computation). */
    maxOpenSeriesPerVault: int(1, 256),
  })
  .refine((p) => p.pMin < p.pMax, { message: 'pMin must be below pMax' })
  .refine((p) => p.maxSeriesExposure <= p.maxVaultExposure, {
    message: 'maxSeriesExposure must not exceed maxVaultExposure',
  });

export type OptionsParams = z.output<typeof optionsParamsSchema>;
export type OptionsParamsInput = z.input<typeof optionsParamsSchema>;

export const optionsParams = new Params<OptionsParams>('options', optionsParamsSchema);

const dec = (s: string) => fromDecimalString(s);

/** Realistic values (1 s blocks). */
export const MAINNET_OPTIONS_PARAMS: OptionsParams = {
  riskFreeRate: dec('0.05'),
  carryRate: 0n,
  minVolatility: dec('0.2'),
  oracleNoise: dec('0.001'),
  baseSpread: dec('0.02'),
  skewSlope: dec('0.1'),
  pMin: dec('0.01'),
  pMax: dec('0.99'),
  maxSeriesExposure: dec('0.25'),
  maxVaultExposure: dec('0.8'),
  maxQtyPerTrade: 10n ** 12n,
  haltBeforeExpiryMs: 5 * 60_000,
  settlementGraceMs: 60 * 60_000,
  maxOpenSeriesPerVault: 64,
};

/** Short periods so a devnet shows halts, settlement and refunds within minutes. */
export const DEVNET_OPTIONS_PARAMS: OptionsParams = {
  ...MAINNET_OPTIONS_PARAMS,
  haltBeforeExpiryMs: 30_000,
  settlementGraceMs: 5 * 60_000,
};
export const DEFAULT_OPTIONS_PARAMS = MAINNET_OPTIONS_PARAMS;

/** The devnet's options vault (its own pool, apart from the perps vaults). */
export const DEVNET_OPTIONS_VAULT = 'ETH-OPT';

/**
 * The devnet's series: ETH-USD binary calls and puts at strikes around the synthetic source's
 * start (3 000 USD), expiring one hour and one day after genesis.
 */
export function devnetSeries(genesisMs: number): SeriesSpec[] {
  const out: SeriesSpec[] = [];
  const expiries = [
    { tag: '1H', ms: genesisMs + 3_600_000 },
    { tag: '1D', ms: genesisMs + DAY_MS },
  ];
  for (const e of expiries) {
    for (const strike of [2_900n, 3_000n, 3_100n]) {
      for (const kind of ['call', 'put'] as const) {
        out.push({
          id: `ETH-${strike}-${kind === 'call' ? 'C' : 'P'}-${e.tag}`,
          underlying: 'ETH-USD',
          strike: strike * ONE,
          expiryMs: e.ms,
          kind,
          vault: DEVNET_OPTIONS_VAULT,
        });
      }
    }
  }
  return out;
}

/** The listing part of a stored series. */
export function specOf(s: SeriesSpec): SeriesSpec {
  return {
    id: s.id,
    underlying: s.underlying,
    strike: s.strike,
    expiryMs: s.expiryMs,
    kind: s.kind,
    vault: s.vault,
  };
}

export function seriesToJson(s: SeriesSpec) {
  return { ...s, strike: toDecimalString(s.strike) };
}

export function paramsToJson(p: OptionsParams) {
  return {
    riskFreeRate: toDecimalString(p.riskFreeRate),
    carryRate: toDecimalString(p.carryRate),
    minVolatility: toDecimalString(p.minVolatility),
    oracleNoise: toDecimalString(p.oracleNoise),
    baseSpread: toDecimalString(p.baseSpread),
    skewSlope: toDecimalString(p.skewSlope),
    pMin: toDecimalString(p.pMin),
    pMax: toDecimalString(p.pMax),
    maxSeriesExposure: toDecimalString(p.maxSeriesExposure),
    maxVaultExposure: toDecimalString(p.maxVaultExposure),
    maxQtyPerTrade: String(p.maxQtyPerTrade),
    haltBeforeExpiryMs: p.haltBeforeExpiryMs,
    settlementGraceMs: p.settlementGraceMs,
    maxOpenSeriesPerVault: p.maxOpenSeriesPerVault,
  };
}
