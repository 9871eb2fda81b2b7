import type { Logger } from 'pino';
import type { Json } from '../../core/encoding/json.ts';
import type { NodeApi } from '../api.ts';
import type { Metrics } from '../metrics.ts';
import {
  formatIssues,
  isUnexpected,
  outcomeOf,
  RpcCode,
  RpcError,
  type RpcErrorObject,
  toRpcError,
} from './errors.ts';
import { methods as defaultMethods, type MethodDef, type Transport } from './methods.ts';
import type { SubscriptionSession } from './subscriptions.ts';

/** The JSON-RPC 2.0 envelope: parsing, request checks, batches, errors and metrics. */

export const MAX_BATCH = 20;

export type RpcId = string | number | null;

export type RpcResponse =
  | { jsonrpc: '2.0'; id: RpcId; result: Json }
  | { jsonrpc: '2.0'; id: RpcId; error: RpcErrorObject };

export interface Reply {
  /** What to send back; undefined when the message held only notifications. */
  response: RpcResponse | RpcResponse[] | undefined;
  /** To run once the response has been sent (subscriptions start then). */
  after: (() => void)[];
}

export interface DispatcherOptions {
  api: NodeApi;
  metrics: Metrics;
  logger?: Logger | undefined;
  methods?: ReadonlyMap<string, MethodDef>;
}

/** The method label of requests that name no known method (keeps label cardinality fixed). */
const UNKNOWN_METHOD = 'unknown';

export function errorResponse(id: RpcId, error: RpcErrorObject): RpcResponse {
  return { jsonrpc: '2.0', id, error };
}

type Outcome = { ok: true; value: Json } | { ok: false; error: unknown };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class Dispatcher {
  private readonly methods: ReadonlyMap<string, MethodDef>;
  private readonly known: string;

  constructor(private readonly opts: DispatcherOptions) {
    this.methods = opts.methods ?? defaultMethods;
    this.known = [...this.methods.keys()].join(', ');
  }

  /** One HTTP body or WebSocket message, as text. */
  async handleText(
    text: string,
    transport: Transport,
    session?: SubscriptionSession,
  ): Promise<Reply> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return {
        response: this.refuse(RpcCode.ParseError, `parse error: ${(e as Error).message}`),
        after: [],
      };
    }
    return this.handle(body, transport, session);
  }

  /** A parsed message: one request or a batch. */
  async handle(body: unknown, transport: Transport, session?: SubscriptionSession): Promise<Reply> {
    const after: (() => void)[] = [];
    if (!Array.isArray(body)) {
      return { response: await this.handleOne(body, transport, session, after), after };
    }
    if (body.length === 0) {
      return {
        response: this.refuse(RpcCode.InvalidRequest, 'invalid request: empty batch'),
        after,
      };
    }
    if (body.length > MAX_BATCH) {
      return {
        response: this.refuse(
          RpcCode.InvalidRequest,
          `invalid request: a batch of ${body.length} requests exceeds the limit of ${MAX_BATCH}`,
        ),
        after,
      };
    }
    const all = await Promise.all(
      body.map((req) => this.handleOne(req, transport, session, after)),
    );
    const responses = all.filter((r): r is RpcResponse => r !== undefined);
    return { response: responses.length > 0 ? responses : undefined, after };
  }

  /** An error for a whole message (no request id to answer to); counted under `unknown`. */
  refuse(code: number, message: string, id: RpcId = null): RpcResponse {
    return this.refuseWith({ code, message }, id);
  }

  refuseWith(error: RpcErrorObject, id: RpcId = null): RpcResponse {
    this.opts.metrics.rpcRequest(UNKNOWN_METHOD, outcomeOf(error.code));
    return errorResponse(id, error);
  }

  private async handleOne(
    req: unknown,
    transport: Transport,
    session: SubscriptionSession | undefined,
    after: (() => void)[],
  ): Promise<RpcResponse | undefined> {
    if (!isObject(req)) {
      return this.refuse(RpcCode.InvalidRequest, 'invalid request: not a JSON-RPC request object');
    }
    const { id } = req;
    if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number') {
      return this.refuse(
        RpcCode.InvalidRequest,
        'invalid request: id must be a string, a number or null',
      );
    }
    const replyId: RpcId = id ?? null;
    if (req.jsonrpc !== '2.0') {
      return this.refuse(RpcCode.InvalidRequest, 'invalid request: jsonrpc must be "2.0"', replyId);
    }
    if (typeof req.method !== 'string') {
      return this.refuse(
        RpcCode.InvalidRequest,
        'invalid request: method must be a string',
        replyId,
      );
    }
    const method = req.method;
    const def = this.methods.get(method);
    let label = method;
    let outcome: Outcome;
    if (def === undefined) {
      label = UNKNOWN_METHOD;
      outcome = {
        ok: false,
        error: new RpcError(
          RpcCode.MethodNotFound,
          `method ${JSON.stringify(method.slice(0, 64))} not found; methods: ${this.known}`,
        ),
      };
    } else if (def.wsOnly === true && transport !== 'ws') {
      outcome = {
        ok: false,
        error: new RpcError(
          RpcCode.MethodNotFound,
          `method ${method} is served over WebSocket only (GET /websocket)`,
        ),
      };
    } else {
      outcome = await this.call(def, req.params, { transport, session, after });
    }
    // A notification (no id) gets no response, whatever happened.
    if (!outcome.ok) {
      const error = this.mapError(label, outcome.error);
      this.opts.metrics.rpcRequest(label, outcomeOf(error.code));
      return id === undefined ? undefined : errorResponse(replyId, error);
    }
    this.opts.metrics.rpcRequest(label, 'ok');
    return id === undefined ? undefined : { jsonrpc: '2.0', id: replyId, result: outcome.value };
  }

  private async call(
    def: MethodDef,
    rawParams: unknown,
    ctx: { transport: Transport; session: SubscriptionSession | undefined; after: (() => void)[] },
  ): Promise<Outcome> {
    const given = rawParams ?? {};
    if (!isObject(given)) {
      return {
        ok: false,
        error: new RpcError(
          RpcCode.InvalidParams,
          'invalid params: params must be an object of named params',
        ),
      };
    }
    const parsed = def.params.safeParse(given);
    if (!parsed.success) {
      return {
        ok: false,
        error: new RpcError(RpcCode.InvalidParams, `invalid params: ${formatIssues(parsed.error)}`),
      };
    }
    try {
      const value = await def.handler(parsed.data, {
        api: this.opts.api,
        transport: ctx.transport,
        session: ctx.session,
        afterReply: (fn) => ctx.after.push(fn),
      });
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Maps an exception to its JSON-RPC error (in `toRpcError`) and logs unexpected ones. */
  private mapError(method: string, e: unknown): RpcErrorObject {
    if (isUnexpected(e)) this.opts.logger?.error({ err: e, method }, 'rpc: method failed');
    return toRpcError(e);
  }
}
