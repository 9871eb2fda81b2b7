import { z } from 'zod';
import {
  type Context,
  defineMsg,
  defineQuery,
  type Invariant,
  type Module,
} from '../../app/module.ts';
import type { FinalizeBlockRequest } from '../../app/types.ts';
import { amountStringSchema, coinSchema, DENOM_PATTERN } from '../../coin.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../../errors.ts';
import { ONE, toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { BankKeeper } from '../bank/keeper.ts';
import { addressSchema } from '../bank/module.ts';
import { bankParams } from '../bank/params.ts';
import type { StakingKeeperApi } from '../staking/api.ts';
import { pendingReward } from './accumulator.ts';
import { type Amounts, addAmount, addAmounts, amountOf, EMPTY, toCoins } from './amounts.ts';
import { netApr, nominalApr } from './apr.ts';
import { DistributionErrorCode, ensureDistr } from './errors.ts';
import { DISTRIBUTION_POOL, DistributionKeeper, type ValidatorRewards } from './keeper.ts';
import { annualProvisions, blockProvision, bondedRatio } from './mint.ts';
import {
  DEFAULT_DISTRIBUTION_PARAMS,
  DEFAULT_INFLATION,
  decStringSchema,
  distributionParams,
  distributionParamsSchema,
  paramsToJson,
} from './params.ts';

const coinsJsonSchema = z
  .array(z.strictObject({ denom: z.string().regex(DENOM_PATTERN), amount: amountStringSchema }))
  .max(64);
/** Accumulator values can exceed the amount range: plain non-negative integer strings. */
const bigCoinsJsonSchema = z
  .array(
    z.strictObject({
      denom: z.string().regex(DENOM_PATTERN),
      amount: z
        .string()
        .regex(/^[0-9]{1,80}$/, 'must be a decimal integer string')
        .transform((s) => BigInt(s)),
    }),
  )
  .max(64);

const genesisSchema = z.strictObject({
  params: distributionParamsSchema.default(DEFAULT_DISTRIBUTION_PARAMS),
  /** Current annual inflation rate, a decimal string in [0, 1]. */
  inflation: decStringSchema
    .refine((d) => d <= ONE, 'inflation must be ≤ 1')
    .default(DEFAULT_INFLATION),
  communityPool: coinsJsonSchema.default([]),
  commissions: z
    .array(z.strictObject({ operator: addressSchema, amount: coinsJsonSchema }))
    .default([]),
  withdrawAddresses: z
    .array(z.strictObject({ delegator: addressSchema, address: addressSchema }))
    .default([]),
  accumulators: z
    .array(
      z.strictObject({
        operator: addressSchema,
        rewardPerShare: bigCoinsJsonSchema,
        carry: bigCoinsJsonSchema,
        outstanding: coinsJsonSchema,
      }),
    )
    .default([]),
  starts: z
    .array(
      z.strictObject({
        validator: addressSchema,
        delegator: addressSchema,
        rewardPerShare: bigCoinsJsonSchema,
      }),
    )
    .default([]),
});

export type DistributionGenesis = z.infer<typeof genesisSchema>;

const fromCoins = (coins: readonly { denom: string; amount: bigint }[]): Amounts =>
  coins.reduce<Amounts>((a, c) => addAmount(a, c.denom, c.amount), EMPTY);
const coinsToJson = (a: Amounts) =>
  toCoins(a).map((c) => ({ denom: c.denom, amount: String(c.amount) }));
const coinsValue = (a: Amounts) => toCoins(a) as unknown as Value;

/**
 * The distribution module: inflation (mint), fees and rewards to validators by power,
 * commission, the community pool, and lazy per-share delegator rewards.
 */
export class DistributionModule implements Module<DistributionGenesis> {
  readonly name = 'distribution';
  readonly params = distributionParams;
  readonly genesisSchema = genesisSchema;

  constructor(readonly keeper: DistributionKeeper) {}

  private get staking(): StakingKeeperApi {
    return this.keeper.staking;
  }

  readonly msgs = [
    defineMsg({
      type: 'distribution/withdraw-rewards',
      summary: "Withdraw the signer's delegation rewards from one validator, or from all",
      schema: z.strictObject({ validator: addressSchema.optional() }),
      handle: (ctx, sender, msg) => {
        this.keeper.withdrawRewards(ctx, sender, msg.validator);
      },
    }),
    defineMsg({
      type: 'distribution/withdraw-commission',
      summary: "Withdraw the signer's validator commission",
      schema: z.strictObject({}),
      handle: (ctx, sender) => {
        this.keeper.withdrawCommission(ctx, sender);
      },
    }),
    defineMsg({
      type: 'distribution/set-withdraw-address',
      summary: 'Set the account rewards and commission of the signer are paid to',
      schema: z.strictObject({ address: addressSchema }),
      handle: (ctx, sender, msg) => this.keeper.setWithdrawAddress(ctx, sender, msg.address),
    }),
    defineMsg({
      type: 'distribution/fund-community-pool',
      summary: 'Give coins to the community pool',
      schema: z.strictObject({ amount: coinSchema }),
      handle: (ctx, sender, msg) => this.keeper.fundCommunityPool(ctx, sender, msg.amount),
    }),
  ];

  readonly queries = [
    defineQuery({
      path: 'distribution/rewards',
      summary: "A delegator's pending rewards per validator and in total",
      schema: z.strictObject({ delegator: addressSchema, validator: addressSchema.optional() }),
      handle: (store, args) => {
        let validators: string[];
        if (args.validator !== undefined) {
          ensureDistr(
            this.staking.delegation(store, args.delegator, args.validator) !== undefined,
            DistributionErrorCode.NoDelegation,
            () => `no delegation from ${args.delegator} to ${args.validator}`,
          );
          validators = [args.validator];
        } else {
          validators = this.staking.delegationsOf(store, args.delegator).map((d) => d.validator);
        }
        let total: Amounts = EMPTY;
        const rewards = validators.map((validator) => {
          const r = this.keeper.pendingRewards(store, args.delegator, validator);
          total = addAmounts(total, r);
          return { validator, reward: coinsValue(r) };
        });
        return { rewards, total: coinsValue(total) };
      },
    }),
    defineQuery({
      path: 'distribution/commission',
      summary: "A validator's withdrawable commission",
      schema: z.strictObject({ operator: addressSchema }),
      handle: (store, args) => ({
        operator: args.operator,
        commission: coinsValue(this.keeper.commission(store, args.operator)),
      }),
    }),
    defineQuery({
      path: 'distribution/community-pool',
      summary: 'The community pool',
      schema: z.strictObject({}),
      handle: (store) => ({ pool: coinsValue(this.keeper.communityPool(store)) }),
    }),
    defineQuery({
      path: 'distribution/params',
      summary: 'The distribution and mint parameters (fractions as decimal strings)',
      schema: z.strictObject({}),
      handle: (store) => paramsToJson(this.keeper.params(store)),
    }),
    defineQuery({
      path: 'distribution/apr',
      summary: 'Inflation, bonded ratio and the staking APR, nominal and net of commission',
      schema: z.strictObject({ validator: addressSchema.optional() }),
      handle: (store, args) => this.apr(store, args.validator),
    }),
  ];

  /** The `distribution/apr` answer (see docs/modules/distribution.md for the formula). */
  apr(store: ReadStore, operator?: string): Value {
    const p = this.keeper.params(store);
    const supply = this.keeper.supply(store, p.bondDenom);
    const bonded = this.staking.totalBonded(store);
    const { inflation } = this.keeper.minter(store);
    const annual = annualProvisions(supply, inflation);
    const nominal = nominalApr(annual, p.communityTax, bonded);
    let list = this.staking.validators(store);
    if (operator !== undefined) {
      const v = this.staking.validator(store, operator);
      if (v === undefined) throw new ChainError(ErrorCode.NotFound, `no validator ${operator}`);
      list = [v];
    }
    return {
      inflation: toDecimalString(inflation),
      bondedRatio: toDecimalString(bondedRatio(bonded, supply)),
      supply,
      bondedTokens: bonded,
      annualProvisions: annual,
      blockProvision: blockProvision(supply, inflation, p.blocksPerYear),
      communityTax: toDecimalString(p.communityTax),
      nominalApr: toDecimalString(nominal),
      validators: list.map((v) => {
        const earning = v.status === 'bonded' && !v.jailed;
        return {
          operator: v.operator,
          moniker: v.moniker,
          status: v.status,
          jailed: v.jailed,
          commissionRate: toDecimalString(v.commission.rate),
          apr: toDecimalString(earning ? netApr(nominal, v.commission.rate) : 0n),
        };
      }),
    };
  }

  readonly invariants: Invariant[] = [
    {
      name: 'distribution/pool-covers-owed',
      check: (store) => {
        const owed = this.keeper.owed(store);
        for (const { denom } of bankParams.get(store).denoms) {
          const held = this.keeper.bank.balance(store, DISTRIBUTION_POOL, denom);
          const need = amountOf(owed, denom);
          if (held < need) {
            return `${denom}: pool holds ${held}, owes ${need} (community + commission + outstanding)`;
          }
        }
        return undefined;
      },
    },
    {
      name: 'distribution/outstanding-covers-pending',
      check: (store) => {
        for (const v of this.staking.validators(store)) {
          const r = this.keeper.validatorRewards(store, v.operator);
          let pending: Amounts = EMPTY;
          for (const d of this.staking.delegationsTo(store, v.operator)) {
            const start = this.keeper.start(store, d.delegator, v.operator);
            if (start === undefined) {
              return `delegation ${d.delegator} → ${v.operator} has no reward start (staking hooks not registered?)`;
            }
            for (const denom of Object.keys(r.rewardPerShare)) {
              const p = pendingReward(
                d.shares,
                amountOf(start, denom),
                amountOf(r.rewardPerShare, denom),
              );
              pending = addAmount(pending, denom, p);
            }
          }
          for (const denom of Object.keys(pending)) {
            if (amountOf(pending, denom) > amountOf(r.outstanding, denom)) {
              return `${v.operator}: pending ${amountOf(pending, denom)}${denom} > outstanding ${amountOf(r.outstanding, denom)}${denom}`;
            }
          }
        }
        return undefined;
      },
    },
  ];

  defaultGenesis(): DistributionGenesis {
    return genesisSchema.parse({});
  }

  initGenesis(ctx: Context, g: DistributionGenesis): void {
    const p = distributionParams.set(ctx.store, g.params);
    let stakingDenom: string | undefined;
    try {
      stakingDenom = this.staking.params(ctx.store).bondDenom;
    } catch {
      stakingDenom = undefined; // staking's genesis not run (yet): nothing to compare.
    }
    if (stakingDenom !== undefined && stakingDenom !== p.bondDenom) {
      throw new ChainError(
        ErrorCode.InvalidGenesis,
        `invalid genesis app.distribution: bondDenom ${p.bondDenom} differs from staking's ${stakingDenom}`,
      );
    }
    this.keeper.importRecords(ctx, {
      inflation: g.inflation,
      communityPool: fromCoins(g.communityPool),
      commissions: g.commissions.map((c) => [c.operator, fromCoins(c.amount)]),
      withdrawAddresses: g.withdrawAddresses.map((w) => [w.delegator, w.address]),
      accumulators: g.accumulators.map((a): [string, ValidatorRewards] => [
        a.operator,
        {
          rewardPerShare: fromCoins(a.rewardPerShare),
          carry: fromCoins(a.carry),
          outstanding: fromCoins(a.outstanding),
        },
      ]),
      starts: g.starts.map((s) => [s.validator, s.delegator, fromCoins(s.rewardPerShare)]),
    });
  }

  exportGenesis(store: ReadStore): Value {
    const k = this.keeper;
    return {
      params: paramsToJson(k.params(store)),
      inflation: toDecimalString(k.minter(store).inflation),
      communityPool: coinsToJson(k.communityPool(store)),
      commissions: [...k.commissions(store)].map(([operator, c]) => ({
        operator,
        amount: coinsToJson(c),
      })),
      withdrawAddresses: [...k.withdrawAddresses(store)].map(([delegator, address]) => ({
        delegator,
        address,
      })),
      accumulators: [...k.accumulators(store)].map(([operator, r]) => ({
        operator,
        rewardPerShare: coinsToJson(r.rewardPerShare),
        carry: coinsToJson(r.carry),
        outstanding: coinsToJson(r.outstanding),
      })),
      starts: [...k.starts(store)].map(([validator, delegator, s]) => ({
        validator,
        delegator,
        rewardPerShare: coinsToJson(s),
      })),
    };
  }

  beginBlock(ctx: Context, req: FinalizeBlockRequest): void {
    this.keeper.beginBlock(ctx, req);
  }
}

/**
 * Builds the distribution keeper and module and registers its staking hooks (the one place
 * that wiring happens). Place the module after staking (its genesis reads delegations) and
 * before slashing (the previous block is rewarded before anyone is slashed for it).
 */
export function createDistribution(bank: BankKeeper, staking: StakingKeeperApi) {
  const keeper = new DistributionKeeper(bank, staking);
  staking.registerHooks(keeper.stakingHooks);
  return { keeper, module: new DistributionModule(keeper) };
}
