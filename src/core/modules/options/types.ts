import type { ReadStore } from '../../store/store.ts';
import type { OracleKeeperApi } from '../oracle/api.ts';
import type { SeriesSpec } from './params.ts';

/** What the options module reads from the oracle (OracleKeeper satisfies it). */
export type OptionsOracle = Pick<
  OracleKeeperApi,
  'price' | 'isReduceOnly' | 'volatility' | 'sigmaPerBlock' | 'markets'
>;

/** Governance's emergency pause (GovKeeper satisfies it). */
export interface OptionsPauses {
  isPaused(store: ReadStore, market: string): boolean;
}

/** Whether a vault backs a perps market (an options series may not use it). */
export type PerpsVaultCheck = (store: ReadStore, vaultId: string) => boolean;

/** Where a series is in its life. Stored: open, settled, refunded. */
export type SeriesStatus = 'open' | 'settled' | 'refunded';

/** A listed series as stored: the listing, its open interest and its accounts (uusd). */
export interface SeriesRecord extends SeriesSpec {
  status: SeriesStatus;
  listedHeight: number;
  /** Open contracts (Σ of the holders' quantities); each pays 1 uusd in the money. */
  open: bigint;
  /** Σ of the holders' cost bases: what a refund at cost would pay. */
  openCost: bigint;
  // ---- the vault's P&L on this series (uusd) ----------------------------------------------
  /** Premiums received from buyers. */
  premiums: bigint;
  /** Paid to holders who sold back. */
  buybacks: bigint;
  /** Paid at settlement. */
  payouts: bigint;
  /** Paid back at cost when no fresh price came within the grace period. */
  refunds: bigint;
  /** What the vault could not pay (its cash ran out; never expected). */
  shortfall: bigint;
  /** Settlement (null until then). */
  settlementPrice: bigint | null;
  settledHeight: number | null;
  settledMs: number | null;
}

/** A holder's contracts in a series and what they paid for them (uusd). */
export interface Position {
  qty: bigint;
  cost: bigint;
}

/** The model's view of a series at a moment (all 18-decimal fixed point). */
export interface Pricing {
  spot: bigint;
  /** The annual volatility used: max(oracle σ, minVolatility). */
  sigma: bigint;
  years: bigint;
  /** Total variance σ_eff²·T. */
  variance: bigint;
  /** σ_eff (undefined at T = 0). */
  sigmaEff: bigint | undefined;
  /** Blocks between the price's observation and now. */
  delayBlocks: number;
  /** The model value per 1 uusd of payout. */
  fair: bigint;
}

/** What a buy of `qty` would cost now, and the limits it is checked against. */
export interface BuyQuote {
  pricing: Pricing;
  price: bigint;
  premium: bigint;
  utilization: bigint;
  equity: bigint;
  seriesOpenAfter: bigint;
  seriesLimit: bigint;
  worstAfter: bigint;
  vaultLimit: bigint;
}

export interface SellQuote {
  pricing: Pricing;
  price: bigint;
  proceeds: bigint;
}
