import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CapturedIo, memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { GENESIS_MS, testAccount } from '../../src/core/testing/harness.ts';
import { Keystore } from '../../src/node/keystore.ts';
import { FakeNode } from '../../src/sdk/testing/fake-node.ts';

/**
 * The options commands against the fake node (the real state machine behind JSON-RPC). The
 * fake node publishes no oracle price, so quotes and trades are refused with NoFreshPrice:
 * the path from the CLI to the chain and back is what is checked here; trades settle in
 * test/options/chain.test.ts through a devnet node with prices.
 */
let node: FakeNode;
let home: string;

const series = (id: string, kind: 'call' | 'put', strike: string) => ({
  id,
  underlying: 'ETH-USD',
  strike,
  expiryMs: GENESIS_MS + 3_600_000,
  kind,
  vault: 'ETH-OPT',
});

beforeAll(async () => {
  const alice = 'alice';
  node = await FakeNode.start({
    accounts: [alice, 'bob'],
    appGenesis: {
      vaults: {
        vaults: [
          {
            id: 'ETH-OPT',
            // The fake node's accounts are core's test accounts, named alike.
            seed: { depositor: testAccount(alice).address, amount: '500000000' },
          },
        ],
      },
      options: {
        series: [series('ETH-3000-C', 'call', '3000'), series('ETH-3000-P', 'put', '3000')],
      },
    },
  });
  home = await mkdtemp(join(tmpdir(), 'bulwark-cli-options-'));
  const keystore = new Keystore(join(home, 'keys'));
  for (const name of ['alice', 'bob']) await keystore.add(name, { seed: node.account(name).seed });
});
afterAll(async () => {
  await node.kill();
  await rm(home, { recursive: true, force: true });
});

async function run(args: string[]): Promise<CapturedIo & { code: number }> {
  const io = memoryIo({ env: { BULWARK_NODE: node.url, BULWARK_HOME: home } });
  const code = await main(args, io);
  return Object.assign(io, { code });
}

describe('bulwark … options', () => {
  it('lists the series as a table and as JSON', async () => {
    const text = await run(['query', 'options', 'series']);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/^ETH-3000-C +call +3000 +\S+ +trading +0 +0 +-$/m);
    const json = await run(['query', 'options', 'series', '-o', 'json']);
    expect(json.code, json.err).toBe(0);
    const value = (JSON.parse(json.out) as { value: { id: string; open: string }[] }).value;
    expect(value.map((s) => [s.id, s.open])).toEqual([
      ['ETH-3000-C', '0'],
      ['ETH-3000-P', '0'],
    ]);
  });

  it('shows positions, vaults and params', async () => {
    const pos = await run(['query', 'options', 'positions', 'alice']);
    expect(pos.code, pos.err).toBe(0);
    expect(pos.out).toMatch(/holds no options/);
    const vaults = await run(['query', 'options', 'vaults', '-o', 'json']);
    expect(vaults.code, vaults.err).toBe(0);
    const v = (JSON.parse(vaults.out) as { value: { vault: string; cash: string }[] }).value;
    expect(v).toEqual([expect.objectContaining({ vault: 'ETH-OPT', cash: '500000000' })]);
    const params = await run(['query', 'options', 'params']);
    expect(params.out).toMatch(/^riskFreeRate +0\.05$/m);
  });

  it('reports the chain refusing a quote and a trade without a price (exit 2, code 1007)', async () => {
    const quote = await run(['query', 'options', 'quote', 'ETH-3000-C', '1000']);
    expect(quote.code).toBe(2);
    expect(quote.err).toMatch(/no oracle price for ETH-USD/);
    const trade = await run([
      'tx',
      'options',
      'buy',
      'alice',
      'ETH-3000-C',
      '1000',
      '--max-price',
      '0.6',
    ]);
    expect(trade.code).toBe(2);
    expect(trade.out + trade.err).toMatch(/1007/);
    const unknown = await run(['query', 'options', 'quote', 'ETH-9-C', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown series "ETH-9-C"; open series: ETH-3000-C, ETH-3000-P/);
  });

  it('refuses bad arguments before signing (exit 1)', async () => {
    for (const args of [
      ['tx', 'options', 'buy', 'alice', 'ETH-3000-C', '0', '--max-price', '0.6'],
      ['tx', 'options', 'buy', 'alice', 'ETH-3000-C', '-3', '--max-price', '0.6'],
      ['tx', 'options', 'buy', 'alice', 'ETH-3000-C', '10', '--max-price', '1.5'],
      ['tx', 'options', 'sell', 'alice', 'ETH-3000-C', '10', '--min-price', 'abc'],
      ['tx', 'options', 'buy', 'alice', 'ETH-3000-C', '10'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(/Error: .*\nHint: /);
    }
  });

  it('documents each command with an example', async () => {
    for (const cmd of [
      ['tx', 'options', 'buy'],
      ['tx', 'options', 'sell'],
      ['query', 'options', 'series'],
      ['query', 'options', 'quote'],
      ['query', 'options', 'positions'],
    ]) {
      const r = await run([...cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`\\$ bulwark ${cmd.join(' ')}|\\$ bulwark -o json q`));
    }
  });
});
