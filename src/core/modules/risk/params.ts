import { z } from 'zod';
import { decimalParam } from '../../app/param-schemas.ts';
import { Params } from '../../app/params.ts';
import { fromDecimalString, ONE, toDecimalString } from '../../math/index.ts';

/** The oracle market whose price values the bonded stake (USD per BWK = uusd per ubwk). */
export const BWK_MARKET = 'BWK-USD';

/** Weight a market gets when `weights` does not list it. */
export const DEFAULT_WEIGHT = ONE;

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);

const weightSchema = z.strictObject({
  /** A perps market id (letters, digits, dashes). */
  market: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/, 'must be a market id like BTC-USD'),
  /** Share weight of the security budget (any scale; unlisted markets weigh 1). */
  weight: decimalParam(0n, 1_000_000n * ONE),
});

export const riskParamsSchema = z.strictObject({
  /** The attack the budget must withstand, in blocks (time to detect and slash; ≥ one breaker window). */
  attackBlocks: int(1, 1_000_000),
  /**
   * Share of the bonded stake an attacker must hold to control the oracle median. With a ⅔
   * reporting quorum, just over ⅓ suffices when the honest power online falls to the quorum:
   * ⅓ is the safe value (see docs/modules/risk-math.md).
   */
  thresholdFraction: decimalParam(ONE / 100n, ONE),
  /** Share of the attacker's stake the protocol can actually take (the correlated oracle slash). */
  slashableFraction: decimalParam(0n, ONE),
  /** Safety margin γ: the budget is `CoC / (1 + γ)`. */
  gamma: decimalParam(0n, 10n * ONE),
  /** Per-market budget weights; a market not listed weighs 1 (equal split by default). */
  weights: z
    .array(weightSchema)
    .max(256)
    .refine((ws) => new Set(ws.map((w) => w.market)).size === ws.length, {
      message: 'weight markets must be unique',
    }),
});

export type RiskParams = z.output<typeof riskParamsSchema>;
export type RiskParamsInput = z.input<typeof riskParamsSchema>;

export const riskParams = new Params<RiskParams>('risk', riskParamsSchema);

const dec = (s: string) => fromDecimalString(s);

/**
 * Realistic values (1 s blocks): an attack of 1 hour (6 windows of the oracle's 600-block
 * breaker), threshold ⅓, 5 % of the attacking stake slashable (5× the oracle's 1 % base
 * slash, for the correlation factor of a coordinated deviation), margin γ = ½.
 */
export const MAINNET_RISK_PARAMS: RiskParams = {
  attackBlocks: 3_600,
  thresholdFraction: ONE / 3n,
  slashableFraction: dec('0.05'),
  gamma: dec('0.5'),
  weights: [],
};

/** Devnet: an attack of one devnet breaker window (60 blocks). */
export const DEVNET_RISK_PARAMS: RiskParams = { ...MAINNET_RISK_PARAMS, attackBlocks: 60 };

export const DEFAULT_RISK_PARAMS = MAINNET_RISK_PARAMS;

/** The params as JSON (fractions as decimal strings). */
export function paramsToJson(p: RiskParams) {
  return {
    attackBlocks: p.attackBlocks,
    thresholdFraction: toDecimalString(p.thresholdFraction),
    slashableFraction: toDecimalString(p.slashableFraction),
    gamma: toDecimalString(p.gamma),
    weights: p.weights.map((w) => ({ market: w.market, weight: toDecimalString(w.weight) })),
  };
}
