import WebSocket from 'ws';
import { ConnectionError, RpcError } from './errors.ts';
import type { NotificationOf, SubscriptionQuery } from './types.ts';

export type SubscriberState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SubscriberOptions {
  /** First delay before a reconnect, doubled after each failed attempt (default 100 ms). */
  initialBackoffMs?: number;
  /** Largest delay between reconnect attempts (default 5000 ms). */
  maxBackoffMs?: number;
  /** How long a subscribe/unsubscribe may wait for the node's answer (default 10 s). */
  requestTimeoutMs?: number;
  /** Ping period; a connection that misses a pong is dropped and reopened (default 15 s, 0 = off). */
  pingIntervalMs?: number;
  /** Errors that belong to no call: a handler that threw, a re-subscribe the node refused. */
  onError?: (error: Error) => void;
  onStateChange?: (state: SubscriberState) => void;
}

/** Ends a subscription; calling it again does nothing. */
export type Unsubscribe = () => Promise<void>;

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface Sub {
  id: number;
  query: SubscriptionQuery;
  handler: (n: unknown) => void;
  /** The node's id for this subscription on the current connection. */
  serverId: string | undefined;
  /** Settled by the first confirmation (or refusal); undefined afterwards. */
  firstAck: Deferred<void> | undefined;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * Subscriptions over the node's WebSocket (`ws://host:port/websocket`). The connection opens
 * with the first subscription and closes after the last one ends. When it drops, the
 * subscriber reconnects with capped exponential backoff and subscribes again; notifications
 * sent while it was disconnected are lost (fetch them with `block(h)` if they matter).
 *
 * @example
 * const sub = new Subscriber('ws://127.0.0.1:26657/websocket');
 * const stop = await sub.subscribe({ event: 'new_block' }, (b) => console.log(b.height));
 * // …
 * await stop();
 * await sub.close();
 */
export class Subscriber {
  private ws: WebSocket | undefined;
  private current: SubscriberState = 'idle';
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private alive = true;
  private closed = false;
  private nextRequestId = 1;
  private nextSubId = 1;
  private readonly subs = new Map<number, Sub>();
  private readonly byServerId = new Map<string, Sub>();
  private readonly pending = new Map<number, Pending>();
  private readonly opts: Required<Omit<SubscriberOptions, 'onError' | 'onStateChange'>> &
    Pick<SubscriberOptions, 'onError' | 'onStateChange'>;

  constructor(
    readonly url: string,
    opts: SubscriberOptions = {},
  ) {
    this.opts = {
      initialBackoffMs: 100,
      maxBackoffMs: 5000,
      requestTimeoutMs: 10_000,
      pingIntervalMs: 15_000,
      ...opts,
    };
  }

  /** idle (no connection needed), connecting, open, reconnecting, or closed for good. */
  get state(): SubscriberState {
    return this.current;
  }

  /** How many subscriptions are active (confirmed or waiting to be re-sent). */
  get size(): number {
    return this.subs.size;
  }

  /**
   * Subscribes and resolves once the node confirms, with the function that ends the
   * subscription. Rejects with an RpcError if the node refuses the query, or with a
   * ConnectionError if no confirmation comes within `requestTimeoutMs`.
   *
   * @example
   * const stop = await sub.subscribe({ event: 'tx', filter: { sender: 'bwk1…' } }, (t) => {
   *   console.log(t.hash, t.result.code);
   * });
   */
  async subscribe<Q extends SubscriptionQuery>(
    query: Q,
    handler: (notification: NotificationOf<Q>) => void,
  ): Promise<Unsubscribe> {
    if (this.closed) throw new ConnectionError(this.url, 'the subscriber is closed');
    const sub: Sub = {
      id: this.nextSubId++,
      query,
      handler: handler as (n: unknown) => void,
      serverId: undefined,
      firstAck: deferred<void>(),
    };
    const ack = sub.firstAck as Deferred<void>;
    this.subs.set(sub.id, sub);
    if (this.ws?.readyState === WebSocket.OPEN) void this.sendSubscribe(sub);
    else this.ensureConnection();
    const timer = setTimeout(
      () =>
        ack.reject(
          new ConnectionError(
            this.url,
            `no subscription confirmed by ${this.url} within ${this.opts.requestTimeoutMs} ms`,
          ),
        ),
      this.opts.requestTimeoutMs,
    );
    try {
      await ack.promise;
    } catch (e) {
      this.subs.delete(sub.id);
      this.idleIfUnused();
      throw e;
    } finally {
      clearTimeout(timer);
      sub.firstAck = undefined;
    }
    let ended = false;
    return async () => {
      if (ended) return;
      ended = true;
      await this.remove(sub);
    };
  }

  /**
   * Ends every subscription and the connection; the subscriber cannot be used again.
   *
   * @example
   * await sub.close();
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const closedError = new ConnectionError(this.url, 'the subscriber is closed');
    for (const sub of this.subs.values()) sub.firstAck?.reject(closedError);
    this.subs.clear();
    this.byServerId.clear();
    await this.dropSocket(closedError);
    this.setState('closed');
  }

  // ---- connection ------------------------------------------------------------------------

  private ensureConnection(): void {
    if (this.closed || this.ws !== undefined || this.reconnectTimer !== undefined) return;
    this.connect();
  }

  private connect(): void {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.on('open', () => {
      if (ws !== this.ws) return;
      this.attempt = 0;
      this.setState('open');
      this.startPing(ws);
      for (const sub of this.subs.values()) void this.sendSubscribe(sub);
    });
    ws.on('message', (data) => {
      if (ws === this.ws) this.onMessage(String(data));
    });
    ws.on('pong', () => {
      this.alive = true;
    });
    // A 'close' always follows an 'error'; reconnecting happens there.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (ws !== this.ws) return;
      this.ws = undefined;
      this.stopPing();
      this.rejectPending(new ConnectionError(this.url, `the connection to ${this.url} closed`));
      for (const sub of this.subs.values()) sub.serverId = undefined;
      this.byServerId.clear();
      if (!this.closed && this.subs.size > 0) this.scheduleReconnect();
      else if (!this.closed) this.setState('idle');
    });
  }

  private scheduleReconnect(): void {
    const delay = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** this.attempt);
    this.attempt++;
    this.setState('reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed && this.subs.size > 0) this.connect();
      else if (!this.closed) this.setState('idle');
    }, delay);
  }

  private startPing(ws: WebSocket): void {
    if (this.opts.pingIntervalMs <= 0) return;
    this.alive = true;
    this.pingTimer = setInterval(() => {
      if (!this.alive) {
        ws.terminate();
        return;
      }
      this.alive = false;
      ws.ping();
    }, this.opts.pingIntervalMs);
  }

  private stopPing(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  /** Closes the socket (if any) without reconnecting, and fails what waits on it. */
  private async dropSocket(reason: Error): Promise<void> {
    const ws = this.ws;
    this.ws = undefined;
    this.stopPing();
    this.rejectPending(reason);
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => ws.terminate(), 1000);
      ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
    });
  }

  private idleIfUnused(): void {
    if (this.closed || this.subs.size > 0) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.attempt = 0;
    void this.dropSocket(new ConnectionError(this.url, 'no subscription left'));
    this.setState('idle');
  }

  private setState(state: SubscriberState): void {
    if (state === this.current) return;
    this.current = state;
    this.opts.onStateChange?.(state);
  }

  // ---- requests and notifications ---------------------------------------------------------

  private async sendSubscribe(sub: Sub): Promise<void> {
    try {
      const res = (await this.request('subscribe', sub.query)) as { subscription?: unknown };
      const serverId = String(res.subscription);
      if (!this.subs.has(sub.id)) {
        await this.request('unsubscribe', { subscription: serverId }).catch(() => undefined);
        return;
      }
      sub.serverId = serverId;
      this.byServerId.set(serverId, sub);
      sub.firstAck?.resolve();
    } catch (e) {
      if (e instanceof RpcError) {
        if (sub.firstAck !== undefined) sub.firstAck.reject(e);
        else
          this.report(
            new RpcError(
              e.code,
              `re-subscribing ${JSON.stringify(sub.query)}: ${e.message}`,
              e.data,
            ),
          );
      }
      // A ConnectionError means the socket went away: the subscription is sent again on reconnect.
    }
  }

  private async remove(sub: Sub): Promise<void> {
    this.subs.delete(sub.id);
    const serverId = sub.serverId;
    if (serverId !== undefined) {
      this.byServerId.delete(serverId);
      if (this.ws?.readyState === WebSocket.OPEN) {
        await this.request('unsubscribe', { subscription: serverId }).catch(() => undefined);
      }
    }
    this.idleIfUnused();
  }

  private request(method: string, params: object): Promise<unknown> {
    const ws = this.ws;
    if (ws === undefined || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new ConnectionError(this.url, `not connected to ${this.url}`));
    }
    const id = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new ConnectionError(
            this.url,
            `${method}: no answer within ${this.opts.requestTimeoutMs} ms`,
          ),
        );
        ws.terminate(); // a stuck connection: drop it, reconnect, re-subscribe
      }, this.opts.requestTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  private rejectPending(reason: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }

  private onMessage(text: string): void {
    let msg: {
      id?: unknown;
      method?: unknown;
      params?: { subscription?: unknown; result?: unknown };
      result?: unknown;
      error?: { code?: unknown; message?: unknown; data?: unknown } | null;
    };
    try {
      msg = JSON.parse(text);
    } catch {
      this.report(new ConnectionError(this.url, `${this.url} sent a message that is not JSON`));
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    if (msg.method === 'subscription') {
      const sub = this.byServerId.get(String(msg.params?.subscription));
      if (sub === undefined) return; // ended a moment ago
      try {
        sub.handler(msg.params?.result);
      } catch (e) {
        this.report(e instanceof Error ? e : new Error(String(e)));
      }
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (p === undefined) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error !== undefined && msg.error !== null) {
      const { code, message, data } = msg.error;
      p.reject(
        new RpcError(
          typeof code === 'number' ? code : -32603,
          typeof message === 'string' ? message : 'unknown error',
          data,
        ),
      );
    } else {
      p.resolve(msg.result);
    }
  }

  private report(e: Error): void {
    this.opts.onError?.(e);
  }
}
