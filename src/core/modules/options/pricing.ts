import { max, mul, Rounding } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import { ensureOptions, OptionsError } from './errors.ts';
import {
  binaryPrice,
  effectiveVolatility,
  type OpenSeries,
  totalVariance,
  yearsToExpiry,
} from './math/index.ts';
import type { OptionsParams } from './params.ts';
import type { OptionsOracle, Pricing, SeriesRecord } from './types.ts';

/** The moment a price is asked for: a block's time and height (or the last block's, for queries). */
export interface Moment {
  timeMs: number;
  height: number;
}

/**
 * The model value of a series from the oracle's state at `at`:
 * - spot: the oracle's last median, refused when none exists or it is stale (NoFreshPrice);
 * - σ: the oracle's realized volatility (EWMA, annual), floored at minVolatility;
 * - delay: blocks since the reports behind that median were observed (published at height h
 *   from the reports of h − 1, so `at.height − h + 1`), each adding σ_block² of variance;
 * - V = σ²·T + oracleNoise² + σ_block²·delay (see `totalVariance`).
 */
export function priceSeries(
  store: ReadStore,
  oracle: OptionsOracle,
  params: OptionsParams,
  rec: SeriesRecord,
  at: Moment,
): Pricing {
  const p = oracle.price(store, rec.underlying);
  ensureOptions(
    p !== undefined,
    OptionsError.NoFreshPrice,
    () => `no oracle price for ${rec.underlying} yet: series ${rec.id} cannot be quoted`,
  );
  ensureOptions(
    !oracle.isReduceOnly(store, rec.underlying, at.height),
    OptionsError.NoFreshPrice,
    () =>
      `the oracle price of ${rec.underlying} is stale (published at height ${p.height}, now ${at.height}): series ${rec.id} cannot be quoted`,
  );
  const sigma = max(oracle.volatility(store, rec.underlying), params.minVolatility);
  const sigmaBlock = oracle.sigmaPerBlock(store, rec.underlying);
  const delayBlocks = Math.max(1, at.height - p.height + 1);
  const years = yearsToExpiry(at.timeMs, rec.expiryMs);
  const variance = totalVariance({
    sigma,
    years,
    oracleNoise: params.oracleNoise,
    blockVariance: mul(sigmaBlock, sigmaBlock, Rounding.Ceil),
    delayBlocks,
  });
  const fair = binaryPrice({
    kind: rec.kind,
    spot: p.price,
    strike: rec.strike,
    rate: params.riskFreeRate,
    carry: params.carryRate,
    years,
    variance,
  });
  return {
    spot: p.price,
    sigma,
    years,
    variance,
    sigmaEff: effectiveVolatility(variance, years),
    delayBlocks,
    fair,
  };
}

/** A series as the worst-case computation sees it (grouped by underlying and expiry). */
export function toOpenSeries(rec: SeriesRecord): OpenSeries {
  return {
    group: `${rec.underlying}@${rec.expiryMs}`,
    kind: rec.kind,
    strike: rec.strike,
    open: rec.open,
    openCost: rec.openCost,
  };
}
