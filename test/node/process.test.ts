import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { keysDir } from '../../src/node/config.ts';
import { Keystore } from '../../src/node/keystore.ts';
import { addressOfSigner, BulwarkClient, signerFromSeed } from '../../src/sdk/index.ts';
import { closedPort } from '../../src/sdk/testing/ports.ts';
import { tempHome } from '../helpers/tmp-home.ts';

const BIN = fileURLToPath(new URL('../../bin/bulwark.js', import.meta.url));
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const c of cleanups.splice(0)) await c();
});

function startProcess(home: string, port: number): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'start',
      '--home',
      home,
      '--rpc-addr',
      `127.0.0.1:${port}`,
      '--block-interval',
      '150',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && code !== null && signal === null)
      console.error(`node exited ${code}: ${err}`);
  });
  children.push(child);
  return child;
}

async function waitForHeight(
  client: BulwarkClient,
  height: number,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const s = await client.rpc.status();
      if (s.latestHeight >= height) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`node did not reach height ${height} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((r) => child.once('exit', r));
}

describe('a real node process', () => {
  it('survives SIGKILL: after a restart every height keeps its app hash and balances are intact', async () => {
    const { home, init, cleanup } = await tempHome();
    cleanups.push(cleanup);
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const keys = new Keystore(keysDir(home));
    const alice = signerFromSeed((await keys.unlock('alice')).seed);
    const bob = init.accounts.find((a) => a.name === 'bob')!.address;

    const first = startProcess(home, port);
    const client = new BulwarkClient({ url });
    cleanups.push(() => client.close());
    await waitForHeight(client, 1);
    const bobStart = (await client.balance(bob, 'ubwk')) as bigint;
    for (let i = 0; i < 5; i++) await client.bankSend(alice, bob, `${1000 + i}ubwk`);
    // More txs in flight while the process dies: committed or not, nothing may be half-done.
    for (let i = 0; i < 5; i++)
      await client.bankSend(alice, bob, '1ubwk', { waitForCommit: false });
    const status = await client.rpc.status();
    const height = status.latestHeight;
    const hashes = new Map<number, string>();
    for (let h = 1; h <= height; h++) hashes.set(h, (await client.rpc.blockResults(h)).appHash);
    const bobAtHeight = (
      await client.rpc.query('bank/balance', { address: bob, denom: 'ubwk' }, height)
    ).value;

    first.kill('SIGKILL');
    await exited(first);
    expect(first.signalCode).toBe('SIGKILL');

    const second = startProcess(home, port);
    await waitForHeight(client, height + 2);
    for (const [h, appHash] of hashes) {
      expect((await client.rpc.blockResults(h)).appHash, `app hash at height ${h}`).toBe(appHash);
    }
    expect(
      (await client.rpc.query('bank/balance', { address: bob, denom: 'ubwk' }, height)).value,
    ).toEqual(bobAtHeight);
    // The five committed sends are there; the in-flight ones are either wholly in or wholly out.
    const bobNow = (await client.balance(bob, 'ubwk')) as bigint;
    const delta = bobNow - bobStart;
    expect(delta >= 5010n && delta <= 5015n).toBe(true);
    // And the restarted node keeps accepting txs.
    // (In-flight txs lost with the mempool are gone: sign with the chain's next nonce.)
    const res = await client.bankSend(alice, bob, '7ubwk', {
      nonce: await client.nonce(addressOfSigner(alice)),
    });
    expect(res.code).toBe(0);
    second.kill('SIGTERM');
    await exited(second);
    expect(second.exitCode).toBe(0);
  });
});
