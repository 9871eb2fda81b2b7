import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The node's Prometheus metrics, on a registry of their own (never prom-client's global
 * one, so several nodes in one process, as in tests, do not collide). The node calls the
 * typed methods; `GET /metrics` serves `text()`.
 */
export interface MetricsOptions {
  /** Also collect prom-client's default process metrics (CPU, memory, event loop). */
  defaultMetrics?: boolean;
  /** Labels added to every metric (e.g. `{ moniker: 'val0' }`). */
  labels?: Record<string, string>;
}

/** Block intervals: the devnet targets about a second; slow networks several. */
const INTERVAL_BUCKETS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60];
/** finalizeBlock + commit + persist. */
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A block event as the app returns it (attribute values are strings). */
interface BlockEvent {
  type: string;
  attributes: Record<string, string>;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly height: Gauge;
  private readonly blockTxs: Counter;
  private readonly txResults: Counter<'code'>;
  private readonly mempoolSize: Gauge;
  private readonly mempoolRejected: Counter<'code'>;
  private readonly blockIntervals: Histogram;
  private readonly rpcRequests: Counter<'method' | 'outcome'>;
  private readonly commitDuration: Histogram;
  private readonly proposalsRejected: Counter;
  private readonly extensionsRefused: Counter;
  private readonly riskCoc: Gauge;
  private readonly riskPfc: Gauge<'market'>;
  private readonly riskOiCap: Gauge<'market'>;
  private readonly marginImf: Gauge<'market'>;
  private lastBlockTimeMs: number | undefined;

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    if (opts.labels !== undefined) this.registry.setDefaultLabels(opts.labels);
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.height = new Gauge({
      name: 'bulwark_block_height',
      help: 'Height of the latest committed block',
      registers,
    });
    this.blockTxs = new Counter({
      name: 'bulwark_block_txs_total',
      help: 'Txs included in committed blocks',
      registers,
    });
    this.txResults = new Counter({
      name: 'bulwark_tx_results_total',
      help: 'Results of executed txs, by result code (0 = ok)',
      labelNames: ['code'],
      registers,
    });
    this.mempoolSize = new Gauge({
      name: 'bulwark_mempool_size',
      help: 'Txs waiting in the mempool',
      registers,
    });
    this.mempoolRejected = new Counter({
      name: 'bulwark_mempool_rejected_total',
      help: 'Txs refused by checkTx or the mempool, by result code',
      labelNames: ['code'],
      registers,
    });
    this.blockIntervals = new Histogram({
      name: 'bulwark_block_interval_seconds',
      help: 'Time between consecutive block headers',
      buckets: INTERVAL_BUCKETS,
      registers,
    });
    this.rpcRequests = new Counter({
      name: 'bulwark_rpc_requests_total',
      help: 'JSON-RPC requests, by method and outcome (ok or the error kind)',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.commitDuration = new Histogram({
      name: 'bulwark_commit_duration_seconds',
      help: 'Time to execute, commit and persist a block',
      buckets: COMMIT_BUCKETS,
      registers,
    });
    this.extensionsRefused = new Counter({
      name: 'bulwark_vote_extensions_refused_total',
      help: 'Vote extensions (oracle price reports) refused by verifyVoteExtension',
      registers,
    });
    this.riskCoc = new Gauge({
      name: 'bulwark_risk_coc_uusd',
      help: 'Cost of corrupting the oracle median: securing stake × threshold × BWK price × slashable fraction (uusd)',
      registers,
    });
    this.riskPfc = new Gauge({
      name: 'bulwark_risk_pfc_uusd',
      help: "Profit from corruption of a market: its open interest × the breaker's largest move over the attack (uusd)",
      labelNames: ['market'],
      registers,
    });
    this.riskOiCap = new Gauge({
      name: 'bulwark_risk_oi_cap_uusd',
      help: 'Open-interest cap of a market: the smaller of its vault and security-budget caps (uusd notional)',
      labelNames: ['market'],
      registers,
    });
    this.marginImf = new Gauge({
      name: 'bulwark_margin_imf',
      help: "A market's current initial-margin fraction (dynamic: volatility and OI scaled)",
      labelNames: ['market'],
      registers,
    });
    this.proposalsRejected = new Counter({
      name: 'bulwark_proposals_rejected_total',
      help: 'Proposals refused by processProposal (forged or dishonest oracle entry, undecodable tx)',
      registers,
    });
  }

  /**
   * A block was committed: the height gauge, the txs counter and the commit duration. With
   * `blockTimeMs` (the header time), the interval since the previous header time given here
   * is observed too; a node that measures intervals itself calls `blockInterval` instead.
   */
  blockCommitted(height: number, numTxs: number, durationSec: number, blockTimeMs?: number): void {
    this.height.set(height);
    if (numTxs > 0) this.blockTxs.inc(numTxs);
    this.commitDuration.observe(durationSec);
    if (blockTimeMs !== undefined) {
      if (this.lastBlockTimeMs !== undefined && blockTimeMs >= this.lastBlockTimeMs) {
        this.blockInterval((blockTimeMs - this.lastBlockTimeMs) / 1000);
      }
      this.lastBlockTimeMs = blockTimeMs;
    }
  }

  /** A validator's vote extension (price report) refused by verifyVoteExtension. */
  extensionRefused(): void {
    this.extensionsRefused.inc();
  }

  /** A proposal every validator refused (processProposal); the log says why. */
  proposalRejected(): void {
    this.proposalsRejected.inc();
  }

  /**
   * The risk figures of a committed block, from the risk module's end-block events
   * (`risk_summary`, `risk_market`: the `risk/summary` figures of the block's final state,
   * already computed, so the node does not compute them a second time).
   */
  riskEvents(events: readonly BlockEvent[]): void {
    for (const e of events) {
      const a = e.attributes;
      if (e.type === 'risk_summary' && a.coc !== undefined) {
        this.riskCoc.set(Number(a.coc));
      } else if (e.type === 'risk_market' && a.market !== undefined) {
        const market = { market: a.market };
        this.riskPfc.set(market, Number(a.pfc));
        this.riskOiCap.set(market, Number(a.capEffective));
        this.marginImf.set(market, Number(a.imf));
      }
    }
  }

  /** Sets the height gauge alone (at start, before any block is produced here). */
  setHeight(height: number): void {
    this.height.set(height);
  }

  /** The time between two consecutive block headers. */
  blockInterval(seconds: number): void {
    this.blockIntervals.observe(seconds);
  }

  /** The result code of one executed tx (call once per tx of a committed block). */
  txResult(code: number): void {
    this.txResults.inc({ code: String(code) });
  }

  /** The mempool's current size. */
  mempool(size: number): void {
    this.mempoolSize.set(size);
  }

  /** The mempool refused a tx with this code. */
  txRejected(code: number): void {
    this.mempoolRejected.inc({ code: String(code) });
  }

  /** One JSON-RPC request: `outcome` is `ok` or the error kind (`invalid_params`, …). */
  rpcRequest(method: string, outcome: string): void {
    this.rpcRequests.inc({ method, outcome });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
