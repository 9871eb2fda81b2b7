import { z } from 'zod';
import { type Context, defineQuery, type Module } from '../../app/module.ts';
import { Params } from '../../app/params.ts';
import { DENOM_PATTERN } from '../../coin.ts';
import type { Value } from '../../encoding/canonical.ts';
import type { ReadStore, Store } from '../../store/store.ts';
import { MAX_MSGS_PER_TX } from '../../tx/tx.ts';
import { addressSchema } from '../bank/module.ts';

export const authParamsSchema = z.strictObject({
  /** The denom fees are paid in. */
  feeDenom: z.string().regex(DENOM_PATTERN),
  /** Smallest fee a tx must pay, in base units of feeDenom (spam protection). */
  minFee: z
    .bigint()
    .min(0n)
    .max(10n ** 18n),
  maxMsgsPerTx: z.number().int().min(1).max(MAX_MSGS_PER_TX),
});

export type AuthParams = z.infer<typeof authParamsSchema>;
export const authParams = new Params('auth', authParamsSchema);

export const DEFAULT_AUTH_PARAMS: AuthParams = {
  feeDenom: 'ubwk',
  minFee: 100n,
  maxMsgsPerTx: 64,
};

const nonceKey = (address: string) => `auth/nonce/${address}`;

/** Accounts' nonces: the number of txs each account has had executed. */
export class AuthKeeper {
  nonce(store: ReadStore, address: string): number {
    return (store.get(nonceKey(address)) as number | undefined) ?? 0;
  }

  incrementNonce(store: Store, address: string): void {
    store.set(nonceKey(address), this.nonce(store, address) + 1);
  }
}

const genesisSchema = z.strictObject({
  params: z
    .strictObject({
      feeDenom: z.string().default(DEFAULT_AUTH_PARAMS.feeDenom),
      minFee: z
        .string()
        .regex(/^[0-9]{1,19}$/)
        .transform((s) => BigInt(s))
        .default(DEFAULT_AUTH_PARAMS.minFee),
      maxMsgsPerTx: z.number().default(DEFAULT_AUTH_PARAMS.maxMsgsPerTx),
    })
    .default({ ...DEFAULT_AUTH_PARAMS }),
});

export type AuthGenesis = z.infer<typeof genesisSchema>;

/** The auth module: nonces and the tx-level rules (fees, message count). */
export class AuthModule implements Module<AuthGenesis> {
  readonly name = 'auth';
  readonly genesisSchema = genesisSchema;
  readonly params = authParams as unknown as Params<unknown>;
  readonly msgs = [];
  readonly invariants = [];

  constructor(readonly keeper: AuthKeeper) {}

  readonly queries = [
    defineQuery({
      path: 'auth/account',
      summary: 'The next nonce an account must sign with',
      schema: z.strictObject({ address: addressSchema }),
      handle: (store, args) => ({
        address: args.address,
        nonce: this.keeper.nonce(store, args.address),
      }),
    }),
    defineQuery({
      path: 'auth/params',
      summary: 'Fee denom, minimum fee and message limits',
      schema: z.strictObject({}),
      handle: (store) => authParams.get(store) as unknown as Value,
    }),
  ];

  defaultGenesis(): AuthGenesis {
    return { params: { ...DEFAULT_AUTH_PARAMS } };
  }

  initGenesis(ctx: Context, genesis: AuthGenesis): void {
    authParams.set(ctx.store, genesis.params);
  }

  exportGenesis(store: ReadStore): Value {
    const p = authParams.get(store);
    return { params: { ...p, minFee: String(p.minFee) } };
  }
}
