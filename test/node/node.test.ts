import { readFile } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { voteSignBytes } from '../../src/consensus/block.ts';
import { fromHex } from '../../src/core/crypto/hash.ts';
import { verify } from '../../src/core/crypto/keys.ts';
import { encode } from '../../src/core/encoding/canonical.ts';
import { ErrorCode } from '../../src/core/errors.ts';
import { encodeTx, signTx } from '../../src/core/tx/tx.ts';
import type { NodeConfigInput } from '../../src/node/config.ts';
import { dataDir, genesisPath, keysDir } from '../../src/node/config.ts';
import { Keystore } from '../../src/node/keystore.ts';
import { BulwarkNode } from '../../src/node/node.ts';
import { replayFromStore } from '../../src/node/replay.ts';
import { tempHome } from '../helpers/tmp-home.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openNode(config: Partial<NodeConfigInput> = {}) {
  const { home, cleanup } = await tempHome();
  cleanups.push(cleanup);
  const node = await BulwarkNode.open({
    home,
    config: { logLevel: 'silent', verifyWorkers: 0, ...config },
  });
  cleanups.push(() => node.stop());
  const keys = new Keystore(keysDir(home));
  const alice = await keys.unlock('alice');
  const bob = await keys.unlock('bob');
  let nonce = 0;
  const send = (amount: bigint, opts: { nonce?: number } = {}) =>
    encodeTx(
      signTx(
        {
          chainId: node.chainId,
          signer: alice.pubKeyBytes,
          nonce: opts.nonce ?? nonce++,
          fee: { denom: 'ubwk', amount: 1000n },
          msgs: [
            { type: 'bank/send', value: { to: bob.address, amount: { denom: 'ubwk', amount } } },
          ],
        },
        alice.seed,
      ),
    );
  return { home, node, alice, bob, send };
}

const balanceOf = async (node: BulwarkNode, address: string, height?: number) =>
  (
    (await node.query('bank/balance', { address, denom: 'ubwk' }, height)).value as {
      amount: bigint;
    }
  ).amount;

describe('devnet node (in process)', () => {
  it('accepts txs into the mempool, commits them in a block and indexes them', async () => {
    const { node, alice, bob, send } = await openNode({ verifyWorkers: 1 });
    const before = await balanceOf(node, bob.address);
    const res = await node.broadcastTxSync(send(5000n));
    expect(res.code).toBe(0);
    expect(node.mempool.size).toBe(1);
    const ev = await node.produceBlock();
    expect(ev.block.txs.length).toBe(1);
    expect(ev.results.txResults[0]?.code).toBe(0);
    expect(await balanceOf(node, bob.address)).toBe(before + 5000n);
    expect(node.mempool.size).toBe(0);
    const found = await node.getTx(res.hash);
    expect(found?.height).toBe(ev.block.header.height);
    expect((await node.query('auth/account', { address: alice.address })).value).toMatchObject({
      nonce: 1,
    });
  });

  it('refuses replays, future nonces and duplicates with clear codes', async () => {
    const { node, send } = await openNode();
    const tx = send(1n);
    expect((await node.broadcastTxSync(tx)).code).toBe(0);
    expect((await node.broadcastTxSync(tx)).code).toBe(ErrorCode.TxInMempool);
    expect((await node.broadcastTxSync(send(1n, { nonce: 5 }))).code).toBe(ErrorCode.InvalidNonce);
    await node.produceBlock();
    const replay = await node.broadcastTxSync(tx);
    expect(replay.code).toBe(ErrorCode.InvalidNonce);
    expect(replay.log).toMatch(/stale nonce/);
  });

  it('commits carry real precommit signatures of the validators', async () => {
    const { node } = await openNode();
    await node.produceBlock();
    const { block, commit, hash } = (await node.getBlock())!;
    expect(commit.signatures.length).toBe(4);
    for (const sig of commit.signatures) {
      const v = node.app.validators().find((x) => x.address === sig.validator)!;
      const bytes = voteSignBytes({
        type: 'precommit',
        chainId: node.chainId,
        height: block.header.height,
        round: 0,
        blockHash: hash,
      });
      expect(verify(v.pubKey, bytes, sig.signature)).toBe(true);
      expect(verify(v.pubKey, bytes, fromHex('00'.repeat(64)))).toBe(false);
    }
  });

  it('answers queries at recent heights and refuses pruned ones', async () => {
    const { node, bob, send } = await openNode({ keepRecent: 3 });
    const start = await balanceOf(node, bob.address);
    for (let i = 0; i < 5; i++) {
      await node.broadcastTxSync(send(10n));
      await node.produceBlock();
    }
    expect(await balanceOf(node, bob.address)).toBe(start + 50n);
    expect(await balanceOf(node, bob.address, 4)).toBe(start + 40n);
    expect(await balanceOf(node, bob.address, 3)).toBe(start + 30n);
    const pruned = await node.query('bank/balance', { address: bob.address, denom: 'ubwk' }, 1);
    expect(pruned.code).toBe(ErrorCode.PrunedHeight);
    expect(pruned.log).toMatch(/pruned/);
  });

  it('resumes after a restart at the same height and app hash, and replays from the store', async () => {
    const { home, node, bob, send } = await openNode();
    for (let i = 0; i < 4; i++) {
      await node.broadcastTxSync(send(7n));
      await node.produceBlock();
    }
    const { latestHeight, latestAppHash } = node.status();
    const bal = await balanceOf(node, bob.address);
    await node.stop();
    cleanups.pop();
    const again = await BulwarkNode.open({
      home,
      config: { logLevel: 'silent', verifyWorkers: 0 },
    });
    cleanups.push(() => again.stop());
    expect(again.status().latestHeight).toBe(latestHeight);
    expect(again.status().latestAppHash).toBe(latestAppHash);
    expect(await balanceOf(again, bob.address)).toBe(bal);
    const next = await again.produceBlock();
    expect(next.block.header.height).toBe(latestHeight + 1);
    expect(next.block.header.appHash).toBe(latestAppHash);
    const genesis = JSON.parse(await readFile(genesisPath(home), 'utf8'));
    const replay = await replayFromStore(again.store, genesis);
    expect(replay.mismatchAt).toBeUndefined();
    expect(replay.appHashes.get(latestHeight + 1)).toBe(again.status().latestAppHash);
  });

  it('detects a damaged state store on start', async () => {
    const { home, node, send } = await openNode();
    await node.broadcastTxSync(send(3n));
    await node.produceBlock();
    await node.stop();
    cleanups.pop();
    const db = new ClassicLevel<string, Uint8Array>(dataDir(home), {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    });
    const key = (await db.keys({ gte: 's:bank/bal/', lt: 's:bank/bal/\xff' }).all())[0]!;
    await db.put(key, encode(123n));
    await db.close();
    await expect(
      BulwarkNode.open({ home, config: { logLevel: 'silent', verifyWorkers: 0 } }),
    ).rejects.toThrow(/state store is damaged/);
  });

  it('fault injection: an offline validator is missing from commits in its window', async () => {
    const { node } = await openNode({
      faults: { val1: { offline: [{ from: 2, to: 3 }], doubleSignAt: [] } },
    });
    for (let i = 0; i < 4; i++) await node.produceBlock();
    const signers = async (h: number) => (await node.getBlock(h))!.commit.signatures.length;
    expect(await signers(1)).toBe(4);
    expect(await signers(2)).toBe(3);
    expect(await signers(3)).toBe(3);
    expect(await signers(4)).toBe(4);
  });

  it('fault injection: a double-signing validator yields verifiable evidence in the next block', async () => {
    const { node } = await openNode({ faults: { val2: { offline: [], doubleSignAt: [2] } } });
    for (let i = 0; i < 3; i++) await node.produceBlock();
    const b3 = (await node.getBlock(3))!.block;
    expect(b3.evidence.length).toBe(1);
    const ev = b3.evidence[0]!;
    const val2 = node.app.validators().find((v) => v.name === 'val2')!;
    expect(ev.validator).toBe(val2.address);
    expect(ev.height).toBe(2);
    for (const vote of [ev.voteA, ev.voteB]) {
      const bytes = voteSignBytes({
        type: 'precommit',
        chainId: node.chainId,
        height: 2,
        round: 0,
        blockHash: Buffer.from(vote.blockHash).toString('hex'),
      });
      expect(verify(val2.pubKey, bytes, vote.signature)).toBe(true);
    }
    expect(Buffer.from(ev.voteA.blockHash).toString('hex')).not.toBe(
      Buffer.from(ev.voteB.blockHash).toString('hex'),
    );
  });

  it('counts and skips a vote extension that verifyVoteExtension refuses', async () => {
    const { node } = await openNode();
    const val1 = node.app.validators().find((v) => v.name === 'val1')!;
    const verify = node.app.verifyVoteExtension.bind(node.app);
    // A tampered report from val1, as a faulty peer would send.
    node.app.verifyVoteExtension = (h, validator, ext) =>
      validator !== val1.address && verify(h, validator, ext);
    await node.produceBlock();
    await node.produceBlock();
    const text = await node.metrics.text();
    expect(/^bulwark_vote_extensions_refused_total (\d+)/m.exec(text)?.[1]).toBe('2');
    // Its precommit is not counted either: the commit holds the other three.
    expect((await node.getBlock(2))!.commit.signatures.map((s) => s.validator)).not.toContain(
      val1.address,
    );
  });

  it('halts without quorum instead of committing', async () => {
    const { node } = await openNode({
      faults: {
        val0: { offline: [{ from: 1, to: 5 }], doubleSignAt: [] },
        val1: { offline: [{ from: 1, to: 5 }], doubleSignAt: [] },
      },
    });
    await expect(node.produceBlock()).rejects.toThrow(/no quorum/);
    expect(node.status().latestHeight).toBe(0);
  });
});
