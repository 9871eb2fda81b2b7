/**
 * A small chain for the slashing tests: auth, bank, the fake staking module and slashing,
 * driven block by block with explicit commit votes, misbehavior and txs.
 */
import { App } from '../../app/app.ts';
import { Context } from '../../app/module.ts';
import type { FinalizeBlockResponse, Misbehavior, Vote, VoteInfo } from '../../app/types.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import { sign } from '../../crypto/keys.ts';
import type { Value } from '../../encoding/canonical.ts';
import { Branch } from '../../store/branch.ts';
import { type TestAccount, testAccount } from '../../testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../tx/tx.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import { POWER_REDUCTION } from '../staking/api.ts';
import { FakeStakingKeeper, FakeStakingModule, testValidator } from './fake-staking.ts';
import type { SlashingKeeper } from './keeper.ts';
import { SlashingModule } from './module.ts';
import { DEVNET_SLASHING_PARAMS, type SlashingParamsInput } from './params.ts';
import { voteSignBytes } from './vote-bytes.ts';

export const CHAIN_ID = 'slashing-test';
export const T0 = 1_700_000_000_000;
export const BLOCK_MS = 1_000;
const utf8 = new TextEncoder();

export interface ChainOptions {
  validators: { name: string; tokens: bigint }[];
  params?: Partial<SlashingParamsInput>;
  unbondingTimeMs?: number;
  minSelfDelegation?: bigint;
}

export class SlashingChain {
  readonly app: App;
  readonly staking: FakeStakingKeeper;
  readonly slashing: SlashingKeeper;
  readonly funded: TestAccount = testAccount('funded');
  timeMs = T0;
  private readonly nonces = new Map<string, number>();

  constructor(opts: ChainOptions) {
    const bank = new BankKeeper();
    this.staking = new FakeStakingKeeper(bank, {
      unbondingTimeMs: opts.unbondingTimeMs ?? 600_000,
      maxValidators: 100,
      maxEntries: 7,
      epochLength: 10,
      bondDenom: 'ubwk',
      minSelfBond: 1n,
      historicalEntries: 100,
    });
    const slashing = new SlashingModule(this.staking);
    this.slashing = slashing.keeper;
    this.app = new App({
      modules: [
        new AuthModule(new AuthKeeper()),
        new BankModule(bank),
        new FakeStakingModule(this.staking, bank),
        slashing,
      ],
      assertInvariants: true,
    });
    const operators = opts.validators.map((v) => testValidator(v.name).operator);
    this.app.initChain({
      chainId: CHAIN_ID,
      genesisTime: '2023-11-14T22:13:20Z',
      validators: [{ name: 'dummy', pubKey: toHex(testAccount('dummy').pubKey), power: '1' }],
      app: {
        bank: {
          balances: [this.funded, ...operators].map((a) => ({
            address: a.address,
            coins: [{ denom: 'ubwk', amount: '1000000000' }],
          })),
        },
        fakestaking: {
          validators: opts.validators,
          minSelfDelegation: opts.minSelfDelegation ?? 1n,
        },
        slashing: { params: { ...DEVNET_SLASHING_PARAMS, ...opts.params } },
      },
    });
  }

  get height(): number {
    return this.app.height;
  }

  /** Commit votes of every unjailed validator; `missing` names those that did not sign. */
  votes(missing: string[] = []): VoteInfo[] {
    return this.staking.activeSet(this.app.state).map((v) => ({
      address: v.consAddress,
      power: v.power,
      signed: !missing.includes(v.moniker),
    }));
  }

  block(
    opts: {
      votes?: VoteInfo[];
      missing?: string[];
      misbehavior?: Misbehavior[];
      txs?: Uint8Array[];
      dtMs?: number;
    } = {},
  ): FinalizeBlockResponse {
    const height = this.app.height + 1;
    this.timeMs += opts.dtMs ?? BLOCK_MS;
    const res = this.app.finalizeBlock({
      block: {
        chainId: CHAIN_ID,
        height,
        timeMs: this.timeMs,
        proposer: '',
        hash: sha256(utf8.encode(`block/${height}`)),
      },
      txs: opts.txs ?? [],
      lastCommit: { round: 0, votes: opts.votes ?? this.votes(opts.missing) },
      misbehavior: opts.misbehavior ?? [],
    });
    this.app.commit();
    return res;
  }

  /** Runs `n` blocks with the same missing validators. */
  blocks(n: number, missing: string[] = []): FinalizeBlockResponse[] {
    return Array.from({ length: n }, () => this.block({ missing }));
  }

  tx(from: TestAccount, msgs: Msg[]): Uint8Array {
    const nonce = this.nonces.get(from.address) ?? 0;
    this.nonces.set(from.address, nonce + 1);
    return encodeTx(
      signTx(
        {
          chainId: CHAIN_ID,
          signer: from.pubKey,
          nonce,
          fee: { denom: 'ubwk', amount: 1000n },
          msgs,
        },
        from.seed,
      ),
    );
  }

  /** One tx in its own block; returns its result. */
  exec(from: TestAccount, msgs: Msg[]) {
    const res = this.block({ txs: [this.tx(from, msgs)] });
    return res.txResults[0]!;
  }

  validator(name: string) {
    return this.staking.validator(this.app.state, testValidator(name).operator.address)!;
  }

  info(name: string) {
    return this.slashing.signingInfo(this.app.state, testValidator(name).consAddress);
  }

  /** Changes fake-staking state between blocks (test setup only). */
  mutate(f: (ctx: Context) => void): void {
    const branch = new Branch(this.app.state);
    f(
      new Context(branch, {
        chainId: CHAIN_ID,
        height: this.height,
        timeMs: this.timeMs,
        proposer: '',
        hash: new Uint8Array(32),
      }),
    );
    branch.write();
  }

  query(path: string, args: unknown = {}): Value | undefined {
    const r = this.app.query(path, args);
    if (r.code !== 0) throw new Error(`query ${path}: ${r.log}`);
    return r.value;
  }
}

/** A vote signed with a test validator's consensus key. */
export function signedVote(
  name: string,
  v: Partial<Omit<Vote, 'validator' | 'signature'>> & { blockHash: Uint8Array },
  signAs = name,
): Vote {
  const vote = {
    type: v.type ?? 'precommit',
    chainId: v.chainId ?? CHAIN_ID,
    height: v.height ?? 1,
    round: v.round ?? 0,
    blockHash: v.blockHash,
  } as const;
  return {
    ...vote,
    validator: testValidator(name).consAddress,
    signature: sign(testValidator(signAs).consSeed, voteSignBytes(vote)),
  };
}

export const hashOf = (s: string) => sha256(utf8.encode(s));

/** A valid double sign by `name` at `height`. */
export function doubleSign(name: string, height: number, timeMs = T0): Misbehavior {
  return {
    type: 'duplicate-vote',
    validator: testValidator(name).consAddress,
    height,
    timeMs,
    totalPower: 0n,
    voteA: signedVote(name, { height, blockHash: hashOf(`a/${height}`) }),
    voteB: signedVote(name, { height, blockHash: hashOf(`b/${height}`) }),
  };
}

/** The evidence as a JSON-friendly msg value (hex strings). */
export function evidenceMsg(ev: Misbehavior): Msg {
  const vote = (v: Vote) => ({
    ...v,
    blockHash: toHex(v.blockHash),
    signature: toHex(v.signature),
  });
  return {
    type: 'slashing/submit-evidence',
    value: { evidence: { voteA: vote(ev.voteA), voteB: vote(ev.voteB) } },
  };
}

export const tokens = (power: bigint) => power * POWER_REDUCTION;
