import { z } from 'zod';
import { App } from '../../app/app.ts';
import { type Context, defineMsg, type Module } from '../../app/module.ts';
import type { Event, FinalizeBlockResponse } from '../../app/types.ts';
import { addressBytes, moduleAddress } from '../../crypto/address.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import type { Value } from '../../encoding/canonical.ts';
import type { ReadStore } from '../../store/store.ts';
import { GENESIS_MS, type TestAccount, testAccount, testGenesis } from '../../testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../tx/tx.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import type { VaultsGenesisInput } from './genesis.ts';
import type { VaultsKeeper } from './keeper.ts';
import { createVaults, type VaultsModule } from './module.ts';
import { DEVNET_VAULTS_PARAMS, paramsToJson, VAULT_DENOM } from './params.ts';

/**
 * A stand-in for a product module (perps, options) in the vaults' tests: it holds a
 * "market pool" account, registers the equity adjuster and locked provider from values set
 * by msgs, and calls the vaults keeper as the perps module will (income, payouts, losses).
 * Test-only: any signer may set the values.
 */
export const MARKET_POOL = moduleAddress('testmarket/pool');
const lockedKey = (vault: string) => `testmarket/locked/${vault}`;
const adjustKey = (vault: string) => `testmarket/adjust/${vault}`;
const uncoveredKey = (vault: string) => `testmarket/uncovered/${vault}`;

const big = z.bigint();
const vault = z.string();

export class TestMarketModule implements Module<Record<string, never>> {
  readonly name = 'testmarket';
  readonly genesisSchema = z.strictObject({}) as unknown as z.ZodType<Record<string, never>>;
  readonly queries = [];
  readonly invariants = [];

  constructor(
    readonly vaults: VaultsKeeper,
    readonly bank: BankKeeper,
  ) {
    vaults.setEquityAdjuster((store, id) => (store.get(adjustKey(id)) as bigint | undefined) ?? 0n);
    vaults.setLockedProvider((store, id) => (store.get(lockedKey(id)) as bigint | undefined) ?? 0n);
  }

  static uncovered(store: ReadStore, id: string): bigint {
    return (store.get(uncoveredKey(id)) as bigint | undefined) ?? 0n;
  }

  readonly msgs = [
    defineMsg({
      type: 'testmarket/set',
      summary: 'Set the locked capital and equity adjustment reported for a vault',
      schema: z.strictObject({ vault, locked: big.optional(), adjust: big.optional() }),
      handle: (ctx, _sender, m) => {
        if (m.locked !== undefined) ctx.store.set(lockedKey(m.vault), m.locked);
        if (m.adjust !== undefined) ctx.store.set(adjustKey(m.vault), m.adjust);
      },
    }),
    defineMsg({
      type: 'testmarket/fee',
      summary: 'The signer pays a fee that goes to the vault',
      schema: z.strictObject({
        vault,
        amount: big,
        kind: z.enum(['trading-fee', 'liquidation-fee', 'premium']),
        denom: z.string().optional(),
      }),
      handle: (ctx, sender, m) =>
        this.vaults.creditIncome(
          ctx,
          m.vault,
          sender,
          { denom: m.denom ?? VAULT_DENOM, amount: m.amount },
          m.kind,
        ),
    }),
    defineMsg({
      type: 'testmarket/loss',
      summary: 'Bad debt of the market: the vault covers what it can into the market pool',
      schema: z.strictObject({ vault, amount: big }),
      handle: (ctx, _sender, m) => {
        const { uncovered } = this.vaults.absorbLoss(ctx, m.vault, m.amount, MARKET_POOL);
        const key = uncoveredKey(m.vault);
        ctx.store.set(key, TestMarketModule.uncovered(ctx.store, m.vault) + uncovered);
      },
    }),
    defineMsg({
      type: 'testmarket/payout',
      summary: 'A backstop settlement paid by the vault',
      schema: z.strictObject({ vault, to: z.string(), amount: big }),
      handle: (ctx, _sender, m) => {
        this.vaults.payOut(ctx, m.vault, m.to, m.amount, 'test');
      },
    }),
    defineMsg({
      type: 'testmarket/steal',
      summary: 'A buggy module moving uusd out of a vault account behind the keeper',
      schema: z.strictObject({ vault, amount: big }),
      handle: (ctx, _sender, m) =>
        this.bank.send(ctx, this.vaults.accountOf(m.vault), MARKET_POOL, {
          denom: VAULT_DENOM,
          amount: m.amount,
        }),
    }),
  ];

  defaultGenesis(): Record<string, never> {
    return {};
  }
  initGenesis(_ctx: Context): void {}
  exportGenesis(): Value {
    return {};
  }
}

export const alice = testAccount('alice');
export const bob = testAccount('bob');
export const carol = testAccount('carol');
export const ACCOUNTS = [alice, bob, carol];
/** Every test account starts with this much ubwk and uusd. */
export const START = 1_000_000_000_000n;
export const BLOCK_MS = 1_000;

export interface VaultChainOptions {
  vaults?: VaultsGenesisInput['vaults'];
  params?: Partial<typeof DEVNET_VAULTS_PARAMS>;
  accounts?: TestAccount[];
  /** What every account starts with, in ubwk and uusd (default START). */
  startAmount?: bigint;
  /** Module genesis parts that replace the defaults (e.g. an exported bank and vaults). */
  app?: Record<string, unknown>;
}

/**
 * A chain of auth, bank, vaults and the test market, driven block by block with a clock the
 * test moves; invariants are checked after every block.
 */
export class VaultChain {
  readonly app: App;
  readonly keeper: VaultsKeeper;
  readonly bank: BankKeeper;
  readonly module: VaultsModule;
  timeMs = GENESIS_MS;
  private readonly nonces = new Map<string, number>();

  constructor(opts: VaultChainOptions = {}) {
    this.bank = new BankKeeper();
    const { keeper, module } = createVaults(this.bank);
    this.keeper = keeper;
    this.module = module;
    this.app = new App({
      modules: [
        new AuthModule(new AuthKeeper()),
        new BankModule(this.bank),
        module,
        new TestMarketModule(keeper, this.bank),
      ],
      assertInvariants: true,
    });
    const genesis = testGenesis(opts.accounts ?? ACCOUNTS, opts.startAmount ?? START);
    genesis.app = {
      ...genesis.app,
      vaults: {
        params: paramsToJson({ ...DEVNET_VAULTS_PARAMS, ...opts.params }),
        vaults: opts.vaults ?? [{ id: 'BTC-USD' }, { id: 'ETH-USD' }],
      },
      ...opts.app,
    };
    this.app.initChain(genesis);
  }

  get store(): ReadStore {
    return this.app.state;
  }

  tx(from: TestAccount, msgs: Msg[]): Uint8Array {
    const nonce = this.nonces.get(from.address) ?? 0;
    this.nonces.set(from.address, nonce + 1);
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

  /** One block, `advanceMs` after the previous one (default one block time). */
  block(txs: Uint8Array[] = [], advanceMs = BLOCK_MS): FinalizeBlockResponse {
    const height = this.app.height + 1;
    this.timeMs += advanceMs;
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

  /** Runs one tx of `from` in its own block; returns its result (code 0 = success). */
  run(
    from: TestAccount,
    msgs: Msg | Msg[],
    advanceMs = BLOCK_MS,
  ): { code: number; log: string; events: Event[] } {
    const res = this.block([this.tx(from, Array.isArray(msgs) ? msgs : [msgs])], advanceMs);
    const r = res.txResults[0];
    if (r === undefined) throw new Error('no tx result');
    return r;
  }

  /** Like `run`, but throws with the log unless the tx succeeded. */
  ok(from: TestAccount, msgs: Msg | Msg[], advanceMs = BLOCK_MS): Event[] {
    const r = this.run(from, msgs, advanceMs);
    if (r.code !== 0) throw new Error(`tx failed with code ${r.code}: ${r.log}`);
    return r.events;
  }

  uusd(address: string): bigint {
    return this.bank.balance(this.store, address, VAULT_DENOM);
  }

  shares(id: string, who: TestAccount): bigint {
    return this.keeper.sharesOf(this.store, id, who.address);
  }

  /** Everything about one vault that another vault's operations must never change. */
  snapshot(id: string): Value {
    const v = this.keeper.requireVault(this.store, id);
    return {
      record: v as unknown as Value,
      cash: this.keeper.cash(this.store, id),
      equity: this.keeper.equity(this.store, id),
      price: this.keeper.sharePrice(this.store, id),
      holders: this.keeper.holders(this.store, id) as unknown as Value,
      pending: this.keeper.allPending(this.store, id) as unknown as Value,
    };
  }
}

// ---- msg builders ------------------------------------------------------------------------

export const deposit = (vault: string, amount: bigint): Msg => ({
  type: 'vaults/deposit',
  value: { vault, amount },
});
export const requestWithdraw = (vault: string, shares: bigint): Msg => ({
  type: 'vaults/request-withdraw',
  value: { vault, shares },
});
export const cancelWithdraw = (vault: string, request?: number): Msg => ({
  type: 'vaults/cancel-withdraw',
  value: request === undefined ? { vault } : { vault, request },
});
export const withdraw = (vault: string): Msg => ({ type: 'vaults/withdraw', value: { vault } });
export const fee = (
  vault: string,
  amount: bigint,
  kind: 'trading-fee' | 'liquidation-fee' | 'premium' = 'trading-fee',
): Msg => ({ type: 'testmarket/fee', value: { vault, amount, kind } });
export const loss = (vault: string, amount: bigint): Msg => ({
  type: 'testmarket/loss',
  value: { vault, amount },
});
export const setMarket = (vault: string, v: { locked?: bigint; adjust?: bigint }): Msg => ({
  type: 'testmarket/set',
  value: { vault, ...v },
});
export const payout = (vault: string, to: string, amount: bigint): Msg => ({
  type: 'testmarket/payout',
  value: { vault, to, amount },
});
