import type { ReadStore } from '../../store/store.ts';
import type { OracleKeeperApi } from '../oracle/api.ts';

/**
 * What perps reads from the oracle: the index/mark price (USD ×1e18, the oracle's unit) and
 * whether the market is reduce-only because the price is stale. Injected so that tests can
 * use a fixed price; `oraclePrices(oracleKeeper)` adapts the oracle keeper.
 */
export interface PriceSource {
  price(store: ReadStore, market: string): bigint | undefined;
  isReduceOnly(store: ReadStore, market: string, height: number): boolean;
  /**
   * The EWMA volatility per block (relative, 18 decimals) behind the dynamic margin; a source
   * without it (tests' fixed prices) gives σ = 0, so the margin is the listing's base.
   */
  sigmaPerBlock?(store: ReadStore, market: string): bigint;
}

/** Governance's market pause (GovKeeper satisfies it). */
export interface PauseSource {
  isPaused(store: ReadStore, market: string): boolean;
}

export function oraclePrices(oracle: OracleKeeperApi): PriceSource {
  return {
    price: (store, market) => oracle.price(store, market)?.price,
    isReduceOnly: (store, market, height) => oracle.isReduceOnly(store, market, height),
    sigmaPerBlock: (store, market) => oracle.sigmaPerBlock(store, market),
  };
}

/** Nothing paused (a chain without gov). */
export const NO_PAUSE: PauseSource = { isPaused: () => false };

/**
 * The security-budget OI cap of a market (uusd notional), or undefined for none. Optional:
 * the risk module will provide it (`oiCapsFromSecurityBudget`).
 */
export type SecurityCapSource = (store: ReadStore, market: string) => bigint | undefined;
