import { z } from 'zod';
import {
  type Context,
  defineMsg,
  defineQuery,
  type Invariant,
  type Module,
} from '../../app/module.ts';
import type { Misbehavior } from '../../app/types.ts';
import { fromHex } from '../../crypto/hash.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../../errors.ts';
import type { ReadStore } from '../../store/store.ts';
import { addressSchema } from '../bank/module.ts';
import type { StakingKeeperApi } from '../staking/api.ts';
import { ensureSlashing, SlashingError } from './errors.ts';
import {
  exportSlashingGenesis,
  initSlashingGenesis,
  type SlashingGenesis,
  slashingGenesisSchema,
} from './genesis.ts';
import { JAILED_FOREVER, type SigningInfo, SlashingKeeper } from './keeper.ts';
import { ALL_MISSED_PREFIX, heightAfter, missedPrefix } from './keys.ts';
import { DEFAULT_SLASHING_PARAMS, paramsToJson, slashingParams } from './params.ts';

/** Hex of a 20-byte consensus address (lowercased). */
export const consAddressSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{40}$/, 'must be 40 hex characters (a 20-byte consensus address)')
  .transform((s) => s.toLowerCase());

/** Bytes as hex in JSON, or raw bytes in a canonically encoded tx. */
const bytesSchema = (n: number) =>
  z.union([
    z
      .string()
      .regex(new RegExp(`^[0-9a-fA-F]{${2 * n}}$`), `must be ${2 * n} hex characters (${n} bytes)`)
      .transform((s) => fromHex(s)),
    z.instanceof(Uint8Array).refine((b) => b.length === n, { message: `must be ${n} bytes` }),
  ]);

export const voteSchema = z.strictObject({
  type: z.enum(['prevote', 'precommit']),
  chainId: z.string().min(1).max(64),
  height: z.number().int().min(0),
  round: z.number().int().min(0).max(1_000_000),
  blockHash: bytesSchema(32),
  validator: consAddressSchema,
  signature: bytesSchema(64),
});

/**
 * Duplicate-vote evidence as a tx carries it: the two votes (hex strings for hashes and
 * signatures). `validator` and `height` default to the votes'; `timeMs` and `totalPower` (as
 * in a block's evidence) are accepted and ignored: the chain uses its own record of time.
 */
export const evidenceSchema = z.strictObject({
  type: z.literal('duplicate-vote').optional(),
  validator: consAddressSchema.optional(),
  height: z.number().int().min(0).optional(),
  timeMs: z.number().int().optional(),
  totalPower: z.union([z.bigint(), z.string()]).optional(),
  voteA: voteSchema,
  voteB: voteSchema,
});

export const submitEvidenceMsgSchema = z.strictObject({ evidence: evidenceSchema });
export const unjailMsgSchema = z.strictObject({
  /** The validator's operator address; when given it must be the signer. */
  validator: addressSchema.optional(),
});

/**
 * The slashing module: liveness (missed blocks) and double-sign evidence, jail, tombstone
 * and the correlated penalty. Constructed with the staking keeper (the only way it touches
 * stake); run after staking in the module list.
 */
export class SlashingModule implements Module<SlashingGenesis> {
  readonly name = 'slashing';
  readonly params = slashingParams as unknown as NonNullable<Module['params']>;
  readonly genesisSchema = slashingGenesisSchema;
  readonly keeper: SlashingKeeper;

  constructor(staking: StakingKeeperApi) {
    this.keeper = new SlashingKeeper(staking);
    // Staking refuses new stake for (and unjailing of) a tombstoned validator: it asks us.
    staking.setTombstoneCheck?.((store, consAddress) =>
      this.keeper.isTombstoned(store, consAddress),
    );
  }

  readonly msgs = [
    defineMsg({
      type: 'slashing/submit-evidence',
      summary: 'Submit proof that a validator signed two different blocks at one height and round',
      schema: submitEvidenceMsgSchema,
      handle: (ctx, _sender, msg) => {
        const { evidence } = msg;
        const ev: Misbehavior = {
          type: 'duplicate-vote',
          validator: evidence.validator ?? evidence.voteA.validator,
          height: evidence.height ?? evidence.voteA.height,
          timeMs: 0,
          totalPower: 0n,
          voteA: evidence.voteA,
          voteB: evidence.voteB,
        };
        this.keeper.handleEquivocation(ctx, ev, 'msg');
      },
    }),
    defineMsg({
      type: 'slashing/unjail',
      summary: "Release the signer's validator from jail once its jail time is over",
      schema: unjailMsgSchema,
      handle: (ctx, sender, msg) => {
        ensureSlashing(
          msg.validator === undefined || msg.validator === sender,
          SlashingError.NotOperator,
          `only the operator may unjail ${msg.validator}, the signer is ${sender}`,
        );
        this.keeper.unjail(ctx, sender);
      },
    }),
  ];

  readonly queries = [
    defineQuery({
      path: 'slashing/signing-info',
      summary:
        "A validator's liveness record, jail time and tombstone, by consensus or operator address",
      schema: z
        .strictObject({
          consAddress: z.string().max(128).optional(),
          operator: addressSchema.optional(),
        })
        .refine((a) => a.consAddress !== undefined || a.operator !== undefined, {
          message: 'give consAddress (hex, or an operator address) or operator',
        }),
      handle: (store, args) => {
        const cons = this.resolveConsAddress(store, args.consAddress ?? (args.operator as string));
        const info = this.keeper.signingInfo(store, cons);
        if (info === undefined) {
          throw new ChainError(
            ErrorCode.NotFound,
            `no signing info for validator ${cons}`,
            'slashing',
          );
        }
        return { ...infoValue(info), missedSlots: this.keeper.missedSlots(store, cons) };
      },
    }),
    defineQuery({
      path: 'slashing/signing-infos',
      summary:
        'The signing info of every validator that has been in a commit, by consensus address',
      schema: z.strictObject({}),
      handle: (store) => this.keeper.signingInfos(store).map(infoValue),
    }),
    defineQuery({
      path: 'slashing/params',
      summary: 'The slashing module parameters (fractions as decimal strings)',
      schema: z.strictObject({}),
      handle: (store) => paramsToJson(slashingParams.get(store)),
    }),
  ];

  readonly invariants: Invariant[] = [
    {
      name: 'slashing/missed-counter',
      check: (store) => {
        const bitsOf = new Map<string, number>();
        for (const [key, bits] of store.iterate(ALL_MISSED_PREFIX)) {
          const cons = key.slice(ALL_MISSED_PREFIX.length, ALL_MISSED_PREFIX.length + 40);
          const chunk = heightAfter(key, missedPrefix(cons));
          let b = bits as bigint;
          let n = 0;
          for (let i = 0; b !== 0n; i++, b >>= 1n) {
            if ((b & 1n) === 1n) {
              n++;
              if (chunk * 64 + i >= (this.keeper.signingInfo(store, cons)?.window ?? 0)) {
                return `${cons} has a missed bit at slot ${chunk * 64 + i}, outside its window`;
              }
            }
          }
          bitsOf.set(cons, (bitsOf.get(cons) ?? 0) + n);
        }
        for (const info of this.keeper.signingInfos(store)) {
          const n = bitsOf.get(info.consAddress) ?? 0;
          if (n !== info.missedBlocksCounter) {
            return `${info.consAddress}: missedBlocksCounter ${info.missedBlocksCounter} ≠ ${n} bits set`;
          }
          bitsOf.delete(info.consAddress);
          if (info.tombstoned && info.jailedUntilMs !== JAILED_FOREVER) {
            return `${info.consAddress} is tombstoned but jailed only until ${info.jailedUntilMs}`;
          }
        }
        for (const cons of bitsOf.keys()) return `${cons} has missed bits but no signing info`;
        return undefined;
      },
    },
  ];

  defaultGenesis(): SlashingGenesis {
    return {
      params: DEFAULT_SLASHING_PARAMS,
      signingInfos: [],
      missedBlocks: [],
      powerRecords: [],
      timeCheckpoints: [],
      correlation: [],
    };
  }

  initGenesis(ctx: Context, genesis: SlashingGenesis): void {
    initSlashingGenesis(ctx, this.keeper, genesis);
  }

  exportGenesis(store: ReadStore): Value {
    return exportSlashingGenesis(store, this.keeper);
  }

  beginBlock(ctx: Context, req: Parameters<NonNullable<Module['beginBlock']>>[1]): void {
    this.keeper.beginBlock(ctx, req);
  }

  /** Hex consensus address as is; an operator address → its validator's consensus address. */
  private resolveConsAddress(store: ReadStore, address: string): string {
    if (/^[0-9a-fA-F]{40}$/.test(address)) return address.toLowerCase();
    const v = this.keeper.staking.validator(store, address);
    ensureSlashing(
      v !== undefined,
      SlashingError.UnknownValidator,
      `${address} operates no validator`,
    );
    return v.consAddress;
  }
}

function infoValue(info: SigningInfo): { [key: string]: Value } {
  return { ...info, power: info.power < 0n ? 0n : info.power };
}
