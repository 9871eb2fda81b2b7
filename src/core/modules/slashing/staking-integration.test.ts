/**
 * Slashing against the real staking module (not the fake): downtime jail and unjail through
 * epochs, double-sign evidence by msg reaching an unbonding entry made after the fault, and
 * staking refusing new stake for a tombstoned validator. Invariants of bank, staking and
 * slashing are checked after every block.
 */
import { describe, expect, it } from 'vitest';
import { App } from '../../app/app.ts';
import type { Event, FinalizeBlockResponse, Misbehavior, VoteInfo } from '../../app/types.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import { fromDecimalString } from '../../math/index.ts';
import { type TestAccount, testAccount } from '../../testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../tx/tx.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import { StakingError } from '../staking/errors.ts';
import { StakingKeeper } from '../staking/keeper.ts';
import { StakingModule } from '../staking/module.ts';
import { SlashingError } from './errors.ts';
import { testValidator } from './fake-staking.ts';
import { SlashingModule } from './module.ts';
import { DEVNET_SLASHING_PARAMS } from './params.ts';
import { doubleSign, evidenceMsg, hashOf, signedVote } from './test-chain.ts';

const CHAIN = 'slashing-test';
const NAMES = ['alice', 'bob', 'carol', 'dan'];
const POWER = 100_000_000n; // 100 power
const dave = testAccount('dave');
const utf8 = new TextEncoder();

class Chain {
  readonly app: App;
  readonly staking: StakingKeeper;
  readonly slashing: SlashingModule;
  timeMs = 1_700_000_000_000;
  private readonly nonces = new Map<string, number>();

  constructor() {
    const bank = new BankKeeper();
    this.staking = new StakingKeeper(bank);
    this.slashing = new SlashingModule(this.staking);
    this.app = new App({
      modules: [
        new AuthModule(new AuthKeeper()),
        new BankModule(bank),
        new StakingModule(this.staking),
        this.slashing,
      ],
      assertInvariants: true,
    });
    const ops = NAMES.map((n) => testValidator(n).operator);
    this.app.initChain({
      chainId: CHAIN,
      genesisTime: '2023-11-14T22:13:20Z',
      validators: NAMES.map((n) => ({
        name: n,
        pubKey: toHex(testValidator(n).consPubKey),
        power: '100',
      })),
      app: {
        bank: {
          balances: [...ops, dave].map((a) => ({
            address: a.address,
            coins: [{ denom: 'ubwk', amount: '10000000000' }],
          })),
        },
        staking: {
          params: {
            unbondingTimeMs: 120_000,
            epochLength: 5,
            maxValidators: 10,
            maxEntries: 7,
            minSelfBond: '1000000',
            historicalEntries: 10,
          },
          validators: NAMES.map((n) => ({
            operator: testValidator(n).operator.address,
            consPubKey: toHex(testValidator(n).consPubKey),
            moniker: n,
            selfBond: String(POWER),
            commission: { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' },
          })),
          delegations: [
            { delegator: dave.address, validator: op('bob').address, amount: String(POWER / 2n) },
          ],
        },
        slashing: { params: { ...DEVNET_SLASHING_PARAMS } },
      },
    });
  }

  get height() {
    return this.app.height;
  }

  votes(missing: string[]): VoteInfo[] {
    return this.staking.activeSet(this.app.state).map((v) => ({
      address: v.consAddress,
      power: v.power,
      signed: !missing.includes(v.moniker),
    }));
  }

  block(
    opts: {
      missing?: string[];
      txs?: Uint8Array[];
      misbehavior?: Misbehavior[];
      dtMs?: number;
    } = {},
  ): FinalizeBlockResponse {
    const height = this.app.height + 1;
    this.timeMs += opts.dtMs ?? 1_000;
    const res = this.app.finalizeBlock({
      block: {
        chainId: CHAIN,
        height,
        timeMs: this.timeMs,
        proposer: this.app.proposerFor(height) ?? '',
        hash: sha256(utf8.encode(`block/${height}`)),
      },
      txs: opts.txs ?? [],
      lastCommit: { round: 0, votes: this.votes(opts.missing ?? []) },
      misbehavior: opts.misbehavior ?? [],
    });
    this.app.commit();
    return res;
  }

  exec(from: TestAccount, msgs: Msg[], dtMs?: number) {
    const nonce = this.nonces.get(from.address) ?? 0;
    this.nonces.set(from.address, nonce + 1);
    const tx = encodeTx(
      signTx(
        { chainId: CHAIN, signer: from.pubKey, nonce, fee: { denom: 'ubwk', amount: 1000n }, msgs },
        from.seed,
      ),
    );
    const res = this.block({ txs: [tx], ...(dtMs !== undefined ? { dtMs } : {}) });
    return { ...res.txResults[0]!, blockEvents: res.events };
  }

  validator(name: string) {
    return this.staking.validator(this.app.state, op(name).address)!;
  }

  active(): string[] {
    return this.staking.activeSet(this.app.state).map((v) => v.moniker);
  }
}

function op(name: string) {
  return testValidator(name).operator;
}

/** Slashing's `slash` event (staking emits its own, without `reason`). */
const slashingEvent = (events: Event[]) =>
  events.find((e) => e.type === 'slash' && e.attributes.reason !== undefined);

const unjail: Msg = { type: 'slashing/unjail', value: {} };

describe('slashing with the real staking module', () => {
  it('downtime: slash, jail, out of the set at the epoch, unjail after the jail time, back in', () => {
    const c = new Chain();
    expect(c.active()).toHaveLength(4);
    let slashEvent: Record<string, string> | undefined;
    for (let i = 0; i < 22 && slashEvent === undefined; i++) {
      const res = c.block({ missing: ['alice'] });
      slashEvent = slashingEvent(res.events)?.attributes;
    }
    expect(c.height).toBe(22);
    expect(slashEvent).toMatchObject({ reason: 'downtime', infractionHeight: '20' });
    // alice is down alone: no other validator slashed for downtime (S = 0), so exactly the
    // base 0.0001 of her 100 power: 100_000_000 × 0.0001 = 10_000 burned.
    const fraction = fromDecimalString(slashEvent!.fraction!);
    expect(fraction).toBe(fromDecimalString('0.0001'));
    const burned = 10_000n;
    expect(slashEvent!.burned).toBe(String(burned));
    expect(c.validator('alice')).toMatchObject({ jailed: true, tokens: POWER - burned });
    // Out of the active set at the next epoch boundary.
    while (c.height % 5 !== 0) c.block();
    expect(c.active()).not.toContain('alice');
    // Unjail: refused before 30 s of block time, accepted after.
    expect(c.exec(op('alice'), [unjail]).code).toBe(SlashingError.JailPeriodNotOver);
    expect(c.exec(op('alice'), [unjail], 30_000).code).toBe(0);
    expect(c.validator('alice').jailed).toBe(false);
    while (c.height % 5 !== 0) c.block();
    expect(c.active()).toContain('alice');
    // A fresh window: a few misses after rejoining do not jail it again.
    for (let i = 0; i < 10; i++) c.block({ missing: ['alice'] });
    expect(c.validator('alice').jailed).toBe(false);
  });

  it('double sign by msg: slashes an unbonding made after the fault, tombstones, staking refuses new stake', () => {
    const c = new Chain();
    c.block();
    c.block();
    const infraction = c.height; // 2
    // After the fault, dave undelegates 20 of his 50 from bob.
    const und = c.exec(dave, [
      {
        type: 'staking/undelegate',
        value: { validator: op('bob').address, amount: { denom: 'ubwk', amount: 20_000_000n } },
      },
    ]);
    expect(und.code).toBe(0);
    c.block();
    const ev = c.exec(dave, [evidenceMsg(doubleSign('bob', infraction))]);
    expect(ev.code).toBe(0);
    const slash = slashingEvent(ev.events)!.attributes;
    const fraction = fromDecimalString(slash.fraction!);
    // bob double-signs alone: S = 0 (no other validator slashed), so exactly the base 0.05 of
    // the 150 power he had at height 2 (staking's epoch snapshot).
    expect(slash).toMatchObject({ reason: 'double-sign', infractionHeight: String(infraction) });
    expect(fraction).toBe(fromDecimalString('0.05'));
    const [entry] = c.staking.unbondingEntries(c.app.state, dave.address, op('bob').address);
    // dave's unbonding of 20 loses 5 %: 20_000_000 − 1_000_000.
    expect(entry!.balance).toBe(19_000_000n);
    expect(c.validator('bob').jailed).toBe(true);
    expect(c.slashing.keeper.isTombstoned(c.app.state, testValidator('bob').consAddress)).toBe(
      true,
    );
    // Staking refuses new stake for a tombstoned validator (through the wired check).
    const del = c.exec(dave, [
      {
        type: 'staking/delegate',
        value: { validator: op('bob').address, amount: { denom: 'ubwk', amount: 1_000_000n } },
      },
    ]);
    expect(del.code).toBe(StakingError.ValidatorTombstoned);
    // Never unjailed; a second equivocation is refused.
    expect(c.exec(op('bob'), [unjail], 10 ** 9).code).toBe(SlashingError.Tombstoned);
    const again = c.exec(dave, [
      evidenceMsg({
        ...doubleSign('bob', c.height - 1),
        voteA: signedVote('bob', { height: c.height - 1, blockHash: hashOf('x') }),
      }),
    ]);
    expect(again.code).toBe(SlashingError.Tombstoned);
  });

  it('node misbehavior goes through beginBlock the same way', () => {
    const c = new Chain();
    c.block();
    c.block();
    c.block({ misbehavior: [doubleSign('carol', 1, c.timeMs)] });
    expect(c.validator('carol')).toMatchObject({ jailed: true });
    expect(c.validator('carol').tokens).toBeLessThan(POWER);
    expect(
      c.slashing.keeper.signingInfo(c.app.state, testValidator('carol').consAddress)?.tombstoned,
    ).toBe(true);
  });
});
