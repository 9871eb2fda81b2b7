/**
 * Gov with the real staking module (and the real bank): eligibility and the tally read
 * validators and delegations through StakingKeeper, and totalBonded is staking's.
 */
import { describe, expect, it } from 'vitest';
import { App } from '../../app/app.ts';
import type { AnyModule } from '../../app/module.ts';
import type { Params } from '../../app/params.ts';
import { addressBytes } from '../../crypto/address.ts';
import { sha256, toHex } from '../../crypto/hash.ts';
import { GENESIS_MS, type TestAccount, testAccount } from '../../testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../tx/tx.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import { StakingKeeper } from '../staking/keeper.ts';
import { StakingModule } from '../staking/module.ts';
import { GovError } from './errors.ts';
import { GovKeeper } from './keeper.ts';
import { GovModule } from './module.ts';
import type { GovParams } from './params.ts';
import { alice, bob, carol, dave, FakeSpender, outsider } from './testing.ts';
import type { Proposal } from './types.ts';

const BWK = 1_000_000n;
const consKey = (a: TestAccount) => testAccount(`cons/${a.name}`).pubKey;

function chain() {
  const bank = new BankKeeper();
  const stakingKeeper = new StakingKeeper(bank);
  const registry = new Map<string, Params<unknown>>();
  const gov = new GovKeeper(stakingKeeper, bank, registry, new FakeSpender(bank));
  const modules: AnyModule[] = [
    new AuthModule(new AuthKeeper()),
    new BankModule(bank),
    new StakingModule(stakingKeeper),
    new GovModule(gov),
  ];
  for (const m of modules) if (m.params !== undefined) registry.set(m.name, m.params);
  const app = new App({ modules, assertInvariants: true });
  const vals: [TestAccount, bigint][] = [
    [alice, 600n * BWK],
    [bob, 300n * BWK],
  ];
  app.initChain({
    chainId: 'bulwark-gov-test',
    genesisTime: '2023-11-14T22:13:20Z',
    validators: vals.map(([a]) => ({ name: a.name, pubKey: toHex(consKey(a)), power: '1' })),
    app: {
      bank: {
        balances: [alice, bob, carol, dave, outsider].map((a) => ({
          address: a.address,
          coins: [{ denom: 'ubwk', amount: String(10_000n * BWK) }],
        })),
      },
      staking: {
        params: {
          unbondingTimeMs: 60_000,
          epochLength: 5,
          maxValidators: 10,
          maxEntries: 7,
          minSelfBond: '1000000',
          historicalEntries: 2,
        },
        validators: vals.map(([a, bond]) => ({
          operator: a.address,
          consPubKey: toHex(consKey(a)),
          moniker: a.name,
          selfBond: String(bond),
          commission: { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' },
        })),
      },
      gov: {
        params: {
          minDeposit: { denom: 'ubwk', amount: String(10n * BWK) },
          votingPeriodMs: 120_000,
          maxDepositPeriodMs: 120_000,
          timelockMs: 10_000,
        },
      },
    },
  });
  let timeMs = GENESIS_MS;
  const nonces = new Map<string, number>();
  const block = (txs: Uint8Array[] = [], dtMs = 1000) => {
    timeMs += dtMs;
    const height = app.height + 1;
    const res = app.finalizeBlock({
      block: {
        chainId: app.chainId,
        height,
        timeMs,
        proposer: app.proposerFor(height) ?? toHex(addressBytes(consKey(alice))),
        hash: sha256(new TextEncoder().encode(`block/${height}`)),
      },
      txs,
      lastCommit: { round: 0, votes: [] },
      misbehavior: [],
    });
    app.commit();
    return res;
  };
  const send = (from: TestAccount, msg: Msg, dtMs = 1000) => {
    const nonce = nonces.get(from.address) ?? 0;
    nonces.set(from.address, nonce + 1);
    const tx = encodeTx(
      signTx(
        {
          chainId: app.chainId,
          signer: from.pubKey,
          nonce,
          fee: { denom: 'ubwk', amount: 1000n },
          msgs: [msg],
        },
        from.seed,
      ),
    );
    const r = block([tx], dtMs).txResults[0]!;
    return r;
  };
  const query = <T>(path: string, args: unknown = {}) => app.query(path, args).value as T;
  return { app, block, send, query, staking: stakingKeeper, now: () => timeMs };
}

const delegate = (validator: TestAccount, amount: bigint): Msg => ({
  type: 'staking/delegate',
  value: { validator: validator.address, amount: { denom: 'ubwk', amount } },
});
const vote = (proposalId: number, option: string): Msg => ({
  type: 'gov/vote',
  value: { proposalId, option },
});

describe('gov with the real staking module', () => {
  it('tallies real delegations: delegators inherit unless they vote; the param changes', () => {
    const c = chain();
    expect(c.send(carol, delegate(alice, 100n * BWK)).code).toBe(0);
    expect(c.send(dave, delegate(bob, 50n * BWK)).code).toBe(0);
    // Let an epoch boundary pass so the active set and totalBonded are settled.
    for (let i = 0; i < 6; i++) c.block();
    const totalBonded = c.staking.totalBonded(c.app.tree);
    expect(totalBonded).toBe(1050n * BWK);

    const r = c.send(alice, {
      type: 'gov/submit-proposal',
      value: {
        content: {
          type: 'param-change',
          title: 'Shorter voting',
          description: 'One minute is enough on a devnet.',
          module: 'gov',
          changes: { votingPeriodMs: 60_000 },
        },
        initialDeposit: { denom: 'ubwk', amount: 10n * BWK },
      },
    });
    expect(r.code, r.log).toBe(0);
    expect(c.send(outsider, vote(1, 'yes')).code).toBe(GovError.NotAStaker);
    expect(c.send(alice, vote(1, 'yes')).code).toBe(0);
    expect(c.send(bob, vote(1, 'no')).code).toBe(0);
    // carol (a delegator of alice) overrides alice's vote.
    expect(c.send(carol, vote(1, 'no')).code).toBe(0);
    // By hand (rate 1 token per share): yes = alice 700 − carol 100 = 600;
    // no = bob 350 (dave inherits) + carol 100 = 450; quorum 1050/1050; 600/1050 > 50 %.
    expect(c.query('gov/tally', { id: 1 })).toMatchObject({
      yes: 600n * BWK,
      no: 450n * BWK,
      abstain: 0n,
      veto: 0n,
      totalBonded: 1050n * BWK,
      outcome: 'passed',
    });
    const p = c.query<Proposal>('gov/proposal', { id: 1 });
    c.block([], (p.votingEndTimeMs as number) - c.now());
    expect(c.query<Proposal>('gov/proposal', { id: 1 }).status).toBe('passed');
    c.block([], 10_000);
    expect(c.query<Proposal>('gov/proposal', { id: 1 }).status).toBe('executed');
    expect(c.query<GovParams>('gov/params').votingPeriodMs).toBe(60_000);
  });
});
