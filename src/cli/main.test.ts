import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keystore } from '../node/keystore.ts';
import { FakeNode } from '../sdk/testing/fake-node.ts';
import { closedPort } from '../sdk/testing/ports.ts';
import { type CapturedIo, type Io, memoryIo } from './io.ts';
import { main } from './main.ts';

let node: FakeNode;
let home: string;

beforeAll(async () => {
  node = await FakeNode.start();
  home = await mkdtemp(join(tmpdir(), 'bulwark-cli-'));
  // The fake chain funds alice and bob; the keyring holds the same seeds.
  const keystore = new Keystore(join(home, 'keys'));
  for (const name of ['alice', 'bob']) await keystore.add(name, { seed: node.account(name).seed });
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

const alice = () => node.account('alice');
const bob = () => node.account('bob');

async function balance(address: string, denom = 'ubwk'): Promise<bigint> {
  const r = await run(['query', 'bank', 'balance', address, '--denom', denom, '-o', 'json']);
  return BigInt((JSON.parse(r.out) as { value: { amount: string } }).value.amount);
}

describe('help', () => {
  it('lists the commands and global options', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    for (const word of [
      'init',
      'start',
      'status',
      'keys',
      'tx',
      'query',
      '--node <url>',
      '--home <dir>',
      '--output <format>',
    ]) {
      expect(r.out).toContain(word);
    }
  });

  it('documents every command, with the global options', async () => {
    for (const cmd of [
      ['init'],
      ['start'],
      ['status'],
      ['keys', 'add'],
      ['keys', 'list'],
      ['keys', 'show'],
      ['tx', 'bank', 'send'],
      ['query', 'bank', 'balance'],
      ['query', 'bank', 'supply'],
      ['query', 'block'],
      ['query', 'block-results'],
      ['query', 'tx'],
      ['query', 'account'],
      ['query', 'raw'],
    ]) {
      const r = await run([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.out).toContain(`Usage: bulwark ${cmd.join(' ')}`);
      expect(r.out).toContain('Global Options:');
    }
    const send = await run(['tx', 'bank', 'send', '--help']);
    expect(send.out).toContain('bulwark tx bank send [options] <from> <to> <amount>');
    expect(send.out).toContain('--no-wait');
    expect(send.out).toMatch(/Examples?:/);
  });

  it('prints the version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('usage errors (exit 1)', () => {
  it('rejects a bad --output value', async () => {
    const r = await run(['status', '--output', 'yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      "Error: option '-o, --output <format>' argument 'yaml' is invalid. Allowed choices are text, json.\nHint: see `bulwark --help`\n",
    );
  });

  it('rejects a bad amount before touching the node', async () => {
    const before = node.requests.length;
    for (const amount of ['15', 'ubwk', '1.5ubwk', '0ubwk', '1500 ubwk']) {
      const r = await run(['tx', 'bank', 'send', 'alice', 'bob', amount]);
      expect(r.code, amount).toBe(1);
      expect(r.err).toMatch(
        /^Error: bad amount: .*\nHint: write an amount as an integer of base units followed by the denom, e\.g\. 1500ubwk\n$/,
      );
    }
    const fee = await run(['tx', 'bank', 'send', 'alice', 'bob', '5ubwk', '--fee', 'lots']);
    expect(fee.err).toMatch(/^Error: bad --fee: invalid coin "lots"/);
    const negative = await run(['tx', 'bank', 'send', 'alice', 'bob', '-3ubwk']);
    expect(negative.code).toBe(1);
    expect(negative.err).toMatch(
      /^Error: unknown option '-3ubwk'\nHint: see `bulwark tx bank send --help`/,
    );
    expect(node.requests.length).toBe(before);
  });

  it('names an unknown key and how to find one', async () => {
    const r = await run(['tx', 'bank', 'send', 'mallory', 'bob', '5ubwk']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Error: no key named mallory in .*keys/);
    expect(r.err).toMatch(/\nHint: list your keys with `bulwark keys list`/);
    const to = await run(['tx', 'bank', 'send', 'alice', 'bwk1notanaddress', '5ubwk']);
    expect(to.code).toBe(1);
    expect(to.err).toMatch(/^Error: address "bwk1notanaddress" is not a bwk1… account address/);
  });

  it('reports unknown commands, missing arguments and bad heights', async () => {
    const unknown = await run(['qurey']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(
      /^Error: unknown command 'qurey' \(Did you mean query\?\)\nHint: see `bulwark --help`/,
    );
    const missing = await run(['tx', 'bank', 'send', 'alice']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /^Error: missing required argument 'to'\nHint: see `bulwark tx bank send --help`/,
    );
    const height = await run(['query', 'block', 'ten']);
    expect(height.code).toBe(1);
    expect(height.err).toMatch(/a height is a non-negative integer/);
    const args = await run(['query', 'raw', 'bank/balance', '--args', '{nope']);
    expect(args.code).toBe(1);
    expect(args.err).toMatch(/^Error: --args is not JSON/);
  });
});

describe('connection errors (exit 3)', () => {
  it('says the node is unreachable and how to start one', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await run(['status', '--node', url]);
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `Error: cannot reach the node at ${url} (ECONNREFUSED)\n` +
        'Hint: is a node running? Start one with `npm start` (or `bulwark start --devnet`), or point --node / BULWARK_NODE at a running node\n',
    );
  });
});

describe('status and queries', () => {
  it('shows the status as text and as the exact RPC JSON', async () => {
    const text = await run(['status']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^chain id +bulwark-test$/m);
    expect(text.out).toMatch(new RegExp(`^latest height +${node.height}$`, 'm'));
    expect(text.out).toMatch(/^VALIDATOR +ADDRESS +POWER$/m);
    const json = await run(['status', '--output', 'json']);
    const viaRpc = await (
      await fetch(node.url, {
        method: 'POST',
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'status' }),
      })
    ).json();
    expect(JSON.parse(json.out)).toEqual((viaRpc as { result: unknown }).result);
  });

  it('reads balances by key name or address', async () => {
    const byName = await run(['query', 'bank', 'balance', 'alice']);
    expect(byName.code).toBe(0);
    expect(byName.out).toMatch(/^DENOM +AMOUNT\nubwk +\d+\nuusd +\d+\n$/);
    const byAddress = await run([
      'q',
      'bank',
      'balance',
      alice().address,
      '--denom',
      'uusd',
      '-o',
      'json',
    ]);
    expect(JSON.parse(byAddress.out)).toEqual({
      code: 0,
      log: '',
      height: node.height,
      value: { denom: 'uusd', amount: '1000000000' },
    });
  });

  it('queries supply, accounts, params and raw paths', async () => {
    const supply = await run(['query', 'bank', 'supply']);
    expect(supply.out).toMatch(/^DENOM +MINTED +BURNED +FEE POOL +CIRCULATING$/m);
    const account = await run(['query', 'account', 'bob']);
    expect(account.out).toMatch(new RegExp(`^address +${bob().address}\\nnonce +\\d+\\n$`));
    const params = await run(['query', 'auth', 'params']);
    expect(params.out).toBe('feeDenom      ubwk\nminFee        100\nmaxMsgsPerTx  64\n');
    const raw = await run([
      'query',
      'raw',
      'bank/balance',
      '--args',
      JSON.stringify({ address: bob().address, denom: 'ubwk' }),
    ]);
    expect(raw.code).toBe(0);
    expect(raw.out).toMatch(/^height +\d+\nvalue\.denom +ubwk\nvalue\.amount +\d+\n$/);
  });

  it('fails a query the chain refuses with exit 2 and prints the RPC JSON with -o json', async () => {
    const r = await run(['query', 'raw', 'nope/nothing']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^Error: query nope\/nothing failed: UnknownQuery \(code 22\): unknown query path "nope\/nothing"/,
    );
    expect(r.err).toMatch(/\nHint: docs\/queries\.md lists the query paths\n$/);
    const json = await run([
      'query',
      'raw',
      'bank/balance',
      '--args',
      '{"address":"x"}',
      '-o',
      'json',
    ]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({ code: 13 });
    const block = await run(['query', 'block', '999999']);
    expect(block.code).toBe(2);
    expect(block.err).toMatch(/^Error: no block at height 999999\nHint: check the hash or height/);
  });
});

describe('tx bank send', () => {
  it('sends, waits for the block and prints hash, height and code', async () => {
    const before = await balance(bob().address);
    const r = await run(['tx', 'bank', 'send', 'alice', 'bob', '1500ubwk', '--memo', 'lunch']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const hash = /^hash +([0-9A-F]{64})$/m.exec(r.out)?.[1] as string;
    expect(hash).toBeDefined();
    expect(r.out).toMatch(new RegExp(`^height +${node.height}$`, 'm'));
    expect(r.out).toMatch(/^code +0$/m);
    expect(await balance(bob().address)).toBe(before + 1500n);

    const tx = await run(['query', 'tx', hash.toLowerCase()]);
    expect(tx.code).toBe(0);
    expect(tx.out).toMatch(new RegExp(`^sender +${alice().address}$`, 'm'));
    expect(tx.out).toMatch(/^memo +lunch$/m);
    expect(tx.out).toMatch(/^msg 0 +bank\/send /m);
    expect(tx.out).toMatch(/^event transfer +amount=1500ubwk /m);

    const block = await run(['query', 'block', String(node.height)]);
    expect(block.out).toContain(`tx 0  ${hash}`);
    const results = await run(['query', 'block-results', String(node.height), '-o', 'json']);
    expect(JSON.parse(results.out).txResults[0].hash).toBe(hash);
  });

  it('prints the RPC JSON with -o json, and accepts an address, a fee and --no-wait', async () => {
    const json = await run([
      'tx',
      'bank',
      'send',
      'bob',
      alice().address,
      '7uusd',
      '--fee',
      '300ubwk',
      '-o',
      'json',
    ]);
    expect(json.code).toBe(0);
    const res = JSON.parse(json.out);
    expect(Object.keys(res).sort()).toEqual(['checkTx', 'height', 'txResult']);
    expect(res.txResult.code).toBe(0);

    const queued = await run(['tx', 'bank', 'send', 'bob', 'alice', '1ubwk', '--no-wait']);
    expect(queued.code).toBe(0);
    expect(queued.out).toMatch(/^height +pending \(in the mempool\)$/m);
    node.produceBlock();
  });

  it('fails a refused tx with exit 2, its result and a hint', async () => {
    const r = await run(['tx', 'bank', 'send', 'alice', 'bob', '999999999999999ubwk']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^code +5 \(InsufficientFunds\)$/m);
    expect(r.err).toMatch(/^Error: tx [0-9A-F]{64} was refused: InsufficientFunds \(code 5\): /);
    expect(r.err).toMatch(/\nHint: check the balance with `bulwark query bank balance <from>`/);
  });
});

describe('keys', () => {
  it('adds an encrypted key with a passphrase from the environment or stdin', async () => {
    const env = await run(['keys', 'add', 'carol'], {
      env: { BULWARK_HOME: home, BULWARK_PASSPHRASE: 'correct horse battery' },
    });
    expect(env.code).toBe(0);
    expect(env.err).toBe('');
    expect(env.out).toMatch(/^storage +encrypted$/m);
    const stdin = await run(['keys', 'add', 'dave', '--passphrase-stdin', '-o', 'json'], {
      stdin: 'staple battery horse\n',
    });
    expect(stdin.code).toBe(0);
    expect(JSON.parse(stdin.out)).toMatchObject({ name: 'dave', encrypted: true });
  });

  it('refuses a key without a passphrase unless --devnet-unencrypted, which warns', async () => {
    const none = await run(['keys', 'add', 'erin']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(
      /^Error: key erin needs a passphrase to encrypt its seed\nHint: pipe it in with --passphrase-stdin/,
    );
    const clear = await run(['keys', 'add', 'erin', '--devnet-unencrypted']);
    expect(clear.code).toBe(0);
    expect(clear.err).toMatch(
      /^Warning: erin is stored unencrypted in .*erin\.json: use it on a devnet only\.\n$/,
    );
    const again = await run(['keys', 'add', 'erin', '--devnet-unencrypted']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists[^\n]*\nHint: pick another name/);
  });

  it('lists and shows keys', async () => {
    const list = await run(['keys', 'list']);
    expect(list.out).toMatch(/^NAME +ADDRESS +STORAGE$/m);
    expect(list.out).toMatch(
      new RegExp(`^alice +${alice().address} +unencrypted \\(devnet only\\)$`, 'm'),
    );
    expect(list.out).toMatch(/^carol +bwk1\w+ +encrypted$/m);
    const show = await run(['keys', 'show', 'alice', '--address']);
    expect(show.out).toBe(`${alice().address}\n`);
  });

  it('signs with an encrypted key given its passphrase', async () => {
    const wrong = await run(['tx', 'bank', 'send', 'carol', 'bob', '1ubwk'], {
      env: { BULWARK_NODE: node.url, BULWARK_HOME: home, BULWARK_PASSPHRASE: 'not it at all' },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^Error: wrong passphrase for key carol/);
    const missing = await run(['tx', 'bank', 'send', 'carol', 'bob', '1ubwk']);
    expect(missing.err).toMatch(
      /passphrase is needed\nHint: set BULWARK_PASSPHRASE, or pipe the passphrase in with --passphrase-stdin/,
    );
    // carol holds nothing: the passphrase worked when the chain is what refuses.
    const right = await run(['tx', 'bank', 'send', 'carol', 'bob', '1ubwk', '--passphrase-stdin'], {
      stdin: 'correct horse battery\n',
    });
    expect(right.code).toBe(2);
    expect(right.err).toMatch(/InsufficientFunds/);
  });
});
