import type { Context } from '../../app/module.ts';
import type { Coin } from '../../coin.ts';
import { moduleAddress } from '../../crypto/address.ts';
import type { Value } from '../../encoding/canonical.ts';
import type { ReadStore, Store } from '../../store/store.ts';
import type { BankKeeper } from '../bank/keeper.ts';
import type {
  EquityAdjuster,
  LockedProvider,
  LossResult,
  VaultIncomeKind,
  VaultRecord,
  VaultsKeeperApi,
  WithdrawRequest,
} from './api.ts';
import { ensureVault, VaultError } from './errors.ts';
import {
  ACCOUNT_PREFIX,
  accountKey,
  pendingKey,
  pendingOwnerPrefix,
  pendingPrefix,
  sharesKey,
  sharesPrefix,
  VAULT_PREFIX,
  vaultKey,
} from './keys.ts';
import { VAULT_DENOM, VAULT_ID_PATTERN, type VaultsParams, vaultsParams } from './params.ts';
import { freeCapital, sharePrice, sharesForDeposit, valueOfShares } from './shares.ts';

/** Total shares of a vault never exceed this (a vault all but wiped out refuses deposits). */
export const MAX_TOTAL_SHARES = 1n << 200n;

const INCOME_FIELD = {
  'trading-fee': 'tradingFees',
  'liquidation-fee': 'liquidationFees',
  premium: 'premiums',
  backstop: 'backstopGains',
} as const satisfies Record<VaultIncomeKind, keyof VaultRecord>;

/** When a pending request may be paid, relative to the block time. */
export type RequestStatus = 'cooling' | 'ready' | 'expired';

export function requestStatus(r: WithdrawRequest, nowMs: number): RequestStatus {
  if (nowMs < r.unlockMs) return 'cooling';
  return nowMs <= r.expiresMs ? 'ready' : 'expired';
}

/**
 * The vaults keeper: the only code that touches the vaults' records and their pool
 * accounts. Deposits and withdrawals of shares (msgs) and the product modules' calls
 * (income, payouts, losses) all go through it.
 */
export class VaultsKeeper implements VaultsKeeperApi {
  private adjuster: EquityAdjuster = () => 0n;
  private lockedProvider: LockedProvider = () => 0n;

  constructor(readonly bank: BankKeeper) {}

  // ---- wiring ----------------------------------------------------------------------------

  /** The product module reports each vault's equity beyond its cash (backstop positions' PnL). */
  setEquityAdjuster(fn: EquityAdjuster): void {
    this.adjuster = fn;
  }

  /** The product module reports the capital each vault's market locks (default 0). */
  setLockedProvider(fn: LockedProvider): void {
    this.lockedProvider = fn;
  }

  params(store: ReadStore): VaultsParams {
    return vaultsParams.get(store);
  }

  // ---- reads -----------------------------------------------------------------------------

  accountOf(id: string): string {
    return moduleAddress(`vaults/${id}`);
  }

  vault(store: ReadStore, id: string): VaultRecord | undefined {
    return store.get(vaultKey(id)) as unknown as VaultRecord | undefined;
  }

  requireVault(store: ReadStore, id: string): VaultRecord {
    const v = this.vault(store, id);
    ensureVault(v !== undefined, VaultError.UnknownVault, () => {
      const ids = this.vaults(store).map((x) => x.id);
      return `unknown vault ${JSON.stringify(id)}; vaults: ${ids.length > 0 ? ids.join(', ') : 'none'}`;
    });
    return v;
  }

  vaults(store: ReadStore): VaultRecord[] {
    const out: VaultRecord[] = [];
    for (const [, v] of store.iterate(VAULT_PREFIX)) out.push(v as unknown as VaultRecord);
    return out;
  }

  /** The vault whose pool account `address` is, if any. */
  vaultOfAccount(store: ReadStore, address: string): string | undefined {
    return store.get(accountKey(address)) as string | undefined;
  }

  /** The uusd in the vault's pool account (its bank balance). */
  cash(store: ReadStore, id: string): bigint {
    return this.bank.balance(store, this.accountOf(id), VAULT_DENOM);
  }

  /** The product's adjustment to the equity (0 without a provider). */
  adjustment(store: ReadStore, id: string): bigint {
    return this.adjuster(store, id);
  }

  /** Capital locked by the market's open positions (≥ 0). */
  locked(store: ReadStore, id: string): bigint {
    const l = this.lockedProvider(store, id);
    return l > 0n ? l : 0n;
  }

  /** equity = cash + adjustment (may be negative). */
  equity(store: ReadStore, id: string): bigint {
    this.requireVault(store, id);
    return this.cash(store, id) + this.adjustment(store, id);
  }

  /** Capital withdrawals may take: max(0, min(equity, cash) − locked). */
  free(store: ReadStore, id: string): bigint {
    this.requireVault(store, id);
    const cash = this.cash(store, id);
    return freeCapital(cash + this.adjustment(store, id), cash, this.locked(store, id));
  }

  /** Price of one whole share in uusd base units (18 decimals). */
  sharePrice(store: ReadStore, id: string): bigint {
    return sharePrice(this.equity(store, id), this.requireVault(store, id).totalShares);
  }

  sharesOf(store: ReadStore, id: string, owner: string): bigint {
    return (store.get(sharesKey(id, owner)) as bigint | undefined) ?? 0n;
  }

  /** Every holder of the vault with their shares, in address order. */
  holders(store: ReadStore, id: string): { owner: string; shares: bigint }[] {
    const prefix = sharesPrefix(id);
    const out: { owner: string; shares: bigint }[] = [];
    for (const [key, shares] of store.iterate(prefix)) {
      out.push({ owner: key.slice(prefix.length), shares: shares as bigint });
    }
    return out;
  }

  /** What `shares` of the vault are worth now, rounded down. */
  valueOf(store: ReadStore, id: string, shares: bigint): bigint {
    const v = this.requireVault(store, id);
    return valueOfShares(shares, this.equity(store, id), v.totalShares);
  }

  pendingWithdrawals(store: ReadStore, id: string, owner: string): WithdrawRequest[] {
    const out: WithdrawRequest[] = [];
    for (const [, r] of store.iterate(pendingOwnerPrefix(id, owner))) {
      out.push(r as unknown as WithdrawRequest);
    }
    return out;
  }

  /** Every pending request of the vault, by owner then request id. */
  allPending(store: ReadStore, id: string): WithdrawRequest[] {
    const out: WithdrawRequest[] = [];
    for (const [, r] of store.iterate(pendingPrefix(id))) out.push(r as unknown as WithdrawRequest);
    return out;
  }

  // ---- listing ---------------------------------------------------------------------------

  /** Creates an empty vault with its own pool account (genesis or a governance listing). */
  createVault(ctx: Context, id: string): VaultRecord {
    ensureVault(
      VAULT_ID_PATTERN.test(id),
      VaultError.InvalidVaultId,
      `invalid vault id ${JSON.stringify(id)}: letters, digits and dashes (≤ 48), like BTC-USD`,
    );
    ensureVault(
      this.vault(ctx.store, id) === undefined,
      VaultError.VaultExists,
      `vault ${id} already exists`,
    );
    const account = this.accountOf(id);
    const v: VaultRecord = {
      id,
      account,
      totalShares: 0n,
      booked: 0n,
      nextRequest: 1,
      createdHeight: ctx.block.height,
      deposited: 0n,
      withdrawn: 0n,
      tradingFees: 0n,
      liquidationFees: 0n,
      premiums: 0n,
      donations: 0n,
      backstopGains: 0n,
      paidOut: 0n,
      lossCovered: 0n,
      lossUncovered: 0n,
    };
    this.write(ctx.store, v);
    ctx.store.set(accountKey(account), id);
    ctx.emit('vault_created', { vault: id, account });
    // Whatever already sits in the account (sent before the listing) is booked as a donation.
    this.sync(ctx, v);
    return this.requireVault(ctx.store, id);
  }

  // ---- holders' operations (msgs) --------------------------------------------------------

  /**
   * Deposits `amount` uusd from `owner` for shares at the current equity per share, rounded
   * down. Returns the shares minted.
   */
  deposit(ctx: Context, id: string, owner: string, amount: bigint): bigint {
    const params = this.params(ctx.store);
    ensureVault(
      amount >= params.minDeposit,
      VaultError.BelowMinDeposit,
      () =>
        `deposit below the minimum: expected at least ${params.minDeposit}${VAULT_DENOM}, got ${amount}${VAULT_DENOM}`,
    );
    const v = this.sync(ctx, this.requireVault(ctx.store, id));
    const equity = this.equity(ctx.store, id);
    ensureVault(
      v.totalShares === 0n ? equity >= 0n : equity > 0n,
      VaultError.VaultInsolvent,
      () =>
        `vault ${id} is insolvent: equity ${equity}${VAULT_DENOM} with ${v.totalShares} shares outstanding; deposits are refused until its equity is positive`,
    );
    const minted = sharesForDeposit(amount, equity, v.totalShares);
    ensureVault(
      minted > 0n,
      VaultError.ZeroShares,
      () =>
        `a deposit of ${amount}${VAULT_DENOM} mints no share at the price of ${sharePrice(equity, v.totalShares)} per share`,
    );
    ensureVault(
      v.totalShares + minted <= MAX_TOTAL_SHARES,
      VaultError.VaultInsolvent,
      `vault ${id} is all but wiped out: the deposit would take its shares past 2^200`,
    );
    this.bank.send(ctx, owner, v.account, { denom: VAULT_DENOM, amount });
    this.setShares(ctx.store, id, owner, this.sharesOf(ctx.store, id, owner) + minted);
    this.write(ctx.store, {
      ...v,
      totalShares: v.totalShares + minted,
      booked: v.booked + amount,
      deposited: v.deposited + amount,
    });
    ctx.emit('vault_deposit', {
      vault: id,
      owner,
      amount,
      shares: minted,
      equity: equity + amount,
      totalShares: v.totalShares + minted,
    });
    return minted;
  }

  /**
   * Earmarks `shares` for withdrawal: they can be withdrawn from `now + cooldownMs` until
   * `cooldown + withdrawWindowMs` later. They stay the owner's and bear gains and losses.
   */
  requestWithdraw(ctx: Context, id: string, owner: string, shares: bigint): WithdrawRequest {
    const params = this.params(ctx.store);
    const v = this.requireVault(ctx.store, id);
    const now = ctx.block.timeMs;
    ensureVault(shares > 0n, VaultError.InvalidAmount, `shares must be positive, got ${shares}`);
    const live = this.pruneExpired(ctx, id, owner);
    ensureVault(
      live.length < params.maxPendingPerOwner,
      VaultError.TooManyPending,
      () =>
        `${owner} already has ${live.length} pending withdrawal requests in vault ${id}; the limit is ${params.maxPendingPerOwner}: withdraw or cancel one first`,
    );
    const held = this.sharesOf(ctx.store, id, owner);
    const earmarked = live.reduce((s, r) => s + r.shares, 0n);
    ensureVault(
      shares <= held - earmarked,
      VaultError.InsufficientShares,
      () =>
        `insufficient shares in vault ${id}: expected at most ${held - earmarked} (holds ${held}, ${earmarked} already requested), got ${shares}`,
    );
    const r: WithdrawRequest = {
      request: v.nextRequest,
      owner,
      shares,
      requestedMs: now,
      unlockMs: now + params.cooldownMs,
      expiresMs: now + params.cooldownMs + params.withdrawWindowMs,
    };
    ctx.store.set(pendingKey(id, owner, r.request), r as unknown as Value);
    this.write(ctx.store, { ...v, nextRequest: v.nextRequest + 1 });
    ctx.emit('vault_withdraw_requested', {
      vault: id,
      owner,
      request: r.request,
      shares,
      unlockMs: r.unlockMs,
      expiresMs: r.expiresMs,
    });
    return r;
  }

  /** Cancels one request (by id) or all of the owner's requests in the vault; returns them. */
  cancelWithdraw(ctx: Context, id: string, owner: string, request?: number): WithdrawRequest[] {
    this.requireVault(ctx.store, id);
    const all = this.pendingWithdrawals(ctx.store, id, owner);
    const chosen = request === undefined ? all : all.filter((r) => r.request === request);
    ensureVault(chosen.length > 0, VaultError.NothingPending, () =>
      request === undefined
        ? `${owner} has no pending withdrawal request in vault ${id}`
        : `${owner} has no pending withdrawal request ${request} in vault ${id}; pending: ${all.map((r) => r.request).join(', ') || 'none'}`,
    );
    for (const r of chosen) {
      ctx.store.delete(pendingKey(id, owner, r.request));
      ctx.emit('vault_withdraw_canceled', {
        vault: id,
        owner,
        request: r.request,
        shares: r.shares,
      });
    }
    return chosen;
  }

  /**
   * Pays every request of the owner whose cooldown is over and whose window is open, at the
   * current equity per share (rounded down), if the payout fits in the free capital
   * (all or nothing). Expired requests are dropped. Returns the shares burned and the payout.
   */
  withdraw(ctx: Context, id: string, owner: string): { shares: bigint; paid: bigint } {
    const v0 = this.requireVault(ctx.store, id);
    const now = ctx.block.timeMs;
    const all = this.pendingWithdrawals(ctx.store, id, owner);
    ensureVault(
      all.length > 0,
      VaultError.NothingPending,
      `${owner} has no pending withdrawal request in vault ${id}: request-withdraw first`,
    );
    const ready = all.filter((r) => requestStatus(r, now) === 'ready');
    if (ready.length === 0) {
      const cooling = all.filter((r) => requestStatus(r, now) === 'cooling');
      ensureVault(cooling.length === 0, VaultError.CooldownNotOver, () => {
        const next = Math.min(...cooling.map((r) => r.unlockMs));
        return `cooldown not over in vault ${id}: the first request unlocks at ${next} (block time ${now}, ${next - now} ms left)`;
      });
      ensureVault(
        false,
        VaultError.RequestExpired,
        `every request of ${owner} in vault ${id} has expired (the withdrawal window is over): request-withdraw again (it drops expired requests)`,
      );
    }
    const v = this.sync(ctx, v0);
    const shares = ready.reduce((s, r) => s + r.shares, 0n);
    const cash = this.cash(ctx.store, id);
    const equity = cash + this.adjustment(ctx.store, id);
    ensureVault(
      equity > 0n,
      VaultError.VaultInsolvent,
      () =>
        `vault ${id} is insolvent (equity ${equity}${VAULT_DENOM}): its shares are worth nothing now; they stay yours`,
    );
    const paid = valueOfShares(shares, equity, v.totalShares);
    const locked = this.locked(ctx.store, id);
    const free = freeCapital(equity, cash, locked);
    ensureVault(
      paid <= free,
      VaultError.LockedCapital,
      () =>
        `withdrawal of ${paid}${VAULT_DENOM} exceeds the free capital of vault ${id} by ${paid - free}${VAULT_DENOM}: free ${free}, locked ${locked} by open positions, equity ${equity}, cash ${cash}`,
    );
    for (const r of all) {
      const status = requestStatus(r, now);
      if (status === 'cooling') continue;
      ctx.store.delete(pendingKey(id, owner, r.request));
      if (status === 'expired') {
        ctx.emit('vault_withdraw_expired', {
          vault: id,
          owner,
          request: r.request,
          shares: r.shares,
        });
      }
    }
    if (paid > 0n) this.bank.send(ctx, v.account, owner, { denom: VAULT_DENOM, amount: paid });
    this.setShares(ctx.store, id, owner, this.sharesOf(ctx.store, id, owner) - shares);
    this.write(ctx.store, {
      ...v,
      totalShares: v.totalShares - shares,
      booked: v.booked - paid,
      withdrawn: v.withdrawn + paid,
    });
    ctx.emit('vault_withdraw', {
      vault: id,
      owner,
      shares,
      amount: paid,
      requests: ready.map((r) => r.request).join(','),
      totalShares: v.totalShares - shares,
    });
    return { shares, paid };
  }

  // ---- the product modules' calls --------------------------------------------------------

  /** Moves `coin` (uusd) from `from` into the vault as income of the given kind. */
  creditIncome(ctx: Context, id: string, from: string, coin: Coin, kind: VaultIncomeKind): void {
    ensureVault(
      coin.denom === VAULT_DENOM,
      VaultError.WrongDenom,
      `vault income must be ${VAULT_DENOM}, got ${coin.denom}`,
    );
    this.requireAmount(coin.amount, 'income');
    ensureVault(
      Object.hasOwn(INCOME_FIELD, kind),
      VaultError.InvalidAmount,
      `unknown income kind ${JSON.stringify(kind)}`,
    );
    this.requireOutside(ctx.store, from, id, 'take income from');
    const v = this.sync(ctx, this.requireVault(ctx.store, id));
    if (coin.amount === 0n) return;
    this.bank.send(ctx, from, v.account, coin);
    const field = INCOME_FIELD[kind];
    this.write(ctx.store, {
      ...v,
      booked: v.booked + coin.amount,
      [field]: v[field] + coin.amount,
    });
    ctx.emit('vault_income', { vault: id, from, amount: coin.amount, kind });
  }

  /**
   * Pays up to `amount` uusd from the vault's own account to `to` (backstop settlements,
   * bad-debt coverage); never more than its cash. Returns what it paid.
   */
  payOut(ctx: Context, id: string, to: string, amount: bigint, reason: string): bigint {
    this.requireAmount(amount, 'payout');
    this.requireOutside(ctx.store, to, id, 'pay');
    const v = this.sync(ctx, this.requireVault(ctx.store, id));
    const cash = this.cash(ctx.store, id);
    const paid = amount < cash ? amount : cash;
    if (paid > 0n) this.bank.send(ctx, v.account, to, { denom: VAULT_DENOM, amount: paid });
    this.write(ctx.store, { ...v, booked: v.booked - paid, paidOut: v.paidOut + paid });
    ctx.emit('vault_payout', { vault: id, to, requested: amount, paid, reason });
    return paid;
  }

  /**
   * Bad debt of the vault's own market: the vault pays `covered = min(amount, cash)` to `to`
   * (the market's account that is short); `uncovered` is the rest, which the caller must
   * deleverage inside that market. Never touches another vault.
   */
  absorbLoss(ctx: Context, id: string, amount: bigint, to: string): LossResult {
    this.requireAmount(amount, 'loss');
    this.requireOutside(ctx.store, to, id, 'pay a loss to');
    const v = this.sync(ctx, this.requireVault(ctx.store, id));
    const cash = this.cash(ctx.store, id);
    const covered = amount < cash ? amount : cash;
    const uncovered = amount - covered;
    if (covered > 0n) this.bank.send(ctx, v.account, to, { denom: VAULT_DENOM, amount: covered });
    this.write(ctx.store, {
      ...v,
      booked: v.booked - covered,
      lossCovered: v.lossCovered + covered,
      lossUncovered: v.lossUncovered + uncovered,
    });
    ctx.emit('vault_loss', { vault: id, to, amount, covered, uncovered });
    if (uncovered > 0n) ctx.emit('vault_exhausted', { vault: id, uncovered });
    return { covered, uncovered };
  }

  // ---- internals -------------------------------------------------------------------------

  /**
   * Books uusd that arrived in the vault's account other than through this keeper (a plain
   * bank send) as a donation: it belongs to the holders from now on. Returns the record.
   */
  private sync(ctx: Context, v: VaultRecord): VaultRecord {
    const balance = this.bank.balance(ctx.store, v.account, VAULT_DENOM);
    if (balance <= v.booked) return v;
    const extra = balance - v.booked;
    const next = { ...v, booked: balance, donations: v.donations + extra };
    this.write(ctx.store, next);
    ctx.emit('vault_donation', { vault: v.id, amount: extra });
    return next;
  }

  private requireAmount(amount: bigint, what: string): void {
    ensureVault(
      typeof amount === 'bigint' && amount >= 0n,
      VaultError.InvalidAmount,
      `${what} amount must be a bigint ≥ 0, got ${String(amount)}`,
    );
  }

  /** The fuse: no keeper call moves tokens between two vault accounts (or to itself). */
  private requireOutside(store: ReadStore, address: string, id: string, verb: string): void {
    const other = this.vaultOfAccount(store, address);
    ensureVault(
      other === undefined,
      VaultError.IsolationBreach,
      () => `vault ${id} may not ${verb} ${address}: it is the account of vault ${other}`,
    );
  }

  private write(store: Store, v: VaultRecord): void {
    store.set(vaultKey(v.id), v as unknown as Value);
  }

  private setShares(store: Store, id: string, owner: string, shares: bigint): void {
    if (shares === 0n) store.delete(sharesKey(id, owner));
    else store.set(sharesKey(id, owner), shares);
  }

  /** Drops the owner's expired requests (with an event); returns the live ones. */
  private pruneExpired(ctx: Context, id: string, owner: string): WithdrawRequest[] {
    const live: WithdrawRequest[] = [];
    for (const r of this.pendingWithdrawals(ctx.store, id, owner)) {
      if (requestStatus(r, ctx.block.timeMs) === 'expired') {
        ctx.store.delete(pendingKey(id, owner, r.request));
        ctx.emit('vault_withdraw_expired', {
          vault: id,
          owner,
          request: r.request,
          shares: r.shares,
        });
      } else live.push(r);
    }
    return live;
  }

  // ---- genesis import (records as exported) ----------------------------------------------

  /** Writes a holder's shares and pending requests as a genesis gives them (genesis only). */
  importHolder(
    store: Store,
    id: string,
    owner: string,
    shares: bigint,
    pending: WithdrawRequest[],
  ): void {
    this.setShares(store, id, owner, shares);
    for (const r of pending) store.set(pendingKey(id, owner, r.request), r as unknown as Value);
  }

  importRecord(store: Store, v: VaultRecord): void {
    this.write(store, v);
    store.set(accountKey(v.account), v.id);
  }

  /** Every vault account, for the invariants. */
  accounts(store: ReadStore): [string, string][] {
    const out: [string, string][] = [];
    for (const [key, id] of store.iterate(ACCOUNT_PREFIX))
      out.push([key.slice(ACCOUNT_PREFIX.length), id as string]);
    return out;
  }
}
