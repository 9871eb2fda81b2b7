import { z } from 'zod';
import { App } from '../../app/app.ts';
import { type Context, defineMsg, type Module } from '../../app/module.ts';
import type { Event, FinalizeBlockResponse } from '../../app/types.ts';
import { addressBytes } from '../../crypto/address.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import type { Value } from '../../encoding/canonical.ts';
import { fromDecimalString, ONE } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import { GENESIS_MS, type TestAccount, testAccount, testGenesis } from '../../testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../tx/tx.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import { GOV_ADDRESS } from '../gov/keeper.ts';
import type { VaultsKeeper } from '../vaults/keeper.ts';
import { createVaults } from '../vaults/module.ts';
import { DEVNET_VAULTS_PARAMS, paramsToJson as vaultParamsJson } from '../vaults/params.ts';
import type { OptionsKeeper } from './keeper.ts';
import { createOptions } from './module.ts';
import {
  DEVNET_OPTIONS_PARAMS,
  type OptionsParams,
  paramsToJson,
  type SeriesSpec,
  seriesToJson,
} from './params.ts';
import type { OptionsOracle, OptionsPauses } from './types.ts';

/** Test-only pause switch (gov's emergency pauses). */
export class FakePauses implements OptionsPauses {
  readonly paused = new Set<string>();
  isPaused(_store: ReadStore, market: string): boolean {
    return this.paused.has(market);
  }
}

/**
 * Test-only stand-in for a gov proposal that executes msgs: `testgov/exec` runs one options
 * msg with the gov module account as its sender, inside the block, as such a proposal would.
 */
export class GovExecModule implements Module<Record<string, never>> {
  readonly name = 'testgov';
  readonly genesisSchema = z.object({}) as unknown as z.ZodType<Record<string, never>>;
  readonly queries = [];
  readonly invariants = [];
  constructor(private readonly target: Module) {}
  readonly msgs = [
    defineMsg({
      type: 'testgov/exec',
      summary: 'Runs a msg as the gov module account (tests only)',
      schema: z.strictObject({ type: z.string(), value: z.unknown() }),
      handle: (ctx, _sender, m) => {
        const def = this.target.msgs.find((d) => d.type === m.type);
        if (def === undefined) throw new Error(`no msg ${m.type}`);
        def.handle(ctx, GOV_ADDRESS, def.schema.parse(m.value));
      },
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

/** Test-only oracle: prices, heights and volatilities set by the test (not in state). */
export class FakeOracle implements OptionsOracle {
  readonly prices = new Map<string, { price: bigint; height: number }>();
  readonly vols = new Map<string, bigint>();
  readonly stale = new Set<string>();
  sigmaBlock = 0n;
  markets(): string[] {
    return ['ETH-USD', 'BTC-USD'];
  }
  price(_store: ReadStore, market: string) {
    return this.prices.get(market);
  }
  isReduceOnly(_store: ReadStore, market: string): boolean {
    return this.stale.has(market) || !this.prices.has(market);
  }
  volatility(_store: ReadStore, market: string): bigint {
    return this.vols.get(market) ?? 0n;
  }
  sigmaPerBlock(): bigint {
    return this.sigmaBlock;
  }
}

export const E18 = ONE;
export const dec = (s: string) => fromDecimalString(s);
export const alice = testAccount('alice');
export const bob = testAccount('bob');
export const carol = testAccount('carol');
export const ACCOUNTS = [alice, bob, carol];
export const START = 1_000_000_000_000n;
/** The options vault and a vault standing for a perps market's (never touched by options). */
export const OPT_VAULT = 'ETH-OPT';
export const PERP_VAULT = 'ETH-USD';
export const FIRST_BLOCK_MS = GENESIS_MS + 1000;
export const HOUR_MS = 3_600_000;

/** Call and put at 3 000, expiring one hour after the first block. */
export function testSeries(overrides: Partial<SeriesSpec>[] = []): SeriesSpec[] {
  const base: SeriesSpec[] = [
    {
      id: 'ETH-3000-C',
      underlying: 'ETH-USD',
      strike: 3_000n * E18,
      expiryMs: FIRST_BLOCK_MS + HOUR_MS,
      kind: 'call',
      vault: OPT_VAULT,
    },
    {
      id: 'ETH-3000-P',
      underlying: 'ETH-USD',
      strike: 3_000n * E18,
      expiryMs: FIRST_BLOCK_MS + HOUR_MS,
      kind: 'put',
      vault: OPT_VAULT,
    },
  ];
  return base.map((s, i) => ({ ...s, ...overrides[i] }));
}

export interface OptionsChainOptions {
  series?: SeriesSpec[];
  params?: Partial<OptionsParams>;
  /** Seed of the options vault (default 100 000 USD). */
  vaultSeed?: bigint;
}

/** auth, bank, vaults, options; a fake oracle; invariants checked after every block. */
export class OptionsChain {
  readonly app: App;
  readonly bank = new BankKeeper();
  readonly vaults: VaultsKeeper;
  readonly keeper: OptionsKeeper;
  readonly oracle = new FakeOracle();
  readonly pauses = new FakePauses();
  timeMs = GENESIS_MS;
  private readonly nonces = new Map<string, number>();

  constructor(opts: OptionsChainOptions = {}) {
    const vaults = createVaults(this.bank);
    this.vaults = vaults.keeper;
    const options = createOptions({
      vaults: vaults.keeper,
      oracle: this.oracle,
      pauses: this.pauses,
      isPerpsVault: (_store, id) => id === PERP_VAULT,
    });
    this.keeper = options.keeper;
    vaults.keeper.setLockedProvider((store, id) => options.keeper.lockedFor(store, id));
    vaults.keeper.setEquityAdjuster((store, id) => options.keeper.adjustmentFor(store, id));
    this.oracle.prices.set('ETH-USD', { price: 3_000n * E18, height: 1 });
    this.oracle.vols.set('ETH-USD', dec('0.8'));
    this.app = new App({
      modules: [
        new AuthModule(new AuthKeeper()),
        new BankModule(this.bank),
        vaults.module,
        options.module,
        new GovExecModule(options.module),
      ],
      assertInvariants: true,
    });
    const seed = opts.vaultSeed ?? 100_000_000_000n;
    const genesis = testGenesis(ACCOUNTS, START);
    genesis.app = {
      ...genesis.app,
      vaults: {
        params: vaultParamsJson(DEVNET_VAULTS_PARAMS),
        vaults: [OPT_VAULT, PERP_VAULT].map((id) => ({
          id,
          seed: { depositor: carol.address, amount: String(seed) },
        })),
      },
      options: {
        params: paramsToJson({ ...DEVNET_OPTIONS_PARAMS, ...opts.params }),
        series: (opts.series ?? testSeries()).map(seriesToJson),
      },
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

  /** One block, `stepMs` after the last (default 1 s). */
  block(txs: Uint8Array[] = [], stepMs = 1000): FinalizeBlockResponse {
    const height = this.app.height + 1;
    this.timeMs += stepMs;
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

  /** Sets the oracle price as published in the coming block. */
  setPrice(price: bigint, market = 'ETH-USD'): void {
    this.oracle.prices.set(market, { price, height: this.app.height + 1 });
  }

  run(from: TestAccount, msgs: Msg | Msg[]): { code: number; log: string; events: Event[] } {
    const res = this.block([this.tx(from, Array.isArray(msgs) ? msgs : [msgs])]);
    const r = res.txResults[0];
    if (r === undefined) throw new Error('no tx result');
    if (r.code !== 0) this.resyncNonce(from);
    return r;
  }

  ok(from: TestAccount, msgs: Msg | Msg[]): Event[] {
    const r = this.run(from, msgs);
    if (r.code !== 0) throw new Error(`tx failed with code ${r.code}: ${r.log}`);
    return r.events;
  }

  resyncNonce(who: TestAccount): void {
    const acc = this.app.query('auth/account', { address: who.address }).value as
      | { nonce: number | bigint }
      | null
      | undefined;
    this.nonces.set(who.address, acc ? Number(acc.nonce) : 0);
  }

  query<T = Value>(path: string, args: Value = {}): T {
    const r = this.app.query(path, args);
    if (r.code !== 0) throw new Error(`query ${path}: ${r.log}`);
    return r.value as T;
  }

  uusd(address: string): bigint {
    return this.bank.balance(this.store, address, 'uusd');
  }

  vaultCash(id = OPT_VAULT): bigint {
    return this.uusd(this.vaults.accountOf(id));
  }
}

export const buy = (series: string, qty: bigint, maxPrice: bigint | string = ONE): Msg => ({
  type: 'options/buy',
  value: { series, qty, maxPrice },
});
export const sell = (series: string, qty: bigint, minPrice: bigint | string = 0n): Msg => ({
  type: 'options/sell',
  value: { series, qty, minPrice },
});
