/**
 * Test support (not used by the chain): a small fake staking keeper that honours the
 * `StakingKeeperApi` contract (shares, hooks, slashes that lower tokens and never shares),
 * a module exposing it through test-only messages, and a chain driver that builds blocks
 * with chosen votes.
 */
import { z } from 'zod';
import { App } from '../../app/app.ts';
import {
  type AnyModule,
  type Context,
  Context as ContextClass,
  defineMsg,
  type Module,
} from '../../app/module.ts';
import type { FinalizeBlockResponse, VoteInfo } from '../../app/types.ts';
import { moduleAddress } from '../../crypto/address.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ErrorCode, ensure } from '../../errors.ts';
import { mulDiv, ONE, Rounding } from '../../math/index.ts';
import { Branch } from '../../store/branch.ts';
import type { ReadStore } from '../../store/store.ts';
import { GENESIS_MS, type TestAccount, testAccount } from '../../testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../tx/tx.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { addressSchema, BankModule } from '../bank/module.ts';
import {
  type ActiveValidator,
  type Delegation,
  POWER_REDUCTION,
  type StakingHooks,
  type StakingKeeperApi,
  type StakingParams,
  type Validator,
} from '../staking/api.ts';
import type { DistributionKeeper } from './keeper.ts';
import { createDistribution, type DistributionModule } from './module.ts';

export const BONDED_POOL = moduleAddress('fakestaking/bonded');
const valKey = (op: string) => `fakestaking/val/${op}`;
const VAL_PREFIX = 'fakestaking/val/';
const delKey = (v: string, d: string) => `fakestaking/del/${v}/${d}`;
const delPrefix = (v: string) => `fakestaking/del/${v}/`;
const DEL_PREFIX = 'fakestaking/del/';

/** Consensus address of a fake validator: hex of sha256(operator)[0..20]. */
export const consAddressOf = (operator: string) =>
  toHex(sha256(new TextEncoder().encode(operator)).subarray(0, 20));

export class FakeStakingKeeper implements StakingKeeperApi {
  readonly hooks: StakingHooks[] = [];
  constructor(readonly bank: BankKeeper) {}

  params(): StakingParams {
    return {
      unbondingTimeMs: 0,
      maxValidators: 100,
      maxEntries: 7,
      epochLength: 1,
      bondDenom: 'ubwk',
      minSelfBond: 1n,
      historicalEntries: 0,
    };
  }
  validator(store: ReadStore, operator: string): Validator | undefined {
    return store.get(valKey(operator)) as unknown as Validator | undefined;
  }
  validatorByConsAddress(store: ReadStore, consAddress: string): Validator | undefined {
    return this.validators(store).find((v) => v.consAddress === consAddress);
  }
  validators(store: ReadStore): Validator[] {
    return [...store.iterate(VAL_PREFIX)].map(([, v]) => v as unknown as Validator);
  }
  activeSet(store: ReadStore): ActiveValidator[] {
    return this.validators(store).map((v) => ({
      operator: v.operator,
      consAddress: v.consAddress,
      consPubKey: v.consPubKey,
      power: v.tokens / POWER_REDUCTION,
      moniker: v.moniker,
    }));
  }
  totalBonded(store: ReadStore): bigint {
    return this.validators(store).reduce((s, v) => s + v.tokens, 0n);
  }
  delegation(store: ReadStore, delegator: string, validator: string): Delegation | undefined {
    const shares = store.get(delKey(validator, delegator)) as bigint | undefined;
    return shares === undefined ? undefined : { delegator, validator, shares };
  }
  delegationsOf(store: ReadStore, delegator: string): Delegation[] {
    const out: Delegation[] = [];
    for (const [key, shares] of store.iterate(DEL_PREFIX)) {
      const [validator, d] = key.slice(DEL_PREFIX.length).split('/') as [string, string];
      if (d === delegator) out.push({ delegator, validator, shares: shares as bigint });
    }
    return out;
  }
  delegationsTo(store: ReadStore, validator: string): Delegation[] {
    return [...store.iterate(delPrefix(validator))].map(([key, shares]) => ({
      delegator: key.slice(delPrefix(validator).length),
      validator,
      shares: shares as bigint,
    }));
  }
  tokensOfShares(v: Validator, shares: bigint): bigint {
    return v.delegatorShares === 0n
      ? 0n
      : mulDiv(shares, v.tokens, v.delegatorShares, Rounding.Floor);
  }
  slash(ctx: Context, consAddress: string, _h: number, _p: bigint, fraction: bigint): bigint {
    const v = this.validatorByConsAddress(ctx.store, consAddress);
    ensure(v !== undefined, ErrorCode.NotFound, `no validator ${consAddress}`);
    for (const h of this.hooks) h.beforeValidatorSlashed?.(ctx, v.operator, fraction);
    const burn = mulDiv(v.tokens, fraction, ONE, Rounding.Floor);
    if (burn > 0n) this.bank.burn(ctx, BONDED_POOL, { denom: 'ubwk', amount: burn }, 'slash');
    this.setValidator(ctx, { ...v, tokens: v.tokens - burn });
    return burn;
  }
  jail(): void {}
  unjail(): void {}
  registerHooks(hooks: StakingHooks): void {
    this.hooks.push(hooks);
  }

  // ---- what the fake module's messages do ----

  createValidator(ctx: Context, operator: string, commissionRate: bigint, selfBond: bigint): void {
    ensure(this.validator(ctx.store, operator) === undefined, ErrorCode.InvalidRequest, 'exists');
    this.setValidator(ctx, {
      operator,
      consAddress: consAddressOf(operator),
      consPubKey: new Uint8Array(32),
      moniker: operator.slice(0, 10),
      tokens: 0n,
      delegatorShares: 0n,
      commission: { rate: commissionRate, maxRate: ONE, maxChangeRate: ONE, updateTimeMs: 0 },
      minSelfDelegation: 1n,
      jailed: false,
      status: 'bonded',
      createdHeight: ctx.block.height,
    });
    for (const h of this.hooks) h.afterValidatorCreated?.(ctx, operator);
    this.delegate(ctx, operator, operator, selfBond);
  }

  delegate(ctx: Context, delegator: string, validator: string, amount: bigint): bigint {
    const v = this.validator(ctx.store, validator);
    ensure(v !== undefined, ErrorCode.NotFound, `no validator ${validator}`);
    ensure(v.tokens > 0n || v.delegatorShares === 0n, ErrorCode.InvalidRequest, 'wiped out');
    const shares =
      v.delegatorShares === 0n
        ? amount * ONE
        : mulDiv(amount, v.delegatorShares, v.tokens, Rounding.Floor);
    ensure(shares > 0n, ErrorCode.InvalidRequest, 'zero shares');
    const existing = this.delegation(ctx.store, delegator, validator);
    for (const h of this.hooks)
      h.beforeDelegationSharesModified?.(ctx, delegator, validator, existing !== undefined);
    this.bank.send(ctx, delegator, BONDED_POOL, { denom: 'ubwk', amount });
    this.setValidator(ctx, {
      ...v,
      tokens: v.tokens + amount,
      delegatorShares: v.delegatorShares + shares,
    });
    ctx.store.set(delKey(validator, delegator), (existing?.shares ?? 0n) + shares);
    for (const h of this.hooks) h.afterDelegationModified?.(ctx, delegator, validator);
    return shares;
  }

  undelegate(ctx: Context, delegator: string, validator: string, shares: bigint): bigint {
    const v = this.validator(ctx.store, validator);
    const d = this.delegation(ctx.store, delegator, validator);
    ensure(v !== undefined && d !== undefined, ErrorCode.NotFound, 'no delegation');
    ensure(shares > 0n && shares <= d.shares, ErrorCode.InvalidRequest, 'too many shares');
    for (const h of this.hooks) h.beforeDelegationSharesModified?.(ctx, delegator, validator, true);
    const tokens = this.tokensOfShares(v, shares);
    const left = d.shares - shares;
    if (left === 0n) {
      for (const h of this.hooks) h.beforeDelegationRemoved?.(ctx, delegator, validator);
      ctx.store.delete(delKey(validator, delegator));
    } else {
      ctx.store.set(delKey(validator, delegator), left);
    }
    this.setValidator(ctx, {
      ...v,
      tokens: v.tokens - tokens,
      delegatorShares: v.delegatorShares - shares,
    });
    if (tokens > 0n) this.bank.send(ctx, BONDED_POOL, delegator, { denom: 'ubwk', amount: tokens });
    if (left > 0n)
      for (const h of this.hooks) h.afterDelegationModified?.(ctx, delegator, validator);
    return tokens;
  }

  private setValidator(ctx: Context, v: Validator): void {
    ctx.store.set(valKey(v.operator), v as unknown as Value);
  }
}

const genesisSchema = z.strictObject({
  validators: z
    .array(
      z.strictObject({ operator: z.string(), commissionRate: z.bigint(), selfBond: z.bigint() }),
    )
    .default([]),
});

/** Exposes the fake keeper through messages (test only; anyone may slash). */
export class FakeStakingModule implements Module<z.infer<typeof genesisSchema>> {
  readonly name = 'fakestaking';
  readonly genesisSchema = genesisSchema;
  readonly queries = [];
  readonly invariants = [];
  constructor(readonly keeper: FakeStakingKeeper) {}
  readonly msgs = [
    defineMsg({
      type: 'fakestaking/delegate',
      summary: 'delegate',
      schema: z.strictObject({ validator: addressSchema, amount: z.bigint() }),
      handle: (ctx, sender, m) => {
        this.keeper.delegate(ctx, sender, m.validator, m.amount);
      },
    }),
    defineMsg({
      type: 'fakestaking/undelegate',
      summary: 'undelegate',
      schema: z.strictObject({ validator: addressSchema, shares: z.bigint() }),
      handle: (ctx, sender, m) => {
        this.keeper.undelegate(ctx, sender, m.validator, m.shares);
      },
    }),
    defineMsg({
      type: 'fakestaking/slash',
      summary: 'slash',
      schema: z.strictObject({ validator: addressSchema, fraction: z.bigint() }),
      handle: (ctx, _sender, m) => {
        this.keeper.slash(ctx, consAddressOf(m.validator), ctx.block.height, 0n, m.fraction);
      },
    }),
  ];
  defaultGenesis() {
    return { validators: [] };
  }
  initGenesis(ctx: Context, g: z.infer<typeof genesisSchema>): void {
    for (const v of g.validators)
      this.keeper.createValidator(ctx, v.operator, v.commissionRate, v.selfBond);
    ctx.events.length = 0;
  }
  exportGenesis(): Value {
    return {};
  }
}

export interface ChainOptions {
  accounts: TestAccount[];
  balance?: bigint;
  validators: { account: TestAccount; commissionRate: bigint; selfBond: bigint }[];
  distribution?: Record<string, unknown>;
  /** Build the staking keeper and modules (defaults to the fake). */
  staking?: (bank: BankKeeper) => { keeper: StakingKeeperApi; modules: AnyModule[] };
  /** Genesis parts of other modules (the real staking's). */
  appGenesis?: Record<string, unknown>;
  /** The genesis validator list (hex consensus keys). */
  genesisValidators?: { name: string; pubKey: string; power: string }[];
}

/** An app with auth, bank, a staking keeper and distribution, driven block by block. */
export class DistrChain {
  readonly app: App;
  readonly bank: BankKeeper;
  readonly staking: StakingKeeperApi;
  readonly distr: DistributionKeeper;
  readonly module: DistributionModule;
  private readonly nonces = new Map<string, number>();

  constructor(opts: ChainOptions) {
    this.bank = new BankKeeper();
    const staking = opts.staking?.(this.bank) ?? {
      keeper: new FakeStakingKeeper(this.bank),
      modules: [] as AnyModule[],
    };
    if (opts.staking === undefined) {
      staking.modules = [new FakeStakingModule(staking.keeper as FakeStakingKeeper)];
    }
    this.staking = staking.keeper;
    const d = createDistribution(this.bank, this.staking);
    this.distr = d.keeper;
    this.module = d.module;
    this.app = new App({
      modules: [
        new AuthModule(new AuthKeeper()),
        new BankModule(this.bank),
        ...staking.modules,
        d.module,
      ],
      assertInvariants: true,
    });
    const amount = String(opts.balance ?? 10n ** 15n);
    this.app.initChain({
      chainId: 'distr-test',
      genesisTime: '2023-11-14T22:13:20Z',
      validators: opts.genesisValidators ?? [{ name: 'v', pubKey: '00'.repeat(32), power: '1' }],
      app: {
        bank: {
          balances: opts.accounts.map((a) => ({
            address: a.address,
            coins: [
              { denom: 'ubwk', amount },
              { denom: 'uusd', amount },
            ],
          })),
        },
        ...(opts.staking === undefined
          ? {
              fakestaking: {
                validators: opts.validators.map((v) => ({
                  operator: v.account.address,
                  commissionRate: v.commissionRate,
                  selfBond: v.selfBond,
                })),
              },
            }
          : {}),
        ...opts.appGenesis,
        ...(opts.distribution !== undefined ? { distribution: opts.distribution } : {}),
      },
    });
  }

  get store(): ReadStore {
    return this.app.state;
  }

  tx(from: TestAccount, msgs: Msg[], fee = 1000n): Uint8Array {
    const nonce = this.nonces.get(from.address) ?? 0;
    this.nonces.set(from.address, nonce + 1);
    return encodeTx(
      signTx(
        {
          chainId: this.app.chainId,
          signer: from.pubKey,
          nonce,
          fee: { denom: 'ubwk', amount: fee },
          msgs,
        },
        from.seed,
      ),
    );
  }

  /** Votes of the active set (as of now), all signed but those of the listed operators. */
  votes(absent: string[] = []): VoteInfo[] {
    return this.staking
      .activeSet(this.store)
      .filter((v) => v.power > 0n)
      .map((v) => ({
        address: v.consAddress,
        power: v.power,
        signed: !absent.includes(v.operator),
      }));
  }

  block(txs: Uint8Array[] = [], votes: VoteInfo[] = this.votes()): FinalizeBlockResponse {
    const height = this.app.height + 1;
    const res = this.app.finalizeBlock({
      block: {
        chainId: this.app.chainId,
        height,
        timeMs: GENESIS_MS + height * 1000,
        proposer: '',
        hash: sha256(new TextEncoder().encode(`block/${height}`)),
      },
      txs,
      lastCommit: { round: 0, votes },
      misbehavior: [],
    });
    this.app.commit();
    return res;
  }

  /** Runs keeper code between blocks (as another module would), atomically. */
  run<T>(fn: (ctx: Context) => T): T {
    const branch = new Branch(this.app.state);
    const ctx = new ContextClass(branch, {
      chainId: this.app.chainId,
      height: this.app.height,
      timeMs: GENESIS_MS + this.app.height * 1000,
      proposer: '',
      hash: new Uint8Array(32),
    });
    const out = fn(ctx);
    branch.write();
    return out;
  }

  balance(address: string, denom = 'ubwk'): bigint {
    return this.bank.balance(this.store, address, denom);
  }
}

export const acct = (name: string) => testAccount(`distr/${name}`);
