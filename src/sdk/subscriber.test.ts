import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { send } from '../core/testing/harness.ts';
import { ConnectionError, RpcError } from './errors.ts';
import { Subscriber, type SubscriberState } from './subscriber.ts';
import { FakeNode } from './testing/fake-node.ts';
import { closedPort, until } from './testing/ports.ts';
import type { NewBlockNotification, TxNotification } from './types.ts';

let node: FakeNode;
let sub: Subscriber;
let states: SubscriberState[];
let errors: Error[];

beforeEach(async () => {
  node = await FakeNode.start();
  states = [];
  errors = [];
  sub = new Subscriber(node.wsUrl, {
    initialBackoffMs: 20,
    maxBackoffMs: 100,
    requestTimeoutMs: 2000,
    onStateChange: (s) => states.push(s),
    onError: (e) => errors.push(e),
  });
});
afterEach(async () => {
  await sub.close();
  await node.kill();
});

describe('Subscriber', () => {
  it('delivers new blocks until unsubscribed, then goes idle', async () => {
    const seen: NewBlockNotification[] = [];
    const stop = await sub.subscribe({ event: 'new_block' }, (b) => seen.push(b));
    expect(sub.state).toBe('open');
    node.produceBlock();
    node.produceBlock();
    await until(() => seen.length === 2, 10_000, 'two blocks');
    expect(seen.map((b) => b.height)).toEqual([node.height - 1, node.height]);
    expect(seen[1]?.header.height).toBe(node.height);
    await stop();
    await stop(); // a second call does nothing
    expect(sub.state).toBe('idle');
    await until(() => node.subscriptionCount() === 0, 10_000, 'the node to drop the subscription');
    node.produceBlock();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toHaveLength(2);
  });

  it('filters tx results by event attributes', async () => {
    const alice = node.account('alice');
    const bob = node.account('bob');
    const fromAlice: TxNotification[] = [];
    await sub.subscribe({ event: 'tx', filter: { sender: alice.address } }, (t) =>
      fromAlice.push(t),
    );
    await fetch(node.url, {
      method: 'POST',
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'broadcast_tx_commit',
        params: { tx: Buffer.from(node.chain.tx(bob, [send(alice, 1n)])).toString('base64') },
      }),
    });
    await fetch(node.url, {
      method: 'POST',
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'broadcast_tx_commit',
        params: { tx: Buffer.from(node.chain.tx(alice, [send(bob, 2n)])).toString('base64') },
      }),
    });
    await until(() => fromAlice.length === 1, 10_000, 'the tx from alice');
    expect(fromAlice[0]?.result.code).toBe(0);
    expect(fromAlice[0]?.result.events.find((e) => e.type === 'tx')?.attributes.sender).toBe(
      alice.address,
    );
  });

  it('reconnects and re-subscribes after the node restarts on the same port', async () => {
    const seen: number[] = [];
    await sub.subscribe({ event: 'new_block' }, (b) => seen.push(b.height));
    node.produceBlock();
    await until(() => seen.length === 1, 10_000, 'the first block');
    const port = node.port;

    await node.kill();
    await until(() => sub.state === 'reconnecting', 10_000, 'the subscriber to notice');
    node.produceBlock(); // made while nobody listens: lost
    await new Promise((r) => setTimeout(r, 150)); // let a few reconnect attempts fail
    await node.listen();
    expect(node.port).toBe(port);

    await until(() => node.subscriptionCount() === 1, 5000, 'the subscription to be re-sent');
    expect(sub.state).toBe('open');
    // Blocks until one arrives: the first may race the re-subscription's reply on a busy machine.
    const deadline = Date.now() + 10_000;
    while (seen.length < 2 && Date.now() < deadline) {
      node.produceBlock();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[1]).toBeGreaterThan(seen[0]! + 1); // the block made while it was down was lost
    expect(states).toContain('reconnecting');
    expect(errors).toEqual([]);
  });

  it('rejects a query the node refuses and keeps no subscription', async () => {
    const err = await sub
      .subscribe({ event: 'bogus' } as never, () => undefined)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe(-32602);
    expect(sub.size).toBe(0);
  });

  it('reports a handler that throws and keeps delivering', async () => {
    let calls = 0;
    await sub.subscribe({ event: 'new_block' }, () => {
      calls++;
      throw new Error('handler bug');
    });
    node.produceBlock();
    node.produceBlock();
    await until(() => calls === 2, 10_000, 'two calls');
    expect(errors.map((e) => e.message)).toEqual(['handler bug', 'handler bug']);
  });

  it('gives up on a first subscription that no node confirms, and close() ends everything', async () => {
    const dead = new Subscriber(`ws://127.0.0.1:${await closedPort()}/websocket`, {
      initialBackoffMs: 10,
      maxBackoffMs: 20,
      requestTimeoutMs: 200,
    });
    const err = await dead
      .subscribe({ event: 'new_block' }, () => undefined)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/no subscription confirmed .* within 200 ms/);
    expect(dead.state).toBe('idle');
    await dead.close();
    expect(dead.state).toBe('closed');
    await expect(dead.subscribe({ event: 'new_block' }, () => undefined)).rejects.toThrow(/closed/);

    await sub.subscribe({ event: 'new_block' }, () => undefined);
    await sub.close();
    expect(sub.state).toBe('closed');
    await until(() => node.subscriptionCount() === 0, 10_000, 'the node to see the socket close');
  });
});
