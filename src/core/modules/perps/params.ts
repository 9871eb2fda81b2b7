import { z } from 'zod';
import { decimalParam, integerParam } from '../../app/param-schemas.ts';
import { Params } from '../../app/params.ts';
import { fromDecimalString, ONE, toDecimalString } from '../../math/index.ts';
import { MAX_LIMIT } from './book/index.ts';

/** The one denom of collateral, fees and PnL. */
export const PERPS_DENOM = 'uusd';

/** A market id: like a vault id (letters, digits, dashes, ≤ 48), never a `/`. */
export const MARKET_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/;
export const marketIdSchema = z
  .string()
  .regex(MARKET_ID_PATTERN, 'must be letters, digits and dashes (≤ 48), like BTC-USD');

/** Fractions: the shared 18-decimal param schema (a bigint or a decimal string, within bounds). */
const fraction = decimalParam;

/** A positive 18-decimal quantity (tick or quantum size): bigint or decimal integer string. */
const raw18 = integerParam(1n, 10n ** 36n);

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);

/** An amount of uusd ≥ 0 (≤ 10^30): a bigint or a decimal integer string. */
const uusdParam = integerParam(0n, 10n ** 30n);

/** ⅔, rounded down to 18 decimals (Hyperliquid's backstop threshold). */
export const BACKSTOP_RATIO = (2n * ONE) / 3n;

/** One market's listing. Raw 18-decimal quantities are bigints in state, strings in JSON. */
/** A uusd amount as a bigint or a decimal integer string, 0 – 10^30. */
const uusd = integerParam(0n, 10n ** 30n);

export const marketSpecSchema = z
  .strictObject({
    id: marketIdSchema,
    /** The oracle's market id whose price is the mark/index price. */
    oracleMarket: z.string().min(1).max(64),
    /** The vault backing the market (by convention the same id). */
    vault: marketIdSchema,
    /** USD ×1e18 per tick. */
    tickSize: raw18,
    /** Base units ×1e18 per quantum. */
    quantumSize: raw18,
    /** Initial-margin fraction (1 / max leverage). */
    baseImf: fraction(ONE / 1000n, ONE),
    /** Maintenance fraction = imf · mmfRatio. */
    mmfRatio: fraction(ONE / 10n, ONE),
    /**
     * Dynamic margin: imf = max(baseImf, marginK · σ_block · √marginHorizonBlocks), σ_block the
     * oracle's EWMA volatility per block. 0 (the default) keeps imf at baseImf.
     */
    marginK: fraction(0n, 100n * ONE).default(0n),
    /** The liquidation horizon of the dynamic margin, in blocks (price updates). */
    marginHorizonBlocks: int(0, 10_000_000).default(0),
    /**
     * OI scaling (dYdX liquidity tiers): imf rises linearly from its value at OI ≤ lower (uusd
     * notional) to 1 at OI ≥ upper. lower = upper = 0 (the default) disables it.
     */
    oiScaleLower: uusd.default(0n),
    oiScaleUpper: uusd.default(0n),
    makerFeeRate: fraction(0n, ONE / 100n),
    takerFeeRate: fraction(0n, ONE / 100n),
    /** Vault capital locked per unit of open interest: OI cap = vault equity / lockedOiRatio. */
    lockedOiRatio: fraction(ONE / 1000n, 10n * ONE),
    maxOpenOrdersPerOwner: int(1, 1_000),
    maxPriceTicks: int(1, MAX_LIMIT),
    maxSizeQuantums: int(1, MAX_LIMIT),
    /** Blocks between funding settlements; the premium is sampled every block. */
    fundingIntervalBlocks: int(1, 1_000_000),
    /** Impact notional (uusd) at which the impact bid and ask are read from the book. */
    impactNotional: integerParam(1n, 10n ** 30n),
  })
  .check((c) => {
    const problem = oiScaleProblem(c.value);
    if (problem !== undefined) {
      c.issues.push({ code: 'custom', message: problem, input: c.value, path: ['oiScaleUpper'] });
    }
  });

export type MarketSpec = z.output<typeof marketSpecSchema>;

/** Why a listing's OI scaling bounds are refused, or undefined when they are fine. */
export function oiScaleProblem(m: Pick<MarketSpec, 'oiScaleLower' | 'oiScaleUpper'>) {
  if (m.oiScaleLower === 0n && m.oiScaleUpper === 0n) return undefined;
  if (m.oiScaleUpper > m.oiScaleLower) return undefined;
  return `expected oiScaleUpper > oiScaleLower (or both 0), got ${m.oiScaleLower} and ${m.oiScaleUpper}`;
}
export type MarketSpecInput = z.input<typeof marketSpecSchema>;

export const perpsParamsSchema = z.strictObject({
  /** An order's price must be within oracle · (1 ± band). */
  priceBand: fraction(ONE / 1000n, ONE),
  /** Most items (placements and cancels) in one `perps/place-orders` msg. */
  maxOrdersPerTx: int(1, 256),
  /** Most levels a `perps/book` query returns per side. */
  maxBookLevels: int(1, 1_000),
  /** Interest component added to the mean premium, per funding interval (dYdX form). */
  fundingInterestRate: fraction(0n, ONE / 100n),
  /** The rate per interval is clamped to ±multiple · (imf − mmf) (dYdX: 6). */
  fundingCapMultiple: fraction(0n, 100n * ONE),
  /** Liquidation fee on the closed notional (at the mark), paid to the vault, capped by equity. */
  liquidationFeeRate: fraction(0n, ONE / 10n),
  /** A liquidation closes against the book no worse than mark · (1 ∓ slippage) nor the bankruptcy price. */
  liquidationSlippage: fraction(0n, ONE / 2n),
  /**
   * A partial liquidation closes enough to leave `(1 + buffer) · MMR` at the mark
   * (`partialLiquidationSize`). Defaults keep genesis files written before it valid.
   */
  liquidationBuffer: fraction(0n, ONE).default(ONE / 10n),
  /**
   * Positions of at most this notional (uusd, at the mark) are liquidated whole; larger ones
   * partially, one step per block, while equity ≥ backstopRatio · MMR (Hyperliquid: 100 000 USD).
   */
  partialLiquidationMinNotional: uusdParam.default(100_000_000_000n),
  /** Below `backstopRatio · MMR` a liquidation is full: book, then vault takeover, then ADL (Hyperliquid: ⅔). */
  backstopRatio: fraction(0n, ONE).default(BACKSTOP_RATIO),
  /**
   * The vault takes a position over only while, after it, the initial margin of its position
   * in the market is ≤ this share of its equity (a cap on what one market draws, as Drift's).
   */
  backstopMaxEquityShare: fraction(ONE / 100n, ONE).default(ONE / 2n),
});

export type PerpsParams = z.output<typeof perpsParamsSchema>;

export const perpsParams = new Params<PerpsParams>('perps', perpsParamsSchema);

export const MAINNET_PERPS_PARAMS: PerpsParams = {
  priceBand: fromDecimalString('0.1'),
  maxOrdersPerTx: 32,
  maxBookLevels: 100,
  fundingInterestRate: 0n,
  fundingCapMultiple: 6n * ONE,
  liquidationFeeRate: fromDecimalString('0.01'),
  liquidationSlippage: fromDecimalString('0.05'),
  liquidationBuffer: fromDecimalString('0.1'),
  partialLiquidationMinNotional: 100_000_000_000n, // 100 000 USD
  backstopRatio: BACKSTOP_RATIO,
  backstopMaxEquityShare: fromDecimalString('0.5'),
};
export const DEVNET_PERPS_PARAMS: PerpsParams = { ...MAINNET_PERPS_PARAMS };
export const DEFAULT_PERPS_PARAMS = MAINNET_PERPS_PARAMS;

const E18 = 10n ** 18n;

/**
 * Devnet dynamic margin: a 4-σ move over one hour (3,600 one-second blocks) — at BTC's 60 %
 * annual volatility 4 · 0.6 · √(3600 / 31,536,000) ≈ 2.6 %, below the 5 % base; it binds
 * above ≈ 115 % — and imf rising from 500,000 USD of OI to 1 at 5,000,000 USD.
 */
const DEVNET_DYNAMIC_MARGIN = {
  marginK: 4n * ONE,
  marginHorizonBlocks: 3_600,
  oiScaleLower: 500_000_000_000n,
  oiScaleUpper: 5_000_000_000_000n,
};

/** Devnet listings: BTC-USD and ETH-USD, each backed by the vault of the same id. */
export const DEVNET_MARKETS: MarketSpec[] = [
  {
    id: 'BTC-USD',
    oracleMarket: 'BTC-USD',
    vault: 'BTC-USD',
    tickSize: E18, // 1 USD
    quantumSize: E18 / 10_000n, // 0.0001 BTC
    baseImf: fromDecimalString('0.05'), // 20x
    mmfRatio: fromDecimalString('0.6'),
    ...DEVNET_DYNAMIC_MARGIN,
    makerFeeRate: fromDecimalString('0.0002'),
    takerFeeRate: fromDecimalString('0.0005'),
    lockedOiRatio: fromDecimalString('0.1'),
    maxOpenOrdersPerOwner: 64,
    maxPriceTicks: 10_000_000, // 10M USD
    maxSizeQuantums: 1_000_000_000, // 100 000 BTC
    fundingIntervalBlocks: 3_600,
    impactNotional: 10_000_000_000n, // 10 000 USD
  },
  {
    id: 'ETH-USD',
    oracleMarket: 'ETH-USD',
    vault: 'ETH-USD',
    tickSize: E18 / 100n, // 0.01 USD
    quantumSize: E18 / 1_000n, // 0.001 ETH
    baseImf: fromDecimalString('0.05'),
    mmfRatio: fromDecimalString('0.6'),
    ...DEVNET_DYNAMIC_MARGIN,
    makerFeeRate: fromDecimalString('0.0002'),
    takerFeeRate: fromDecimalString('0.0005'),
    lockedOiRatio: fromDecimalString('0.1'),
    maxOpenOrdersPerOwner: 64,
    maxPriceTicks: 1_000_000_000, // 10M USD
    maxSizeQuantums: 1_000_000_000, // 1M ETH
    fundingIntervalBlocks: 3_600,
    impactNotional: 10_000_000_000n, // 10 000 USD
  },
];

/** A market spec as JSON (raw quantities as integer strings, fractions as decimal strings). */
export function marketToJson(m: MarketSpec) {
  return {
    ...m,
    tickSize: String(m.tickSize),
    quantumSize: String(m.quantumSize),
    baseImf: toDecimalString(m.baseImf),
    mmfRatio: toDecimalString(m.mmfRatio),
    marginK: toDecimalString(m.marginK),
    oiScaleLower: String(m.oiScaleLower),
    oiScaleUpper: String(m.oiScaleUpper),
    makerFeeRate: toDecimalString(m.makerFeeRate),
    takerFeeRate: toDecimalString(m.takerFeeRate),
    lockedOiRatio: toDecimalString(m.lockedOiRatio),
    impactNotional: String(m.impactNotional),
  };
}

export function paramsToJson(p: PerpsParams) {
  return {
    ...p,
    priceBand: toDecimalString(p.priceBand),
    fundingInterestRate: toDecimalString(p.fundingInterestRate),
    fundingCapMultiple: toDecimalString(p.fundingCapMultiple),
    liquidationFeeRate: toDecimalString(p.liquidationFeeRate),
    liquidationSlippage: toDecimalString(p.liquidationSlippage),
    liquidationBuffer: toDecimalString(p.liquidationBuffer),
    partialLiquidationMinNotional: String(p.partialLiquidationMinNotional),
    backstopRatio: toDecimalString(p.backstopRatio),
    backstopMaxEquityShare: toDecimalString(p.backstopMaxEquityShare),
  };
}
