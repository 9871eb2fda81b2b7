import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressBytes } from '../../core/crypto/address.ts';
import { toHex } from '../../core/crypto/hash.ts';
import { ErrorCode } from '../../core/errors.ts';
import { send, TestChain, testAccount, testGenesis } from '../../core/testing/harness.ts';
import { decodeTx, encodeTx } from '../../core/tx/tx.ts';
import { Metrics } from '../metrics.ts';
import { type RpcServer, startRpcServer } from './server.ts';
import { type AnyJson, MemoryNode, WsClient } from './testing.ts';

const alice = testAccount('alice');
const bob = testAccount('bob');
const carol = testAccount('carol');
const val0 = testAccount('val0');

class FakeNode extends MemoryNode<TestChain> {
  constructor() {
    super(new TestChain(testGenesis([alice, bob, carol])));
  }
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

let node: FakeNode;
let server: RpcServer;
let metrics: Metrics;
let nextId = 1;

async function post(body: unknown): Promise<{ status: number; json: AnyJson }> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
}

async function rpc(method: string, params?: unknown): Promise<AnyJson> {
  const id = nextId++;
  const { status, json } = await post({ jsonrpc: '2.0', id, method, params });
  expect(status).toBe(200);
  expect(json.id).toBe(id);
  return json;
}

async function result(method: string, params?: unknown): Promise<AnyJson> {
  const r = await rpc(method, params);
  expect(r.error).toBeUndefined();
  return r.result;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
}

beforeAll(async () => {
  node = new FakeNode();
  node.commitBlock();
  node.commitBlock();
  metrics = new Metrics({ defaultMetrics: false });
  server = await startRpcServer({ api: node, host: '127.0.0.1', port: 0, metrics });
});

afterAll(async () => {
  await server?.close();
});

describe('HTTP', () => {
  it('binds a real port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
    expect(server.wsUrl).toBe(`${server.url.replace('http', 'ws')}/websocket`);
  });

  it('serves GET /health and the health method', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(await result('health')).toEqual({ ok: true });
  });

  it('status', async () => {
    const s = await result('status');
    expect(s).toMatchObject({
      chainId: 'bulwark-test',
      latestHeight: node.app.height,
      latestBlockHash: node.blocks.at(-1)?.hash,
      mempoolSize: 0,
      catchingUp: false,
      localValidators: ['val0'],
    });
    expect(s.validators).toHaveLength(4);
    expect(s.validators[0]).toEqual({
      name: 'val0',
      address: toHex(addressBytes(val0.pubKey)),
      pubKey: toHex(val0.pubKey),
      power: '10',
    });
  });

  it('query: a bank balance as decimal strings', async () => {
    const r = await result('query', {
      path: 'bank/balance',
      args: { address: alice.address, denom: 'uusd' },
    });
    expect(r).toEqual({
      code: 0,
      log: '',
      height: node.app.height,
      value: { denom: 'uusd', amount: '1000000000' },
    });
  });

  it('query: a chain-level failure is a result with its code', async () => {
    const r = await result('query', { path: 'nope/nothing' });
    expect(r.code).toBe(ErrorCode.UnknownQuery);
    expect(r.log).toContain('bank/balance');
  });

  it('block, block_results and tx', async () => {
    const tx = node.chain.tx(alice, [send(bob, 5n)]);
    expect((await result('broadcast_tx_sync', { tx: b64(tx) })).code).toBe(0);
    const { hash, block } = node.commitBlock();
    const h = block.header.height;

    const b = await result('block', { height: h });
    expect(b.hash).toBe(hash);
    expect(b.block.header).toEqual(block.header);
    expect(b.block.txs).toEqual([b64(tx)]);
    expect(b.block.lastCommit.blockHash).toBe(node.blocks.at(-2)?.hash);
    expect(b.commit.signatures[0]).toEqual({
      validator: block.header.proposer,
      signature: '01'.repeat(64),
      extension: '010203',
      extensionSignature: '02'.repeat(64),
    });
    expect((await result('block')).hash).toBe(hash);

    const br = await result('block_results', { height: h });
    expect(br.height).toBe(h);
    expect(br.txResults).toHaveLength(1);
    expect(br.txResults[0].code).toBe(0);
    const txHash = br.txResults[0].hash as string;
    expect(txHash).toMatch(/^[0-9A-F]{64}$/);

    const t = await result('tx', { hash: txHash.toLowerCase() });
    expect(t).toMatchObject({ hash: txHash, height: h, index: 0, tx: b64(tx) });
    expect(t.result.code).toBe(0);
    expect(t.result.events.some((e: AnyJson) => e.type === 'transfer')).toBe(true);
  });

  it('broadcast_tx_sync: accepted, and refused with a non-zero code in the result', async () => {
    const ok = node.chain.tx(bob, [send(alice, 1n)]);
    const accepted = await result('broadcast_tx_sync', { tx: b64(ok) });
    expect(accepted).toEqual({ code: 0, codespace: '', log: '', hash: expect.any(String) });

    const good = decodeTx(node.chain.tx(carol, [send(alice, 1n)], { nonce: 0 }));
    const sig = new Uint8Array(good.signature);
    sig[0] = (sig[0] ?? 0) ^ 1;
    const badSig = await result('broadcast_tx_sync', {
      tx: b64(encodeTx({ ...good, signature: sig })),
    });
    expect(badSig.code).toBe(ErrorCode.Unauthorized);
    expect(badSig.log).toContain('signature');

    const other = node.chain.tx(carol, [send(alice, 1n)], { nonce: 0, chainId: 'other-chain' });
    const wrongChain = await result('broadcast_tx_sync', { tx: b64(other) });
    expect(wrongChain.code).toBe(ErrorCode.WrongChainId);

    const huge = await result('broadcast_tx_sync', { tx: b64(new Uint8Array(64 * 1024 + 1)) });
    expect(huge.code).toBe(ErrorCode.TxTooLarge);
    node.commitBlock();
  });

  it('broadcast_tx_commit: waits for the block, or returns txResult null on timeout', async () => {
    const tx = node.chain.tx(alice, [send(carol, 3n)]);
    const pending = rpc('broadcast_tx_commit', { tx: b64(tx), timeoutMs: 5000 });
    await until(() => node.mempool.length === 1);
    const { block } = node.commitBlock();
    const r = (await pending).result;
    expect(r.checkTx.code).toBe(0);
    expect(r.txResult.code).toBe(0);
    expect(r.txResult.hash).toBe(r.checkTx.hash);
    expect(r.height).toBe(block.header.height);

    const late = node.chain.tx(alice, [send(carol, 4n)]);
    const timedOut = await result('broadcast_tx_commit', { tx: b64(late), timeoutMs: 20 });
    expect(timedOut).toEqual({
      checkTx: expect.objectContaining({ code: 0 }),
      txResult: null,
      height: null,
    });
    node.commitBlock();
  });

  it('malformed JSON → -32700', async () => {
    const { status, json } = await post('{"jsonrpc": "2.0", "id": 1, "method": "status"');
    expect(status).toBe(200);
    expect(json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });

  it('not a JSON-RPC 2.0 request → -32600', async () => {
    expect((await post({ id: 4, method: 'status' })).json).toMatchObject({
      id: 4,
      error: { code: -32600 },
    });
    expect((await post(42)).json.error.code).toBe(-32600);
    expect((await post({ jsonrpc: '2.0', id: {}, method: 'status' })).json).toMatchObject({
      id: null,
      error: { code: -32600 },
    });
  });

  it('unknown method → -32601 listing the methods', async () => {
    const r = await rpc('bogus');
    expect(r.error.code).toBe(-32601);
    expect(r.error.message).toContain('bogus');
    expect(r.error.message).toContain('broadcast_tx_sync');
    expect((await rpc('toString')).error.code).toBe(-32601);
    const sub = await rpc('subscribe', { event: 'new_block' });
    expect(sub.error.code).toBe(-32601);
    expect(sub.error.message).toContain('WebSocket');
  });

  it('invalid params → -32602 naming the field', async () => {
    const cases: [string, unknown, string][] = [
      ['block', { height: 'ten' }, 'params.height'],
      ['block', { height: 0 }, 'params.height'],
      ['query', { args: {} }, 'params.path'],
      ['status', { extra: 1 }, 'extra'],
      ['broadcast_tx_sync', { tx: 'not base64!' }, 'params.tx'],
      ['broadcast_tx_sync', { tx: 'AAA' }, 'params.tx'],
      ['broadcast_tx_sync', {}, 'params.tx'],
      ['broadcast_tx_commit', { tx: 'AAAA', timeoutMs: 60_001 }, 'params.timeoutMs'],
      ['tx', { hash: 'abc' }, 'params.hash'],
      ['block', [1], 'params'],
    ];
    for (const [method, params, field] of cases) {
      const r = await rpc(method, params);
      expect(r.error?.code, `${method} ${JSON.stringify(params)}`).toBe(-32602);
      expect(r.error.message).toContain(field);
    }
  });

  it('not found → -32001; pruned or future heights → -32002', async () => {
    const missing = await rpc('tx', { hash: 'ab'.repeat(32) });
    expect(missing.error.code).toBe(-32001);

    const future = await rpc('block', { height: node.app.height + 5 });
    expect(future.error.code).toBe(-32002);
    expect(future.error.message).toContain('future');
    expect((await rpc('query', { path: 'bank/supply', height: 1e6 })).error.code).toBe(-32002);

    node.earliest = 2;
    try {
      const pruned = await rpc('block', { height: 1 });
      expect(pruned.error.code).toBe(-32002);
      expect(pruned.error.message).toContain('pruned');
      expect((await rpc('block_results', { height: 1 })).error.code).toBe(-32002);
    } finally {
      node.earliest = 1;
    }

    // The harness keeps no history: a past height is PrunedHeight in the app.
    const q = await rpc('query', { path: 'bank/supply', height: 1 });
    expect(q.error).toEqual({
      code: -32002,
      message: expect.stringContaining('height 1'),
      data: { code: ErrorCode.PrunedHeight, codespace: 'bulwark', codeName: 'PrunedHeight' },
    });
  });

  it('batches: answers each request, skips notifications, refuses empty and > 20', async () => {
    const { status, json } = await post([
      { jsonrpc: '2.0', id: 'a', method: 'health' },
      { jsonrpc: '2.0', method: 'health' },
      { jsonrpc: '2.0', id: 'b', method: 'nope' },
      { jsonrpc: '2.0', id: 'c', method: 'block', params: { height: -1 } },
      7,
    ]);
    expect(status).toBe(200);
    expect(json).toEqual([
      { jsonrpc: '2.0', id: 'a', result: { ok: true } },
      { jsonrpc: '2.0', id: 'b', error: expect.objectContaining({ code: -32601 }) },
      { jsonrpc: '2.0', id: 'c', error: expect.objectContaining({ code: -32602 }) },
      { jsonrpc: '2.0', id: null, error: expect.objectContaining({ code: -32600 }) },
    ]);

    const only = await post([{ jsonrpc: '2.0', method: 'health' }]);
    expect(only.status).toBe(204);

    expect((await post([])).json.error.code).toBe(-32600);
    const tooMany = Array.from({ length: 21 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'health',
    }));
    const big = await post(tooMany);
    expect(big.json.error.code).toBe(-32600);
    expect(big.json.error.message).toContain('20');
    expect((await post(tooMany.slice(0, 20))).json).toHaveLength(20);
  });

  it('a body over the limit → HTTP 413 with -32600', async () => {
    const padding = 'x'.repeat(1024 * 1024);
    const { status, json } = await post({ jsonrpc: '2.0', id: 1, method: 'status', padding });
    expect(status).toBe(413);
    expect(json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    expect(json.error.message).toContain('too large');
    // The server still serves afterwards.
    expect(await result('health')).toEqual({ ok: true });
  });

  it('honours maxBodyBytes', async () => {
    const small = await startRpcServer({
      api: node,
      host: '127.0.0.1',
      port: 0,
      metrics: new Metrics({ defaultMetrics: false }),
      maxBodyBytes: 200,
    });
    try {
      const call = (body: string) => fetch(small.url, { method: 'POST', body });
      expect((await call('{"jsonrpc":"2.0","id":1,"method":"health"}')).status).toBe(200);
      const res = await call(
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'health', p: 'y'.repeat(300) }),
      );
      expect(res.status).toBe(413);
      expect(((await res.json()) as AnyJson).error.code).toBe(-32600);
    } finally {
      await small.close();
    }
  });

  it('GET /metrics counts requests by method and outcome', async () => {
    await rpc('status');
    await rpc('bogus');
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/bulwark_rpc_requests_total\{method="status",outcome="ok"\} \d+/);
    expect(text).toMatch(
      /bulwark_rpc_requests_total\{method="unknown",outcome="method_not_found"\} \d+/,
    );
    expect(text).toMatch(
      /bulwark_rpc_requests_total\{method="block",outcome="height_unavailable"\} \d+/,
    );
  });
});

describe('WebSocket', () => {
  it('serves requests and batches', async () => {
    const c = await WsClient.open(server.wsUrl);
    try {
      const s = await c.call('status');
      expect(s.result.chainId).toBe('bulwark-test');
      expect((await c.call('bogus')).error.code).toBe(-32601);
      c.ws.send('{oops');
      expect((await c.take((m) => m.id === null)).error.code).toBe(-32700);
      c.ws.send(JSON.stringify([{ jsonrpc: '2.0', id: 'x', method: 'health' }]));
      expect(await c.take(Array.isArray)).toEqual([
        { jsonrpc: '2.0', id: 'x', result: { ok: true } },
      ]);
    } finally {
      await c.close();
    }
  });

  it('new_block and filtered tx subscriptions, then unsubscribe', async () => {
    const c = await WsClient.open(server.wsUrl);
    try {
      const blocks = (await c.call('subscribe', { event: 'new_block' })).result.subscription;
      const toCarol = (
        await c.call('subscribe', { event: 'tx', filter: { recipient: carol.address } })
      ).result.subscription;
      expect(typeof blocks).toBe('string');
      expect(toCarol).not.toBe(blocks);
      expect(node.events.listenerCount('block')).toBe(1);

      const txA = node.chain.tx(alice, [send(bob, 7n)]);
      const txB = node.chain.tx(bob, [send(carol, 8n)]);
      const txC = node.chain.tx(carol, [send(alice, 9n)]);
      for (const tx of [txA, txB, txC]) {
        expect((await result('broadcast_tx_sync', { tx: b64(tx) })).code).toBe(0);
      }
      const e = node.commitBlock();
      const h = e.block.header.height;

      const nb = await c.take((m) => m.params?.subscription === blocks);
      expect(nb).toEqual({
        jsonrpc: '2.0',
        method: 'subscription',
        params: {
          subscription: blocks,
          result: { height: h, hash: e.hash, header: e.block.header, numTxs: 3 },
        },
      });
      const txn = await c.take((m) => m.params?.subscription === toCarol);
      const expected = e.results.txResults[1]!;
      expect(txn.params.result).toMatchObject({ height: h, index: 1, hash: expected.hash });
      expect(txn.params.result.result.code).toBe(0);
      expect(txn.params.result.result.events).toContainEqual({
        type: 'transfer',
        attributes: { sender: bob.address, recipient: carol.address, amount: '8ubwk' },
      });
      // A round trip after the block: every notification of it has arrived by now.
      await c.call('health');
      expect(c.notifications(toCarol)).toEqual([]);
      expect(c.notifications(blocks)).toEqual([]);

      // A filter on the hash, in lower case, matches that tx only.
      const byHash = (
        await c.call('subscribe', { event: 'tx', filter: { hash: expected.hash.toLowerCase() } })
      ).result.subscription;
      expect((await c.call('unsubscribe', { subscription: blocks })).result).toEqual({ ok: true });
      expect((await c.call('unsubscribe', { subscription: blocks })).error.code).toBe(-32001);
      const txD = node.chain.tx(alice, [send(carol, 10n)]);
      await result('broadcast_tx_sync', { tx: b64(txD) });
      node.commitBlock();
      const again = await c.take((m) => m.params?.subscription === toCarol);
      expect(again.params.result.index).toBe(0);
      await c.call('health');
      expect(c.notifications(blocks)).toEqual([]);
      expect(c.notifications(byHash)).toEqual([]);

      await c.call('unsubscribe', { subscription: toCarol });
      await c.call('unsubscribe', { subscription: byHash });
      expect(node.events.listenerCount('block')).toBe(0);
      node.commitBlock();
      await c.call('health');
      expect(c.received.filter((m) => m.method === 'subscription')).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('prices subscriptions receive the oracle prices of the subscribed markets only', async () => {
    const c = await WsClient.open(server.wsUrl);
    try {
      const sub = (await c.call('subscribe', { event: 'prices', markets: ['BTC-USD'] })).result
        .subscription;
      // A block without oracle prices notifies nobody.
      const e = node.commitBlock();
      // The node's blocks carry the oracle entry's events in the first tx result.
      const oracleEvents = [
        { type: 'oracle_price', attributes: { market: 'BTC-USD', price: '60000.5' } },
        { type: 'oracle_price', attributes: { market: 'ETH-USD', price: '3000.25' } },
      ];
      node.events.emit('block', {
        ...e,
        results: {
          ...e.results,
          txResults: [
            { code: 0, codespace: '', log: 'oracle update', hash: 'AB', events: oracleEvents },
          ],
        },
      });
      const n = await c.take((m) => m.params?.subscription === sub);
      expect(n.params.result).toEqual({
        height: e.block.header.height,
        prices: [{ market: 'BTC-USD', price: '60000.5' }],
      });
      await c.call('health');
      expect(c.notifications(sub)).toEqual([]);
      expect((await c.call('subscribe', { event: 'prices', markets: 'BTC-USD' })).error.code).toBe(
        -32602,
      );
    } finally {
      await c.close();
    }
  });

  it('validates subscribe params and limits subscriptions per connection', async () => {
    const c = await WsClient.open(server.wsUrl);
    try {
      const bad = await c.call('subscribe', { event: 'votes' });
      expect(bad.error.code).toBe(-32602);
      expect(bad.error.message).toContain('event');
      const badFilter = await c.call('subscribe', { event: 'tx', filter: { sender: 5 } });
      expect(badFilter.error.code).toBe(-32602);
      expect(badFilter.error.message).toContain('filter');

      for (let i = 0; i < 100; i++) {
        expect((await c.call('subscribe', { event: 'new_block' })).result).toBeDefined();
      }
      const over = await c.call('subscribe', { event: 'new_block' });
      expect(over.error.code).toBe(-32600);
      expect(over.error.message).toContain('100');
    } finally {
      await c.close();
    }
  });

  it('drops the subscriptions of a closed socket', async () => {
    const c = await WsClient.open(server.wsUrl);
    await c.call('subscribe', { event: 'new_block' });
    expect(node.events.listenerCount('block')).toBe(1);
    await c.close();
    await until(() => node.events.listenerCount('block') === 0);
    node.commitBlock();
  });
});
