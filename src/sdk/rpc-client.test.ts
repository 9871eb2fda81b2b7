import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../core/testing/harness.ts';
import { ConnectionError, RpcError, RpcErrorCode } from './errors.ts';
import { RpcClient } from './rpc-client.ts';
import { FakeNode } from './testing/fake-node.ts';
import { closedPort } from './testing/ports.ts';

let node: FakeNode;
let rpc: RpcClient;

beforeAll(async () => {
  node = await FakeNode.start();
  rpc = new RpcClient(node.url);
});
afterAll(() => node.kill());

describe('RpcClient', () => {
  it('reads status, blocks and block results', async () => {
    const status = await rpc.status();
    expect(status.chainId).toBe('bulwark-test');
    expect(status.latestHeight).toBe(node.height);
    const latest = await rpc.block();
    expect(latest.block.header.height).toBe(node.height);
    expect((await rpc.block(1)).block.header.height).toBe(1);
    const results = await rpc.blockResults(1);
    expect(results.height).toBe(1);
    expect(results.txResults).toEqual([]);
  });

  it('sends JSON-RPC 2.0 requests with params', async () => {
    await rpc.block(1);
    expect(node.requests.at(-1)).toEqual({ method: 'block', params: { height: 1 } });
    await rpc.query('bank/params');
    expect(node.requests.at(-1)).toEqual({
      method: 'query',
      params: { path: 'bank/params', args: {} },
    });
  });

  it('broadcasts a tx and finds it by hash', async () => {
    const bytes = node.chain.tx(node.account('alice'), [send(node.account('bob'), 7n)]);
    const res = await rpc.broadcastTxSync(bytes);
    expect(res.code).toBe(0);
    node.produceBlock();
    const tx = await rpc.tx(res.hash);
    expect(tx.height).toBe(node.height);
    expect(tx.result.code).toBe(0);
    expect(tx.result.events.some((e) => e.type === 'transfer')).toBe(true);
  });

  it('returns a query result with its chain code instead of throwing', async () => {
    const ok = await rpc.query('bank/balance', {
      address: node.account('alice').address,
      denom: 'ubwk',
    });
    expect(ok.code).toBe(0);
    expect(ok.value).toMatchObject({ denom: 'ubwk' });
    const bad = await rpc.query('nope/nothing');
    expect(bad.code).toBe(22); // UnknownQuery
    expect(bad.log).toMatch(/unknown query path/);
  });

  it('throws RpcError with code, message and data for an error answer', async () => {
    const err = await rpc.block(10_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe(RpcErrorCode.NotFound);
    expect((err as RpcError).message).toMatch(/no block at height 10000/);

    node.failures.set('status', {
      code: -32000,
      message: 'insufficient funds',
      data: { code: 5, codespace: 'bulwark', codeName: 'InsufficientFunds' },
    });
    const chainErr = (await rpc.status().catch((e: unknown) => e)) as RpcError;
    expect(chainErr.code).toBe(RpcErrorCode.ChainError);
    expect(chainErr.chainCode).toBe(5);
    expect(chainErr.data).toEqual({ code: 5, codespace: 'bulwark', codeName: 'InsufficientFunds' });

    const missing = (await rpc.call('no_such_method').catch((e: unknown) => e)) as RpcError;
    expect(missing.code).toBe(RpcErrorCode.MethodNotFound);
  });

  it('throws ConnectionError when nothing listens', async () => {
    const port = await closedPort();
    const dead = new RpcClient(`http://127.0.0.1:${port}`);
    const err = await dead.status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).message).toMatch(
      /cannot reach the node at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });

  describe('against something that is not a node', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/slow') return; // never answers
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>bad gateway</html>');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('reports a body that is not JSON-RPC as a ConnectionError', async () => {
      const err = await new RpcClient(url).status().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(/answered HTTP 502 with a body that is not JSON-RPC/);
    });

    it('times out', async () => {
      const err = await new RpcClient(`${url}/slow`, { timeoutMs: 100 })
        .status()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(/no answer from .* within 100 ms/);
    });
  });
});
