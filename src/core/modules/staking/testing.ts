import { z } from 'zod';
import { App } from '../../app/app.ts';
import type { GenesisInput } from '../../app/genesis.ts';
import type { Context, Module } from '../../app/module.ts';
import type { FinalizeBlockResponse, TxResult } from '../../app/types.ts';
import { addressBytes } from '../../crypto/address.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import type { Value } from '../../encoding/canonical.ts';
import { chainErrorOf } from '../../errors.ts';
import { Branch } from '../../store/branch.ts';
import { BLOCK_MS, GENESIS_MS, type TestAccount, testAccount } from '../../testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../tx/tx.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import type { StakingParams } from './api.ts';
import { StakingKeeper } from './keeper.ts';
import { StakingModule } from './module.ts';
import type { StakingGenesisInput } from './schemas.ts';

/**
 * A small in-process chain with auth, bank and staking for staking's tests (and for other
 * modules' tests that need validators): blocks are driven directly, the proposer is the one
 * staking expects, and `exec` runs code inside the next block (as slashing would).
 */
export const ubwk = (amount: bigint) => ({ denom: 'ubwk', amount });
export const BWK = 1_000_000n;

/** A module that runs queued functions in its beginBlock (placed after staking). */
class DriverModule implements Module<null> {
  readonly name = 'test-driver';
  readonly msgs = [];
  readonly queries = [];
  readonly invariants = [];
  readonly genesisSchema = z.null();
  queue: ((ctx: Context) => void)[] = [];
  defaultGenesis(): null {
    return null;
  }
  initGenesis(): void {}
  exportGenesis(): Value {
    return null;
  }
  beginBlock(ctx: Context): void {
    const q = this.queue;
    this.queue = [];
    for (const f of q) f(ctx);
  }
}

export interface GenesisValidator {
  operator: TestAccount;
  selfBond: bigint;
  rate?: string;
  maxRate?: string;
  maxChangeRate?: string;
}

export interface StakingChainOptions {
  accounts: TestAccount[];
  validators: GenesisValidator[];
  params?: Partial<Omit<StakingParams, 'minSelfBond'>> & { minSelfBond?: string };
  /** Genesis delegations (from the accounts' balances). */
  delegations?: { delegator: TestAccount; validator: TestAccount; amount: bigint }[];
  /** Initial ubwk balance of each account. */
  balance?: bigint;
  assertInvariants?: boolean;
}

/** The consensus key of a test operator. */
export const consKeyOf = (a: TestAccount) => testAccount(`cons/${a.name}`).pubKey;
export const consAddressOf = (a: TestAccount) => toHex(addressBytes(consKeyOf(a)));

/** Devnet-like params with short epochs for tests. */
export const TEST_PARAMS = {
  unbondingTimeMs: 60_000,
  epochLength: 5,
  maxValidators: 10,
  maxEntries: 7,
  minSelfBond: '1000000',
  historicalEntries: 2,
};

export class StakingChain {
  readonly app: App;
  readonly keeper: StakingKeeper;
  readonly bank: BankKeeper;
  readonly staking: StakingModule;
  private readonly driver = new DriverModule();
  private readonly nonces = new Map<string, number>();
  timeMs = GENESIS_MS;

  constructor(opts: StakingChainOptions) {
    this.bank = new BankKeeper();
    this.keeper = new StakingKeeper(this.bank);
    this.staking = new StakingModule(this.keeper);
    this.app = new App({
      modules: [
        new AuthModule(new AuthKeeper()),
        new BankModule(this.bank),
        this.staking,
        this.driver,
      ],
      assertInvariants: opts.assertInvariants ?? true,
    });
    const balance = opts.balance ?? 1_000_000n * BWK;
    const staking: StakingGenesisInput = {
      params: { ...TEST_PARAMS, ...opts.params },
      validators: opts.validators.map((v) => ({
        operator: v.operator.address,
        consPubKey: toHex(consKeyOf(v.operator)),
        moniker: v.operator.name,
        selfBond: String(v.selfBond),
        commission: {
          rate: v.rate ?? '0.1',
          maxRate: v.maxRate ?? '0.2',
          maxChangeRate: v.maxChangeRate ?? '0.01',
        },
      })),
      delegations: (opts.delegations ?? []).map((d) => ({
        delegator: d.delegator.address,
        validator: d.validator.address,
        amount: String(d.amount),
      })),
    };
    const genesis: GenesisInput = {
      chainId: 'bulwark-staking-test',
      genesisTime: '2023-11-14T22:13:20Z',
      validators: opts.validators.map((v) => ({
        name: v.operator.name,
        pubKey: toHex(consKeyOf(v.operator)),
        power: '1',
      })),
      app: {
        bank: {
          balances: opts.accounts.map((a) => ({
            address: a.address,
            coins: [{ denom: 'ubwk', amount: String(balance) }],
          })),
        },
        staking,
      },
    };
    this.app.initChain(genesis);
  }

  get store() {
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

  /** Executes and commits one block; `stepMs` is the time since the previous block. */
  block(
    txs: Uint8Array[] = [],
    opts: { stepMs?: number; proposer?: string } = {},
  ): FinalizeBlockResponse {
    const height = this.app.height + 1;
    this.timeMs += opts.stepMs ?? BLOCK_MS;
    const res = this.app.finalizeBlock({
      block: {
        chainId: this.app.chainId,
        height,
        timeMs: this.timeMs,
        proposer: opts.proposer ?? this.app.proposerFor(height) ?? '',
        hash: sha256(new TextEncoder().encode(`block/${height}`)),
      },
      txs,
      lastCommit: { round: 0, votes: [] },
      misbehavior: [],
    });
    this.app.commit();
    return res;
  }

  /** Signs and executes one tx in its own block; returns its result. */
  send(from: TestAccount, ...msgs: Msg[]): TxResult {
    return this.block([this.tx(from, msgs)]).txResults[0]!;
  }

  /** Runs `f` inside the next block (after staking's beginBlock, before the txs). */
  exec<T>(f: (ctx: Context) => T, opts: { stepMs?: number } = {}): T {
    let out: T | undefined;
    this.driver.queue.push((ctx) => {
      out = f(ctx);
    });
    this.block([], opts);
    return out as T;
  }

  /**
   * Runs a message handler directly in the next block (no signature, no fee): atomic like a
   * tx. Returns 0 or the error code.
   */
  msgs(items: { from: string; msg: Msg }[], opts: { stepMs?: number } = {}): number[] {
    const codes: number[] = [];
    this.driver.queue.push((ctx) => {
      for (const { from, msg } of items) {
        const def = this.app.msgRoutes.get(msg.type)!;
        const branch = new Branch(ctx.store);
        try {
          def.handle(ctx.with(branch), from, def.schema.parse(msg.value));
          branch.write();
          codes.push(0);
        } catch (e) {
          codes.push(chainErrorOf(e).code);
        }
      }
    });
    this.block([], opts);
    return codes;
  }

  /** Advances blocks until the next epoch boundary has been executed. */
  toNextEpoch(): FinalizeBlockResponse {
    const L = this.keeper.params(this.store).epochLength;
    let res = this.block();
    while (this.height % L !== 0) res = this.block();
    return res;
  }

  balance(address: string): bigint {
    return this.bank.balance(this.store, address, 'ubwk');
  }

  /**
   * A fingerprint of staking's records (to check that a refused message changed nothing): all
   * of its state but the proposer priorities, the active set and epoch bookkeeping, which move
   * with blocks and epochs.
   */
  stakingState(): string {
    const parts: string[] = [];
    for (const [k, v] of this.store.iterate('staking/')) {
      if (k === 'staking/priorities' || k === 'staking/active' || k.startsWith('staking/epoch')) {
        continue;
      }
      parts.push(`${k}=${show(v)}`);
    }
    return parts.join('\n');
  }
}

function show(v: Value | undefined): string {
  return JSON.stringify(v, (_k, x) =>
    typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? toHex(x) : x,
  );
}

export const delegateMsg = (validator: TestAccount | string, amount: bigint): Msg => ({
  type: 'staking/delegate',
  value: {
    validator: typeof validator === 'string' ? validator : validator.address,
    amount: ubwk(amount),
  },
});

export const undelegateMsg = (
  validator: TestAccount | string,
  how: { shares: bigint } | { amount: bigint },
): Msg => ({
  type: 'staking/undelegate',
  value: {
    validator: typeof validator === 'string' ? validator : validator.address,
    ...('shares' in how ? { shares: how.shares } : { amount: ubwk(how.amount) }),
  },
});

export const redelegateMsg = (
  src: TestAccount,
  dst: TestAccount,
  how: { shares: bigint } | { amount: bigint },
): Msg => ({
  type: 'staking/redelegate',
  value: {
    src: src.address,
    dst: dst.address,
    ...('shares' in how ? { shares: how.shares } : { amount: ubwk(how.amount) }),
  },
});
