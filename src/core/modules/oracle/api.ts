import type { ExtendedVoteInfo } from '../../app/types.ts';
import type { ReadStore } from '../../store/store.ts';

/**
 * The oracle's contract with the rest of the chain.
 *
 * Prices are fixed-point decimals with 18 places (bigint; `ONE = 10^18` is 1 USD per unit of
 * the base asset). A market id is like `BTC-USD`.
 *
 * Flow per height h (ABCI++ as in dYdX v4 / Skip Connect):
 * 1. Each active validator's node observes prices (its price source, outside the core) and
 *    the app turns them into the vote extension bytes (`OracleModule.extendVote`), which the
 *    consensus engine signs with the validator's consensus key (`extensionSignBytes`).
 * 2. Other validators check each extension (`verifyVoteExtension`: format, height, markets,
 *    size, bounds; the engine checks the signature).
 * 3. The proposer of h+1 puts one oracle-update entry first in the block
 *    (`prepareProposal`): the signed extensions of height h it received.
 * 4. Every validator re-checks that entry (`processProposal`): signatures against the
 *    validators' keys from state, one report per validator (duplicates refused), total power
 *    from state, the aggregate recomputed; a proposal without the entry is refused from
 *    initialHeight + 2 on (the engine always has the previous height's extensions).
 * 5. `finalizeBlock` applies the entry: stake-weighted median per market, quorum, circuit
 *    breaker, staleness, deviation records, realized volatility.
 */

/** What a validator's node observed for each market at a height (its price source's answer). */
export type Observations = Readonly<Record<string, bigint>>;

export interface PriceReport {
  market: string;
  price: bigint;
  /** Optional confidence half-width, same units as price. */
  confidence?: bigint;
}

/** What the oracle module offers other modules (markets, risk, options). */
export interface OracleKeeperApi {
  /** The last published price of a market and the height it was published at. */
  price(store: ReadStore, market: string): { price: bigint; height: number } | undefined;
  /** True when the price is older than `maxStaleBlocks`: markets go reduce-only. */
  isReduceOnly(store: ReadStore, market: string, height: number): boolean;
  /** Realized volatility (EWMA of squared log returns), annualized, 18 decimals. */
  volatility(store: ReadStore, market: string): bigint;
  markets(store: ReadStore): string[];
  /** Realized volatility per block (relative, 18 decimals): the σ of the deviation band. */
  sigmaPerBlock(store: ReadStore, market: string): bigint;
  /** How many times the circuit breaker clamped the market's price (a state counter). */
  breakerTrips(store: ReadStore, market: string): number;
}

/** The injected first "tx" of a block: the signed extensions the proposer collected. */
export interface OracleUpdateEntry {
  /** Height the reports are for (the previous block's). */
  height: number;
  votes: ExtendedVoteInfo[];
}
