import { EventEmitter } from 'node:events';
import { type Logger, pino } from 'pino';
import type { BlockResults } from '../consensus/block.ts';
import {
  type ChainTip,
  NoQuorumError,
  ProposalRejectedError,
  SoloEngine,
} from '../consensus/solo/engine.ts';
import type { App } from '../core/app/app.ts';
import { parseGenesis } from '../core/app/genesis.ts';
import type { CheckTxResponse, QueryResponse } from '../core/app/types.ts';
import { toHex } from '../core/crypto/hash.ts';
import { encode } from '../core/encoding/canonical.ts';
import { createApp } from '../core/index.ts';
import type { Observations } from '../core/modules/oracle/api.ts';
import type {
  BroadcastCommitResult,
  NewBlockEvent,
  NodeApi,
  NodeEvents,
  NodeStatus,
  StoredBlock,
  TxLookup,
} from './api.ts';
import {
  dataDir,
  genesisPath,
  loadConfig,
  type NodeConfig,
  type NodeConfigInput,
  readJson,
} from './config.ts';
import { loadValidatorKeys } from './home.ts';
import { Mempool } from './mempool.ts';
import { Metrics } from './metrics.ts';
import { createPriceSource, type PriceSource } from './prices/index.ts';
import { startRpcServer } from './rpc/server.ts';
import { ChainStore } from './storage/chain-store.ts';
import { RecentHistory } from './storage/history.ts';
import { VerifyPool } from './verify/pool.ts';

export const VERSION = '0.1.0';

export interface NodeOptions {
  home: string;
  /** Overrides of the home's config.json. */
  config?: Partial<NodeConfigInput>;
  logger?: Logger;
  /** The consensus clock; defaults to the wall clock. */
  now?: () => number;
}

/**
 * One Bulwark node: the app, its store, the mempool and the solo consensus engine. Blocks
 * are produced on a timer (`start`) or on demand (`produceBlock`, for tests).
 */
export class BulwarkNode implements NodeApi {
  readonly events = new EventEmitter<NodeEvents>();
  readonly metrics = new Metrics();
  private timer: NodeJS.Timeout | undefined;
  private producing: Promise<void> | undefined;
  private stopped = false;

  private constructor(
    readonly app: App,
    readonly config: NodeConfig,
    readonly store: ChainStore,
    readonly mempool: Mempool,
    readonly engine: SoloEngine,
    readonly history: RecentHistory,
    readonly logger: Logger,
    private readonly verifier: VerifyPool | undefined,
    private readonly localNames: string[],
  ) {}

  static async open(opts: NodeOptions): Promise<BulwarkNode> {
    const config = await loadConfig(opts.home, opts.config);
    const store = new ChainStore(dataDir(opts.home), {
      sync: config.syncWrites,
      keepRecent: config.keepRecent,
    });
    await store.open();
    try {
      return await BulwarkNode.build(opts, config, store);
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  private static async build(
    opts: NodeOptions,
    config: NodeConfig,
    store: ChainStore,
  ): Promise<BulwarkNode> {
    const logger =
      opts.logger ?? pino({ level: config.logLevel, base: { moniker: config.moniker } });
    const genesisJson = await readJson(genesisPath(opts.home), 'genesis file');
    const genesis = parseGenesis(genesisJson);
    let height = 0;
    const history = new RecentHistory(
      { get: (k) => app.tree.get(k), iterate: (p) => app.tree.iterate(p) },
      () => height,
      config.keepRecent,
    );
    const app: App = createApp({ history, assertInvariants: config.assertInvariants });
    const meta = await store.meta();
    let tip: ChainTip;
    if (meta === undefined) {
      app.initChain(genesisJson);
      const entries = [...app.tree.iterate('')].map(([key, v]) => ({
        key,
        value: encode(v),
        prev: null,
      }));
      const genesisMs = Date.parse(genesis.genesisTime);
      await store.saveGenesis(app.height, app.appHash, entries, genesisMs);
      tip = { height: app.height, blockHash: '0'.repeat(64), timeMs: genesisMs, lastCommit: null };
      logger.info(
        { chainId: genesis.chainId, appHash: toHex(app.appHash) },
        'initialized chain from genesis',
      );
    } else {
      const entries: [string, Uint8Array][] = [];
      for await (const e of store.stateEntries()) entries.push(e);
      app.load(entries, meta.height, meta.appHash);
      if (app.chainId !== genesis.chainId) {
        throw new Error(
          `the store holds chain ${app.chainId}, but the genesis file is for ${genesis.chainId}`,
        );
      }
      const sets = await store.history(
        Math.max(1, meta.height - config.keepRecent + 1),
        meta.height,
      );
      for (const [h, set] of [...sets].sort((a, b) => a[0] - b[0])) history.add(h, set);
      tip = {
        height: meta.height,
        blockHash: meta.blockHash || '0'.repeat(64),
        timeMs: meta.blockTimeMs,
        lastCommit: (await store.commit(meta.height)) ?? null,
      };
      logger.info({ height: meta.height, appHash: toHex(meta.appHash) }, 'resumed from the store');
    }
    height = app.height;
    const validators = await loadValidatorKeys(opts.home);
    const verifier = config.verifyWorkers > 0 ? new VerifyPool(config.verifyWorkers) : undefined;
    const mempool = new Mempool(app, config.mempool, verifier);
    // The engine exists before the node it reports to; its callbacks reach the node late.
    let built: BulwarkNode | undefined;
    const engine = new SoloEngine(
      {
        app,
        chainId: genesis.chainId,
        validators,
        faults: config.faults,
        maxBlockBytes: config.maxBlockBytes,
        maxBlockTxs: config.maxBlockTxs,
        now: opts.now ?? Date.now,
        onRefusedExtension: (validator, h) => {
          built?.metrics.extensionRefused();
          logger.warn(
            { validator, height: h },
            'vote extension refused (malformed or out-of-bounds price report)',
          );
        },
      },
      tip,
    );
    const node = new BulwarkNode(
      app,
      config,
      store,
      mempool,
      engine,
      history,
      logger,
      verifier,
      validators.map((v) => v.name),
    );
    built = node;
    node.trackHeight = (h) => {
      height = h;
    };
    for (const v of validators) {
      node.priceSources.set(
        v.name,
        await createPriceSource(config, v.name, { baseDir: opts.home, logger }),
      );
    }
    node.metrics.setHeight(app.height);
    return node;
  }

  private trackHeight: (h: number) => void = () => {};
  /** Each local validator's price source (its oracle observations). */
  readonly priceSources = new Map<string, PriceSource>();

  /** What each local validator observes for the next block (in parallel; sources never throw). */
  private async observe(): Promise<Map<string, Observations>> {
    const tip = this.engine.chainTip;
    const height = tip.height + 1;
    // The block's time is the engine's to pick; the expected one is close enough for a feed.
    const timeMs = tip.timeMs + this.config.blockIntervalMs;
    const entries = await Promise.all(
      [...this.priceSources].map(
        async ([name, source]) => [name, await source.observe(height, timeMs)] as const,
      ),
    );
    return new Map(entries);
  }

  get chainId(): string {
    return this.app.chainId;
  }

  /** Starts producing a block every `blockIntervalMs`. */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(async () => {
        try {
          await this.produceBlock();
        } catch (e) {
          if (e instanceof NoQuorumError) this.logger.warn({ height: e.height }, e.message);
          else if (e instanceof ProposalRejectedError) {
            this.metrics.proposalRejected();
            this.logger.warn({ height: e.height, reason: e.reason }, e.message);
          } else {
            this.logger.fatal({ err: e }, 'block production failed; stopping');
            this.stopped = true;
            return;
          }
        }
        tick();
      }, this.config.blockIntervalMs);
    };
    tick();
  }

  /**
   * Produces, executes, persists and announces one block. `txs`, for tests and tools,
   * proposes exactly those txs instead of the mempool's (invalid ones included).
   */
  async produceBlock(txs?: Uint8Array[]): Promise<NewBlockEvent> {
    while (this.producing !== undefined) await this.producing;
    let done!: () => void;
    this.producing = new Promise((r) => {
      done = r;
    });
    try {
      const observations = await this.observe();
      const started = performance.now();
      const produced = this.engine.produce(
        (maxBytes, maxTxs) => txs ?? this.mempool.reap(maxBytes, maxTxs),
        observations,
      );
      const { changes } = this.app.commit();
      await this.store.saveBlock({ ...produced, changes });
      const height = produced.block.header.height;
      this.history.add(
        height,
        changes.map((c) => [c.key, c.prev]),
      );
      this.trackHeight(height);
      this.mempool.update(produced.results.txResults.map((r) => r.hash));
      const seconds = (performance.now() - started) / 1000;
      this.metrics.blockCommitted(
        height,
        produced.block.txs.length,
        seconds,
        produced.block.header.timeMs,
      );
      for (const r of produced.results.txResults) this.metrics.txResult(r.code);
      this.metrics.mempool(this.mempool.size);
      this.metrics.riskEvents(produced.results.events);
      this.logger.info(
        {
          height,
          txs: produced.block.txs.length,
          appHash: produced.results.appHash.slice(0, 16),
          ms: Math.round(seconds * 1000),
        },
        'committed block',
      );
      const event: NewBlockEvent = {
        block: produced.block,
        hash: produced.hash,
        results: produced.results,
      };
      this.events.emit('block', event);
      return event;
    } finally {
      this.producing = undefined;
      done();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    while (this.producing !== undefined) await this.producing;
    await this.verifier?.close();
    for (const source of this.priceSources.values()) await source.close?.();
    await this.store.close();
  }

  // ---- NodeApi ---------------------------------------------------------------------------

  status(): NodeStatus {
    const tip = this.engine.chainTip;
    return {
      chainId: this.chainId,
      moniker: this.config.moniker,
      version: VERSION,
      latestHeight: this.app.height,
      latestBlockHash: tip.blockHash,
      latestAppHash: toHex(this.app.appHash),
      latestBlockTimeMs: tip.timeMs,
      earliestQueryableHeight: this.history.earliest(),
      validators: this.app.validators(),
      localValidators: this.localNames,
      mempoolSize: this.mempool.size,
      catchingUp: false,
    };
  }

  async getBlock(height?: number): Promise<StoredBlock | undefined> {
    const h = height ?? this.app.height;
    const [block, commit] = await Promise.all([this.store.block(h), this.store.commit(h)]);
    if (block === undefined || commit === undefined) return undefined;
    return { block, hash: commit.blockHash, commit };
  }

  async getBlockResults(height?: number): Promise<BlockResults | undefined> {
    return this.store.results(height ?? this.app.height);
  }

  async getTx(hash: string): Promise<TxLookup | undefined> {
    const loc = await this.store.txLocation(hash);
    if (loc === undefined) return undefined;
    const [block, results] = await Promise.all([
      this.store.block(loc.height),
      this.store.results(loc.height),
    ]);
    const tx = block?.txs[loc.index];
    const result = results?.txResults[loc.index];
    if (tx === undefined || result === undefined) return undefined;
    return { hash: result.hash, height: loc.height, index: loc.index, tx, result };
  }

  async broadcastTxSync(tx: Uint8Array): Promise<CheckTxResponse> {
    const res = await this.mempool.add(tx);
    if (res.code !== 0) this.metrics.txRejected(res.code);
    this.metrics.mempool(this.mempool.size);
    return res;
  }

  async broadcastTxCommit(tx: Uint8Array, timeoutMs: number): Promise<BroadcastCommitResult> {
    let resolveWait!: (r: BroadcastCommitResult) => void;
    const waiting = new Promise<BroadcastCommitResult>((r) => {
      resolveWait = r;
    });
    let checkTx: CheckTxResponse | undefined;
    const onBlock = (e: NewBlockEvent) => {
      if (checkTx === undefined) return;
      const index = e.results.txResults.findIndex((r) => r.hash === checkTx?.hash);
      const txResult = e.results.txResults[index];
      if (txResult !== undefined) resolveWait({ checkTx, txResult, height: e.block.header.height });
    };
    this.events.on('block', onBlock);
    const timer = setTimeout(() => checkTx && resolveWait({ checkTx }), timeoutMs);
    try {
      checkTx = await this.broadcastTxSync(tx);
      if (checkTx.code !== 0) return { checkTx };
      return await waiting;
    } finally {
      clearTimeout(timer);
      this.events.off('block', onBlock);
    }
  }

  async query(path: string, args: unknown, height?: number): Promise<QueryResponse> {
    return this.app.query(path, args, height);
  }
}

export interface StartOptions {
  home: string;
  rpcAddr?: string;
  logLevel?: string;
  blockIntervalMs?: number;
}

export interface RunningNode {
  api: NodeApi;
  node: BulwarkNode;
  rpcUrl: string;
  wsUrl: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

/** Opens the node in `home`, serves RPC and starts producing blocks. */
export async function startNode(opts: StartOptions): Promise<RunningNode> {
  const overrides: Partial<NodeConfigInput> = {};
  if (opts.rpcAddr !== undefined) overrides.rpcAddr = opts.rpcAddr;
  if (opts.blockIntervalMs !== undefined) overrides.blockIntervalMs = opts.blockIntervalMs;
  if (opts.logLevel !== undefined) overrides.logLevel = opts.logLevel as NodeConfig['logLevel'];
  const node = await BulwarkNode.open({ home: opts.home, config: overrides });
  const [host, port] = splitAddr(node.config.rpcAddr);
  let rpc: Awaited<ReturnType<typeof startRpcServer>>;
  try {
    rpc = await startRpcServer({
      api: node,
      host,
      port,
      metrics: node.metrics,
      logger: node.logger,
    });
  } catch (e) {
    await node.stop();
    throw new Error(`cannot serve RPC on ${node.config.rpcAddr}: ${(e as Error).message}`);
  }
  node.start();
  return {
    api: node,
    node,
    rpcUrl: rpc.url,
    wsUrl: rpc.wsUrl,
    metricsUrl: `${rpc.url}/metrics`,
    stop: async () => {
      await rpc.close();
      await node.stop();
    },
  };
}

function splitAddr(addr: string): [string, number] {
  const i = addr.lastIndexOf(':');
  const port = Number(addr.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `invalid address ${JSON.stringify(addr)}: expected HOST:PORT, e.g. 127.0.0.1:26657`,
    );
  }
  return [addr.slice(0, i), port];
}
