import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testAccount } from '../../src/core/testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../src/core/tx/tx.ts';
import { genesisPath } from '../../src/node/config.ts';
import { BulwarkNode } from '../../src/node/node.ts';
import { replayFromStore } from '../../src/node/replay.ts';
import { tempHome } from '../helpers/tmp-home.ts';

/** xorshift32: a tiny seeded generator, so the block stream is the same on every run. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const BLOCKS = 500;
const accounts = Array.from({ length: 12 }, (_, i) => testAccount(`det-${i}`));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** Blocks of random txs: valid sends, and invalid ones (bad signature, chain id, nonce, funds, denom). */
function randomBlocks(chainId: string): Uint8Array[][] {
  const next = rng(20261122);
  const nonces = new Map<string, number>();
  const blocks: Uint8Array[][] = [];
  for (let b = 0; b < BLOCKS; b++) {
    const txs: Uint8Array[] = [];
    const count = next(6);
    for (let t = 0; t < count; t++) {
      const from = accounts[next(accounts.length)]!;
      const to = accounts[next(accounts.length)]!;
      const kind = next(10);
      const nonce = nonces.get(from.address) ?? 0;
      const amount = kind === 6 ? 10n ** 30n : BigInt(1 + next(5000));
      const denom = kind === 7 ? 'uxyz' : next(2) === 0 ? 'ubwk' : 'uusd';
      const msgs: Msg[] = [
        { type: 'bank/send', value: { to: to.address, amount: { denom, amount } } },
      ];
      const tx = signTx(
        {
          chainId: kind === 5 ? 'other-chain' : chainId,
          signer: from.pubKey,
          nonce: kind === 8 ? nonce + 3 : nonce,
          fee: { denom: 'ubwk', amount: 500n },
          msgs,
        },
        from.seed,
      );
      if (kind === 9) tx.signature[0] = (tx.signature[0] ?? 0) ^ 1;
      txs.push(encodeTx(tx));
      // A tx that passes the ante (chain, signature, nonce, fee) uses its nonce even when its sends fail.
      if (kind !== 5 && kind !== 8 && kind !== 9) nonces.set(from.address, nonce + 1);
    }
    blocks.push(txs);
  }
  return blocks;
}

describe('determinism through the block store', () => {
  it(`two nodes agree on the app hash at each of ${BLOCKS} heights, and a replay from the store reproduces them`, async () => {
    const { home, cleanup } = await tempHome();
    cleanups.push(cleanup);
    const genesis = JSON.parse(await readFile(genesisPath(home), 'utf8'));
    genesis.app.bank.balances.push(
      ...accounts.map((a) => ({
        address: a.address,
        coins: [
          { denom: 'ubwk', amount: '5000000' },
          { denom: 'uusd', amount: '5000000' },
        ],
      })),
    );
    await writeFile(genesisPath(home), JSON.stringify(genesis));
    const twinHome = await mkdtemp(join(tmpdir(), 'bulwark-twin-'));
    cleanups.push(() => rm(twinHome, { recursive: true, force: true }));
    await cp(home, twinHome, { recursive: true });

    const clock = () => {
      let t = 1_800_000_000_000;
      return () => (t += 1000);
    };
    const config = {
      logLevel: 'silent' as const,
      verifyWorkers: 0,
      syncWrites: false,
      keepRecent: 10,
    };
    const a = await BulwarkNode.open({ home, config, now: clock() });
    const b = await BulwarkNode.open({ home: twinHome, config, now: clock() });
    cleanups.unshift(
      () => a.stop(),
      () => b.stop(),
    );

    const blocks = randomBlocks(a.chainId);
    const hashes: string[] = [];
    let failedInBlock = 0;
    let ok = 0;
    for (const txs of blocks) {
      const ea = await a.produceBlock(txs);
      const eb = await b.produceBlock(txs);
      expect(eb.results.appHash).toBe(ea.results.appHash);
      hashes.push(ea.results.appHash);
      for (const r of ea.results.txResults) r.code === 0 ? ok++ : failedInBlock++;
    }
    // The stream really mixes both kinds.
    expect(ok).toBeGreaterThan(200);
    expect(failedInBlock).toBeGreaterThan(100);
    expect(new Set(hashes).size).toBe(BLOCKS);

    const replay = await replayFromStore(a.store, genesis);
    expect(replay.mismatchAt).toBeUndefined();
    expect([...replay.appHashes.values()]).toEqual(hashes);
    expect(replay.app.brokenInvariants()).toEqual([]);
  }, 240_000); // 1,500 signed blocks: a loaded 2-core machine needs more than the default minute
});
