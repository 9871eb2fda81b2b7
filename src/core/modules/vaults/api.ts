import type { Context } from '../../app/module.ts';
import type { Coin } from '../../coin.ts';
import type { ReadStore } from '../../store/store.ts';
import type { VaultsParams } from './params.ts';

/**
 * What the vaults module offers the product modules (perps, later options). Nobody else
 * touches a vault's records or its pool account; they call this keeper.
 *
 * Units: amounts are `uusd` base units (bigint). Shares are 18-decimal fixed point (bigint;
 * `ONE = 10^18` raw is one share; the first deposit mints one share per uusd base unit).
 * Each vault holds its uusd in its own pool account `moduleAddress('vaults/<id>')`: isolation
 * is physical, and the keeper never moves tokens between two vault accounts.
 */

/**
 * What income a product pays into its vault. `donation`: uusd sent to the account directly.
 * `backstop`: PnL realized by a position the vault took over as the market's backstop.
 */
export type VaultIncomeKind = 'trading-fee' | 'liquidation-fee' | 'premium' | 'backstop';

/**
 * The product's view of a vault's equity beyond its cash (e.g. the unrealized PnL of the
 * backstop positions the vault took over). May be negative. Read-only; must be deterministic.
 */
export type EquityAdjuster = (store: ReadStore, vaultId: string) => bigint;

/**
 * The capital the market's open positions require (e.g. Σ|size|·price·lockedOiRatio):
 * withdrawals may not dip into it. A negative answer counts as 0.
 */
export type LockedProvider = (store: ReadStore, vaultId: string) => bigint;

export interface VaultRecord {
  id: string;
  /** Its pool account, `moduleAddress('vaults/<id>')`. */
  account: string;
  /** Σ of every holder's shares (18 decimals). */
  totalShares: bigint;
  /**
   * The uusd the keeper has moved in minus out. The account's bank balance is never below
   * it (an outflow not made by this keeper breaks the `vaults/booked-cash` invariant); a
   * plain bank send into the account makes the balance higher until the keeper's next
   * operation on the vault books it as a donation.
   */
  booked: bigint;
  /** The next withdrawal request id (per vault). */
  nextRequest: number;
  createdHeight: number;
  // ---- cumulative totals (uusd), for queries and audits ----------------------------------
  deposited: bigint;
  withdrawn: bigint;
  tradingFees: bigint;
  liquidationFees: bigint;
  premiums: bigint;
  donations: bigint;
  /** creditIncome 'backstop': gains realized by the vault's backstop positions. */
  backstopGains: bigint;
  /** payOut: backstop settlements and other payments. */
  paidOut: bigint;
  /** absorbLoss: the part the vault paid. */
  lossCovered: bigint;
  /** absorbLoss: the part beyond its cash, handed back to the market (deleveraging). */
  lossUncovered: bigint;
}

export interface WithdrawRequest {
  /** Id, unique within the vault. */
  request: number;
  owner: string;
  /** Shares earmarked (they stay the owner's and bear gains and losses until withdrawn). */
  shares: bigint;
  requestedMs: number;
  /** From this block time on, `withdraw` may pay it. */
  unlockMs: number;
  /** After this block time it has expired (the withdrawal window is over). */
  expiresMs: number;
}

export interface LossResult {
  /** What the vault paid: min(amount, cash). */
  covered: bigint;
  /** The rest: the caller must deleverage it inside its market. */
  uncovered: bigint;
}

export interface VaultsKeeperApi {
  params(store: ReadStore): VaultsParams;
  setEquityAdjuster(fn: EquityAdjuster): void;
  setLockedProvider(fn: LockedProvider): void;
  createVault(ctx: Context, id: string): VaultRecord;
  vault(store: ReadStore, id: string): VaultRecord | undefined;
  vaults(store: ReadStore): VaultRecord[];
  accountOf(id: string): string;
  cash(store: ReadStore, id: string): bigint;
  adjustment(store: ReadStore, id: string): bigint;
  locked(store: ReadStore, id: string): bigint;
  equity(store: ReadStore, id: string): bigint;
  free(store: ReadStore, id: string): bigint;
  sharesOf(store: ReadStore, id: string, owner: string): bigint;
  pendingWithdrawals(store: ReadStore, id: string, owner: string): WithdrawRequest[];
  creditIncome(ctx: Context, id: string, from: string, coin: Coin, kind: VaultIncomeKind): void;
  payOut(ctx: Context, id: string, to: string, amount: bigint, reason: string): bigint;
  absorbLoss(ctx: Context, id: string, amount: bigint, to: string): LossResult;
}
