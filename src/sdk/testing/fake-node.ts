import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { GenesisInput } from '../../core/app/genesis.ts';
import type { FinalizeBlockResponse, VoteInfo } from '../../core/app/types.ts';
import { addressBytes } from '../../core/crypto/address.ts';
import { sha256, toHex } from '../../core/crypto/hash.ts';
import type { Value } from '../../core/encoding/canonical.ts';
import { toJson } from '../../core/encoding/json.ts';
import {
  BLOCK_MS,
  GENESIS_MS,
  type TestAccount,
  TestChain,
  testAccount,
  testGenesis,
} from '../../core/testing/harness.ts';
import { txHash } from '../../core/tx/tx.ts';
import { presetParams } from '../../node/presets.ts';
import { fromBase64, toBase64 } from '../rpc-client.ts';
import type {
  BlockResult,
  BlockResultsResult,
  SubscriptionQuery,
  TxResponse,
  TxResultJson,
} from '../types.ts';
import {
  FakeMethodError,
  notifyPerps,
  OracleFeed,
  type PerpsSubscription,
  perpsMethod,
  perpsSubscription,
} from './fake-perps.ts';

/**
 * A small JSON-RPC node for SDK and CLI tests: the real state machine (core's TestChain)
 * behind the protocol of docs/rpc.md, on 127.0.0.1 with an ephemeral port. Blocks are made
 * on demand (`produceBlock`, or by `broadcast_tx_commit`), so tests control time.
 */

interface RpcFailure {
  code: number;
  message: string;
  data?: unknown;
}

class MethodError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

const METHODS = [
  'status',
  'block',
  'block_results',
  'tx',
  'broadcast_tx_sync',
  'broadcast_tx_commit',
  'query',
  'subscribe',
  'unsubscribe',
  'health',
  'perps_fills',
  'perps_funding',
];
const utf8 = new TextEncoder();
const ZERO = '0'.repeat(64);

export interface FakeNodeOptions {
  /** Names of funded accounts (keys from core's testAccount); default alice and bob. */
  accounts?: string[];
  /** Port to listen on (default: any free port). */
  port?: number;
  /**
   * Names of accounts that operate a staking validator from genesis (funded like the
   * accounts, self-bond {@link FAKE_SELF_BOND}, commission 10 %, consensus key
   * {@link fakeConsKey}). With validators, every module takes the devnet params
   * (`presetParams('devnet')`) and each block carries a commit signed by the whole set.
   * Default none: the fixed set val0…val3 and no staking validators.
   */
  validators?: string[];
  /** Module genesis merged over the default one, e.g. `{ gov: { params: { … } } }`. */
  appGenesis?: Record<string, unknown>;
  /**
   * Oracle prices (decimal USD by market, e.g. `{ 'BTC-USD': '60000' }`) that every staking
   * validator reports after each block, so that from block 2 on the oracle publishes them
   * (needs `validators`; see `perpsAppGenesis` for markets that use them).
   */
  prices?: Record<string, string>;
}

/** The self-bond of each staking validator of {@link FakeNodeOptions.validators}: 100 BWK. */
export const FAKE_SELF_BOND = 100_000_000n;

/** The consensus key of a fake node's staking validator operated by `name`. */
export function fakeConsKey(name: string): TestAccount {
  return testAccount(`cons/${name}`);
}

/** The genesis a fake node starts from (exported for in-process tests of the same chain). */
export function fakeGenesis(opts: FakeNodeOptions, accounts: TestAccount[]): GenesisInput {
  const genesis = testGenesis(accounts);
  const operators = opts.validators ?? [];
  const app: Record<string, unknown> = { ...genesis.app };
  if (operators.length > 0) {
    // Devnet params (short periods, a 10 BWK minimum deposit), as `bulwark init` writes them.
    const params = presetParams('devnet');
    app.slashing = { params: params.slashing };
    app.distribution = { params: params.distribution };
    app.gov = { params: params.gov };
    app.staking = {
      params: params.staking,
      validators: operators.map((name) => ({
        operator: testAccount(name).address,
        consPubKey: toHex(fakeConsKey(name).pubKey),
        moniker: name,
        selfBond: String(FAKE_SELF_BOND),
        commission: { rate: '0.10', maxRate: '0.20', maxChangeRate: '0.01' },
      })),
    };
  }
  return { ...genesis, app: { ...app, ...opts.appGenesis } };
}

export class FakeNode {
  readonly chain: TestChain;
  readonly accounts: TestAccount[];
  /** Every request received, in order (HTTP and WebSocket). */
  readonly requests: { method: string; params: unknown }[] = [];
  /** Answer the next call of a method with this error instead. */
  readonly failures = new Map<string, RpcFailure>();
  /** When false, broadcast_tx_commit leaves the tx in the mempool and reports no result (a timeout). */
  commitOnBroadcast = true;
  /** When true, broadcasts skip checkTx (as if the state changed between mempool and block). */
  skipCheckTx = false;
  port: number;
  private server: Server | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<Socket>();
  private readonly blocks = new Map<number, { block: BlockResult; results: BlockResultsResult }>();
  private readonly txs = new Map<string, TxResponse>();
  private mempool: Uint8Array[] = [];
  private readonly subs = new Map<string, { ws: WebSocket; query: SubscriptionQuery }>();
  private readonly perpsSubs = new Map<string, { ws: WebSocket; query: PerpsSubscription }>();
  private readonly feed: OracleFeed | undefined;
  private nextSub = 1;
  private readonly staking: boolean;
  private lastVotes: VoteInfo[] = [];
  private lastProposer: string | undefined;

  private constructor(opts: FakeNodeOptions) {
    const names = [...(opts.accounts ?? ['alice', 'bob'])];
    for (const v of opts.validators ?? []) if (!names.includes(v)) names.push(v);
    this.accounts = names.map(testAccount);
    this.chain = new TestChain(fakeGenesis(opts, this.accounts));
    this.staking = (opts.validators ?? []).length > 0;
    if (opts.prices !== undefined && !this.staking)
      throw new Error('a fake node with prices needs staking validators (the reporters)');
    this.feed = opts.prices === undefined ? undefined : new OracleFeed(opts.prices, fakeConsKey);
    this.port = opts.port ?? 0;
    this.produceBlock();
  }

  /** A running fake node with block 1 committed. */
  static async start(opts: FakeNodeOptions = {}): Promise<FakeNode> {
    const node = new FakeNode(opts);
    await node.listen();
    return node;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/websocket`;
  }

  get height(): number {
    return this.chain.height;
  }

  /** A funded test account by name. */
  account(name: string): TestAccount {
    const a = this.accounts.find((x) => x.name === name);
    if (a === undefined) throw new Error(`no test account ${name}`);
    return a;
  }

  subscriptionCount(): number {
    return this.subs.size + this.perpsSubs.size;
  }

  /** Starts serving (again) on the same port. */
  async listen(): Promise<void> {
    const server = createServer((req, res) => void this.onHttp(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('upgrade', (req, socket, head) => {
      if (req.url !== '/websocket') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onWebSocket(ws));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops serving abruptly: every HTTP and WebSocket connection is cut. State is kept. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const ws of this.wss.clients) ws.terminate();
    this.subs.clear();
    this.perpsSubs.clear();
    for (const s of this.sockets) s.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Executes the mempool's txs in a new block, stores it and notifies subscribers. */
  produceBlock(): BlockResult {
    const prev = this.blocks.get(this.chain.height);
    const appHashBefore = toHex(this.chain.app.appHash);
    // With an oracle feed the block starts with the oracle entry.
    const txs = this.feed?.propose(this.chain.app, this.mempool) ?? this.mempool;
    this.mempool = [];
    const res = this.finalize(txs);
    const height = this.chain.height;
    const hash = toHex(sha256(utf8.encode(`fake-block/${height}`)));
    const header = {
      chainId: this.chain.app.chainId,
      height,
      timeMs: GENESIS_MS + height * BLOCK_MS,
      proposer: this.lastProposer ?? toHex(addressBytes(testAccount('val0').pubKey)),
      lastBlockHash: prev?.block.hash ?? ZERO,
      lastCommitHash: ZERO,
      dataHash: ZERO,
      evidenceHash: ZERO,
      appHash: appHashBefore,
      validatorsHash: ZERO,
    };
    const commit = { height, round: 0, blockHash: hash, signatures: [] };
    const block: BlockResult = {
      hash,
      block: {
        header,
        txs: txs.map(toBase64),
        lastCommit: prev?.block.commit ?? null,
        evidence: [],
      },
      commit,
    };
    const txResults = res.txResults.map(
      (r) => toJson(r as unknown as Value) as unknown as TxResultJson,
    );
    const results: BlockResultsResult = {
      height,
      appHash: toHex(res.appHash),
      txResults,
      events: toJson(res.events as unknown as Value) as unknown as BlockResultsResult['events'],
      validatorUpdates: [],
    };
    this.blocks.set(height, { block, results });
    txResults.forEach((r, index) => {
      const { hash: txHashHex, ...result } = r;
      this.txs.set(txHashHex, {
        hash: txHashHex,
        height,
        index,
        tx: toBase64(txs[index] as Uint8Array),
        result,
      });
    });
    for (const [id, { ws, query }] of this.subs) {
      if (query.event === 'new_block') {
        notify(ws, id, { height, hash, header, numTxs: txs.length });
      } else {
        txResults.forEach((r, index) => {
          if (matches(r, 'filter' in query ? (query.filter ?? {}) : {}))
            notify(ws, id, { height, index, hash: r.hash, result: r });
        });
      }
    }
    notifyPerps(this.chain.app, results, this.perpsSubs, notify);
    return block;
  }

  /**
   * Executes one block. With staking validators, every validator of the previous block's set
   * signed it (so rewards flow and liveness is tracked); otherwise core's TestChain block.
   */
  private finalize(txs: Uint8Array[]): FinalizeBlockResponse {
    if (!this.staking) return this.chain.block(txs);
    const app = this.chain.app;
    const height = app.height + 1;
    const proposer = app.proposerFor(height) ?? '';
    const res = app.finalizeBlock({
      block: {
        chainId: app.chainId,
        height,
        timeMs: GENESIS_MS + height * BLOCK_MS,
        proposer,
        hash: sha256(utf8.encode(`block/${height}`)),
      },
      txs,
      lastCommit: { round: 0, votes: this.lastVotes },
      misbehavior: [],
    });
    app.commit();
    this.lastProposer = proposer;
    this.lastVotes = app
      .validators()
      .map((v) => ({ address: v.address, power: v.power, signed: true }));
    this.feed?.extend(app, height);
    return res;
  }

  // ---- transport -------------------------------------------------------------------------

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/health') return send(200, { ok: true });
    if (req.method !== 'POST') return send(404, { error: 'not found' });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(200, errorResponse(null, -32700, 'parse error: the body is not JSON'));
    }
    if (Array.isArray(body))
      return send(200, await Promise.all(body.map((r) => this.handle(r, undefined))));
    send(200, await this.handle(body, undefined));
  }

  private onWebSocket(ws: WebSocket): void {
    ws.on('message', async (data) => {
      let body: unknown;
      try {
        body = JSON.parse(String(data));
      } catch {
        ws.send(
          JSON.stringify(errorResponse(null, -32700, 'parse error: the message is not JSON')),
        );
        return;
      }
      const reply = await this.handle(body, ws);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
    });
    ws.on('close', () => {
      for (const [id, s] of this.subs) if (s.ws === ws) this.subs.delete(id);
      for (const [id, s] of this.perpsSubs) if (s.ws === ws) this.perpsSubs.delete(id);
    });
  }

  private async handle(req: unknown, ws: WebSocket | undefined): Promise<unknown> {
    const r = req as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
    const id = (r?.id ?? null) as string | number | null;
    if (
      typeof r !== 'object' ||
      r === null ||
      r.jsonrpc !== '2.0' ||
      typeof r.method !== 'string'
    ) {
      return errorResponse(id, -32600, 'invalid request: expected a JSON-RPC 2.0 request');
    }
    const params = (r.params ?? {}) as Record<string, unknown>;
    this.requests.push({ method: r.method, params });
    const failure = this.failures.get(r.method);
    if (failure !== undefined) {
      this.failures.delete(r.method);
      return errorResponse(id, failure.code, failure.message, failure.data);
    }
    try {
      const result = await this.dispatch(r.method, params, ws);
      return { jsonrpc: '2.0', id, result };
    } catch (e) {
      if (e instanceof MethodError || e instanceof FakeMethodError)
        return errorResponse(id, e.code, e.message, e.data);
      return errorResponse(id, -32603, `internal error: ${(e as Error).message}`);
    }
  }

  private async dispatch(
    method: string,
    p: Record<string, unknown>,
    ws: WebSocket | undefined,
  ): Promise<unknown> {
    const app = this.chain.app;
    switch (method) {
      case 'health':
        return { ok: true };
      case 'status': {
        const latest = this.blocks.get(this.chain.height);
        return {
          chainId: app.chainId,
          moniker: 'fake',
          version: '0.1.0',
          latestHeight: this.chain.height,
          latestBlockHash: latest?.block.hash ?? ZERO,
          latestAppHash: toHex(app.appHash),
          latestBlockTimeMs: latest?.block.block.header.timeMs ?? GENESIS_MS,
          earliestQueryableHeight: 1,
          mempoolSize: this.mempool.length,
          catchingUp: false,
          validators: app.validators().map((v) => ({
            name: v.name,
            address: v.address,
            pubKey: toHex(v.pubKey),
            power: String(v.power),
          })),
          localValidators: app.validators().map((v) => v.name),
        };
      }
      case 'block':
      case 'block_results': {
        const height = optionalHeight(p) ?? this.chain.height;
        const stored = this.blocks.get(height);
        if (stored === undefined) throw new MethodError(-32001, `no block at height ${height}`);
        return method === 'block' ? stored.block : stored.results;
      }
      case 'tx': {
        if (typeof p.hash !== 'string')
          throw new MethodError(-32602, 'invalid params: hash must be a hex string');
        const tx = this.txs.get(p.hash.toUpperCase());
        if (tx === undefined) throw new MethodError(-32001, `tx ${p.hash} not found`);
        return tx;
      }
      case 'broadcast_tx_sync':
      case 'broadcast_tx_commit': {
        if (typeof p.tx !== 'string')
          throw new MethodError(-32602, 'invalid params: tx must be base64 bytes');
        const bytes = fromBase64(p.tx);
        const c = this.skipCheckTx
          ? { code: 0, codespace: '', log: '', hash: txHash(bytes) }
          : app.checkTx(bytes);
        const checkTx = { code: c.code, codespace: c.codespace, log: c.log, hash: c.hash };
        if (c.code === 0) this.mempool.push(bytes);
        if (method === 'broadcast_tx_sync') return checkTx;
        if (c.code !== 0 || !this.commitOnBroadcast)
          return { checkTx, txResult: null, height: null };
        this.produceBlock();
        const found = this.txs.get(c.hash);
        return {
          checkTx,
          txResult: found ? { ...found.result, hash: c.hash } : null,
          height: found?.height ?? null,
        };
      }
      case 'query': {
        if (typeof p.path !== 'string')
          throw new MethodError(-32602, 'invalid params: path must be a string');
        const q = app.query(p.path, p.args ?? {}, optionalHeight(p));
        return { code: q.code, log: q.log, height: q.height, value: toJson(q.value) };
      }
      case 'subscribe': {
        if (ws === undefined)
          throw new MethodError(-32601, 'subscribe is served over WebSocket only');
        const event = p.event;
        if (event === 'fills' || event === 'book') {
          const query = perpsSubscription(app, p);
          const id = `sub${this.nextSub++}`;
          this.perpsSubs.set(id, { ws, query });
          return { subscription: id };
        }
        if (event !== 'new_block' && event !== 'tx') {
          throw new MethodError(
            -32602,
            'invalid params: event must be "new_block", "tx", "fills" or "book"',
          );
        }
        const id = `sub${this.nextSub++}`;
        const query: SubscriptionQuery =
          event === 'new_block'
            ? { event }
            : { event, filter: (p.filter ?? {}) as Record<string, string> };
        this.subs.set(id, { ws, query });
        return { subscription: id };
      }
      case 'unsubscribe': {
        if (ws === undefined)
          throw new MethodError(-32601, 'unsubscribe is served over WebSocket only');
        const ok =
          this.subs.delete(String(p.subscription)) || this.perpsSubs.delete(String(p.subscription));
        if (!ok) throw new MethodError(-32001, `no subscription ${String(p.subscription)}`);
        return { ok: true };
      }
      case 'perps_fills':
      case 'perps_funding':
        return perpsMethod(method, p, app, (h) => this.blocks.get(h)?.results);
      default:
        throw new MethodError(
          -32601,
          `method ${JSON.stringify(method)} not found; methods: ${METHODS.join(', ')}`,
        );
    }
  }
}

function optionalHeight(p: Record<string, unknown>): number | undefined {
  if (p.height === undefined) return undefined;
  if (typeof p.height !== 'number' || !Number.isSafeInteger(p.height) || p.height < 0) {
    throw new MethodError(-32602, 'invalid params: height must be a non-negative integer');
  }
  return p.height;
}

function errorResponse(id: unknown, code: number, message: string, data?: unknown): unknown {
  return {
    jsonrpc: '2.0',
    id,
    error: data === undefined ? { code, message } : { code, message, data },
  };
}

function notify(ws: WebSocket, subscription: string, result: unknown): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(
    JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { subscription, result } }),
  );
}

function matches(r: TxResultJson, filter: Record<string, string>): boolean {
  return Object.entries(filter).every(([k, v]) => r.events.some((e) => e.attributes[k] === v));
}
