import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAccount } from '../core/testing/harness.ts';
import { Keystore } from '../node/keystore.ts';
import { FakeNode } from '../sdk/testing/fake-node.ts';
import { FAKE_BWK_PRICE, perpsAppGenesis } from '../sdk/testing/fake-perps.ts';
import { type CapturedIo, memoryIo } from './io.ts';
import { main } from './main.ts';

/**
 * The perps, vault and risk commands with `--output json` and text, against the fake node:
 * the full app with the devnet markets, BTC-USD reported at 60,000 USD by the validator.
 */
let node: FakeNode;
let home: string;

beforeAll(async () => {
  node = await FakeNode.start({
    accounts: ['alice', 'bob'],
    validators: ['val'],
    prices: { 'BTC-USD': '60000', 'ETH-USD': '3000', ...FAKE_BWK_PRICE },
    appGenesis: perpsAppGenesis(testAccount('alice'), 300_000_000n),
  });
  node.produceBlock(); // the first price report
  home = await mkdtemp(join(tmpdir(), 'bulwark-cli-perps-'));
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

// biome-ignore lint/suspicious/noExplicitAny: JSON output is inspected loosely
async function json(args: string[]): Promise<any> {
  const r = await run([...args, '-o', 'json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
}

async function ok(args: string[]): Promise<string> {
  const r = await run(args);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

const address = (name: string) => node.account(name).address;

describe('help', () => {
  it('documents every perps, vault and risk command with an example', async () => {
    const commands = [
      ...['deposit', 'withdraw', 'place-order', 'cancel', 'cancel-all'].map((c) => [
        'tx',
        'perps',
        c,
      ]),
      ...['deposit', 'request-withdraw', 'cancel-withdraw', 'withdraw'].map((c) => [
        'tx',
        'vault',
        c,
      ]),
      ...['markets', 'params', 'book', 'positions', 'orders', 'subaccount', 'fills', 'funding'].map(
        (c) => ['query', 'perps', c],
      ),
      ...['list', 'info', 'shares'].map((c) => ['query', 'vault', c]),
      ...['summary', 'market', 'params'].map((c) => ['query', 'risk', c]),
    ];
    for (const c of commands) {
      const r = await run([...c, '--help']);
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.out, c.join(' ')).toContain('Example');
    }
  });
});

describe('perps through the CLI', () => {
  it('trades, then shows fills and funding as JSON and as text', async () => {
    await ok(['tx', 'perps', 'deposit', 'alice', 'BTC-USD', '300000000uusd']);
    await ok(['tx', 'perps', 'deposit', 'bob', 'BTC-USD', '300000000uusd']);
    await ok([
      'tx',
      'perps',
      'place-order',
      'alice',
      'BTC-USD',
      'buy',
      '100',
      '60000',
      '--client-id',
      '1',
    ]);
    await ok([
      'tx',
      'perps',
      'place-order',
      'bob',
      'BTC-USD',
      'sell',
      '40',
      '60000',
      '--client-id',
      '2',
      '--tif',
      'ioc',
    ]);
    const book = await json(['query', 'perps', 'book', 'BTC-USD', '--levels', '1']);
    expect(book.value).toEqual({
      bids: [{ priceTicks: 60_000, sizeQuantums: '60', orders: 1 }],
      asks: [],
    });

    // As the RPC answers it, and filtered by account (a key name works).
    const fills = await json(['query', 'perps', 'fills', '--market', 'BTC-USD']);
    expect(fills.toHeight).toBe(node.height);
    expect(fills.fills).toEqual([
      expect.objectContaining({
        maker: address('alice'),
        taker: address('bob'),
        takerSide: 'sell',
        priceTicks: 60_000,
        sizeQuantums: 40,
      }),
    ]);
    expect((await json(['query', 'perps', 'fills', '--account', 'bob'])).fills).toEqual(
      fills.fills,
    );
    const none = await json([
      'query',
      'perps',
      'fills',
      '--to-height',
      String(fills.fills[0].height - 1),
    ]);
    expect(none.fills).toEqual([]);
    const text = await ok(['query', 'perps', 'fills', '--account', 'alice']);
    expect(text).toMatch(/1 fill\(s\)/);
    expect(text).toMatch(/HEIGHT\s+MARKET\s+TAKER SIDE/);
    expect(text).toContain(`BTC-USD  sell`);

    const funding = await json(['query', 'perps', 'funding', 'BTC-USD', '--limit', '2']);
    expect(funding).toMatchObject({
      market: 'BTC-USD',
      fundingIntervalBlocks: 3600,
      nextSettlementHeight: 3600,
      settlements: [],
    });
    const fundingText = await ok(['query', 'perps', 'funding', 'BTC-USD']);
    expect(fundingText).toMatch(/next settlement\s+3600/);
    expect(fundingText).toContain('no settlement yet');

    // Cancel by order id, then everything.
    const orders = await json(['query', 'perps', 'orders', 'alice']);
    const id = orders.value[0].id as string;
    await ok(['tx', 'perps', 'cancel', 'alice', 'BTC-USD', '--order-id', id]);
    expect((await json(['query', 'perps', 'orders', 'alice'])).value).toEqual([]);
    await ok(['tx', 'perps', 'cancel-all', 'alice', 'BTC-USD']);
    await ok(['tx', 'perps', 'withdraw', 'alice', 'BTC-USD', '1000000uusd']);
    const positions = await json(['query', 'perps', 'positions', 'bob']);
    expect(positions.value).toEqual([expect.objectContaining({ market: 'BTC-USD' })]);
  });

  it('refuses bad arguments (exit 1) and unknown markets (exit 2)', async () => {
    const both = await run(['tx', 'perps', 'cancel', 'alice', 'BTC-USD', '1', '--order-id', '1']);
    expect(both.code).toBe(1);
    expect(both.err).toContain('not both');
    const neither = await run(['tx', 'perps', 'cancel', 'alice', 'BTC-USD']);
    expect(neither.code).toBe(1);
    const badId = await run(['tx', 'perps', 'cancel', 'alice', 'BTC-USD', '--order-id', '7']);
    expect(badId.code).toBe(1);
    expect(badId.err).toContain('16 digits');
    const unknown = await run(['query', 'perps', 'fills', '--market', 'DOGE-USD']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown market DOGE-USD');
    const funding = await run(['query', 'perps', 'funding', 'DOGE-USD']);
    expect(funding.code).toBe(2);
    const limit = await run(['query', 'perps', 'fills', '--limit', '0']);
    expect(limit.code).toBe(1);
  });
});

describe('vault and risk through the CLI', () => {
  it('deposits, requests a withdrawal, and reads the vault and the budget', async () => {
    await ok(['tx', 'vault', 'deposit', 'bob', 'BTC-USD', '100000000uusd']);
    await ok(['tx', 'vault', 'request-withdraw', 'bob', 'BTC-USD', '10']);
    const shares = await json(['query', 'vault', 'shares', 'BTC-USD', 'bob']);
    expect(shares.value.pending).toEqual([
      expect.objectContaining({ shares: String(10n * 10n ** 18n), status: 'cooling' }),
    ]);
    const early = await run(['tx', 'vault', 'withdraw', 'bob', 'BTC-USD']);
    expect(early.code).toBe(2);
    const info = await json(['query', 'vault', 'info', 'BTC-USD']);
    expect(info.value).toMatchObject({ id: 'BTC-USD', insolvent: false });
    const summary = await json(['query', 'risk', 'summary']);
    expect(summary.value.markets.map((m: { market: string }) => m.market)).toEqual([
      'BTC-USD',
      'ETH-USD',
    ]);
    const market = await json(['query', 'risk', 'market', 'BTC-USD']);
    expect(market.value.market).toBe('BTC-USD');
  });
});
