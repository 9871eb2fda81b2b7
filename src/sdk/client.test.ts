import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../core/errors.ts';
import type { TestAccount } from '../core/testing/harness.ts';
import { BulwarkClient, websocketUrlOf } from './client.ts';
import { ArgumentError, RpcError, RpcErrorCode, TxError } from './errors.ts';
import { FakeNode } from './testing/fake-node.ts';
import { until } from './testing/ports.ts';
import { bankSendMsg, describeTx, hashOfTx, type Signer } from './tx.ts';

const START = 1_000_000_000n;

let node: FakeNode;
let client: BulwarkClient;
let alice: TestAccount;
let bob: TestAccount;

beforeEach(async () => {
  node = await FakeNode.start();
  client = new BulwarkClient({ url: node.url });
  alice = node.account('alice');
  bob = node.account('bob');
});
afterEach(async () => {
  await client.close();
  await node.kill();
});

const signer = (a: TestAccount): Signer => ({ seed: a.seed, pubKey: a.pubKey });

describe('BulwarkClient', () => {
  it('reads balances and nonces', async () => {
    expect(await client.balance(alice.address, 'ubwk')).toBe(START);
    expect(await client.balance(alice.address)).toEqual([
      { denom: 'ubwk', amount: START },
      { denom: 'uusd', amount: START },
    ]);
    expect(await client.nonce(alice.address)).toBe(0);
    expect(await client.chainId()).toBe('bulwark-test');
    expect(await client.authParams()).toEqual({ feeDenom: 'ubwk', minFee: 100n, maxMsgsPerTx: 64 });
  });

  it('sends coins, waits for the block and pays the minimum fee by default', async () => {
    const res = await client.bankSend(signer(alice), bob.address, '1500ubwk', { memo: 'hello' });
    expect(res.code).toBe(0);
    expect(res.height).toBe(node.height);
    expect(res.events.some((e) => e.type === 'transfer')).toBe(true);
    expect(await client.balance(bob.address, 'ubwk')).toBe(START + 1500n);
    expect(await client.balance(alice.address, 'ubwk')).toBe(START - 1500n - 100n);
    expect(await client.nonce(alice.address)).toBe(1);

    const tx = await client.getTx(res.hash.toLowerCase());
    expect(tx?.height).toBe(res.height);
    const view = describeTx(tx?.tx ?? '');
    expect(view).toMatchObject({ sender: alice.address, nonce: 0, fee: '100ubwk', memo: 'hello' });
    expect(view.msgs).toEqual([
      { type: 'bank/send', value: { to: bob.address, amount: { denom: 'ubwk', amount: '1500' } } },
    ]);
    expect(hashOfTx(tx?.tx ?? '')).toBe(res.hash);
  });

  it('tracks nonces across txs that are not committed yet', async () => {
    const a = await client.bankSend(signer(alice), bob.address, '1ubwk', { waitForCommit: false });
    const [b, c] = await Promise.all([
      client.bankSend(signer(alice), bob.address, '2ubwk', {
        waitForCommit: false,
        fee: '250ubwk',
      }),
      client.sendTx(signer(alice), [bankSendMsg(bob.address, '3ubwk')], { waitForCommit: false }),
    ]);
    expect(a.height).toBeUndefined();
    node.produceBlock();
    for (const r of [a, b, c]) expect((await client.getTx(r.hash))?.result.code).toBe(0);
    expect(await client.balance(bob.address, 'ubwk')).toBe(START + 6n);
    expect(await client.nonce(alice.address)).toBe(3);
  });

  it('throws TxError: refused by checkTx, or failed in its block', async () => {
    const refused = await client
      .bankSend(signer(alice), bob.address, '5ubwk', { fee: '1ubwk' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TxError);
    expect(refused).toMatchObject({
      stage: 'check',
      code: ErrorCode.InsufficientFee,
      codeName: 'InsufficientFee',
    });
    expect((refused as TxError).message).toMatch(
      /was refused: InsufficientFee \(code 12\): fee 1ubwk is below the minimum 100ubwk/,
    );

    const poor = (await client
      .bankSend(signer(alice), bob.address, `${START * 2n}ubwk`)
      .catch((e: unknown) => e)) as TxError;
    expect(poor).toMatchObject({
      stage: 'check',
      code: ErrorCode.InsufficientFunds,
      height: undefined,
    });

    node.skipCheckTx = true; // the mempool lets it through; the block refuses it
    const failed = (await client
      .bankSend(signer(alice), bob.address, `${START * 2n}ubwk`)
      .catch((e: unknown) => e)) as TxError;
    expect(failed).toBeInstanceOf(TxError);
    expect(failed).toMatchObject({
      stage: 'deliver',
      code: ErrorCode.InsufficientFunds,
      height: node.height,
    });
    expect(failed.message).toMatch(new RegExp(`failed in block ${node.height}: InsufficientFunds`));
    // The failed tx took its nonce and fee; the next one goes through.
    expect(await client.nonce(alice.address)).toBe(1);
    expect(await client.balance(alice.address, 'ubwk')).toBe(START - 100n);
    node.skipCheckTx = false;
    expect((await client.bankSend(signer(alice), bob.address, '1ubwk')).code).toBe(0);
  });

  it('reports a commit timeout as RpcError -32003 and keeps the nonce', async () => {
    node.commitOnBroadcast = false;
    const err = (await client
      .bankSend(signer(alice), bob.address, '1ubwk')
      .catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe(RpcErrorCode.Timeout);
    node.commitOnBroadcast = true;
    node.produceBlock();
    expect((await client.bankSend(signer(alice), bob.address, '1ubwk')).code).toBe(0);
    expect(await client.nonce(alice.address)).toBe(2);
  });

  it('rejects bad arguments before sending anything', async () => {
    const before = node.requests.length;
    await expect(client.bankSend(signer(alice), 'bwk1nope', '5ubwk')).rejects.toBeInstanceOf(
      ArgumentError,
    );
    await expect(client.bankSend(signer(alice), bob.address, '5')).rejects.toThrow(
      /invalid coin "5"/,
    );
    await expect(client.bankSend(signer(alice), bob.address, '0ubwk')).rejects.toThrow(
      /amount must be positive/,
    );
    await expect(client.getTx('xyz')).rejects.toBeInstanceOf(ArgumentError);
    expect(node.requests.length).toBe(before);
  });

  it('turns a failing query into RpcError -32000 carrying the chain code', async () => {
    const err = (await client
      .queryValue('bank/balance', { address: 'nope' })
      .catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe(RpcErrorCode.ChainError);
    expect(err.chainCode).toBe(ErrorCode.InvalidRequest);
    expect(err.data).toMatchObject({ codeName: 'InvalidRequest' });
    expect(await client.getTx('A'.repeat(64))).toBeUndefined();
  });

  it('waits for a height and subscribes through the same client', async () => {
    const heights: number[] = [];
    const stop = await client.subscribe({ event: 'new_block' }, (b) => heights.push(b.height));
    const target = node.height + 2;
    const waiting = client.waitForHeight(target, { pollMs: 10 });
    node.produceBlock();
    node.produceBlock();
    expect(await waiting).toBe(target);
    await until(() => heights.length === 2, 10_000, 'two blocks');
    await stop();
    await expect(client.waitForHeight(target + 5, { pollMs: 10, timeoutMs: 50 })).rejects.toThrow(
      /not reached within 50 ms/,
    );
  });

  it('derives the WebSocket URL from the RPC URL', () => {
    expect(websocketUrlOf('http://127.0.0.1:26657')).toBe('ws://127.0.0.1:26657/websocket');
    expect(websocketUrlOf('https://node.example/rpc/')).toBe('wss://node.example/rpc/websocket');
  });
});
