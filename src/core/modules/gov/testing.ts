/**
 * Test helpers of the gov module: a small in-memory staking keeper, a community-pool
 * spender, a module with bounded params to govern, and a chain of auth + bank + gov driven
 * block by block with a controllable clock. Not used by the chain itself.
 */
import { z } from 'zod';
import { App } from '../../app/app.ts';
import type { GenesisInput } from '../../app/genesis.ts';
import {
  type AnyModule,
  type Context,
  defineMsg,
  defineQuery,
  type Module,
} from '../../app/module.ts';
import { Params } from '../../app/params.ts';
import type { FinalizeBlockResponse } from '../../app/types.ts';
import type { Coin } from '../../coin.ts';
import { addressBytes, moduleAddress } from '../../crypto/address.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../../errors.ts';
import { mulDiv, ONE, Rounding } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import { GENESIS_MS, type TestAccount, testAccount, testGenesis } from '../../testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../tx/tx.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import type {
  ActiveValidator,
  Delegation,
  StakingKeeperApi,
  StakingParams,
  Validator,
} from '../staking/api.ts';
import { GOV_ADDRESS, GovKeeper } from './keeper.ts';
import { GovModule } from './module.ts';
import { GOV_EXECUTABLE_MSGS } from './params.ts';
import { type CommunityPoolSpender, msgRouterOf } from './types.ts';

/** The test module's gov-only msg, allowlisted for execute proposals in `GovChain`. */
export const SET_WINDOW_MSG = 'testmod/set-window';

/** Validators and delegations in memory: enough of staking for gov's eligibility and tally. */
export class FakeStaking implements StakingKeeperApi {
  private readonly vals = new Map<string, Validator>();
  private readonly dels = new Map<string, Delegation>();

  /** A bonded validator whose operator self-delegates `tokens` (1 token = 1 share). */
  addValidator(operator: string, tokens: bigint, status: Validator['status'] = 'bonded'): void {
    this.vals.set(operator, {
      operator,
      consAddress: toHex(sha256(new TextEncoder().encode(operator)).subarray(0, 20)),
      consPubKey: new Uint8Array(32),
      moniker: operator.slice(0, 10),
      tokens: 0n,
      delegatorShares: 0n,
      commission: { rate: 0n, maxRate: ONE, maxChangeRate: ONE, updateTimeMs: 0 },
      minSelfDelegation: 1n,
      jailed: false,
      status,
      createdHeight: 0,
    });
    this.delegate(operator, operator, tokens);
  }

  /** Delegates `tokens` at the validator's current token/share rate (shares floored). */
  delegate(delegator: string, operator: string, tokens: bigint): void {
    const v = this.vals.get(operator);
    if (v === undefined) throw new Error(`no validator ${operator}`);
    const shares =
      v.tokens === 0n ? tokens * ONE : mulDiv(tokens, v.delegatorShares, v.tokens, Rounding.Floor);
    this.vals.set(operator, {
      ...v,
      tokens: v.tokens + tokens,
      delegatorShares: v.delegatorShares + shares,
    });
    const key = `${delegator}/${operator}`;
    const d = this.dels.get(key);
    this.dels.set(key, { delegator, validator: operator, shares: (d?.shares ?? 0n) + shares });
  }

  /** Removes `tokens` from a validator (a slash): every delegator's share is worth less. */
  burnTokens(operator: string, tokens: bigint): void {
    const v = this.vals.get(operator);
    if (v === undefined) throw new Error(`no validator ${operator}`);
    this.vals.set(operator, { ...v, tokens: v.tokens - tokens });
  }

  params(): StakingParams {
    return {
      unbondingTimeMs: 21 * 24 * 3600 * 1000,
      maxValidators: 100,
      maxEntries: 7,
      epochLength: 10,
      bondDenom: 'ubwk',
      minSelfBond: 1n,
      historicalEntries: 0,
    };
  }
  validator(_store: ReadStore, operator: string): Validator | undefined {
    return this.vals.get(operator);
  }
  validatorByConsAddress(_store: ReadStore, consAddress: string): Validator | undefined {
    return [...this.vals.values()].find((v) => v.consAddress === consAddress);
  }
  validators(): Validator[] {
    return [...this.vals.values()].sort((a, b) => (a.operator < b.operator ? -1 : 1));
  }
  activeSet(): ActiveValidator[] {
    return this.validators()
      .filter((v) => v.status === 'bonded')
      .map((v) => ({
        operator: v.operator,
        consAddress: v.consAddress,
        consPubKey: v.consPubKey,
        power: v.tokens / 1_000_000n,
        moniker: v.moniker,
      }));
  }
  totalBonded(): bigint {
    let sum = 0n;
    for (const v of this.vals.values()) if (v.status === 'bonded') sum += v.tokens;
    return sum;
  }
  delegation(_store: ReadStore, delegator: string, validator: string): Delegation | undefined {
    return this.dels.get(`${delegator}/${validator}`);
  }
  delegationsOf(_store: ReadStore, delegator: string): Delegation[] {
    return [...this.dels.values()]
      .filter((d) => d.delegator === delegator)
      .sort((a, b) => (a.validator < b.validator ? -1 : 1));
  }
  delegationsTo(_store: ReadStore, validator: string): Delegation[] {
    return [...this.dels.values()]
      .filter((d) => d.validator === validator)
      .sort((a, b) => (a.delegator < b.delegator ? -1 : 1));
  }
  tokensOfShares(v: Validator, shares: bigint): bigint {
    return v.delegatorShares === 0n
      ? 0n
      : mulDiv(shares, v.tokens, v.delegatorShares, Rounding.Floor);
  }
  slash(): bigint {
    throw new Error('not in the fake');
  }
  jail(): void {
    throw new Error('not in the fake');
  }
  unjail(): void {
    throw new Error('not in the fake');
  }
  registerHooks(): void {}
}

/** A community pool kept in a plain account, paid out through the bank. */
export const FAKE_POOL = moduleAddress('test-community-pool');

export class FakeSpender implements CommunityPoolSpender {
  readonly paid: { to: string; coin: Coin }[] = [];
  constructor(private readonly bank: BankKeeper) {}
  spendCommunityPool(ctx: Context, to: string, coin: Coin): void {
    this.bank.send(ctx, FAKE_POOL, to, coin);
    this.paid.push({ to, coin });
  }
}

/**
 * A module with params to govern, shaped like slashing's: a fraction within [0, 10 %] that
 * must also stay ≤ `maxSlashFraction` (a bound that another change can move).
 */
export const testParamsSchema = z
  .strictObject({
    slashFractionDowntime: z
      .bigint()
      .min(0n)
      .max(ONE / 10n),
    maxSlashFraction: z
      .bigint()
      .min(0n)
      .max(ONE / 10n),
    signedBlocksWindow: z.number().int().min(10).max(100_000),
  })
  .refine((p) => p.slashFractionDowntime <= p.maxSlashFraction, {
    message: 'slashFractionDowntime must be ≤ maxSlashFraction',
  });
export type TestParams = z.infer<typeof testParamsSchema>;
export const testParams = new Params('testmod', testParamsSchema);
export const TEST_PARAMS: TestParams = {
  slashFractionDowntime: ONE / 100n,
  maxSlashFraction: ONE / 10n,
  signedBlocksWindow: 100,
};

export class TestParamsModule implements Module<null> {
  readonly name = 'testmod';
  readonly params = testParams as unknown as Params<unknown>;
  readonly msgs = [
    defineMsg({
      type: SET_WINDOW_MSG,
      summary: 'Set signedBlocksWindow (gov account only; the params bounds apply)',
      // Any integer parses: the bounds are checked when the handler sets the params.
      schema: z.strictObject({ window: z.number().int() }),
      handle: (ctx, sender, m) => {
        if (sender !== GOV_ADDRESS)
          throw new ChainError(ErrorCode.Unauthorized, `only ${GOV_ADDRESS} may set the window`);
        testParams.set(ctx.store, { ...testParams.get(ctx.store), signedBlocksWindow: m.window });
      },
    }),
  ];
  readonly invariants = [];
  readonly genesisSchema = z.null();
  readonly queries = [
    defineQuery({
      path: 'testmod/params',
      summary: 'params',
      schema: z.strictObject({}),
      handle: (store) => testParams.get(store) as unknown as Value,
    }),
  ];
  defaultGenesis(): null {
    return null;
  }
  initGenesis(ctx: Context): void {
    testParams.set(ctx.store, TEST_PARAMS);
  }
  exportGenesis(): Value {
    return null;
  }
}

export const alice = testAccount('alice');
export const bob = testAccount('bob');
export const carol = testAccount('carol');
export const dave = testAccount('dave');
export const outsider = testAccount('outsider');

/** An app of auth, bank, gov and the test module; one block per call, time under control. */
export class GovChain {
  readonly app: App;
  readonly staking: FakeStaking;
  readonly bank = new BankKeeper();
  readonly spender = new FakeSpender(this.bank);
  readonly gov: GovKeeper;
  timeMs = GENESIS_MS;
  private readonly nonces = new Map<string, number>();

  constructor(
    govGenesis: Record<string, unknown> = {},
    extra: AnyModule[] = [],
    staking = new FakeStaking(),
  ) {
    this.staking = staking;
    const registry = new Map<string, Params<unknown>>();
    this.gov = new GovKeeper(this.staking, this.bank, registry, this.spender);
    const modules: AnyModule[] = [
      new AuthModule(new AuthKeeper()),
      new BankModule(this.bank),
      new GovModule(this.gov),
      new TestParamsModule(),
      ...extra,
    ];
    for (const m of modules) if (m.params !== undefined) registry.set(m.name, m.params);
    this.gov.setMsgRouter(msgRouterOf(modules), [...GOV_EXECUTABLE_MSGS, SET_WINDOW_MSG]);
    this.app = new App({ modules, assertInvariants: true });
    const genesis: GenesisInput = testGenesis([alice, bob, carol, dave, outsider]);
    const bank = genesis.app?.bank as { balances: { address: string; coins: unknown[] }[] };
    bank.balances.push({
      address: FAKE_POOL,
      coins: [{ denom: 'ubwk', amount: '5000000' }],
    });
    genesis.app = { ...genesis.app, gov: govGenesis };
    this.app.initChain(genesis);
  }

  /** A signed tx with the account's next nonce (`peek`: without using it up, for checkTx). */
  tx(from: TestAccount, msgs: Msg[], peek = false): Uint8Array {
    const nonce = this.nonces.get(from.address) ?? 0;
    if (!peek) this.nonces.set(from.address, nonce + 1);
    return encodeTx(
      signTx(
        {
          chainId: this.app.chainId,
          signer: from.pubKey,
          nonce,
          fee: { denom: 'ubwk', amount: 1000n },
          msgs,
        },
        from.seed,
      ),
    );
  }

  /** Executes and commits one block `dtMs` after the previous one. */
  block(txs: Uint8Array[] = [], dtMs = 1000): FinalizeBlockResponse {
    this.timeMs += dtMs;
    const height = this.app.height + 1;
    const res = this.app.finalizeBlock({
      block: {
        chainId: this.app.chainId,
        height,
        timeMs: this.timeMs,
        proposer: toHex(addressBytes(testAccount('val0').pubKey)),
        hash: sha256(new TextEncoder().encode(`block/${height}`)),
      },
      txs,
      lastCommit: { round: 0, votes: [] },
      misbehavior: [],
    });
    this.app.commit();
    return res;
  }

  /** One tx of `from` in its own block; returns its result code and the block. */
  send(from: TestAccount, msgs: Msg | Msg[], dtMs = 1000) {
    const res = this.block([this.tx(from, Array.isArray(msgs) ? msgs : [msgs])], dtMs);
    const r = res.txResults[0];
    if (r === undefined) throw new Error('no tx result');
    // A tx refused before its messages ran (malformed) did not use its nonce.
    if (r.code === ErrorCode.InvalidRequest)
      this.nonces.set(from.address, (this.nonces.get(from.address) ?? 1) - 1);
    return { code: r.code, log: r.log, events: r.events, block: res };
  }

  query<T>(path: string, args: unknown = {}): T {
    const r = this.app.query(path, args);
    if (r.code !== 0) throw new ChainError(r.code, r.log);
    return r.value as T;
  }

  balance(address: string, denom = 'ubwk'): bigint {
    return this.bank.balance(this.app.tree, address, denom);
  }

  burned(denom = 'ubwk'): bigint {
    return this.bank.burned(this.app.tree, denom);
  }

  get store(): ReadStore {
    return this.app.tree;
  }
}
