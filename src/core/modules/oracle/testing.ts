import { App } from '../../app/app.ts';
import type { GenesisInput } from '../../app/genesis.ts';
import { extensionSignBytes } from '../../app/sign-bytes.ts';
import type { Event, ExtendedVoteInfo, FinalizeBlockResponse } from '../../app/types.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import { sign } from '../../crypto/keys.ts';
import { fromDecimalString } from '../../math/index.ts';
import { GENESIS_MS, type TestAccount, testAccount } from '../../testing/harness.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import { SlashingModule } from '../slashing/module.ts';
import { DEVNET_SLASHING_PARAMS, paramsToJson as slashingJson } from '../slashing/params.ts';
import { POWER_REDUCTION } from '../staking/api.ts';
import { StakingKeeper } from '../staking/keeper.ts';
import { StakingModule } from '../staking/module.ts';
import { consAddressOf, consKeyOf, TEST_PARAMS } from '../staking/testing.ts';
import type { Observations } from './api.ts';
import type { OracleKeeper } from './keeper.ts';
import { createOracle, type OracleModule } from './module.ts';
import { DEVNET_ORACLE_PARAMS, type OracleParams, paramsToJson } from './params.ts';

/**
 * A small chain for the oracle's tests: auth, bank, staking, slashing and oracle, driven
 * block by block the way the engine will: after each block every validator's node builds its
 * extension from what it observes (`app.extendVote`) and signs it with its consensus key; the
 * next proposer prepares the entry from those, the app checks the proposal
 * (`app.checkProposal`, which asks the oracle) and finalizeBlock applies the entry.
 */
export const CHAIN_ID = 'oracle-test';

/** Price as 18 decimals from a decimal string. */
export const px = (s: string) => fromDecimalString(s);

export interface OracleChainOptions {
  /** Validators by name with their power (tokens = power · POWER_REDUCTION). */
  validators: { name: string; power: bigint }[];
  params?: Partial<OracleParams>;
  epochLength?: number;
}

export interface ChainValidator {
  name: string;
  operator: TestAccount;
  consAddress: string;
  consSeed: Uint8Array;
  power: bigint;
}

/** What a validator's node observes at a height; undefined: it sends no extension. */
export type Observer = (v: ChainValidator, height: number) => Observations | undefined;

export class OracleChain {
  readonly app: App;
  readonly staking: StakingKeeper;
  readonly oracle: OracleKeeper;
  readonly module: OracleModule;
  readonly validators: ChainValidator[];
  /** The extensions of the last executed height, as the engine gathered them. */
  extensions: ExtendedVoteInfo[] = [];
  timeMs = GENESIS_MS;

  constructor(opts: OracleChainOptions) {
    const bank = new BankKeeper();
    this.staking = new StakingKeeper(bank);
    const slashing = new SlashingModule(this.staking);
    const { keeper, module } = createOracle(this.staking, slashing.keeper);
    this.oracle = keeper;
    this.module = module;
    this.app = new App({
      modules: [
        new AuthModule(new AuthKeeper()),
        new BankModule(bank),
        new StakingModule(this.staking),
        slashing,
        module,
      ],
      assertInvariants: true,
    });
    this.validators = opts.validators.map((v) => {
      const operator = testAccount(v.name);
      return {
        name: v.name,
        operator,
        consAddress: consAddressOf(operator),
        consSeed: testAccount(`cons/${v.name}`).seed,
        power: v.power,
      };
    });
    const params: OracleParams = { ...DEVNET_ORACLE_PARAMS, ...opts.params };
    const genesis: GenesisInput = {
      chainId: CHAIN_ID,
      genesisTime: '2023-11-14T22:13:20Z',
      validators: this.validators.map((v) => ({
        name: v.name,
        pubKey: toHex(consKeyOf(v.operator)),
        power: '1',
      })),
      app: {
        bank: {
          balances: this.validators.map((v) => ({
            address: v.operator.address,
            coins: [{ denom: 'ubwk', amount: String(v.power * POWER_REDUCTION * 2n) }],
          })),
        },
        staking: {
          params: {
            ...TEST_PARAMS,
            unbondingTimeMs: 600_000,
            epochLength: opts.epochLength ?? 1_000,
            maxValidators: 200,
          },
          validators: this.validators.map((v) => ({
            operator: v.operator.address,
            consPubKey: toHex(consKeyOf(v.operator)),
            moniker: v.name,
            selfBond: String(v.power * POWER_REDUCTION),
            commission: { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' },
          })),
          delegations: [],
        },
        slashing: { params: slashingJson(DEVNET_SLASHING_PARAMS) },
        oracle: { params: paramsToJson(params) },
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

  validator(name: string): ChainValidator {
    const v = this.validators.find((x) => x.name === name);
    if (v === undefined) throw new Error(`no validator ${name}`);
    return v;
  }

  /** The signed extension of a validator for `height` (as its engine would sign it). */
  signExtension(v: ChainValidator, height: number, extension: Uint8Array): ExtendedVoteInfo {
    return {
      validator: v.consAddress,
      power: v.power,
      extension,
      extensionSignature: sign(v.consSeed, extensionSignBytes(CHAIN_ID, height, 0, extension)),
    };
  }

  /** The entry the proposer of the next block would put first (from `this.extensions`). */
  prepareEntry(extensions = this.extensions): Uint8Array | undefined {
    return this.oracle.prepareEntry(this.store, this.height + 1, CHAIN_ID, extensions);
  }

  checkProposal(txs: Uint8Array[]): string | undefined {
    return this.oracle.checkProposal(this.store, this.height + 1, CHAIN_ID, txs);
  }

  /**
   * One block through the app, as the engine drives it: the entry (prepared from the gathered
   * extensions, or `entryOverride`; `null` for none) first in the block, the proposal checked
   * by the app (throws on a refusal), executed and committed; then every validator observes
   * and extends its vote. The entry's events (in its tx result) come first in `events`.
   */
  block(observe: Observer, entryOverride?: Uint8Array | null): FinalizeBlockResponse {
    const height = this.height + 1;
    const entry = entryOverride === null ? undefined : (entryOverride ?? this.prepareEntry());
    const txs = entry === undefined ? [] : [entry];
    const reason = this.app.checkProposal(txs, height);
    if (reason !== undefined) throw new Error(`proposal refused at ${height}: ${reason}`);
    this.timeMs += 1_000;
    const res = this.app.finalizeBlock({
      block: {
        chainId: CHAIN_ID,
        height,
        timeMs: this.timeMs,
        proposer: this.app.proposerFor(height) ?? '',
        hash: sha256(new TextEncoder().encode(`block/${height}`)),
      },
      txs,
      lastCommit: { round: 0, votes: [] },
      misbehavior: [],
    });
    this.app.commit();
    this.extensions = [];
    for (const v of this.validators) {
      const obs = observe(v, height);
      if (obs === undefined) continue;
      const ext = this.app.extendVote(height, v.consAddress, obs);
      this.extensions.push(this.signExtension(v, height, ext));
    }
    return { ...res, events: [...res.txResults.flatMap((r) => r.events), ...res.events] };
  }

  /** Runs `n` blocks; returns every event. */
  run(n: number, observe: Observer): Event[] {
    const events: Event[] = [];
    for (let i = 0; i < n; i++) events.push(...this.block(observe).events);
    return events;
  }

  isJailed(name: string): boolean {
    return (
      this.staking.validator(this.store, this.validator(name).operator.address)?.jailed ?? false
    );
  }

  tokens(name: string): bigint {
    return this.staking.validator(this.store, this.validator(name).operator.address)?.tokens ?? 0n;
  }
}
