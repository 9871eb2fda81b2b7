import { z } from 'zod';
import {
  type Context,
  defineMsg,
  defineQuery,
  type Invariant,
  type Module,
} from '../../app/module.ts';
import type { Params } from '../../app/params.ts';
import type { FinalizeBlockRequest, ValidatorInfo, ValidatorUpdate } from '../../app/types.ts';
import { toHex } from '../../crypto/hash.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, chainErrorOf, ErrorCode } from '../../errors.ts';
import { toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import { addressSchema } from '../bank/module.ts';
import type { Delegation, StakingParams, Validator } from './api.ts';
import { ensureStaking, StakingError } from './errors.ts';
import { stakingInvariants } from './invariants.ts';
import { BONDED_POOL, type StakeAmount, type StakingKeeper, UNBONDING_POOL } from './keeper.ts';
import { stakingParams } from './params.ts';
import {
  createValidatorSchema,
  delegateSchema,
  editValidatorSchema,
  redelegateSchema,
  type StakingGenesis,
  stakingGenesisSchema,
  undelegateSchema,
} from './schemas.ts';

/** The genesis validator list of the app (read only when staking has no active set yet). */
const APP_VALIDATORS_KEY = 'app/validators';

/**
 * The staking module: validators, delegations as shares, unbonding and redelegation queues,
 * epochs with the active set, and the proposer order (CometBFT's priorities).
 */
export class StakingModule implements Module<StakingGenesis> {
  readonly name = 'staking';
  readonly genesisSchema = stakingGenesisSchema;
  readonly params = stakingParams as unknown as Params<unknown>;

  constructor(readonly keeper: StakingKeeper) {}

  readonly msgs = [
    defineMsg({
      type: 'staking/create-validator',
      summary: 'Create a validator operated by the signer, with a self-bond and a commission',
      schema: createValidatorSchema,
      handle: (ctx, sender, msg) => {
        this.requireBondDenom(ctx, msg.selfBond.denom);
        this.keeper.createValidator(ctx, sender, {
          consPubKey: msg.consPubKey,
          moniker: msg.moniker,
          selfBond: msg.selfBond.amount,
          commission: msg.commission,
          minSelfDelegation: msg.minSelfDelegation,
        });
      },
    }),
    defineMsg({
      type: 'staking/edit-validator',
      summary: "Change the signer's validator moniker or commission rate",
      schema: editValidatorSchema,
      handle: (ctx, sender, msg) => {
        this.keeper.editValidator(ctx, sender, {
          moniker: msg.moniker,
          commissionRate: msg.commissionRate,
        });
      },
    }),
    defineMsg({
      type: 'staking/delegate',
      summary: 'Delegate tokens to a validator (by operator address) for shares',
      schema: delegateSchema,
      handle: (ctx, sender, msg) => {
        this.requireBondDenom(ctx, msg.amount.denom);
        this.keeper.delegate(ctx, sender, msg.validator, msg.amount.amount);
      },
    }),
    defineMsg({
      type: 'staking/undelegate',
      summary: 'Undelegate shares (or an amount) from a validator; paid after the unbonding time',
      schema: undelegateSchema,
      handle: (ctx, sender, msg) => {
        this.keeper.undelegate(ctx, sender, msg.validator, this.howMuch(ctx, msg));
      },
    }),
    defineMsg({
      type: 'staking/redelegate',
      summary: 'Move stake from one validator to another at once',
      schema: redelegateSchema,
      handle: (ctx, sender, msg) => {
        this.keeper.redelegate(ctx, sender, msg.src, msg.dst, this.howMuch(ctx, msg));
      },
    }),
  ];

  readonly queries = [
    defineQuery({
      path: 'staking/validators',
      summary: 'Every validator (optionally only bonded or unbonded ones), by operator address',
      schema: z.strictObject({ status: z.enum(['bonded', 'unbonded']).optional() }),
      handle: (store, args) =>
        this.keeper
          .validators(store)
          .filter((v) => args.status === undefined || v.status === args.status)
          .map((v) => validatorView(v)),
    }),
    defineQuery({
      path: 'staking/validator',
      summary: 'One validator by operator address',
      schema: z.strictObject({ operator: addressSchema }),
      handle: (store, args) => validatorView(this.requireValidator(store, args.operator)),
    }),
    defineQuery({
      path: 'staking/delegations',
      summary: "A delegator's delegations with their token value",
      schema: z.strictObject({ delegator: addressSchema }),
      handle: (store, args) =>
        this.keeper.delegationsOf(store, args.delegator).map((d) => this.delegationView(store, d)),
    }),
    defineQuery({
      path: 'staking/delegation',
      summary: 'One delegation (shares and token value)',
      schema: z.strictObject({ delegator: addressSchema, validator: addressSchema }),
      handle: (store, args) => {
        const d = this.keeper.delegation(store, args.delegator, args.validator);
        if (d === undefined) {
          throw new ChainError(
            ErrorCode.NotFound,
            `${args.delegator} has no delegation to ${args.validator}`,
          );
        }
        return this.delegationView(store, d);
      },
    }),
    defineQuery({
      path: 'staking/unbondings',
      summary: "A delegator's unbonding entries, by validator",
      schema: z.strictObject({ delegator: addressSchema }),
      handle: (store, args) => this.keeper.unbondingsOf(store, args.delegator) as unknown as Value,
    }),
    defineQuery({
      path: 'staking/redelegations',
      summary: "A delegator's redelegation entries, by source and destination",
      schema: z.strictObject({ delegator: addressSchema }),
      handle: (store, args) =>
        this.keeper.redelegationsOf(store, args.delegator) as unknown as Value,
    }),
    defineQuery({
      path: 'staking/params',
      summary: 'The staking parameters',
      schema: z.strictObject({}),
      handle: (store) => this.keeper.params(store) as unknown as Value,
    }),
    defineQuery({
      path: 'staking/pool',
      summary: 'Tokens in the bonded and unbonding pools',
      schema: z.strictObject({}),
      handle: (store) => {
        const denom = this.keeper.params(store).bondDenom;
        return {
          bonded: this.keeper.bank.balance(store, BONDED_POOL, denom),
          unbonding: this.keeper.bank.balance(store, UNBONDING_POOL, denom),
          bondedAddress: BONDED_POOL,
          unbondingAddress: UNBONDING_POOL,
        };
      },
    }),
    defineQuery({
      path: 'staking/active-set',
      summary: 'The consensus set of the current epoch with proposer priorities',
      schema: z.strictObject({}),
      handle: (store) => {
        const prio = new Map(this.keeper.priorities(store).map((p) => [p.address, p.priority]));
        return {
          epoch: (this.keeper.currentEpoch(store) ?? null) as unknown as Value,
          validators: this.keeper.activeSet(store).map((a) => ({
            ...a,
            priority: prio.get(a.consAddress) ?? 0n,
          })),
          nextProposer: this.keeper.expectedProposer(store) ?? null,
        };
      },
    }),
  ];

  readonly invariants: Invariant[] = stakingInvariants(() => this.keeper);

  defaultGenesis(): StakingGenesis {
    return stakingGenesisSchema.parse({});
  }

  initGenesis(ctx: Context, genesis: StakingGenesis): void {
    stakingParams.set(ctx.store, genesis.params);
    genesis.validators.forEach((g, i) => {
      inGenesis(`validators[${i}]`, () => {
        this.keeper.createValidator(ctx, g.operator, {
          consPubKey: g.consPubKey,
          moniker: g.moniker,
          selfBond: g.selfBond,
          commission: g.commission,
          minSelfDelegation: g.minSelfDelegation,
        });
      });
    });
    genesis.delegations.forEach((d, i) => {
      inGenesis(`delegations[${i}]`, () => {
        ensureStaking(d.amount > 0n, StakingError.AmountTooSmall, 'amount must be positive');
        this.keeper.delegate(ctx, d.delegator, d.validator, d.amount);
      });
    });
    this.keeper.startEpoch(ctx);
  }

  /**
   * The state in the genesis format: each validator with its operator's self-delegation value
   * as selfBond, other delegations by value. Unbonding and redelegation entries are not part of
   * the format (see docs/modules/staking.md).
   */
  exportGenesis(store: ReadStore): Value {
    const p = this.keeper.params(store);
    const validators: Value[] = [];
    const delegations: Value[] = [];
    for (const v of this.keeper.validators(store)) {
      const self = this.keeper.delegation(store, v.operator, v.operator);
      validators.push({
        operator: v.operator,
        consPubKey: toHex(v.consPubKey),
        moniker: v.moniker,
        selfBond: String(self === undefined ? 0n : this.keeper.tokensOfShares(v, self.shares)),
        commission: {
          rate: toDecimalString(v.commission.rate),
          maxRate: toDecimalString(v.commission.maxRate),
          maxChangeRate: toDecimalString(v.commission.maxChangeRate),
        },
        minSelfDelegation: String(v.minSelfDelegation),
      });
      for (const d of this.keeper.delegationsTo(store, v.operator)) {
        if (d.delegator === v.operator) continue;
        delegations.push({
          delegator: d.delegator,
          validator: v.operator,
          amount: String(this.keeper.tokensOfShares(v, d.shares)),
        });
      }
    }
    return { params: { ...p, minSelfBond: String(p.minSelfBond) }, validators, delegations };
  }

  beginBlock(ctx: Context, req: FinalizeBlockRequest): void {
    const proposer = this.keeper.advanceProposer(ctx);
    if (proposer !== undefined && proposer !== req.block.proposer) {
      ctx.emit('proposer_mismatch', {
        height: req.block.height,
        expected: proposer,
        got: req.block.proposer,
      });
    }
  }

  endBlock(ctx: Context): ValidatorUpdate[] | undefined {
    this.keeper.completeMatured(ctx);
    const { epochLength } = this.keeper.params(ctx.store);
    if (ctx.block.height % epochLength !== 0) return undefined;
    return this.keeper.startEpoch(ctx);
  }

  /** The current epoch's active set; the app's genesis list while staking has none. */
  validatorSet(store: ReadStore): ValidatorInfo[] {
    const active = this.keeper.activeSet(store);
    if (active.length === 0) {
      return (store.get(APP_VALIDATORS_KEY) as unknown as ValidatorInfo[] | undefined) ?? [];
    }
    return active.map((a) => ({
      address: a.consAddress,
      pubKey: a.consPubKey,
      power: a.power,
      name: a.moniker,
    }));
  }

  /**
   * The proposer of the next block (`height` must be the next height): the validator that
   * beginBlock's priority increment will pick, computed without changing state.
   */
  proposerFor(store: ReadStore, height: number): string | undefined {
    const expected = this.keeper.expectedProposer(store);
    if (expected !== undefined) return expected;
    const set = this.validatorSet(store);
    return set.length === 0 ? undefined : set[(height - 1) % set.length]?.address;
  }

  private requireBondDenom(ctx: Context, denom: string): void {
    const p: StakingParams = this.keeper.params(ctx.store);
    ensureStaking(
      denom === p.bondDenom,
      StakingError.WrongDenom,
      () => `stake must be in ${p.bondDenom}, got ${denom}`,
    );
  }

  private howMuch(
    ctx: Context,
    msg: { shares?: bigint | undefined; amount?: { denom: string; amount: bigint } | undefined },
  ): StakeAmount {
    if (msg.shares !== undefined) return { shares: msg.shares };
    const amount = msg.amount!;
    this.requireBondDenom(ctx, amount.denom);
    return { amount: amount.amount };
  }

  private requireValidator(store: ReadStore, operator: string): Validator {
    const v = this.keeper.validator(store, operator);
    if (v === undefined) {
      throw new ChainError(
        StakingError.UnknownValidator,
        `no validator with operator ${operator}`,
        'staking',
      );
    }
    return v;
  }

  private delegationView(store: ReadStore, d: Delegation): Value {
    const v = this.keeper.validator(store, d.validator);
    return { ...d, tokens: v === undefined ? 0n : this.keeper.tokensOfShares(v, d.shares) };
  }
}

function validatorView(v: Validator): Value {
  return v as unknown as Value;
}

function inGenesis(where: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    const err = chainErrorOf(e);
    throw new ChainError(
      ErrorCode.InvalidGenesis,
      `invalid genesis app.staking.${where}: ${err.message} (code ${err.code})`,
    );
  }
}
