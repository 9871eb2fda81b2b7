import type { HttpMarketConfig, HttpSourceConfig } from './config.ts';
import { formatPrice, parseDecimal18 } from './decimal.ts';
import type { Observations, PriceLogger, PriceSource } from './types.ts';

/** Why a market's fetch gave no price. */
export type FetchFailure = 'timeout' | 'network' | 'status' | 'malformed';

/** Counters per market, since the source was created. */
export interface HttpMarketStats {
  /** Fetches that gave a good price. */
  ok: number;
  /** Fetches that gave none, by reason. */
  failures: Record<FetchFailure, number>;
  /** Heights answered with the last good price. */
  fallbacks: number;
  /** Heights the market was left out (no good price within `maxAgeMs`). */
  omitted: number;
}

/** Largest body read (bytes, as characters): a price endpoint answers in far less. */
const MAX_BODY_CHARS = 1_000_000;

type FetchResult = { ok: true; json: unknown } | { ok: false; kind: FetchFailure; detail: string };

interface MarketState {
  last?: { price: bigint; atMs: number };
  /** The last observation failed (for logging transitions only). */
  failing: boolean;
  stale: boolean;
  stats: HttpMarketStats;
}

/** Splits `data.items[0].price` into `['data', 'items', 0, 'price']`. */
export function parseJsonPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const seg of path.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(seg);
    if (m === null)
      throw new SyntaxError(`bad JSON path segment ${JSON.stringify(seg)} in ${path}`);
    out.push(m[1] ?? '');
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** The value at a parsed path, or undefined. Array elements by `[i]` or by a numeric key. */
export function getAtPath(value: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = value;
  for (const key of path) {
    if (Array.isArray(v)) {
      const i = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : -1;
      if (i < 0 || i >= v.length) return undefined;
      v = v[i];
    } else if (typeof v === 'object' && v !== null && typeof key === 'string') {
      if (!Object.hasOwn(v, key)) return undefined;
      v = (v as Record<string, unknown>)[key];
    } else return undefined;
  }
  return v;
}

/** A JSON number or numeric string as a positive 18-decimal price, or undefined. */
export function toPrice(v: unknown): bigint | undefined {
  let p: bigint | undefined;
  if (typeof v === 'number') p = Number.isFinite(v) ? parseDecimal18(String(v)) : undefined;
  else if (typeof v === 'string') p = parseDecimal18(v);
  return p !== undefined && p > 0n ? p : undefined;
}

export interface HttpSourceOptions {
  logger?: PriceLogger;
  /** Put in every log line. */
  validator?: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * The `http` source: at each height GETs every market's JSON endpoint (one request per distinct
 * URL and headers, all in parallel, each bounded by `timeoutMs`) and reads the price at its
 * JSON path. A market whose fetch fails, times out or answers something unusable reuses its last
 * good price while that is at most `maxAgeMs` old (in block time), and is left out after that.
 * `observe` never throws; failures are counted (`stats()`) and logged (`warn` when a market
 * starts failing or goes stale, `info` when it recovers, `debug` for every failure).
 */
export class HttpSource implements PriceSource {
  private readonly markets: { market: string; cfg: HttpMarketConfig; path: (string | number)[] }[];
  private readonly state = new Map<string, MarketState>();
  private readonly closing = new AbortController();
  private readonly fetchFn: typeof fetch;
  private readonly logger: PriceLogger | undefined;
  private readonly validator: string | undefined;

  constructor(
    readonly config: HttpSourceConfig,
    opts: HttpSourceOptions = {},
  ) {
    this.fetchFn = opts.fetch ?? globalThis.fetch;
    this.logger = opts.logger;
    this.validator = opts.validator;
    this.markets = Object.entries(config.markets).map(([market, cfg]) => ({
      market,
      cfg,
      path: parseJsonPath(cfg.path),
    }));
    for (const { market } of this.markets) {
      this.state.set(market, {
        failing: false,
        stale: false,
        stats: {
          ok: 0,
          failures: { timeout: 0, network: 0, status: 0, malformed: 0 },
          fallbacks: 0,
          omitted: 0,
        },
      });
    }
  }

  /** A copy of the counters per market. */
  stats(): Record<string, HttpMarketStats> {
    const out: Record<string, HttpMarketStats> = {};
    for (const [m, s] of this.state) out[m] = structuredClone(s.stats);
    return out;
  }

  async observe(height: number, timeMs: number): Promise<Observations> {
    const out: Record<string, bigint> = {};
    if (this.closing.signal.aborted) return out;
    try {
      const requests = new Map<string, Promise<FetchResult>>();
      const results = await Promise.all(
        this.markets.map(({ cfg }) => {
          const key = `${cfg.url}\n${JSON.stringify(Object.entries(cfg.headers).sort())}`;
          let req = requests.get(key);
          if (req === undefined) {
            req = this.fetchJson(cfg);
            requests.set(key, req);
          }
          return req;
        }),
      );
      this.markets.forEach(({ market, cfg, path }, i) => {
        const res = results[i] ?? { ok: false, kind: 'network', detail: 'no result' };
        const price = this.settle(market, cfg, path, res, height, timeMs);
        if (price !== undefined) out[market] = price;
      });
    } catch (e) {
      // Not expected (fetchJson does not reject); never let it reach the caller.
      this.logger?.warn({ err: e, height }, 'price source failed');
    }
    return out;
  }

  async close(): Promise<void> {
    this.closing.abort(new Error('price source closed'));
  }

  private async fetchJson(cfg: HttpMarketConfig): Promise<FetchResult> {
    const signal = AbortSignal.any([
      AbortSignal.timeout(this.config.timeoutMs),
      this.closing.signal,
    ]);
    try {
      const res = await this.fetchFn(cfg.url, {
        method: 'GET',
        headers: { accept: 'application/json', ...cfg.headers },
        signal,
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        return { ok: false, kind: 'status', detail: `HTTP ${res.status}` };
      }
      const text = await res.text();
      if (text.length > MAX_BODY_CHARS) {
        return { ok: false, kind: 'malformed', detail: `body over ${MAX_BODY_CHARS} characters` };
      }
      try {
        return { ok: true, json: JSON.parse(text) };
      } catch (e) {
        return { ok: false, kind: 'malformed', detail: `not JSON: ${(e as Error).message}` };
      }
    } catch (e) {
      const err = e as Error;
      if (err?.name === 'TimeoutError' || signal.reason?.name === 'TimeoutError') {
        return {
          ok: false,
          kind: 'timeout',
          detail: `no answer within ${this.config.timeoutMs} ms`,
        };
      }
      const cause = (err as { cause?: Error })?.cause?.message;
      return { ok: false, kind: 'network', detail: cause ?? err?.message ?? String(e) };
    }
  }

  private settle(
    market: string,
    cfg: HttpMarketConfig,
    path: readonly (string | number)[],
    res: FetchResult,
    height: number,
    timeMs: number,
  ): bigint | undefined {
    const st = this.state.get(market);
    if (st === undefined) return undefined;
    let failure: { kind: FetchFailure; detail: string } | undefined;
    let price: bigint | undefined;
    if (res.ok) {
      price = toPrice(getAtPath(res.json, path));
      if (price === undefined) {
        failure = {
          kind: 'malformed',
          detail: `no positive number or numeric string at ${cfg.path}`,
        };
      }
    } else failure = { kind: res.kind, detail: res.detail };

    const log = { validator: this.validator, market, url: cfg.url, height };
    if (price !== undefined) {
      st.stats.ok++;
      if (st.last === undefined || timeMs >= st.last.atMs) st.last = { price, atMs: timeMs };
      if (st.failing) this.logger?.info?.(log, 'price fetch recovered');
      st.failing = false;
      st.stale = false;
      return price;
    }

    const f = failure ?? { kind: 'network' as const, detail: 'unknown' };
    st.stats.failures[f.kind]++;
    this.logger?.debug?.({ ...log, reason: f.kind, detail: f.detail }, 'price fetch failed');
    const last = st.last;
    if (last !== undefined && timeMs - last.atMs <= this.config.maxAgeMs) {
      st.stats.fallbacks++;
      if (!st.failing) {
        this.logger?.warn(
          { ...log, reason: f.kind, detail: f.detail, lastGood: formatPrice(last.price) },
          'price fetch failed; reporting the last good price',
        );
      }
      st.failing = true;
      return last.price;
    }
    st.stats.omitted++;
    if (!st.stale) {
      this.logger?.warn(
        { ...log, reason: f.kind, detail: f.detail, lastGoodAtMs: last?.atMs ?? null },
        `no good price within ${this.config.maxAgeMs} ms; market left out of the report`,
      );
    }
    st.failing = true;
    st.stale = true;
    return undefined;
  }
}
