import { z } from 'zod';
import { type Json, toJson } from '../../core/encoding/json.ts';
import { ChainError, ErrorCode } from '../../core/errors.ts';
import type { NodeApi } from '../api.ts';
import {
  blockResultsJson,
  checkTxJson,
  fromBase64,
  statusJson,
  storedBlockJson,
  txLookupJson,
  txResultJson,
} from './convert.ts';
import { RpcCode, RpcError } from './errors.ts';
import {
  bookSubscription,
  fillsSubscription,
  perpsMethods,
  requireListedMarket,
} from './perps-methods.ts';
import type { SubscriptionSession, SubscriptionSpec } from './subscriptions.ts';

/** The JSON-RPC methods of docs/rpc.md: each a params schema and a handler returning JSON. */

export type Transport = 'http' | 'ws';

export interface MethodContext {
  api: NodeApi;
  transport: Transport;
  /** The connection's subscriptions (WebSocket only). */
  session: SubscriptionSession | undefined;
  /** Runs `fn` once the response to this request has been sent (or dropped). */
  afterReply(fn: () => void): void;
}

export interface MethodDef<S extends z.ZodType = z.ZodType> {
  summary: string;
  params: S;
  /** Served on the WebSocket only (subscriptions). */
  wsOnly?: boolean;
  handler(params: z.output<S>, ctx: MethodContext): Json | Promise<Json>;
}

function define<S extends z.ZodType>(def: MethodDef<S>): MethodDef {
  return def as unknown as MethodDef;
}

export const BROADCAST_COMMIT_DEFAULT_TIMEOUT_MS = 10_000;
export const BROADCAST_COMMIT_MAX_TIMEOUT_MS = 60_000;
/** Filters are small: a handful of attribute equalities. */
const MAX_FILTER_KEYS = 16;

const none = z.strictObject({});
const height = z.number().int().min(1);
const atHeight = z.strictObject({ height: height.optional() });

/** Tx bytes as standard padded base64; anything else is an invalid param. */
const txBytes = z.string().transform((s, ctx) => {
  const bytes = fromBase64(s);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be standard base64 (RFC 4648, padded)' });
    return z.NEVER;
  }
  return bytes;
});

const filter = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .refine((f) => Object.keys(f).length <= MAX_FILTER_KEYS, {
    message: `at most ${MAX_FILTER_KEYS} attributes`,
  });

/** -32002 when `h` is past the node's latest height. */
function ensureNotFuture(api: NodeApi, h: number | undefined): void {
  if (h === undefined) return;
  const latest = api.status().latestHeight;
  if (h > latest) {
    throw new RpcError(
      RpcCode.HeightUnavailable,
      `height ${h} is in the future: the latest height is ${latest}`,
    );
  }
}

/** The error for a block (or its results) the node did not return. */
function missingAt(api: NodeApi, what: string, h: number | undefined): RpcError {
  if (h === undefined) return new RpcError(RpcCode.NotFound, `no ${what} yet`);
  const earliest = api.status().earliestQueryableHeight;
  if (h < earliest) {
    return new RpcError(
      RpcCode.HeightUnavailable,
      `height ${h} is pruned: the earliest available height is ${earliest}`,
    );
  }
  return new RpcError(RpcCode.NotFound, `no ${what} at height ${h}`);
}

function requireSession(ctx: MethodContext): SubscriptionSession {
  if (ctx.session === undefined) {
    throw new RpcError(RpcCode.MethodNotFound, 'subscriptions are served over WebSocket only');
  }
  return ctx.session;
}

const table = {
  status: define({
    summary: 'node and chain status',
    params: none,
    handler: (_p, { api }) => statusJson(api.status()),
  }),

  health: define({
    summary: 'liveness',
    params: none,
    handler: () => ({ ok: true }),
  }),

  block: define({
    summary: 'a block and the commit that finalized it',
    params: atHeight,
    handler: async (p, { api }) => {
      ensureNotFuture(api, p.height);
      const b = await api.getBlock(p.height);
      if (b === undefined) throw missingAt(api, 'block', p.height);
      return storedBlockJson(b);
    },
  }),

  block_results: define({
    summary: 'what executing a block produced',
    params: atHeight,
    handler: async (p, { api }) => {
      ensureNotFuture(api, p.height);
      const r = await api.getBlockResults(p.height);
      if (r === undefined) throw missingAt(api, 'block results', p.height);
      return blockResultsJson(r);
    },
  }),

  tx: define({
    summary: 'a committed tx by hash',
    params: z.strictObject({
      hash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a 32-byte hex hash'),
    }),
    handler: async (p, { api }) => {
      const hash = p.hash.toUpperCase();
      const t = await api.getTx(hash);
      if (t === undefined) throw new RpcError(RpcCode.NotFound, `no committed tx ${hash}`);
      return txLookupJson(t);
    },
  }),

  broadcast_tx_sync: define({
    summary: 'checkTx, then into the mempool',
    params: z.strictObject({ tx: txBytes }),
    handler: async (p, { api }) => checkTxJson(await api.broadcastTxSync(p.tx)),
  }),

  broadcast_tx_commit: define({
    summary: 'checkTx, then wait for the block',
    params: z.strictObject({
      tx: txBytes,
      timeoutMs: z
        .number()
        .int()
        .min(1)
        .max(BROADCAST_COMMIT_MAX_TIMEOUT_MS)
        .default(BROADCAST_COMMIT_DEFAULT_TIMEOUT_MS),
    }),
    handler: async (p, { api }) => {
      const r = await api.broadcastTxCommit(p.tx, p.timeoutMs);
      // A timeout is not an error: txResult and height stay null.
      return {
        checkTx: checkTxJson(r.checkTx),
        txResult: r.txResult === undefined ? null : txResultJson(r.txResult),
        height: r.height ?? null,
      };
    },
  }),

  query: define({
    summary: 'read state through a module query',
    params: z.strictObject({
      path: z.string().min(1).max(256),
      args: z.unknown().optional(),
      height: z.number().int().min(0).optional(),
    }),
    handler: async (p, { api }) => {
      ensureNotFuture(api, p.height);
      const r = await api.query(p.path, p.args, p.height);
      // A pruned height is an RPC error (-32002); other codes are results, as for checkTx.
      if (r.code === ErrorCode.PrunedHeight) throw new ChainError(r.code, r.log);
      return { code: r.code, log: r.log, height: r.height, value: toJson(r.value) };
    },
  }),

  subscribe: define({
    summary:
      'notifications of new blocks, matching tx results, oracle prices, perps fills or books (WebSocket)',
    wsOnly: true,
    params: z.discriminatedUnion('event', [
      z.strictObject({ event: z.literal('new_block') }),
      z.strictObject({ event: z.literal('tx'), filter: filter.optional() }),
      z.strictObject({
        event: z.literal('prices'),
        markets: z.array(z.string().min(1).max(64)).max(100).optional(),
      }),
      fillsSubscription,
      bookSubscription,
    ]),
    handler: async (p, ctx) => {
      const session = requireSession(ctx);
      let spec: SubscriptionSpec;
      if (p.event === 'tx') spec = { event: 'tx', filter: p.filter ?? {} };
      else if (p.event === 'prices')
        spec = { event: 'prices', ...(p.markets !== undefined ? { markets: p.markets } : {}) };
      else if (p.event === 'fills') {
        if (p.market !== undefined) await requireListedMarket(ctx.api, p.market);
        spec = {
          event: 'fills',
          ...(p.market !== undefined ? { market: p.market } : {}),
          ...(p.account !== undefined ? { account: p.account } : {}),
        };
      } else if (p.event === 'book') {
        await requireListedMarket(ctx.api, p.market);
        spec = { event: 'book', market: p.market, levels: p.levels };
      } else spec = { event: 'new_block' };
      const id = session.subscribe(spec);
      // Notifications start once the client has the id.
      ctx.afterReply(() => session.activate(id));
      return { subscription: id };
    },
  }),

  unsubscribe: define({
    summary: 'ends a subscription (WebSocket)',
    wsOnly: true,
    params: z.strictObject({ subscription: z.string().min(1).max(64) }),
    handler: (p, ctx) => {
      if (!requireSession(ctx).unsubscribe(p.subscription)) {
        throw new RpcError(RpcCode.NotFound, `no subscription ${JSON.stringify(p.subscription)}`);
      }
      return { ok: true };
    },
  }),
} satisfies Record<string, MethodDef>;

/** Method name → definition (a Map, so `toString` or `__proto__` are not methods). */
export const methods: ReadonlyMap<string, MethodDef> = new Map(
  Object.entries({ ...table, ...perpsMethods }),
);
