import { z } from 'zod';
import {
  type Context,
  defineMsg,
  defineQuery,
  type Invariant,
  type Module,
} from '../../app/module.ts';
import type { Params } from '../../app/params.ts';
import { amountStringSchema, coinSchema } from '../../coin.ts';
import { isAddress } from '../../crypto/address.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ErrorCode, ensure } from '../../errors.ts';
import type { ReadStore } from '../../store/store.ts';
import type { BankKeeper } from './keeper.ts';
import { ALL_BALANCES, MINTED_PREFIX } from './keys.ts';
import { type BankParams, bankParams, bankParamsSchema, DEFAULT_BANK_PARAMS } from './params.ts';

export const addressSchema = z
  .string()
  .max(128)
  .refine((a) => isAddress(a), {
    message: 'must be a bwk1… bech32 address',
  });

const genesisSchema = z.strictObject({
  params: bankParamsSchema.default(DEFAULT_BANK_PARAMS),
  balances: z
    .array(
      z.strictObject({
        address: addressSchema,
        coins: z.array(z.strictObject({ denom: z.string(), amount: amountStringSchema })),
      }),
    )
    .default([]),
});

export type BankGenesis = z.infer<typeof genesisSchema>;

export const sendMsgSchema = z.strictObject({ to: addressSchema, amount: coinSchema });

/** The bank module: balances, transfers, supply, recorded burns and the fee pool. */
export class BankModule implements Module<BankGenesis> {
  readonly name = 'bank';
  readonly genesisSchema = genesisSchema;
  readonly params = bankParams as unknown as Params<unknown>;

  constructor(readonly keeper: BankKeeper) {}

  readonly msgs = [
    defineMsg({
      type: 'bank/send',
      summary: 'Send coins from the signer to another account',
      schema: sendMsgSchema,
      handle: (ctx, sender, msg) => {
        ensure(
          bankParams.get(ctx.store).sendEnabled,
          ErrorCode.BankSendDisabled,
          'sends are disabled by governance',
        );
        this.keeper.send(ctx, sender, msg.to, msg.amount);
      },
    }),
  ];

  readonly queries = [
    defineQuery({
      path: 'bank/balance',
      summary: 'Balance of one denom (or all denoms) of an address',
      schema: z.strictObject({ address: addressSchema, denom: z.string().optional() }),
      handle: (store, args) => {
        if (args.denom !== undefined) {
          this.keeper.requireDenom(store, args.denom);
          return {
            denom: args.denom,
            amount: this.keeper.balance(store, args.address, args.denom),
          };
        }
        return this.keeper.balances(store, args.address) as unknown as Value;
      },
    }),
    defineQuery({
      path: 'bank/supply',
      summary: 'Minted, burned, fee pool and circulating amounts of every denom',
      schema: z.strictObject({}),
      handle: (store) => this.supply(store),
    }),
    defineQuery({
      path: 'bank/params',
      summary: 'The bank module parameters',
      schema: z.strictObject({}),
      handle: (store) => bankParams.get(store) as unknown as Value,
    }),
  ];

  readonly invariants: Invariant[] = [
    {
      name: 'bank/conservation',
      check: (store) => {
        const held = sumBalances(store);
        for (const { denom } of bankParams.get(store).denoms) {
          const minted = this.keeper.minted(store, denom);
          const accounted =
            (held.get(denom) ?? 0n) +
            this.keeper.feePool(store, denom) +
            this.keeper.burned(store, denom);
          if (minted !== accounted) {
            return `${denom}: minted ${minted} ≠ balances + fee pool + burned = ${accounted}`;
          }
        }
        return undefined;
      },
    },
    {
      name: 'bank/non-negative',
      check: (store) => {
        for (const [key, amount] of store.iterate(ALL_BALANCES)) {
          if ((amount as bigint) <= 0n) return `${key} holds ${amount}`;
        }
        return undefined;
      },
    },
  ];

  defaultGenesis(): BankGenesis {
    return { params: DEFAULT_BANK_PARAMS, balances: [] };
  }

  initGenesis(ctx: Context, genesis: BankGenesis): void {
    bankParams.set(ctx.store, genesis.params);
    for (const { address, coins } of genesis.balances) {
      for (const coin of coins) {
        if (coin.amount === 0n) continue;
        this.keeper.mint(ctx, address, coin);
      }
    }
    ctx.events.length = 0;
  }

  exportGenesis(store: ReadStore): Value {
    const byAddress = new Map<string, { denom: string; amount: string }[]>();
    for (const [key, amount] of store.iterate(ALL_BALANCES)) {
      const [address, denom] = key.slice(ALL_BALANCES.length).split('/') as [string, string];
      const list = byAddress.get(address) ?? [];
      list.push({ denom, amount: String(amount) });
      byAddress.set(address, list);
    }
    return {
      params: bankParams.get(store) as unknown as Value,
      balances: [...byAddress].map(([address, coins]) => ({ address, coins })),
    };
  }

  supply(store: ReadStore): Value {
    const held = sumBalances(store);
    const out: Value[] = [];
    for (const [key, minted] of store.iterate(MINTED_PREFIX)) {
      const denom = key.slice(MINTED_PREFIX.length);
      out.push({
        denom,
        minted: minted as bigint,
        burned: this.keeper.burned(store, denom),
        feePool: this.keeper.feePool(store, denom),
        circulating: held.get(denom) ?? 0n,
      });
    }
    return out;
  }
}

function sumBalances(store: ReadStore): Map<string, bigint> {
  const held = new Map<string, bigint>();
  for (const [key, amount] of store.iterate(ALL_BALANCES)) {
    const denom = key.slice(key.lastIndexOf('/') + 1);
    held.set(denom, (held.get(denom) ?? 0n) + (amount as bigint));
  }
  return held;
}

export type { BankParams };
