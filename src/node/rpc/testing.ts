import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import {
  type BlockHeader,
  type BlockResults,
  blockHash,
  type Commit,
  dataHash,
  hashValue,
  ZERO_HASH,
} from '../../consensus/block.ts';
import type { App } from '../../core/app/app.ts';
import type {
  CheckTxResponse,
  FinalizeBlockResponse,
  QueryResponse,
} from '../../core/app/types.ts';
import { addressBytes } from '../../core/crypto/address.ts';
import { toHex } from '../../core/crypto/hash.ts';
import { BLOCK_MS, GENESIS_MS, testAccount } from '../../core/testing/harness.ts';
import type {
  BroadcastCommitResult,
  NewBlockEvent,
  NodeApi,
  NodeEvents,
  NodeStatus,
  StoredBlock,
  TxLookup,
} from '../api.ts';

/** Test helpers for the RPC server: an in-memory node and a recording WebSocket client. */

const val0 = testAccount('val0');

/** What MemoryNode drives: an app and a way to execute and commit one block of txs. */
export interface BlockMaker {
  readonly app: App;
  block(txs: Uint8Array[]): FinalizeBlockResponse;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON messages are inspected loosely in tests
export type AnyJson = any;

/**
 * A node in memory for RPC tests: an in-process chain (core's TestChain, or any chain with
 * an app and a `block(txs)`) answers checkTx and queries; blocks are made on demand.
 */
export class MemoryNode<C extends BlockMaker = BlockMaker> implements NodeApi {
  readonly events = new EventEmitter<NodeEvents>();
  readonly blocks: StoredBlock[] = [];
  readonly results: BlockResults[] = [];
  readonly txs = new Map<string, TxLookup>();
  mempool: Uint8Array[] = [];
  /** Blocks below this height count as pruned. */
  earliest = 1;

  constructor(readonly chain: C) {}

  get chainId(): string {
    return this.chain.app.chainId;
  }

  get app(): App {
    return this.chain.app;
  }

  status(): NodeStatus {
    const last = this.blocks.at(-1);
    return {
      chainId: this.chainId,
      moniker: 'test',
      version: '0.1.0',
      latestHeight: this.app.height,
      latestBlockHash: last?.hash ?? ZERO_HASH,
      latestAppHash: toHex(this.app.appHash),
      latestBlockTimeMs: last?.block.header.timeMs ?? GENESIS_MS,
      earliestQueryableHeight: this.earliest,
      validators: this.app.validators(),
      localValidators: ['val0'],
      mempoolSize: this.mempool.length,
      catchingUp: false,
    };
  }

  async getBlock(height?: number): Promise<StoredBlock | undefined> {
    const h = height ?? this.app.height;
    return h < this.earliest ? undefined : this.blocks.find((b) => b.block.header.height === h);
  }

  async getBlockResults(height?: number): Promise<BlockResults | undefined> {
    const h = height ?? this.app.height;
    return h < this.earliest ? undefined : this.results.find((r) => r.height === h);
  }

  async getTx(hash: string): Promise<TxLookup | undefined> {
    return this.txs.get(hash);
  }

  async broadcastTxSync(tx: Uint8Array): Promise<CheckTxResponse> {
    const r = this.app.checkTx(tx);
    if (r.code === 0) this.mempool.push(tx);
    return r;
  }

  async broadcastTxCommit(tx: Uint8Array, timeoutMs: number): Promise<BroadcastCommitResult> {
    const checkTx = await this.broadcastTxSync(tx);
    if (checkTx.code !== 0) return { checkTx };
    return new Promise((resolve) => {
      const onBlock = (e: NewBlockEvent): void => {
        const txResult = e.results.txResults.find((r) => r.hash === checkTx.hash);
        if (txResult === undefined) return;
        clearTimeout(timer);
        this.events.off('block', onBlock);
        resolve({ checkTx, txResult, height: e.block.header.height });
      };
      const timer = setTimeout(() => {
        this.events.off('block', onBlock);
        resolve({ checkTx });
      }, timeoutMs);
      this.events.on('block', onBlock);
    });
  }

  async query(path: string, args: unknown, height?: number): Promise<QueryResponse> {
    return this.app.query(path, args, height);
  }

  /** Test helper: executes the mempool as the next block, stores it and emits `block`. */
  commitBlock(): NewBlockEvent {
    const txs = this.mempool;
    this.mempool = [];
    const height = this.app.height + 1;
    const prev = this.blocks.at(-1);
    const appHashBefore = toHex(this.app.appHash);
    const res = this.chain.block(txs);
    const header: BlockHeader = {
      chainId: this.chainId,
      height,
      timeMs: GENESIS_MS + height * BLOCK_MS,
      proposer: toHex(addressBytes(val0.pubKey)),
      lastBlockHash: prev?.hash ?? ZERO_HASH,
      lastCommitHash: prev === undefined ? ZERO_HASH : hashValue(prev.commit.blockHash),
      dataHash: dataHash(txs),
      evidenceHash: ZERO_HASH,
      appHash: appHashBefore,
      validatorsHash: ZERO_HASH,
    };
    const hash = blockHash(header);
    const commit: Commit = {
      height,
      round: 0,
      blockHash: hash,
      signatures: [
        {
          validator: header.proposer,
          signature: new Uint8Array(64).fill(1),
          extension: new Uint8Array([1, 2, 3]),
          extensionSignature: new Uint8Array(64).fill(2),
        },
      ],
    };
    const block = { header, txs, lastCommit: prev?.commit ?? null, evidence: [] };
    const results: BlockResults = {
      height,
      txResults: res.txResults,
      events: res.events,
      validatorUpdates: res.validatorUpdates,
      appHash: toHex(res.appHash),
    };
    this.blocks.push({ block, hash, commit });
    this.results.push(results);
    res.txResults.forEach((r, index) => {
      this.txs.set(r.hash, { hash: r.hash, height, index, tx: txs[index]!, result: r });
    });
    const event = { block, hash, results };
    this.events.emit('block', event);
    return event;
  }
}

/** A WebSocket client that keeps every message it receives, in order. */
export class WsClient {
  private static nextId = 1_000_000;
  readonly received: AnyJson[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse(String(data)));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string): Promise<WsClient> {
    const ws = new WebSocket(url);
    const client = new WsClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Removes and returns the first received message matching `pred`, waiting for it. */
  async take(pred: (m: AnyJson) => boolean): Promise<AnyJson> {
    for (;;) {
      const i = this.received.findIndex(pred);
      if (i >= 0) return this.received.splice(i, 1)[0];
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async call(method: string, params?: unknown): Promise<AnyJson> {
    const id = WsClient.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return this.take((m) => m.id === id);
  }

  notifications(subscription: string): AnyJson[] {
    return this.received.filter(
      (m) => m.method === 'subscription' && m.params.subscription === subscription,
    );
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
