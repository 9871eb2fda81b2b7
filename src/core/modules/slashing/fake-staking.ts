/**
 * A small stand-in for the staking module, for the slashing tests only: validators and
 * self-delegations in the store (so a failed tx rolls them back), a bonded pool funded at
 * genesis, and a `slash` that burns `power × POWER_REDUCTION × fraction` from the validator
 * and logs the call. It implements exactly the StakingKeeperApi contract slashing codes to.
 */
import { z } from 'zod';
import type { Context, Module } from '../../app/module.ts';
import { addressBytes, moduleAddress } from '../../crypto/address.ts';
import { toHex } from '../../crypto/hash.ts';
import type { Value } from '../../encoding/canonical.ts';
import { min, mulDiv, ONE, Rounding } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import { testAccount } from '../../testing/harness.ts';
import type { BankKeeper } from '../bank/keeper.ts';
import {
  type ActiveValidator,
  type Delegation,
  POWER_REDUCTION,
  type StakingHooks,
  type StakingKeeperApi,
  type StakingParams,
  type Validator,
} from '../staking/api.ts';

export const FAKE_POOL = moduleAddress('fakestaking/bonded');

const valKey = (op: string) => `fakestaking/val/${op}`;
const consKey = (c: string) => `fakestaking/cons/${c}`;
const delKey = (d: string, v: string) => `fakestaking/del/${d}/${v}`;
const SLASH_LOG = 'fakestaking/slashlog/';

export interface SlashCall {
  consAddress: string;
  infractionHeight: number;
  power: bigint;
  fraction: bigint;
  burned: bigint;
}

/** The operator account and consensus key of a named test validator. */
export function testValidator(name: string) {
  const operator = testAccount(`op/${name}`);
  const cons = testAccount(`cons/${name}`);
  return {
    name,
    operator,
    consSeed: cons.seed,
    consPubKey: cons.pubKey,
    consAddress: toHex(addressBytes(cons.pubKey)),
  };
}

export class FakeStakingKeeper implements StakingKeeperApi {
  readonly hooks: StakingHooks[] = [];
  constructor(
    private readonly bank: BankKeeper,
    private readonly stakingParams: StakingParams,
  ) {}

  params(): StakingParams {
    return this.stakingParams;
  }
  validator(store: ReadStore, operator: string): Validator | undefined {
    return store.get(valKey(operator)) as unknown as Validator | undefined;
  }
  validatorByConsAddress(store: ReadStore, consAddress: string): Validator | undefined {
    const op = store.get(consKey(consAddress)) as string | undefined;
    return op === undefined ? undefined : this.validator(store, op);
  }
  validators(store: ReadStore): Validator[] {
    return [...store.iterate('fakestaking/val/')].map(([, v]) => v as unknown as Validator);
  }
  activeSet(store: ReadStore): ActiveValidator[] {
    return this.validators(store)
      .filter((v) => !v.jailed)
      .map((v) => ({
        operator: v.operator,
        consAddress: v.consAddress,
        consPubKey: v.consPubKey,
        power: v.tokens / POWER_REDUCTION,
        moniker: v.moniker,
      }))
      .sort((a, b) =>
        a.power === b.power ? (a.consAddress < b.consAddress ? -1 : 1) : a.power > b.power ? -1 : 1,
      );
  }
  totalBonded(store: ReadStore): bigint {
    return this.validators(store).reduce((s, v) => s + v.tokens, 0n);
  }
  delegation(store: ReadStore, delegator: string, validator: string): Delegation | undefined {
    return store.get(delKey(delegator, validator)) as unknown as Delegation | undefined;
  }
  delegationsOf(): Delegation[] {
    return [];
  }
  delegationsTo(): Delegation[] {
    return [];
  }
  tokensOfShares(v: Validator, shares: bigint): bigint {
    return v.delegatorShares === 0n
      ? 0n
      : mulDiv(shares, v.tokens, v.delegatorShares, Rounding.Floor);
  }
  slash(
    ctx: Context,
    consAddress: string,
    infractionHeight: number,
    power: bigint,
    fraction: bigint,
  ): bigint {
    const v = this.validatorByConsAddress(ctx.store, consAddress);
    if (v === undefined) throw new Error(`fake staking: no validator ${consAddress}`);
    const wanted = mulDiv(power * POWER_REDUCTION, fraction, ONE, Rounding.Floor);
    const burned = min(wanted, v.tokens);
    ctx.store.set(valKey(v.operator), { ...v, tokens: v.tokens - burned } as unknown as Value);
    if (burned > 0n) this.bank.burn(ctx, FAKE_POOL, { denom: 'ubwk', amount: burned }, 'slash');
    const n = [...ctx.store.iterate(SLASH_LOG)].length;
    ctx.store.set(`${SLASH_LOG}${String(n).padStart(6, '0')}`, {
      consAddress,
      infractionHeight,
      power,
      fraction,
      burned,
    });
    return burned;
  }
  jail(ctx: Context, consAddress: string): void {
    this.setJailed(ctx, consAddress, true);
  }
  unjail(ctx: Context, consAddress: string): void {
    this.setJailed(ctx, consAddress, false);
  }
  registerHooks(hooks: StakingHooks): void {
    this.hooks.push(hooks);
  }

  slashCalls(store: ReadStore): SlashCall[] {
    return [...store.iterate(SLASH_LOG)].map(([, v]) => v as unknown as SlashCall);
  }

  private setJailed(ctx: Context, consAddress: string, jailed: boolean): void {
    const v = this.validatorByConsAddress(ctx.store, consAddress);
    if (v === undefined) throw new Error(`fake staking: no validator ${consAddress}`);
    ctx.store.set(valKey(v.operator), { ...v, jailed } as unknown as Value);
  }
}

const genesisSchema = z.strictObject({
  validators: z.array(z.strictObject({ name: z.string(), tokens: z.bigint() })),
  minSelfDelegation: z.bigint().default(1n),
});
type FakeGenesis = z.output<typeof genesisSchema>;

/** The fake as a module: its genesis creates the validators and funds the bonded pool. */
export class FakeStakingModule implements Module<FakeGenesis> {
  readonly name = 'fakestaking';
  readonly msgs = [];
  readonly queries = [];
  readonly invariants = [];
  readonly genesisSchema = genesisSchema;
  constructor(
    readonly keeper: FakeStakingKeeper,
    private readonly bank: BankKeeper,
  ) {}
  defaultGenesis(): FakeGenesis {
    return { validators: [], minSelfDelegation: 1n };
  }
  initGenesis(ctx: Context, g: FakeGenesis): void {
    for (const { name, tokens } of g.validators) {
      const t = testValidator(name);
      const op = t.operator.address;
      const shares = tokens * ONE;
      const v: Validator = {
        operator: op,
        consAddress: t.consAddress,
        consPubKey: t.consPubKey,
        moniker: name,
        tokens,
        delegatorShares: shares,
        commission: { rate: 0n, maxRate: ONE, maxChangeRate: ONE, updateTimeMs: 0 },
        minSelfDelegation: g.minSelfDelegation,
        jailed: false,
        status: 'bonded',
        createdHeight: 0,
      };
      ctx.store.set(valKey(op), v as unknown as Value);
      ctx.store.set(consKey(t.consAddress), op);
      ctx.store.set(delKey(op, op), { delegator: op, validator: op, shares });
      this.bank.mint(ctx, FAKE_POOL, { denom: 'ubwk', amount: tokens });
    }
  }
  exportGenesis(): Value {
    return {};
  }
}
