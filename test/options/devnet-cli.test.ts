import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo, processIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bulwark-options-devnet-'));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

const SERIES = 'ETH-3000-C-1D';

describe('options through the CLI and a real devnet node', () => {
  it('lists the devnet binaries, quotes, buys and sells back; refusals carry their codes', async () => {
    const real = processIo();
    let stop!: (signal: string) => void;
    const io = memoryIo({
      loadHome: real.loadHome,
      loadNode: real.loadNode,
      untilStopped: () => new Promise((resolve) => (stop = resolve)),
    });
    const home = join(tmp, 'home');
    const args = ['start', '--devnet', '--home', home, '--rpc-addr', '127.0.0.1:0'];
    const done = main(
      [...args, '--block-interval', '50', '--log-level', 'silent', '-o', 'json'],
      io,
    );
    const deadline = Date.now() + 30_000;
    while (!io.out.trim().endsWith('}') && Date.now() < deadline) {
      if (io.err !== '') throw new Error(io.err);
      await new Promise((r) => setTimeout(r, 20));
    }
    const { rpcUrl } = JSON.parse(io.out) as { rpcUrl: string };
    const env = { BULWARK_NODE: rpcUrl, BULWARK_HOME: home };
    const cli = async (argv: string[]) => {
      const c = memoryIo({ env });
      const code = await main(argv, c);
      return { code, out: c.out, err: c.err };
    };
    try {
      // Six strikes × kinds for each of two expiries, all trading, on the ETH-OPT vault.
      const list = await cli(['query', 'options', 'series', '-o', 'json']);
      expect(list.code, list.err).toBe(0);
      const series = (
        JSON.parse(list.out) as { value: { id: string; state: string; vault: string }[] }
      ).value;
      expect(series).toHaveLength(12);
      expect(series.every((s) => s.state === 'trading' && s.vault === 'ETH-OPT')).toBe(true);
      expect(series.map((s) => s.id)).toContain(SERIES);

      // The first quote waits for the oracle's first ETH-USD price.
      let quote = await cli(['query', 'options', 'quote', SERIES, '1000000', '-o', 'json']);
      while (quote.code !== 0 && Date.now() < deadline) {
        expect(quote.err).toMatch(/no oracle price|stale/);
        await new Promise((r) => setTimeout(r, 100));
        quote = await cli(['query', 'options', 'quote', SERIES, '1000000', '-o', 'json']);
      }
      expect(quote.code, quote.err).toBe(0);
      const q = (JSON.parse(quote.out) as { value: { fair: string; buy: { price: string } } })
        .value;
      expect(Number(q.fair)).toBeGreaterThan(0.2);
      expect(Number(q.fair)).toBeLessThan(0.8);

      const bought = await cli([
        'tx',
        'options',
        'buy',
        'alice',
        SERIES,
        '1000000',
        '--max-price',
        '0.99',
      ]);
      expect(bought.code, bought.err).toBe(0);
      expect(bought.out).toMatch(new RegExp(`^buy 1000000 ${SERIES} +\\d+ uusd at 0\\.\\d+`, 'm'));
      const pos = await cli(['query', 'options', 'positions', 'alice', '-o', 'json']);
      const held = (JSON.parse(pos.out) as { value: { series: string; qty: string }[] }).value;
      expect(held.map((p) => [p.series, p.qty])).toEqual([[SERIES, '1000000']]);

      const sold = await cli([
        'tx',
        'options',
        'sell',
        'alice',
        SERIES,
        '400000',
        '--min-price',
        '0.01',
      ]);
      expect(sold.code, sold.err).toBe(0);
      const text = await cli(['query', 'options', 'positions', 'alice']);
      expect(text.out).toMatch(
        new RegExp(`^${SERIES} +call +3000 +trading +600000 +\\d+ +0\\.\\d+$`, 'm'),
      );

      // Refusals: selling options not held, and a breached slippage bound.
      const notHeld = await cli(['tx', 'options', 'sell', 'bob', SERIES, '1', '--min-price', '0']);
      expect(notHeld.code).toBe(2);
      expect(notHeld.out + notHeld.err).toMatch(/1006/);
      const slip = await cli([
        'tx',
        'options',
        'buy',
        'alice',
        SERIES,
        '1000',
        '--max-price',
        '0.01',
      ]);
      expect(slip.code).toBe(2);
      expect(slip.out + slip.err).toMatch(/1004/);
    } finally {
      stop('SIGTERM');
      expect(await done).toBe(0);
    }
  }, 60_000);
});
