import { z } from 'zod';
import {
  type Context,
  defineMsg,
  defineQuery,
  type Invariant,
  type Module,
} from '../../app/module.ts';
import { amountSchema } from '../../coin.ts';
import type { Value } from '../../encoding/canonical.ts';
import { toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { BankKeeper } from '../bank/keeper.ts';
import { addressSchema } from '../bank/module.ts';
import type { VaultRecord } from './api.ts';
import {
  exportVaultsGenesis,
  initVaultsGenesis,
  type VaultsGenesis,
  vaultsGenesisSchema,
} from './genesis.ts';
import { MAX_TOTAL_SHARES, requestStatus, VaultsKeeper } from './keeper.ts';
import {
  DEFAULT_VAULTS_PARAMS,
  paramsToJson,
  VAULT_DENOM,
  vaultIdSchema,
  vaultsParams,
} from './params.ts';
import { sharePrice, valueOfShares } from './shares.ts';

/** Block time of the last executed block, which the app records for modules between blocks. */
const APP_TIME_KEY = 'app/time';

const sharesSchema = z
  .bigint()
  .refine((s) => s > 0n, { message: 'shares must be positive' })
  .refine((s) => s <= MAX_TOTAL_SHARES, { message: 'shares must be at most 2^200' });

export const depositMsgSchema = z.strictObject({ vault: vaultIdSchema, amount: amountSchema });
export const requestWithdrawMsgSchema = z.strictObject({
  vault: vaultIdSchema,
  shares: sharesSchema,
});
export const cancelWithdrawMsgSchema = z.strictObject({
  vault: vaultIdSchema,
  /** One request by id; all of the signer's requests in the vault when absent. */
  request: z.number().int().min(1).optional(),
});
export const withdrawMsgSchema = z.strictObject({ vault: vaultIdSchema });

/**
 * The vaults module: one staking vault per market, each in its own pool account. Holders
 * deposit uusd for shares and withdraw after a cooldown, within the free capital; the
 * product modules pay it income and draw payouts and losses through the keeper. No begin or
 * end block. Place it after bank (genesis seeds move uusd) and before the product modules.
 */
export class VaultsModule implements Module<VaultsGenesis> {
  readonly name = 'vaults';
  readonly genesisSchema = vaultsGenesisSchema as unknown as z.ZodType<VaultsGenesis>;
  /** gov finds the params (and their bounds) through this field. */
  readonly params = vaultsParams as unknown as NonNullable<Module['params']>;
  readonly keeper: VaultsKeeper;

  constructor(bank: BankKeeper) {
    this.keeper = new VaultsKeeper(bank);
  }

  readonly msgs = [
    defineMsg({
      type: 'vaults/deposit',
      summary: 'Deposit uusd into a vault for shares at its current equity per share',
      schema: depositMsgSchema,
      handle: (ctx, sender, msg) => {
        this.keeper.deposit(ctx, msg.vault, sender, msg.amount);
      },
    }),
    defineMsg({
      type: 'vaults/request-withdraw',
      summary: 'Earmark shares for withdrawal; withdrawable after the cooldown, within the window',
      schema: requestWithdrawMsgSchema,
      handle: (ctx, sender, msg) => {
        this.keeper.requestWithdraw(ctx, msg.vault, sender, msg.shares);
      },
    }),
    defineMsg({
      type: 'vaults/cancel-withdraw',
      summary: 'Cancel one pending withdrawal request (or all of them in the vault)',
      schema: cancelWithdrawMsgSchema,
      handle: (ctx, sender, msg) => {
        this.keeper.cancelWithdraw(ctx, msg.vault, sender, msg.request);
      },
    }),
    defineMsg({
      type: 'vaults/withdraw',
      summary: 'Withdraw every request whose cooldown is over, at the current share price',
      schema: withdrawMsgSchema,
      handle: (ctx, sender, msg) => {
        this.keeper.withdraw(ctx, msg.vault, sender);
      },
    }),
  ];

  readonly queries = [
    defineQuery({
      path: 'vaults/list',
      summary: 'Every vault with its equity, cash, locked and free capital, shares and price',
      schema: z.strictObject({}),
      handle: (store) => this.keeper.vaults(store).map((v) => this.info(store, v)),
    }),
    defineQuery({
      path: 'vaults/info',
      summary: "One vault's equity, cash, adjustment, locked, free, totalShares, sharePrice",
      schema: z.strictObject({ vault: vaultIdSchema }),
      handle: (store, args) => this.info(store, this.keeper.requireVault(store, args.vault)),
    }),
    defineQuery({
      path: 'vaults/shares',
      summary: "An owner's shares in a vault, their value now, and pending withdrawals",
      schema: z.strictObject({ vault: vaultIdSchema, owner: addressSchema }),
      handle: (store, args) => {
        const v = this.keeper.requireVault(store, args.vault);
        const equity = this.keeper.equity(store, v.id);
        const shares = this.keeper.sharesOf(store, v.id, args.owner);
        const now = store.get(APP_TIME_KEY) as number | undefined;
        return {
          vault: v.id,
          owner: args.owner,
          shares,
          value: valueOfShares(shares, equity, v.totalShares),
          pending: this.keeper.pendingWithdrawals(store, v.id, args.owner).map((r) => ({
            request: r.request,
            shares: r.shares,
            value: valueOfShares(r.shares, equity, v.totalShares),
            requestedMs: r.requestedMs,
            unlockMs: r.unlockMs,
            expiresMs: r.expiresMs,
            ...(now !== undefined ? { status: requestStatus(r, now) } : {}),
          })),
        };
      },
    }),
    defineQuery({
      path: 'vaults/holders',
      summary: "A vault's holders and their shares",
      schema: z.strictObject({ vault: vaultIdSchema }),
      handle: (store, args) => {
        const v = this.keeper.requireVault(store, args.vault);
        return this.keeper.holders(store, v.id) as unknown as Value;
      },
    }),
    defineQuery({
      path: 'vaults/params',
      summary: 'The vaults module parameters',
      schema: z.strictObject({}),
      handle: (store) => paramsToJson(this.keeper.params(store)),
    }),
  ];

  readonly invariants: Invariant[] = [
    {
      name: 'vaults/shares-sum',
      check: (store) => {
        for (const v of this.keeper.vaults(store)) {
          let sum = 0n;
          for (const h of this.keeper.holders(store, v.id)) {
            if (h.shares <= 0n) return `${v.id}: ${h.owner} holds ${h.shares} shares`;
            sum += h.shares;
          }
          if (sum !== v.totalShares) {
            return `${v.id}: Σ holders' shares ${sum} ≠ totalShares ${v.totalShares}`;
          }
        }
        return undefined;
      },
    },
    {
      name: 'vaults/pending-within-shares',
      check: (store) => {
        for (const v of this.keeper.vaults(store)) {
          const byOwner = new Map<string, bigint>();
          for (const r of this.keeper.allPending(store, v.id)) {
            if (r.shares <= 0n || r.request >= v.nextRequest || r.unlockMs > r.expiresMs) {
              return `${v.id}: request ${r.request} of ${r.owner} is malformed`;
            }
            byOwner.set(r.owner, (byOwner.get(r.owner) ?? 0n) + r.shares);
          }
          for (const [owner, earmarked] of byOwner) {
            const held = this.keeper.sharesOf(store, v.id, owner);
            if (earmarked > held) {
              return `${v.id}: ${owner} has ${earmarked} shares requested but holds ${held}`;
            }
          }
        }
        return undefined;
      },
    },
    {
      name: 'vaults/booked-cash',
      check: (store) => {
        for (const v of this.keeper.vaults(store)) {
          const balance = this.keeper.cash(store, v.id);
          if (v.booked < 0n) return `${v.id}: booked cash ${v.booked} < 0`;
          if (balance < v.booked) {
            return `${v.id}: account ${v.account} holds ${balance}${VAULT_DENOM}, below the booked ${v.booked}: tokens left it other than through the vaults keeper`;
          }
          if (v.account !== this.keeper.accountOf(v.id)) {
            return `${v.id}: account ${v.account} is not moduleAddress('vaults/${v.id}')`;
          }
          if (this.keeper.vaultOfAccount(store, v.account) !== v.id) {
            return `${v.id}: account index does not point back to it`;
          }
          for (const k of TOTALS) if (v[k] < 0n) return `${v.id}: ${k} is ${v[k]}`;
        }
        return undefined;
      },
    },
  ];

  defaultGenesis(): VaultsGenesis {
    return { params: DEFAULT_VAULTS_PARAMS, vaults: [] };
  }

  initGenesis(ctx: Context, genesis: VaultsGenesis): void {
    initVaultsGenesis(ctx, this.keeper, genesis);
  }

  exportGenesis(store: ReadStore): Value {
    return exportVaultsGenesis(store, this.keeper);
  }

  private info(store: ReadStore, v: VaultRecord): Value {
    const cash = this.keeper.cash(store, v.id);
    const adjustment = this.keeper.adjustment(store, v.id);
    const equity = cash + adjustment;
    return {
      id: v.id,
      account: v.account,
      equity,
      cash,
      adjustment,
      locked: this.keeper.locked(store, v.id),
      free: this.keeper.free(store, v.id),
      totalShares: v.totalShares,
      sharePrice: toDecimalString(sharePrice(equity, v.totalShares)),
      insolvent: v.totalShares > 0n && equity <= 0n,
      createdHeight: v.createdHeight,
      totals: Object.fromEntries(TOTALS.map((k) => [k, v[k]])),
    };
  }
}

const TOTALS = [
  'deposited',
  'withdrawn',
  'tradingFees',
  'liquidationFees',
  'premiums',
  'donations',
  'backstopGains',
  'paidOut',
  'lossCovered',
  'lossUncovered',
] as const satisfies readonly (keyof VaultRecord)[];

/** The vaults keeper and module, wired to the bank. */
export function createVaults(bank: BankKeeper): { keeper: VaultsKeeper; module: VaultsModule } {
  const module = new VaultsModule(bank);
  return { keeper: module.keeper, module };
}
