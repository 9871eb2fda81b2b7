import type { AddressInfo } from 'node:net';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyError } from 'fastify';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { NodeApi } from '../api.ts';
import type { Metrics } from '../metrics.ts';
import { Dispatcher, type Reply } from './dispatch.ts';
import { httpStatusOf, isUnexpected, RpcCode, toRpcError } from './errors.ts';
import { SubscriptionHub } from './subscriptions.ts';

/**
 * The node's JSON-RPC 2.0 server (docs/rpc.md): `POST /` (one request or a batch),
 * `GET /websocket` (the same requests plus subscriptions), `GET /metrics`, `GET /health`.
 */

export interface RpcServerOptions {
  api: NodeApi;
  host: string;
  /** 0 picks a free port; the returned urls carry the real one. */
  port: number;
  metrics: Metrics;
  logger?: Logger;
  /** Largest request body or WebSocket message, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface RpcServer {
  /** `http://host:port` */
  url: string;
  /** `ws://host:port/websocket` */
  wsUrl: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Requests one WebSocket connection may have in flight (broadcast_tx_commit waits). */
export const MAX_IN_FLIGHT_PER_CONNECTION = 100;
/** A connection that lets this much pile up unread is too slow and gets closed. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export async function startRpcServer(opts: RpcServerOptions): Promise<RpcServer> {
  const { api, metrics, logger } = opts;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const dispatcher = new Dispatcher({ api, metrics, logger });
  const hub = new SubscriptionHub(api.events, logger, undefined, (path, args, height) =>
    api.query(path, args, height),
  );

  const app = Fastify({ logger: false, bodyLimit: maxBodyBytes, return503OnClosing: true });

  // Bodies are read as text whatever their content type: the JSON-RPC layer parses them,
  // so that malformed JSON is a -32700 response rather than an HTTP 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: maxBodyBytes },
    (_req, body, done) => done(null, body),
  );

  // Errors of the HTTP layer (body too large, bad content type) as JSON-RPC errors.
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = httpStatusOf(err);
    if (isUnexpected(err)) logger?.error({ err, url: req.url }, 'rpc: request failed');
    const body = dispatcher.refuseWith(toRpcError(err));
    void reply.status(status).type('application/json').send(JSON.stringify(body));
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: maxBodyBytes } });

  const sendReply = (r: Reply, send: (text: string) => void): void => {
    if (r.response !== undefined) send(JSON.stringify(r.response));
    for (const fn of r.after) fn();
  };

  app.post('/', async (req, reply) => {
    const text = typeof req.body === 'string' ? req.body : '';
    const r = await dispatcher.handleText(text, 'http');
    for (const fn of r.after) fn();
    if (r.response === undefined) return reply.status(204).send();
    return reply.type('application/json').send(JSON.stringify(r.response));
  });

  app.get('/health', async (_req, reply) => reply.type('application/json').send('{"ok":true}'));

  app.get('/metrics', async (_req, reply) => {
    const text = await metrics.text();
    return reply.type(metrics.contentType).send(text);
  });

  app.get('/websocket', { websocket: true }, (socket: WebSocket) => {
    const send = (text: string): void => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(1013, 'client too slow: too many unread messages');
        return;
      }
      socket.send(text);
    };
    const session = hub.session(send);
    let inFlight = 0;
    socket.on('message', (data: RawData) => {
      if (inFlight >= MAX_IN_FLIGHT_PER_CONNECTION) {
        const refused = dispatcher.refuse(
          RpcCode.InvalidRequest,
          `invalid request: more than ${MAX_IN_FLIGHT_PER_CONNECTION} requests in flight on this connection`,
        );
        send(JSON.stringify(refused));
        return;
      }
      inFlight++;
      dispatcher
        .handleText(rawText(data), 'ws', session)
        .then((r) => sendReply(r, send))
        .catch((err: unknown) => {
          logger?.error({ err }, 'rpc: websocket request failed');
          send(JSON.stringify(dispatcher.refuseWith(toRpcError(err))));
        })
        .finally(() => {
          inFlight--;
        });
    });
    socket.on('close', () => session.close());
    socket.on('error', (err) => logger?.debug({ err }, 'rpc: websocket error'));
  });

  try {
    await app.listen({ host: opts.host, port: opts.port });
  } catch (e) {
    await app.close();
    throw e;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  const wsUrl = `ws://${host}:${address.port}/websocket`;
  logger?.info({ url, wsUrl }, 'rpc: listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    wsUrl,
    close: () => {
      closing ??= (async () => {
        hub.close();
        await app.close();
      })();
      return closing;
    },
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
