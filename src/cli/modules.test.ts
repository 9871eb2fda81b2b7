import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voteSignBytes } from '../core/app/sign-bytes.ts';
import { addressBytes } from '../core/crypto/address.ts';
import { toHex } from '../core/crypto/hash.ts';
import { sign } from '../core/crypto/keys.ts';
import { Keystore } from '../node/keystore.ts';
import { FakeNode, fakeConsKey } from '../sdk/testing/fake-node.ts';
import { type CapturedIo, type Io, memoryIo } from './io.ts';
import { main } from './main.ts';

/**
 * The staking, slashing, distribution and gov commands against the fake node with two
 * staking validators (val0, val1, operated by keys of the same names) and devnet params.
 */
let node: FakeNode;
let home: string;

beforeAll(async () => {
  node = await FakeNode.start({
    accounts: ['alice', 'bob', 'carol'],
    validators: ['val0', 'val1'],
  });
  home = await mkdtemp(join(tmpdir(), 'bulwark-cli-modules-'));
  const keystore = new Keystore(join(home, 'keys'));
  for (const name of ['alice', 'bob', 'carol', 'val0', 'val1'])
    await keystore.add(name, { seed: node.account(name).seed });
});
afterAll(async () => {
  await node.kill();
  await rm(home, { recursive: true, force: true });
});

async function run(
  args: string[],
  over: Partial<Io> & { stdin?: string } = {},
): Promise<CapturedIo & { code: number }> {
  const io = memoryIo({ env: { BULWARK_NODE: node.url, BULWARK_HOME: home }, ...over });
  const code = await main(args, io);
  return Object.assign(io, { code });
}

async function json<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await run([...args, '-o', 'json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as T;
}

const address = (name: string) => node.account(name).address;

describe('help', () => {
  it('documents every new command with an example', async () => {
    const commands = [
      ['tx', 'staking', 'create-validator'],
      ['tx', 'staking', 'edit-validator'],
      ['tx', 'staking', 'delegate'],
      ['tx', 'staking', 'undelegate'],
      ['tx', 'staking', 'redelegate'],
      ['tx', 'slashing', 'unjail'],
      ['tx', 'slashing', 'submit-evidence'],
      ['tx', 'distribution', 'withdraw-rewards'],
      ['tx', 'distribution', 'withdraw-commission'],
      ['tx', 'distribution', 'set-withdraw-address'],
      ['tx', 'distribution', 'fund-community-pool'],
      ['tx', 'gov', 'submit-proposal'],
      ['tx', 'gov', 'submit-proposal', 'param-change'],
      ['tx', 'gov', 'submit-proposal', 'text'],
      ['tx', 'gov', 'submit-proposal', 'community-pool-spend'],
      ['tx', 'gov', 'submit-proposal', 'emergency-pause'],
      ['tx', 'gov', 'deposit'],
      ['tx', 'gov', 'vote'],
      ...[
        'validators',
        'validator',
        'delegations',
        'delegation',
        'unbondings',
        'redelegations',
        'pool',
        'params',
        'active-set',
      ].map((c) => ['query', 'staking', c]),
      ...['signing-info', 'signing-infos', 'params'].map((c) => ['query', 'slashing', c]),
      ...['rewards', 'commission', 'community-pool', 'apr', 'params'].map((c) => [
        'query',
        'distribution',
        c,
      ]),
      ...['proposals', 'proposal', 'tally', 'votes', 'deposits', 'params'].map((c) => [
        'query',
        'gov',
        c,
      ]),
    ];
    for (const cmd of commands) {
      const r = await run([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.out).toContain(`Usage: bulwark ${cmd.join(' ')}`);
      expect(r.out, cmd.join(' ')).toMatch(/\nExamples?:\n {2}\$ bulwark /);
      expect(r.out).toContain('--output <format>');
    }
    const tx = await run(['tx', 'staking', 'delegate', '--help']);
    for (const o of ['--fee <coin>', '--no-wait', '--passphrase-stdin'])
      expect(tx.out).toContain(o);
  });
});

describe('staking', () => {
  it('lists validators as a table, and as the RPC JSON', async () => {
    const r = await run(['query', 'staking', 'validators']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^MONIKER +OPERATOR +STATUS +JAILED +TOKENS +COMMISSION$/m);
    expect(r.out).toMatch(new RegExp(`^val0 +${address('val0')} +bonded +no +\\d+ubwk +10%$`, 'm'));
    const j = await json<{ code: number; value: { moniker: string }[] }>([
      'query',
      'staking',
      'validators',
      '--status',
      'bonded',
    ]);
    expect(j.code).toBe(0);
    expect(new Set(j.value.map((v) => v.moniker))).toEqual(new Set(['val0', 'val1']));
  });

  it('delegates to a validator named by moniker, key name or address', async () => {
    const before = await json<{ value: { amount: string } }>([
      'query',
      'bank',
      'balance',
      'alice',
      '--denom',
      'ubwk',
    ]);
    const r = await run(['tx', 'staking', 'delegate', 'alice', 'val0', '5000000ubwk']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^hash +[0-9A-F]{64}$/m);
    expect(r.out).toMatch(/^code +0$/m);
    expect(r.out).toMatch(/^shares +5000000$/m);
    const after = await json<{ value: { amount: string } }>([
      'query',
      'bank',
      'balance',
      'alice',
      '--denom',
      'ubwk',
    ]);
    // The stake and the minimum fee (100ubwk) left the account.
    expect(BigInt(before.value.amount) - BigInt(after.value.amount)).toBe(5_000_100n);

    const d = await run(['query', 'staking', 'delegation', 'alice', 'val0']);
    expect(d.code, d.err).toBe(0);
    expect(d.out).toMatch(/^tokens +5000000ubwk$/m);
    expect(d.out).toContain(`val0 (${address('val0')})`);
    const byAddress = await run([
      'tx',
      'staking',
      'delegate',
      'alice',
      address('val1'),
      '2000000ubwk',
      '-o',
      'json',
    ]);
    expect(byAddress.code, byAddress.err).toBe(0);
    expect(JSON.parse(byAddress.out).txResult.code).toBe(0);
    const list = await run(['query', 'staking', 'delegations', 'alice']);
    expect(list.out).toMatch(/^VALIDATOR +OPERATOR +TOKENS +SHARES$/m);
    expect(list.out).toMatch(new RegExp(`^val1 +${address('val1')} +2000000ubwk +2000000$`, 'm'));
  });

  it('undelegates, and shows the unbonding entry', async () => {
    const r = await run(['tx', 'staking', 'undelegate', 'alice', 'val0', '1000000ubwk']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^amount +1000000$/m);
    expect(r.out).toMatch(/^completes +\d{4}-\d\d-\d\dT/m);
    const u = await run(['query', 'staking', 'unbondings', 'alice']);
    expect(u.code, u.err).toBe(0);
    expect(u.out).toMatch(/^VALIDATOR +CREATED +COMPLETES +INITIAL +BALANCE$/m);
    expect(u.out).toMatch(/^val0 +\d+ +\S+ +1000000ubwk +1000000ubwk$/m);
    const d = await json<{ value: { tokens: string } }>([
      'query',
      'staking',
      'delegation',
      'alice',
      'val0',
    ]);
    expect(d.value.tokens).toBe('4000000');
  });

  it('redelegates, and queries pool, params and the active set', async () => {
    const r = await run(['tx', 'staking', 'redelegate', 'alice', 'val0', 'val1', '1000000ubwk']);
    expect(r.code, r.err).toBe(0);
    const re = await run(['query', 'staking', 'redelegations', 'alice']);
    expect(re.out).toMatch(/^val0 +val1 +\d+ +\S+ +1000000ubwk +1000000$/m);
    const pool = await run(['query', 'staking', 'pool']);
    expect(pool.out).toMatch(/^bonded +\d+ubwk\nunbonding +1000000ubwk$/m);
    const params = await run(['query', 'staking', 'params']);
    expect(params.out).toMatch(/^unbondingTimeMs +120000 \(2m\)$/m);
    const set = await run(['query', 'staking', 'active-set']);
    expect(set.code, set.err).toBe(0);
    expect(set.out).toMatch(/^next proposer +val[01]$/m);
    expect(set.out).toMatch(/^MONIKER +OPERATOR +CONSENSUS ADDRESS +POWER +PRIORITY$/m);
  });

  it('creates and edits a validator', async () => {
    const cons = toHex(fakeConsKey('bob').pubKey);
    const r = await run([
      'tx',
      'staking',
      'create-validator',
      '--from',
      'bob',
      '--cons-pubkey',
      cons,
      '--moniker',
      'bobby',
      '--self-bond',
      '2000000ubwk',
      '--commission-rate',
      '0.05',
      '--commission-max-rate',
      '0.20',
      '--commission-max-change-rate',
      '0.01',
      '--min-self-delegation',
      '1500000',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`^operator +${address('bob')}$`, 'm'));
    const v = await run(['query', 'staking', 'validator', 'bobby']);
    expect(v.out).toMatch(/^commission +5%$/m);
    expect(v.out).toMatch(/^min self delegation +1500000ubwk$/m);
    expect(v.out).toMatch(/^status +unbonded$/m);
    const edit = await run([
      'tx',
      'staking',
      'edit-validator',
      '--from',
      'bob',
      '--moniker',
      'bobbo',
    ]);
    expect(edit.code, edit.err).toBe(0);
    const again = await run(['query', 'staking', 'validator', 'bob']);
    expect(again.out).toMatch(/^moniker +bobbo$/m);
  });
});

describe('errors', () => {
  it('an unknown validator is the chain saying no: exit 2 and a hint', async () => {
    const byAddress = await run(['tx', 'staking', 'delegate', 'alice', address('alice'), '5ubwk']);
    expect(byAddress.code).toBe(2);
    expect(byAddress.out).toMatch(/^code +202 \(UnknownValidator\)$/m);
    expect(byAddress.err).toMatch(
      /^Error: tx [0-9A-F]{64} was refused: UnknownValidator \(code 202\): [^\n]+\nHint: `bulwark query staking validators` lists the validators/,
    );
    const byName = await run(['tx', 'staking', 'delegate', 'alice', 'nobody', '5ubwk']);
    expect(byName.code).toBe(2);
    expect(byName.err).toBe(
      'Error: no validator with the moniker "nobody", and no key of that name\n' +
        'Hint: `bulwark query staking validators` lists the validators (operator address and moniker)\n',
    );
    const query = await run(['query', 'staking', 'validator', address('alice')]);
    expect(query.code).toBe(2);
    expect(query.err).toMatch(
      /UnknownValidator \(code 202\)[^\n]*\nHint: `bulwark query staking validators`/,
    );
    // A key that operates nothing is not a validator either.
    const key = await run(['query', 'distribution', 'commission', 'alice']);
    expect(key.code).toBe(2);
    expect(key.err).toMatch(/^Error: key alice \(bwk1\w+\) operates no validator/);
  });

  it('a bad decimal rate is a usage error (exit 1), caught before the node', async () => {
    const before = node.requests.length;
    for (const rate of ['10%', '0,1', '1.5', '-0.1', 'abc', '0.1234567890123456789']) {
      const r = await run([
        'tx',
        'staking',
        'create-validator',
        '--from',
        'bob',
        '--cons-pubkey',
        'ab'.repeat(32),
        '--moniker',
        'm',
        '--self-bond',
        '1000000ubwk',
        '--commission-rate',
        rate,
        '--commission-max-rate',
        '0.20',
        '--commission-max-change-rate',
        '0.01',
      ]);
      expect(r.code, rate).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(
        /^Error: bad --commission-rate: [^\n]+\nHint: write a rate as a decimal fraction, e\.g\. 0\.10 for 10 %\n$/,
      );
    }
    const edit = await run([
      'tx',
      'staking',
      'edit-validator',
      '--from',
      'val0',
      '--commission-rate',
      '5%',
    ]);
    expect(edit.code).toBe(1);
    const missing = await run(['tx', 'staking', 'create-validator', '--from', 'bob']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /^Error: required option '--cons-pubkey <hex>' not specified\nHint: see `bulwark tx staking create-validator --help`/,
    );
    const vote = await run(['tx', 'gov', 'vote', 'alice', '1', 'maybe']);
    expect(vote.code).toBe(1);
    expect(vote.err).toMatch(/Allowed choices are yes, no, abstain, veto/);
    const amount = await run(['tx', 'staking', 'delegate', 'alice', 'val0', '5']);
    expect(amount.code).toBe(1);
    expect(amount.err).toMatch(/^Error: bad amount: /);
    expect(node.requests.length).toBe(before);
  });
});

describe('distribution', () => {
  it('shows rewards that accrue, and withdraws them and the commission', async () => {
    for (let i = 0; i < 3; i++) node.produceBlock();
    const r = await run(['query', 'distribution', 'rewards', 'alice']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^VALIDATOR +OPERATOR +REWARD$/m);
    expect(r.out).toMatch(/^val0 +bwk1\w+ +[1-9]\d*ubwk$/m);
    expect(r.out).toMatch(/^total +[1-9]\d*ubwk$/m);
    const one = await json<{ value: { rewards: { validator: string }[] } }>([
      'query',
      'distribution',
      'rewards',
      'alice',
      '--validator',
      'val1',
    ]);
    expect(one.value.rewards.map((x) => x.validator)).toEqual([address('val1')]);

    const w = await run(['tx', 'distribution', 'withdraw-rewards', 'alice']);
    expect(w.code, w.err).toBe(0);
    expect(w.out).toMatch(/^paid +[1-9]\d*ubwk/m);
    const c = await run(['tx', 'distribution', 'withdraw-commission', 'val0']);
    expect(c.code, c.err).toBe(0);
    const notOperator = await run(['tx', 'distribution', 'withdraw-commission', 'alice']);
    expect(notOperator.code).toBe(2);
    expect(notOperator.err).toMatch(/\nHint: only a validator operator has commission/);
  });

  it('queries commission, community pool, APR and params', async () => {
    const fund = await run(['tx', 'distribution', 'fund-community-pool', 'bob', '1000ubwk']);
    expect(fund.code, fund.err).toBe(0);
    const pool = await run(['query', 'distribution', 'community-pool']);
    expect(pool.out).toMatch(/^ubwk +\d{4,}$/m);
    const commission = await run(['query', 'distribution', 'commission', 'val1']);
    expect(commission.out).toMatch(new RegExp(`^operator +${address('val1')}$`, 'm'));
    const apr = await run(['query', 'distribution', 'apr']);
    expect(apr.code, apr.err).toBe(0);
    expect(apr.out).toMatch(/^inflation +\d+(\.\d+)?%$/m);
    expect(apr.out).toMatch(/^community tax +2%$/m);
    expect(apr.out).toMatch(/^val0 +bwk1\w+ +bonded +no +10% +\d+(\.\d+)?%$/m);
    const params = await run(['query', 'distribution', 'params']);
    expect(params.out).toMatch(/^communityTax +0\.02 \(2%\)$/m);
    const set = await run(['tx', 'distribution', 'set-withdraw-address', 'alice', 'bob']);
    expect(set.code, set.err).toBe(0);
  });
});

describe('gov', () => {
  it('submits a param change and votes on it', async () => {
    const r = await run([
      'tx',
      'gov',
      'submit-proposal',
      'param-change',
      'alice',
      '--module',
      'slashing',
      '--changes',
      '{"slashFractionDowntime":"0.01"}',
      '--title',
      'Harsher downtime',
      '--description',
      'Raise the downtime slash to 1 %.',
      '--deposit',
      '10000000ubwk',
      '--fee',
      '200ubwk',
    ]);
    expect(r.code, r.err).toBe(0);
    const id = /^proposal id +(\d+)$/m.exec(r.out)?.[1] as string;
    expect(id).toBeDefined();
    expect(r.out).toMatch(/^status +voting-period until /m);

    const vote = await run(['tx', 'gov', 'vote', 'alice', id, 'yes']);
    expect(vote.code, vote.err).toBe(0);
    const operator = await run(['tx', 'gov', 'vote', 'val1', id, 'no']);
    expect(operator.code, operator.err).toBe(0);

    const tally = await run(['query', 'gov', 'tally', id]);
    expect(tally.code, tally.err).toBe(0);
    expect(tally.out).toMatch(/^yes +\d+ \(\d+(\.\d+)?%\)$/m);
    expect(tally.out).toMatch(/^live +yes$/m);
    const votes = await run(['query', 'gov', 'votes', id]);
    expect(votes.out).toMatch(new RegExp(`^${address('alice')} +yes$`, 'm'));
    expect(votes.out).toMatch(new RegExp(`^${address('val1')} +no$`, 'm'));
    const proposal = await run(['query', 'gov', 'proposal', id]);
    expect(proposal.out).toMatch(/^type +param-change$/m);
    expect(proposal.out).toMatch(/^changes +\{"slashFractionDowntime":"0\.01"\}$/m);
    expect(proposal.out).toMatch(/^status +voting-period$/m);
    const list = await run(['query', 'gov', 'proposals', '--status', 'voting-period']);
    expect(list.out).toMatch(
      new RegExp(`^${id} +param-change +Harsher downtime +voting-period `, 'm'),
    );
    const deposits = await json<{ value: { depositor: string }[] }>([
      'query',
      'gov',
      'deposits',
      id,
    ]);
    expect(deposits.value).toEqual([
      { depositor: address('alice'), amount: { denom: 'ubwk', amount: '10000000' } },
    ]);

    const notStaker = await run(['tx', 'gov', 'vote', 'carol', id, 'yes']);
    expect(notStaker.code).toBe(2);
    expect(notStaker.err).toMatch(/NotAStaker \(code 506\)[^\n]*\nHint: only stakers vote/);
  });

  it('submits a proposal from a file, deposits on it, and the other shortcuts', async () => {
    const file = join(home, 'proposal.json');
    await writeFile(
      file,
      JSON.stringify({ type: 'text', title: 'Hello', description: 'A signal.' }),
    );
    const r = await run([
      'tx',
      'gov',
      'submit-proposal',
      'bob',
      '--file',
      file,
      '--deposit',
      '1000000ubwk',
    ]);
    expect(r.code, r.err).toBe(0);
    const id = /^proposal id +(\d+)$/m.exec(r.out)?.[1] as string;
    expect(r.out).toMatch(/^status +deposit-period/m);
    const dep = await run(['tx', 'gov', 'deposit', 'alice', id, '9000000ubwk']);
    expect(dep.code, dep.err).toBe(0);
    expect(dep.out).toMatch(/^total deposit +10000000ubwk$/m);
    expect(dep.out).toMatch(/^voting until /m);

    const spend = join(home, 'spend.json');
    await writeFile(
      spend,
      JSON.stringify({
        content: {
          type: 'community-pool-spend',
          title: 'Pay bob',
          description: 'For the explorer.',
          recipient: address('bob'),
          amount: { denom: 'ubwk', amount: '5' },
        },
        initialDeposit: '10000000ubwk',
      }),
    );
    const s = await run(['tx', 'gov', 'submit-proposal', 'alice', '--file', spend]);
    expect(s.code, s.err).toBe(0);
    const pause = await run([
      'tx',
      'gov',
      'submit-proposal',
      'emergency-pause',
      'alice',
      '--market',
      'BTC-USD-PERP',
      '--title',
      'Pause',
      '--description',
      'Oracle outage.',
      '--deposit',
      '10000000ubwk',
      '-o',
      'json',
    ]);
    expect(pause.code, pause.err).toBe(0);
    const text = await run([
      'tx',
      'gov',
      'submit-proposal',
      'text',
      'alice',
      '--title',
      'T',
      '--description',
      'D',
      '--deposit',
      '10000000ubwk',
      '--no-wait',
    ]);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/^height +pending/m);
    node.produceBlock();
    const params = await run(['query', 'gov', 'params']);
    expect(params.out).toMatch(/^minDeposit +10000000ubwk$/m);
    expect(params.out).toMatch(/^quorum +33\.4%$/m);
  });

  it('refuses malformed proposals before the node', async () => {
    const before = node.requests.length;
    const noDeposit = await run([
      'tx',
      'gov',
      'submit-proposal',
      'text',
      'alice',
      '--title',
      'T',
      '--description',
      'D',
    ]);
    expect(noDeposit.code).toBe(1);
    expect(noDeposit.err).toMatch(/^Error: the proposal has no deposit\nHint: give --deposit/);
    const badChanges = await run([
      'tx',
      'gov',
      'submit-proposal',
      'param-change',
      'alice',
      '--module',
      'slashing',
      '--changes',
      '{"slashFractionDowntime":0.01}',
      '--title',
      'T',
      '--description',
      'D',
      '--deposit',
      '10ubwk',
    ]);
    expect(badChanges.code).toBe(1);
    expect(badChanges.err).toMatch(/write fractions as decimal strings/);
    const file = join(home, 'bad.json');
    await writeFile(file, JSON.stringify({ type: 'poll', title: 'T', description: 'D' }));
    const bad = await run([
      'tx',
      'gov',
      'submit-proposal',
      'alice',
      '--file',
      file,
      '--deposit',
      '10ubwk',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^Error: bad proposal: content\.type must be one of/);
    expect(node.requests.length).toBe(before);
  });
});

describe('slashing', () => {
  /** Two precommits of val1 for different blocks at one height: a double sign. */
  function doubleSign(height: number) {
    const key = fakeConsKey('val1');
    const vote = (blockHash: string) => {
      const v = {
        type: 'precommit' as const,
        chainId: 'bulwark-test',
        height,
        round: 0,
        blockHash,
        validator: toHex(addressBytes(key.pubKey)),
      };
      return { ...v, signature: toHex(sign(key.seed, voteSignBytes(v))) };
    };
    return {
      type: 'duplicate-vote',
      validator: toHex(addressBytes(key.pubKey)),
      height,
      timeMs: 1_700_000_000_000 + height * 1000,
      totalPower: '300',
      voteA: vote('aa'.repeat(32)),
      voteB: vote('bb'.repeat(32)),
    };
  }

  it('queries signing infos and params', async () => {
    const one = await run(['query', 'slashing', 'signing-info', 'val0']);
    expect(one.code, one.err).toBe(0);
    expect(one.out).toMatch(/^missed blocks +0 of the last 20$/m);
    expect(one.out).toMatch(/^tombstoned +no$/m);
    const all = await run(['query', 'slashing', 'signing-infos']);
    expect(all.out).toMatch(
      /^VALIDATOR +CONSENSUS ADDRESS +START +MISSED +JAILED UNTIL +TOMBSTONED$/m,
    );
    expect(all.out).toMatch(/^val0 +[0-9a-f]{40} +\d+ +0\/20 +- +no$/m);
    const params = await run(['query', 'slashing', 'params']);
    expect(params.out).toMatch(/^slashFractionDowntime +0\.0001 \(0\.01%\)$/m);
  });

  it('accepts a block with evidence as `query block -o json` prints it, and tombstones', async () => {
    const block = await json<{ block: { evidence: unknown[] } }>(['query', 'block']);
    block.block.evidence = [doubleSign(node.height - 1)];
    const file = join(home, 'block.json');
    await writeFile(file, JSON.stringify(block));
    const r = await run(['tx', 'slashing', 'submit-evidence', '--from', 'alice', '--file', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^tombstoned +[0-9a-f]{40}$/m);
    const info = await run(['query', 'slashing', 'signing-info', 'val1']);
    expect(info.out).toMatch(/^tombstoned +yes$/m);
    expect(info.out).toMatch(/^jailed until +forever/m);

    // The same evidence again: the chain refuses it, with a hint.
    const evidence = join(home, 'evidence.json');
    await writeFile(evidence, JSON.stringify(doubleSign(node.height - 1)));
    const again = await run([
      'tx',
      'slashing',
      'submit-evidence',
      '--from',
      'alice',
      '--file',
      evidence,
    ]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/Tombstoned \(code 306\)/);
    const unjail = await run(['tx', 'slashing', 'unjail', '--from', 'val1']);
    expect(unjail.code).toBe(2);
    expect(unjail.err).toMatch(/\nHint: /);
  });

  it('refuses a malformed evidence file with exit 1', async () => {
    const file = join(home, 'broken.json');
    await writeFile(file, JSON.stringify({ voteA: {}, voteB: {} }));
    const r = await run(['tx', 'slashing', 'submit-evidence', '--from', 'alice', '--file', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Error: bad evidence in .*broken\.json: evidence\.voteA\.type must be/);
    const missing = await run([
      'tx',
      'slashing',
      'submit-evidence',
      '--from',
      'alice',
      '--file',
      join(home, 'nope.json'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^Error: cannot read evidence file .*nope\.json \(ENOENT\)/);
  });
});
