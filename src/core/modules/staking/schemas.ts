import { z } from 'zod';
import { amountSchema, amountStringSchema, coinSchema } from '../../coin.ts';
import { fromHex } from '../../crypto/hash.ts';
import { fromDecimalString, ONE } from '../../math/index.ts';
import { addressSchema } from '../bank/module.ts';
import { MAINNET_STAKING_PARAMS } from './params.ts';

/** A consensus public key: 64 lower-case hex characters (32-byte ed25519 key). */
export const consPubKeySchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (32 bytes)')
  .transform((h) => fromHex(h));

/** A decimal string in [0, 1] ("0.10") → 18-decimal fixed point. */
export const rateSchema = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    try {
      return fromDecimalString(s);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `must be a decimal string such as "0.10" with at most 18 decimals, got ${JSON.stringify(s)}`,
      });
      return z.NEVER;
    }
  })
  .pipe(z.bigint().min(0n, 'must be at least 0').max(ONE, 'must be at most 1'));

export const monikerSchema = z.string().min(1).max(64);

export const commissionSchema = z.strictObject({
  rate: rateSchema,
  maxRate: rateSchema,
  maxChangeRate: rateSchema,
});

export const sharesSchema = z.bigint().refine((s) => s > 0n && s < 1n << 255n, {
  message: 'shares must be positive (18 decimals)',
});

export const createValidatorSchema = z.strictObject({
  consPubKey: consPubKeySchema,
  moniker: monikerSchema,
  selfBond: coinSchema,
  commission: commissionSchema,
  minSelfDelegation: amountSchema.optional(),
});

export const editValidatorSchema = z
  .strictObject({
    moniker: monikerSchema.optional(),
    commissionRate: rateSchema.optional(),
  })
  .refine((m) => m.moniker !== undefined || m.commissionRate !== undefined, {
    message: 'give a moniker or a commissionRate to change',
  });

export const delegateSchema = z.strictObject({ validator: addressSchema, amount: coinSchema });

const oneOf = <T extends { shares?: bigint | undefined; amount?: unknown }>(m: T) =>
  (m.shares === undefined) !== (m.amount === undefined);
const oneOfMessage = { message: 'give exactly one of shares and amount' };

export const undelegateSchema = z
  .strictObject({
    validator: addressSchema,
    shares: sharesSchema.optional(),
    amount: coinSchema.optional(),
  })
  .refine(oneOf, oneOfMessage);

export const redelegateSchema = z
  .strictObject({
    src: addressSchema,
    dst: addressSchema,
    shares: sharesSchema.optional(),
    amount: coinSchema.optional(),
  })
  .refine(oneOf, oneOfMessage);

// ---- genesis -----------------------------------------------------------------------------

const DEFAULTS = MAINNET_STAKING_PARAMS;

/** Params in the genesis JSON: any field left out takes the mainnet-like default. */
export const genesisParamsSchema = z.strictObject({
  unbondingTimeMs: z.number().default(DEFAULTS.unbondingTimeMs),
  maxValidators: z.number().default(DEFAULTS.maxValidators),
  maxEntries: z.number().default(DEFAULTS.maxEntries),
  epochLength: z.number().default(DEFAULTS.epochLength),
  bondDenom: z.string().default(DEFAULTS.bondDenom),
  minSelfBond: amountStringSchema.default(DEFAULTS.minSelfBond),
  historicalEntries: z.number().default(DEFAULTS.historicalEntries),
});

export const stakingGenesisSchema = z.strictObject({
  params: genesisParamsSchema.default({ ...DEFAULTS }),
  validators: z
    .array(
      z.strictObject({
        operator: addressSchema,
        consPubKey: consPubKeySchema,
        moniker: monikerSchema,
        selfBond: amountStringSchema,
        commission: commissionSchema,
        minSelfDelegation: amountStringSchema.optional(),
      }),
    )
    .default([]),
  delegations: z
    .array(
      z.strictObject({
        delegator: addressSchema,
        validator: addressSchema,
        amount: amountStringSchema,
      }),
    )
    .default([]),
});

export type StakingGenesis = z.infer<typeof stakingGenesisSchema>;
export type StakingGenesisInput = z.input<typeof stakingGenesisSchema>;
