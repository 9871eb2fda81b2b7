import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HttpSourceConfig, httpSourceSchema } from './config.ts';
import { PRICE_ONE } from './decimal.ts';
import { getAtPath, HttpSource, parseJsonPath, toPrice } from './http.ts';

/** What the test server answers on a path. */
type Behaviour =
  | { kind: 'json'; body: unknown }
  | { kind: 'raw'; body: string }
  | { kind: 'status'; status: number }
  | { kind: 'slow'; ms: number; body: unknown };

const routes = new Map<string, Behaviour>();
const hits = new Map<string, number>();
const timers = new Set<NodeJS.Timeout>();
let server: Server;
let base = '';

function handle(req: IncomingMessage, res: ServerResponse) {
  const path = req.url ?? '/';
  hits.set(path, (hits.get(path) ?? 0) + 1);
  const b = routes.get(path) ?? { kind: 'status', status: 404 };
  const send = (body: string) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  };
  if (b.kind === 'json') send(JSON.stringify(b.body));
  else if (b.kind === 'raw') send(b.body);
  else if (b.kind === 'status') {
    res.writeHead(b.status);
    res.end('oops');
  } else {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!res.destroyed) send(JSON.stringify(b.body));
    }, b.ms);
    timers.add(t);
  }
}

beforeAll(async () => {
  server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const t of timers) clearTimeout(t);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  routes.clear();
  hits.clear();
});

function config(over: Partial<Record<string, unknown>> = {}): HttpSourceConfig {
  return httpSourceSchema.parse({
    kind: 'http',
    timeoutMs: 800,
    maxAgeMs: 5000,
    markets: {
      'BTC-USD': { url: `${base}/btc`, path: 'data.price' },
      'ETH-USD': { url: `${base}/eth`, path: 'result[0].last' },
    },
    ...over,
  });
}

interface Line {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}
function logger() {
  const lines: Line[] = [];
  return {
    lines,
    warn: (obj: Record<string, unknown>, msg: string) => lines.push({ level: 'warn', obj, msg }),
    info: (obj: Record<string, unknown>, msg: string) => lines.push({ level: 'info', obj, msg }),
  };
}

const BTC = { kind: 'json', body: { data: { price: '60000.125' } } } as const;
const ETH = { kind: 'json', body: { result: [{ last: 3000.5 }] } } as const;

describe('JSON paths and values', () => {
  it('walks objects and arrays', () => {
    const doc = { data: { price: 1, items: [{ p: '2' }, { p: 3 }] } };
    expect(getAtPath(doc, parseJsonPath('data.price'))).toBe(1);
    expect(getAtPath(doc, parseJsonPath('data.items[1].p'))).toBe(3);
    expect(getAtPath(doc, parseJsonPath('data.items.0.p'))).toBe('2');
    expect(getAtPath(doc, parseJsonPath('data.items[5].p'))).toBeUndefined();
    expect(getAtPath(doc, parseJsonPath('data.price.x'))).toBeUndefined();
    expect(getAtPath(doc, parseJsonPath('data.toString'))).toBeUndefined();
  });
  it('accepts positive numbers and numeric strings only', () => {
    expect(toPrice('60000.125')).toBe(60_000_125n * 10n ** 15n);
    expect(toPrice(3000.5)).toBe(30_005n * 10n ** 17n);
    expect(toPrice(1e-7)).toBe(10n ** 11n);
    for (const bad of [0, -1, '0', 'abc', null, true, {}, [], Number.NaN, '']) {
      expect(toPrice(bad)).toBeUndefined();
    }
  });
});

describe('http source', () => {
  it('reads every market from its endpoint', async () => {
    routes.set('/btc', BTC);
    routes.set('/eth', ETH);
    const src = new HttpSource(config());
    expect(await src.observe(1, 1000)).toEqual({
      'BTC-USD': 60_000_125n * 10n ** 15n,
      'ETH-USD': 30_005n * 10n ** 17n,
    });
    expect(src.stats()['BTC-USD']?.ok).toBe(1);
  });

  it('fetches a URL shared by several markets once per height', async () => {
    routes.set('/all', { kind: 'json', body: { btc: 60000, eth: '3000' } });
    const src = new HttpSource(
      config({
        markets: {
          'BTC-USD': { url: `${base}/all`, path: 'btc' },
          'ETH-USD': { url: `${base}/all`, path: 'eth' },
        },
      }),
    );
    expect(await src.observe(1, 1000)).toEqual({
      'BTC-USD': 60_000n * PRICE_ONE,
      'ETH-USD': 3_000n * PRICE_ONE,
    });
    expect(hits.get('/all')).toBe(1);
  });

  it('falls back to the last good price when slow, failing or malformed; recovers', async () => {
    routes.set('/btc', BTC);
    routes.set('/eth', ETH);
    const log = logger();
    const src = new HttpSource(config(), { logger: log });
    const good = await src.observe(1, 1000);

    // slow: beyond the 800 ms timeout (the server would answer after 10 s)
    routes.set('/btc', { kind: 'slow', ms: 10_000, body: { data: { price: 1 } } });
    const t0 = performance.now();
    expect(await src.observe(2, 2000)).toEqual(good);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(790);
    expect(elapsed).toBeLessThan(5000);

    // HTTP 500
    routes.set('/btc', { kind: 'status', status: 500 });
    expect(await src.observe(3, 3000)).toEqual(good);

    // not JSON, and JSON without the price
    routes.set('/btc', { kind: 'raw', body: '{"data": {"price": ' });
    expect(await src.observe(4, 4000)).toEqual(good);
    routes.set('/btc', { kind: 'json', body: { data: { price: 'n/a' } } });
    expect(await src.observe(5, 5000)).toEqual(good);

    const st = src.stats()['BTC-USD'];
    expect(st?.failures).toEqual({ timeout: 1, network: 0, status: 1, malformed: 2 });
    expect(st?.fallbacks).toBe(4);
    expect(src.stats()['ETH-USD']?.ok).toBe(5);

    // one warning when it starts failing, not one per height
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(log.lines[0]?.obj).toMatchObject({ market: 'BTC-USD', reason: 'timeout', height: 2 });

    routes.set('/btc', { kind: 'json', body: { data: { price: 61000 } } });
    expect((await src.observe(6, 6000))['BTC-USD']).toBe(61_000n * PRICE_ONE);
    expect(log.lines.at(-1)).toMatchObject({ level: 'info', msg: 'price fetch recovered' });
  });

  it('leaves a market out once its last good price is older than maxAgeMs', async () => {
    routes.set('/btc', BTC);
    routes.set('/eth', ETH);
    const log = logger();
    const src = new HttpSource(config(), { logger: log });
    await src.observe(1, 10_000);
    routes.set('/btc', { kind: 'status', status: 503 });
    expect((await src.observe(2, 15_000))['BTC-USD']).toBe(60_000_125n * 10n ** 15n); // 5 s: still good
    const later = await src.observe(3, 15_001);
    expect(later).toEqual({ 'ETH-USD': 30_005n * 10n ** 17n });
    expect(src.stats()['BTC-USD']).toMatchObject({ fallbacks: 1, omitted: 1 });
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'warn']);
  });

  it('never throws: no previous price, unreachable host, closed source', async () => {
    routes.set('/eth', ETH);
    // a port nothing listens on: bind one, then close it
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const src = new HttpSource(
      config({
        markets: {
          'BTC-USD': { url: `${base}/missing`, path: 'data.price' },
          'ETH-USD': { url: `${base}/eth`, path: 'result[0].last' },
          'SOL-USD': { url: `http://127.0.0.1:${deadPort}/`, path: 'price' },
        },
      }),
    );
    expect(await src.observe(1, 1000)).toEqual({ 'ETH-USD': 30_005n * 10n ** 17n });
    expect(src.stats()['BTC-USD']?.failures.status).toBe(1);
    expect(src.stats()['SOL-USD']?.failures.network).toBe(1);
    await src.close();
    expect(await src.observe(2, 2000)).toEqual({});
  });
});

describe('http config', () => {
  it('defaults the timeout to 500 ms and checks URLs and paths', () => {
    const cfg = httpSourceSchema.parse({
      kind: 'http',
      markets: { 'BTC-USD': { url: 'https://example.com/p', path: 'a.b[0]' } },
    });
    expect(cfg.timeoutMs).toBe(500);
    expect(cfg.maxAgeMs).toBe(30_000);
    expect(cfg.markets['BTC-USD']?.headers).toEqual({});
    const bad = (m: unknown) =>
      httpSourceSchema.safeParse({ kind: 'http', markets: { 'BTC-USD': m } }).success;
    expect(bad({ url: 'ftp://example.com/p', path: 'a' })).toBe(false);
    expect(bad({ url: 'not a url', path: 'a' })).toBe(false);
    expect(bad({ url: 'http://x/p', path: 'a..b' })).toBe(false);
    expect(bad({ url: 'http://x/p', path: '' })).toBe(false);
  });
});
