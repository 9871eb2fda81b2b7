import { App } from '../../app/app.ts';
import type { Event, FinalizeBlockResponse } from '../../app/types.ts';
import { addressBytes } from '../../crypto/address.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import { encode, type Value } from '../../encoding/canonical.ts';
import type { ReadStore } from '../../store/store.ts';
import { GENESIS_MS, type TestAccount, testAccount, testGenesis } from '../../testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../tx/tx.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import type { VaultsKeeper } from '../vaults/keeper.ts';
import { createVaults } from '../vaults/module.ts';
import { DEVNET_VAULTS_PARAMS, paramsToJson as vaultParamsJson } from '../vaults/params.ts';
import type { PauseSource, PriceSource } from './api.ts';
import type { PerpsKeeper } from './keeper.ts';
import { createPerps } from './module.ts';
import {
  DEVNET_MARKETS,
  DEVNET_PERPS_PARAMS,
  type MarketSpec,
  marketToJson,
  PERPS_DENOM,
  type PerpsParams,
  paramsToJson,
} from './params.ts';

/** Test-only price source: prices set by the test (not in state). */
export class FakePrices implements PriceSource {
  readonly prices = new Map<string, bigint>();
  readonly stale = new Set<string>();
  /** EWMA σ per block by market (the dynamic margin's input); 0 when unset. */
  readonly sigmas = new Map<string, bigint>();
  price(_store: ReadStore, market: string): bigint | undefined {
    return this.prices.get(market);
  }
  sigmaPerBlock(_store: ReadStore, market: string): bigint {
    return this.sigmas.get(market) ?? 0n;
  }
  isReduceOnly(_store: ReadStore, market: string): boolean {
    return this.stale.has(market);
  }
}

/** Test-only pause switch. */
export class FakePauses implements PauseSource {
  readonly paused = new Set<string>();
  isPaused(_store: ReadStore, market: string): boolean {
    return this.paused.has(market);
  }
}

export const E18 = 10n ** 18n;
export const USD = 1_000_000n;
export const alice = testAccount('alice');
export const bob = testAccount('bob');
export const carol = testAccount('carol');
export const dave = testAccount('dave');
export const ACCOUNTS = [alice, bob, carol, dave];
export const START = 1_000_000_000_000n;

export interface PerpsChainOptions {
  /** Resume from this chain's committed state instead of a genesis (a restart). */
  restartFrom?: PerpsChain;
  /** Seed of each vault in uusd (default 100 000 USD). */
  vaultSeed?: bigint;
  markets?: Partial<MarketSpec>[];
  /** Overrides of the devnet perps params. */
  params?: Partial<PerpsParams>;
}

/** auth, bank, vaults, perps; fixed prices; invariants checked after every block. */
export class PerpsChain {
  readonly app: App;
  readonly bank = new BankKeeper();
  readonly vaults: VaultsKeeper;
  readonly keeper: PerpsKeeper;
  readonly prices = new FakePrices();
  readonly pauses = new FakePauses();
  timeMs = GENESIS_MS;
  private readonly nonces = new Map<string, number>();

  constructor(opts: PerpsChainOptions = {}) {
    const vaults = createVaults(this.bank);
    this.vaults = vaults.keeper;
    const perps = createPerps(this.bank, vaults.keeper, this.prices, this.pauses);
    this.keeper = perps.keeper;
    this.prices.prices.set('BTC-USD', 50_000n * E18);
    this.prices.prices.set('ETH-USD', 3_000n * E18);
    this.app = new App({
      modules: [
        new AuthModule(new AuthKeeper()),
        new BankModule(this.bank),
        vaults.module,
        perps.module,
      ],
      assertInvariants: true,
    });
    const seed = opts.vaultSeed ?? 100_000n * USD;
    const genesis = testGenesis(ACCOUNTS, START);
    const markets = DEVNET_MARKETS.map((m, i) => ({ ...m, ...opts.markets?.[i] }));
    genesis.app = {
      ...genesis.app,
      vaults: {
        params: vaultParamsJson(DEVNET_VAULTS_PARAMS),
        vaults: markets.map((m) => ({
          id: m.vault,
          seed: { depositor: dave.address, amount: String(seed) },
        })),
      },
      perps: {
        params: paramsToJson({ ...DEVNET_PERPS_PARAMS, ...opts.params }),
        markets: markets.map(marketToJson),
      },
    };
    const from = opts.restartFrom;
    if (from !== undefined) {
      const entries = [...from.app.tree.iterate('')].map(
        ([k, v]) => [k, encode(v)] as [string, Uint8Array],
      );
      this.app.load(entries, from.app.height, from.app.appHash);
      this.timeMs = from.timeMs;
      for (const [k, v] of from.nonces) this.nonces.set(k, v);
      for (const [k, v] of from.prices.prices) this.prices.prices.set(k, v);
    } else {
      this.app.initChain(genesis);
    }
  }

  get store(): ReadStore {
    return this.app.state;
  }

  get height(): number {
    return this.app.height;
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

  block(txs: Uint8Array[] = []): FinalizeBlockResponse {
    const height = this.app.height + 1;
    this.timeMs += 1000;
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

  /** After a refused tx: the nonce the chain expects (a tx refused at the edge uses none). */
  resyncNonce(who: TestAccount): void {
    const acc = this.app.query('auth/account', { address: who.address }).value as
      | { nonce: number | bigint }
      | null
      | undefined;
    this.nonces.set(who.address, acc ? Number(acc.nonce) : 0);
  }

  query(path: string, args: Value = {}): Value {
    const r = this.app.query(path, args);
    return r.value as Value;
  }

  uusd(address: string): bigint {
    return this.bank.balance(this.store, address, PERPS_DENOM);
  }

  pool(market: string): bigint {
    return this.uusd(this.keeper.poolOf(market));
  }

  collateral(market: string, who: TestAccount): bigint {
    return this.keeper.collateral(this.store, market, who.address);
  }

  size(market: string, who: TestAccount): bigint {
    return this.keeper.position(this.store, market, who.address).size;
  }
}

// ---- msg builders ----------------------------------------------------------------------------

export const depositMsg = (market: string, amount: bigint): Msg => ({
  type: 'perps/deposit',
  value: { market, amount },
});
export const withdrawMsg = (market: string, amount: bigint): Msg => ({
  type: 'perps/withdraw',
  value: { market, amount },
});

export interface PlaceArgs {
  market?: string;
  clientId: number;
  side: 'buy' | 'sell';
  priceTicks: number;
  sizeQuantums: number;
  type?: 'limit' | 'market';
  timeInForce?: 'gtc' | 'ioc' | 'post-only';
  reduceOnly?: boolean;
  goodTilBlock?: number;
}

export const place = (a: PlaceArgs): Value => ({
  place: {
    market: a.market ?? 'BTC-USD',
    clientId: a.clientId,
    side: a.side,
    priceTicks: a.priceTicks,
    sizeQuantums: a.sizeQuantums,
    type: a.type ?? 'limit',
    timeInForce: a.timeInForce ?? 'gtc',
    reduceOnly: a.reduceOnly ?? false,
    ...(a.goodTilBlock !== undefined ? { goodTilBlock: a.goodTilBlock } : {}),
  },
});
export const cancel = (market: string, ref: { clientId: number } | { orderId: string }): Value => ({
  cancel: { market, ...ref },
});
export const cancelAll = (market: string): Value => ({ cancelAll: { market } });
export const orders = (...items: Value[]): Msg => ({
  type: 'perps/place-orders',
  value: { orders: items },
});
