import { z } from 'zod';
import type { Context } from '../../app/module.ts';
import { amountStringSchema } from '../../coin.ts';
import type { Value } from '../../encoding/canonical.ts';
import type { ReadStore } from '../../store/store.ts';
import { addressSchema } from '../bank/module.ts';
import type { VaultRecord, WithdrawRequest } from './api.ts';
import { ensureVault, VaultError } from './errors.ts';
import type { VaultsKeeper } from './keeper.ts';
import {
  DEFAULT_VAULTS_PARAMS,
  paramsToJson,
  VAULT_DENOM,
  vaultIdSchema,
  vaultsParams,
  vaultsParamsSchema,
} from './params.ts';

const bigString = z
  .string()
  .regex(/^[0-9]{1,80}$/, 'must be a decimal integer string')
  .transform((s) => BigInt(s));
const time = z.number().int().min(0);

const requestSchema = z.strictObject({
  request: z.number().int().min(1),
  shares: bigString,
  requestedMs: time,
  unlockMs: time,
  expiresMs: time,
});

/** A vault's recorded state, as `exportGenesis` writes it (absent: a new, empty vault). */
const vaultStateSchema = z.strictObject({
  totalShares: bigString,
  booked: bigString,
  nextRequest: z.number().int().min(1),
  createdHeight: z.number().int().min(0),
  totals: z.strictObject({
    deposited: bigString,
    withdrawn: bigString,
    tradingFees: bigString,
    liquidationFees: bigString,
    premiums: bigString,
    donations: bigString,
    backstopGains: bigString.default(0n),
    paidOut: bigString,
    lossCovered: bigString,
    lossUncovered: bigString,
  }),
  holders: z
    .array(
      z.strictObject({
        owner: addressSchema,
        shares: bigString,
        pending: z.array(requestSchema).default([]),
      }),
    )
    .default([]),
});

const genesisVaultSchema = z.strictObject({
  id: vaultIdSchema,
  /** A first deposit at genesis from the depositor's uusd (bank genesis gives it). */
  seed: z.strictObject({ depositor: addressSchema, amount: amountStringSchema }).optional(),
  state: vaultStateSchema.optional(),
});

export const vaultsGenesisSchema = z.strictObject({
  params: vaultsParamsSchema.default(DEFAULT_VAULTS_PARAMS),
  vaults: z
    .array(genesisVaultSchema)
    .max(1024)
    .default([])
    .refine((vs) => new Set(vs.map((v) => v.id)).size === vs.length, {
      message: 'vault ids must be unique',
    }),
});

export type VaultsGenesis = z.output<typeof vaultsGenesisSchema>;
export type VaultsGenesisInput = z.input<typeof vaultsGenesisSchema>;

/**
 * Genesis: params, then each vault: created empty, or from its exported state (the bank
 * genesis must hold its uusd: booked ≤ the account's balance), then seeded by a deposit.
 * Place the module after bank (it reads balances and moves the seed).
 */
export function initVaultsGenesis(
  ctx: Context,
  keeper: VaultsKeeper,
  genesis: VaultsGenesis,
): void {
  vaultsParams.set(ctx.store, genesis.params);
  for (const g of genesis.vaults) {
    if (g.state === undefined) keeper.createVault(ctx, g.id);
    else importState(ctx, keeper, g.id, g.state);
    if (g.seed !== undefined) keeper.deposit(ctx, g.id, g.seed.depositor, g.seed.amount);
  }
}

function importState(
  ctx: Context,
  keeper: VaultsKeeper,
  id: string,
  s: z.output<typeof vaultStateSchema>,
): void {
  const account = keeper.accountOf(id);
  const record: VaultRecord = {
    id,
    account,
    totalShares: s.totalShares,
    booked: s.booked,
    nextRequest: s.nextRequest,
    createdHeight: s.createdHeight,
    ...s.totals,
  };
  const sum = s.holders.reduce((a, h) => a + h.shares, 0n);
  const bad = (why: string) => `invalid genesis: vault ${id}: ${why}`;
  ensureVault(sum === s.totalShares, VaultError.InvalidGenesis, () =>
    bad(`holders' shares add up to ${sum}, totalShares is ${s.totalShares}`),
  );
  const balance = keeper.bank.balance(ctx.store, account, VAULT_DENOM);
  ensureVault(s.booked <= balance, VaultError.InvalidGenesis, () =>
    bad(`booked cash ${s.booked} exceeds the account's balance ${balance}${VAULT_DENOM}`),
  );
  keeper.importRecord(ctx.store, record);
  const owners = new Set<string>();
  for (const h of s.holders) {
    ensureVault(h.shares > 0n && !owners.has(h.owner), VaultError.InvalidGenesis, () =>
      bad(`holder ${h.owner} listed twice or with no shares`),
    );
    owners.add(h.owner);
    const pending: WithdrawRequest[] = h.pending.map((r) => ({ ...r, owner: h.owner }));
    const earmarked = pending.reduce((a, r) => a + r.shares, 0n);
    ensureVault(
      earmarked <= h.shares &&
        pending.every(
          (r) => r.shares > 0n && r.request < s.nextRequest && r.unlockMs <= r.expiresMs,
        ),
      VaultError.InvalidGenesis,
      () => bad(`holder ${h.owner} has invalid pending requests`),
    );
    keeper.importHolder(ctx.store, id, h.owner, h.shares, pending);
  }
}

export function exportVaultsGenesis(store: ReadStore, keeper: VaultsKeeper): Value {
  return {
    params: paramsToJson(keeper.params(store)),
    vaults: keeper.vaults(store).map((v) => ({
      id: v.id,
      state: {
        totalShares: String(v.totalShares),
        booked: String(v.booked),
        nextRequest: v.nextRequest,
        createdHeight: v.createdHeight,
        totals: {
          deposited: String(v.deposited),
          withdrawn: String(v.withdrawn),
          tradingFees: String(v.tradingFees),
          liquidationFees: String(v.liquidationFees),
          premiums: String(v.premiums),
          donations: String(v.donations),
          backstopGains: String(v.backstopGains),
          paidOut: String(v.paidOut),
          lossCovered: String(v.lossCovered),
          lossUncovered: String(v.lossUncovered),
        },
        holders: keeper.holders(store, v.id).map((h) => ({
          owner: h.owner,
          shares: String(h.shares),
          pending: keeper.pendingWithdrawals(store, v.id, h.owner).map((r) => ({
            request: r.request,
            shares: String(r.shares),
            requestedMs: r.requestedMs,
            unlockMs: r.unlockMs,
            expiresMs: r.expiresMs,
          })),
        })),
      },
    })),
  };
}
