import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InitOptions, InitResult } from '../node/home.ts';
import { Keystore } from '../node/keystore.ts';
import type { RunningNode, StartOptions } from '../node/node.ts';
import { FakeNode } from '../sdk/testing/fake-node.ts';
import { type HomeModule, memoryIo, type NodeModule, processIo } from './io.ts';
import { main } from './main.ts';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bulwark-cli-node-'));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

/** node/home.ts and node/node.ts stand-ins: a genesis marker file, keys, and a FakeNode. */
function fakeModules() {
  const inits: InitOptions[] = [];
  const starts: StartOptions[] = [];
  let stopped = 0;
  let running: FakeNode | undefined;
  const home: HomeModule = {
    defaultHome: () => join(tmp, 'default-home'),
    homeExists: async (h) => existsSync(join(h, 'config', 'genesis.json')),
    initHome: async (opts): Promise<InitResult> => {
      inits.push(opts);
      await mkdir(join(opts.home, 'config'), { recursive: true });
      await writeFile(join(opts.home, 'config', 'genesis.json'), '{}');
      const keystore = new Keystore(join(opts.home, 'keys'));
      const accounts = [];
      for (const name of ['alice', 'bob']) {
        const k = await keystore.add(name, { overwrite: true });
        accounts.push({ name, address: k.address });
      }
      return {
        home: opts.home,
        chainId: opts.chainId ?? 'bulwark-devnet',
        validators: [{ name: 'val0', address: 'ab'.repeat(20) }],
        accounts,
      };
    },
  };
  const node: NodeModule = {
    startNode: async (opts) => {
      starts.push(opts);
      running = await FakeNode.start();
      const fake = running;
      return {
        api: { chainId: 'bulwark-devnet' },
        rpcUrl: fake.url,
        wsUrl: fake.wsUrl,
        metricsUrl: `${fake.url}/metrics`,
        stop: async () => {
          stopped++;
          await fake.kill();
        },
      } as unknown as RunningNode;
    },
  };
  return { home, node, inits, starts, stopped: () => stopped, running: () => running };
}

describe('init', () => {
  it('creates a home with the options given, and refuses to overwrite one by accident', async () => {
    const m = fakeModules();
    const io = memoryIo({ loadHome: async () => m.home });
    const home = join(tmp, 'h');
    const code = await main(
      ['init', '--home', home, '--chain-id', 'bulwark-local', '--validators', '1'],
      io,
    );
    expect(code).toBe(0);
    expect(m.inits).toEqual([{ home, chainId: 'bulwark-local', validators: 1 }]);
    expect(io.out).toMatch(new RegExp(`^home +${home}\\nchain id +bulwark-local\\n`));
    expect(io.out).toMatch(/^alice +bwk1\w+$/m);

    const again = memoryIo({ loadHome: async () => m.home });
    expect(await main(['init', '--home', home], again)).toBe(1);
    expect(again.err).toBe(
      `Error: ${home} already holds a chain\nHint: start it with \`bulwark start\`, pick another --home, or replace it with --overwrite\n`,
    );
    const forced = memoryIo({ loadHome: async () => m.home });
    expect(await main(['init', '--home', home, '--overwrite', '-o', 'json'], forced)).toBe(0);
    expect(JSON.parse(forced.out)).toMatchObject({ home, chainId: 'bulwark-devnet' });
    expect(m.inits[1]).toEqual({ home, overwrite: true });
  });

  it('uses $BULWARK_HOME, else the default home', async () => {
    const m = fakeModules();
    const io = memoryIo({
      loadHome: async () => m.home,
      env: { BULWARK_HOME: join(tmp, 'from-env') },
    });
    await main(['init'], io);
    const io2 = memoryIo({ loadHome: async () => m.home });
    await main(['init'], io2);
    expect(m.inits.map((o) => o.home)).toEqual([join(tmp, 'from-env'), join(tmp, 'default-home')]);
  });

  it('rejects a bad --validators value', async () => {
    const io = memoryIo();
    expect(await main(['init', '--validators', 'many'], io)).toBe(1);
    expect(io.err).toMatch(
      /^Error: option '--validators <n>' argument 'many' is invalid\. expected a positive integer\./,
    );
  });
});

describe('start', () => {
  it('--devnet creates the home, prints where it listens and the accounts, and stops cleanly', async () => {
    const m = fakeModules();
    let stop!: (signal: string) => void;
    const io = memoryIo({
      loadHome: async () => m.home,
      loadNode: async () => m.node,
      untilStopped: () => new Promise((resolve) => (stop = resolve)),
    });
    const home = join(tmp, 'devnet');
    const done = main(
      ['start', '--devnet', '--home', home, '--rpc-addr', '127.0.0.1:0', '--block-interval', '200'],
      io,
    );
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (io.out.includes('Press Ctrl-C to stop.')) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    expect(m.inits).toEqual([{ home, blockIntervalMs: 200 }]);
    expect(m.starts).toEqual([{ home, rpcAddr: '127.0.0.1:0', blockIntervalMs: 200 }]);
    const url = m.running()?.url as string;
    expect(io.out).toContain(`Created a devnet home in ${home}`);
    expect(io.out).toMatch(new RegExp(`^JSON-RPC +${url}$`, 'm'));
    expect(io.out).toMatch(new RegExp(`^metrics +${url}/metrics$`, 'm'));
    expect(io.out).toMatch(/^alice +bwk1\w+$/m);
    expect(io.out).toMatch(/^bob +bwk1\w+$/m);

    // The node serves while it runs.
    const status = memoryIo({ env: { BULWARK_NODE: url } });
    expect(await main(['status'], status)).toBe(0);

    stop('SIGINT');
    expect(await done).toBe(0);
    expect(m.stopped()).toBe(1);
    expect(io.out).toMatch(/SIGINT: stopping…\nStopped\.\n$/);
    expect(io.err).toBe('');
  });

  it('without --devnet, needs an existing home', async () => {
    const m = fakeModules();
    const io = memoryIo({ loadHome: async () => m.home, loadNode: async () => m.node });
    const home = join(tmp, 'none');
    expect(await main(['start', '--home', home], io)).toBe(1);
    expect(io.err).toBe(
      `Error: no Bulwark home at ${home}\nHint: create one with \`bulwark init\`, or run \`bulwark start --devnet\`\n`,
    );
    expect(m.starts).toEqual([]);
  });

  it('checks --rpc-addr and --log-level', async () => {
    const io = memoryIo();
    expect(await main(['start', '--rpc-addr', 'localhost'], io)).toBe(1);
    expect(io.err).toMatch(/^Error: invalid --rpc-addr "localhost"\nHint: use HOST:PORT/);
    const io2 = memoryIo();
    expect(await main(['start', '--log-level', 'loud'], io2)).toBe(1);
    expect(io2.err).toMatch(/^Error: invalid --log-level "loud"/);
  });
});

describe('with the real node', () => {
  it('start --devnet, then a send and queries against it', async () => {
    const real = processIo();
    let stop!: (signal: string) => void;
    const io = memoryIo({
      loadHome: real.loadHome,
      loadNode: real.loadNode,
      untilStopped: () => new Promise((resolve) => (stop = resolve)),
    });
    const home = join(tmp, 'real');
    const args = [
      'start',
      '--devnet',
      '--home',
      home,
      '--rpc-addr',
      '127.0.0.1:0',
      '--block-interval',
      '50',
    ];
    const done = main([...args, '--log-level', 'silent', '-o', 'json'], io);
    const deadline = Date.now() + 30_000;
    while (!io.out.trim().endsWith('}') && Date.now() < deadline) {
      if (io.err !== '') throw new Error(io.err);
      await new Promise((r) => setTimeout(r, 20));
    }
    const started = JSON.parse(io.out) as { rpcUrl: string; accounts: { name: string }[] };
    // alice and bob, and the operator keys of the devnet validators.
    expect(started.accounts.map((a) => a.name)).toEqual([
      'alice',
      'bob',
      'val0',
      'val1',
      'val2',
      'val3',
    ]);
    try {
      const env = { BULWARK_NODE: started.rpcUrl, BULWARK_HOME: home };
      const send = memoryIo({ env });
      expect(
        await main(['tx', 'bank', 'send', 'alice', 'bob', '1500000ubwk'], send),
        send.err,
      ).toBe(0);
      const hash = /^hash +([0-9A-F]{64})$/m.exec(send.out)?.[1] as string;
      const tx = memoryIo({ env });
      expect(await main(['query', 'tx', hash], tx), tx.err).toBe(0);
      expect(tx.out).toMatch(/^event transfer +amount=1500000ubwk /m);
      const bal = memoryIo({ env });
      expect(await main(['query', 'bank', 'balance', 'bob', '--denom', 'ubwk'], bal)).toBe(0);
      expect(bal.out).toBe('DENOM  AMOUNT\nubwk   1000001500000\n');

      // The README tour: delegate to a validator and check rewards.
      const vals = memoryIo({ env });
      expect(await main(['query', 'staking', 'validators'], vals), vals.err).toBe(0);
      expect(vals.out).toMatch(/^val0 +bwk1\w+ +bonded +no +\d+ubwk +10%$/m);
      const del = memoryIo({ env });
      expect(
        await main(['tx', 'staking', 'delegate', 'alice', 'val0', '1000000ubwk'], del),
        del.err,
      ).toBe(0);
      const rewards = memoryIo({ env });
      expect(await main(['query', 'distribution', 'rewards', 'alice'], rewards), rewards.err).toBe(
        0,
      );
      expect(rewards.out).toMatch(/^val0 +bwk1\w+ +(none|\d+ubwk)$/m);

      // The oracle: the devnet's synthetic feeds publish BWK-USD, BTC-USD and ETH-USD.
      const prices = memoryIo({ env });
      expect(await main(['query', 'oracle', 'prices', '-o', 'json'], prices), prices.err).toBe(0);
      const list = (JSON.parse(prices.out) as { value: { market: string; price: string | null }[] })
        .value;
      expect(list.map((p) => p.market).sort()).toEqual(['BTC-USD', 'BWK-USD', 'ETH-USD']);
      expect(list.every((p) => p.price !== null && Number(p.price) > 0)).toBe(true);
      const one = memoryIo({ env });
      expect(await main(['query', 'oracle', 'price', 'BTC-USD'], one), one.err).toBe(0);
      expect(one.out).toMatch(/^market +BTC-USD$/m);
      const misses = memoryIo({ env });
      expect(await main(['query', 'oracle', 'misses', 'val0'], misses), misses.err).toBe(0);
      expect(misses.out).toMatch(/slashes +0/);

      // A market's staking vault: deposit, then a withdrawal refused before the cooldown.
      const dep = memoryIo({ env });
      expect(
        await main(['tx', 'vault', 'deposit', 'bob', 'BTC-USD', '5000000000uusd'], dep),
        dep.err,
      ).toBe(0);
      const shares = memoryIo({ env });
      expect(
        await main(['query', 'vault', 'shares', 'BTC-USD', 'bob', '-o', 'json'], shares),
        shares.err,
      ).toBe(0);
      const mine = (JSON.parse(shares.out) as { value: { shares: string } }).value;
      expect(BigInt(mine.shares)).toBe(5_000_000_000n * 10n ** 18n);
      const req = memoryIo({ env });
      expect(
        await main(['tx', 'vault', 'request-withdraw', 'bob', 'BTC-USD', '1000'], req),
        req.err,
      ).toBe(0);
      const early = memoryIo({ env });
      expect(await main(['tx', 'vault', 'withdraw', 'bob', 'BTC-USD'], early)).toBe(2);
      expect(early.err).toMatch(/cooldown/i);
      const info = memoryIo({ env });
      expect(await main(['query', 'vault', 'info', 'BTC-USD'], info), info.err).toBe(0);
      expect(info.out).toMatch(/^equity +105000000000$/m);

      // A perpetual market: both sides post collateral, bob rests a sell, alice's buy crosses it.
      for (const who of ['alice', 'bob']) {
        const d = memoryIo({ env });
        expect(
          await main(['tx', 'perps', 'deposit', who, 'BTC-USD', '10000000000uusd'], d),
          d.err,
        ).toBe(0);
      }
      const px = Math.round(
        Number((list.find((p) => p.market === 'BTC-USD') as { price: string }).price),
      );
      const sell = memoryIo({ env });
      expect(
        await main(
          [
            'tx',
            'perps',
            'place-order',
            'bob',
            'BTC-USD',
            'sell',
            '100',
            String(px),
            '--client-id',
            '1',
          ],
          sell,
        ),
        sell.err,
      ).toBe(0);
      const book = memoryIo({ env });
      expect(await main(['query', 'perps', 'book', 'BTC-USD', '-o', 'json'], book), book.err).toBe(
        0,
      );
      expect(book.out).toContain(String(px));
      const buy = memoryIo({ env });
      expect(
        await main(
          [
            'tx',
            'perps',
            'place-order',
            'alice',
            'BTC-USD',
            'buy',
            '100',
            String(px),
            '--client-id',
            '2',
            '--tif',
            'ioc',
          ],
          buy,
        ),
        buy.err,
      ).toBe(0);
      const pos = memoryIo({ env });
      expect(await main(['query', 'perps', 'positions', 'alice', '-o', 'json'], pos), pos.err).toBe(
        0,
      );
      expect(pos.out).toMatch(/"size": "10000000000000000"/); // 0.01 BTC long, 18 decimals
      const bad = memoryIo({ env });
      expect(
        await main(['tx', 'perps', 'place-order', 'alice', 'BTC-USD', 'hold', '1', '1'], bad),
      ).toBe(1);
    } finally {
      stop('SIGTERM');
      expect(await done).toBe(0);
    }
  });
});
