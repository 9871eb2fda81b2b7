import { ConnectionError, RpcError } from './errors.ts';
import type {
  BlockResult,
  BlockResultsResult,
  BroadcastCommitResult,
  BroadcastSyncResult,
  Json,
  QueryResult,
  StatusResult,
  TxResponse,
} from './types.ts';

/** Where a node serves JSON-RPC unless told otherwise. */
export const DEFAULT_NODE_URL = 'http://127.0.0.1:26657';
/** How long a call may take before it fails with a ConnectionError. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface RpcClientOptions {
  /** Per-call timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** The fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
}

interface RpcResponse {
  jsonrpc?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

/**
 * A JSON-RPC 2.0 client over HTTP for one node. Every method either returns the `result`
 * as the node sent it, or throws an {@link RpcError} (the node answered with an error) or a
 * {@link ConnectionError} (no usable answer).
 *
 * @example
 * const rpc = new RpcClient('http://127.0.0.1:26657');
 * const { latestHeight } = await rpc.status();
 */
export class RpcClient {
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(
    readonly url: string = DEFAULT_NODE_URL,
    opts: RpcClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchFn = opts.fetch ?? fetch;
  }

  /**
   * Calls any method and returns its result.
   *
   * @example
   * const ok = await rpc.call<{ ok: boolean }>('health');
   */
  async call<T = unknown>(
    method: string,
    params: object = {},
    opts: { timeoutMs?: number } = {},
  ): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const id = this.nextId++;
    let res: Response;
    try {
      res = await this.fetchFn(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw connectionError(this.url, e, timeoutMs);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw connectionError(this.url, e, timeoutMs);
    }
    let body: RpcResponse;
    try {
      body = JSON.parse(text) as RpcResponse;
    } catch {
      throw new ConnectionError(
        this.url,
        `${this.url} answered HTTP ${res.status} with a body that is not JSON-RPC: is it a Bulwark node?`,
      );
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ConnectionError(
        this.url,
        `${this.url} answered something that is not a JSON-RPC response`,
      );
    }
    if (body.error !== undefined && body.error !== null) {
      const code = typeof body.error.code === 'number' ? body.error.code : -32603;
      const message = typeof body.error.message === 'string' ? body.error.message : 'unknown error';
      throw new RpcError(code, message, body.error.data);
    }
    if (!('result' in body)) {
      throw new ConnectionError(
        this.url,
        `${this.url} answered HTTP ${res.status} without a result or an error`,
      );
    }
    return body.result as T;
  }

  /**
   * Node and chain status: chain id, latest height and hashes, validators.
   *
   * @example
   * const { chainId, latestHeight } = await rpc.status();
   */
  status(): Promise<StatusResult> {
    return this.call('status');
  }

  /**
   * A block and the commit that finalized it; the latest block when `height` is omitted.
   * Throws an RpcError with code -32001 (NotFound) for a block the node does not have.
   *
   * @example
   * const { hash, block } = await rpc.block(12);
   */
  block(height?: number): Promise<BlockResult> {
    return this.call('block', height === undefined ? {} : { height });
  }

  /**
   * What executing a block produced: tx results, events, validator updates, app hash.
   *
   * @example
   * const { txResults } = await rpc.blockResults(12);
   */
  blockResults(height?: number): Promise<BlockResultsResult> {
    return this.call('block_results', height === undefined ? {} : { height });
  }

  /**
   * A committed tx by hash (hex). Throws an RpcError with code -32001 when unknown.
   *
   * @example
   * const { height, result } = await rpc.tx('9F86D081884C7D65…');
   */
  tx(hash: string): Promise<TxResponse> {
    return this.call('tx', { hash });
  }

  /**
   * Runs checkTx and, when it passes (code 0), puts the tx in the mempool. Does not wait
   * for a block.
   *
   * @example
   * const { code, hash } = await rpc.broadcastTxSync(encodeTx(signTx(body, seed)));
   */
  broadcastTxSync(tx: Uint8Array): Promise<BroadcastSyncResult> {
    return this.call('broadcast_tx_sync', { tx: toBase64(tx) });
  }

  /**
   * Runs checkTx, then waits (up to `timeoutMs`, default 10 s on the node, at most 60 s)
   * for the tx to be committed.
   *
   * @example
   * const { checkTx, txResult, height } = await rpc.broadcastTxCommit(bytes, 20_000);
   */
  broadcastTxCommit(tx: Uint8Array, timeoutMs?: number): Promise<BroadcastCommitResult> {
    const params = timeoutMs === undefined ? { tx: toBase64(tx) } : { tx: toBase64(tx), timeoutMs };
    // The HTTP call must outlive the node's own wait.
    return this.call('broadcast_tx_commit', params, {
      timeoutMs: Math.max(this.timeoutMs, (timeoutMs ?? 10_000) + 5_000),
    });
  }

  /**
   * Reads state through a module query (paths in docs/queries.md), at the latest height or
   * at `height`. A non-zero `code` in the result is a chain error; the method does not throw
   * for it (see BulwarkClient.queryValue for a version that does).
   *
   * @example
   * const { value } = await rpc.query('bank/balance', { address: 'bwk1…', denom: 'ubwk' });
   */
  query<T = Json>(path: string, args: object = {}, height?: number): Promise<QueryResult<T>> {
    return this.call('query', height === undefined ? { path, args } : { path, args, height });
  }

  /**
   * `{ ok: true }` when the node is up.
   *
   * @example
   * await rpc.health();
   */
  health(): Promise<{ ok: boolean }> {
    return this.call('health');
  }
}

/** Bytes → base64, as the RPC carries tx bytes. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** base64 → bytes. */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function connectionError(url: string, e: unknown, timeoutMs: number): ConnectionError {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new ConnectionError(url, `no answer from ${url} within ${timeoutMs} ms`, { cause: e });
  }
  const why = err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
  return new ConnectionError(url, `cannot reach the node at ${url} (${why})`, { cause: e });
}
