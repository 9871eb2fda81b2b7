import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Event, QueryResponse, TxResult } from '../../core/app/types.ts';
import { type Json, toJson } from '../../core/encoding/json.ts';
import type { NewBlockEvent, NodeEvents } from '../api.ts';
import { newBlockJson, txNotificationJson } from './convert.ts';
import { RpcCode, RpcError } from './errors.ts';
import {
  bookMarketsChanged,
  type FillFilter,
  type FillJson,
  fillsOf,
  matchesFill,
} from './perps-events.ts';

/**
 * WebSocket subscriptions. One hub per server listens to the node's `block` event while at
 * least one subscription exists anywhere (so a node without subscribers carries no
 * listener), and fans each block out to the connections' sessions. Book snapshots need a
 * state query, so they go out after the block's other notifications, block after block.
 */

export type SubscriptionSpec =
  | { event: 'new_block' }
  | { event: 'tx'; filter: Readonly<Record<string, string>> }
  | { event: 'prices'; markets?: readonly string[] }
  | { event: 'fills'; market?: string; account?: string }
  | { event: 'book'; market: string; levels: number };

/** Reads state at a height (the node's `query`): how the hub takes book snapshots. */
export type StateQuery = (path: string, args: unknown, height?: number) => Promise<QueryResponse>;

export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;

/**
 * Whether a tx result matches a filter: every `key: value` of the filter is carried by some
 * event of the tx (not necessarily the same event). The tx's own hash always matches under
 * `hash`, in either case, so a client can wait for a tx even if it failed before emitting
 * events.
 */
export function matchesFilter(filter: Readonly<Record<string, string>>, r: TxResult): boolean {
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'hash' && value.toUpperCase() === r.hash.toUpperCase()) continue;
    if (
      !r.events.some((e: Event) => Object.hasOwn(e.attributes, key) && e.attributes[key] === value)
    ) {
      return false;
    }
  }
  return true;
}

/** The notifications' results for one block, serialized at most once whatever the fan-out. */
class BlockPayloads {
  private newBlockText: string | undefined;
  private readonly txTexts: (string | undefined)[] = [];
  private fillList: FillJson[] | undefined;

  constructor(readonly event: NewBlockEvent) {}

  get txResults(): TxResult[] {
    return this.event.results.txResults;
  }

  newBlock(): string {
    this.newBlockText ??= JSON.stringify(newBlockJson(this.event));
    return this.newBlockText;
  }

  /** The oracle prices published in this block (`oracle_price` events), by market. */
  prices(): { market: string; attributes: Record<string, string> }[] {
    const out: { market: string; attributes: Record<string, string> }[] = [];
    const all = [
      ...this.event.results.events,
      ...this.event.results.txResults.flatMap((r) => r.events),
    ];
    for (const e of all) {
      const market = e.attributes.market;
      if (e.type === 'oracle_price' && market !== undefined)
        out.push({ market, attributes: e.attributes });
    }
    return out;
  }

  /** The block's perps fills (successful txs, then the block's end). */
  fills(): FillJson[] {
    this.fillList ??= fillsOf(this.event.results);
    return this.fillList;
  }

  tx(index: number): string {
    let text = this.txTexts[index];
    if (text === undefined) {
      const r = this.event.results.txResults[index];
      if (r === undefined) throw new Error(`no tx result ${index}`);
      text = JSON.stringify(txNotificationJson(this.event.block.header.height, index, r));
      this.txTexts[index] = text;
    }
    return text;
  }
}

function notification(id: string, resultText: string): string {
  return `{"jsonrpc":"2.0","method":"subscription","params":{"subscription":${JSON.stringify(id)},"result":${resultText}}}`;
}

interface Subscription {
  spec: SubscriptionSpec;
  /** False until the client has received the subscription id. */
  active: boolean;
}

/** The subscriptions of one WebSocket connection. */
export class SubscriptionSession {
  private readonly subs = new Map<string, Subscription>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly hub: SubscriptionHub,
    private readonly send: (text: string) => void,
    private readonly limit: number,
  ) {}

  get size(): number {
    return this.subs.size;
  }

  /** Registers a subscription (inactive until `activate`); returns its id. */
  subscribe(spec: SubscriptionSpec): string {
    if (this.closed) throw new RpcError(RpcCode.InvalidRequest, 'the connection is closing');
    if (this.subs.size >= this.limit) {
      throw new RpcError(
        RpcCode.InvalidRequest,
        `too many subscriptions on this connection: the limit is ${this.limit}`,
      );
    }
    const id = String(this.nextId++);
    this.subs.set(id, { spec, active: false });
    this.hub.changed(this);
    return id;
  }

  activate(id: string): void {
    const s = this.subs.get(id);
    if (s !== undefined) s.active = true;
  }

  unsubscribe(id: string): boolean {
    const removed = this.subs.delete(id);
    if (removed) this.hub.changed(this);
    return removed;
  }

  /** Drops every subscription (the socket closed). */
  close(): void {
    this.closed = true;
    this.subs.clear();
    this.hub.changed(this);
  }

  /** @internal Sends this connection's notifications for one block. */
  deliver(block: BlockPayloads): void {
    for (const [id, s] of this.subs) {
      if (!s.active) continue;
      if (s.spec.event === 'new_block') {
        this.send(notification(id, block.newBlock()));
        continue;
      }
      if (s.spec.event === 'prices') {
        const wanted = s.spec.markets;
        const prices = block
          .prices()
          .filter((p) => wanted === undefined || wanted.includes(p.market));
        if (prices.length > 0) {
          const height = block.event.block.header.height;
          this.send(
            notification(id, JSON.stringify({ height, prices: prices.map((p) => p.attributes) })),
          );
        }
        continue;
      }
      if (s.spec.event === 'fills') {
        const filter: FillFilter = s.spec;
        const fills = block.fills().filter((f) => matchesFill(filter, f));
        if (fills.length > 0) {
          const height = block.event.block.header.height;
          this.send(notification(id, JSON.stringify({ height, fills })));
        }
        continue;
      }
      if (s.spec.event === 'book') continue; // sent by deliverBook
      const { filter } = s.spec;
      block.txResults.forEach((r, index) => {
        if (matchesFilter(filter, r)) this.send(notification(id, block.tx(index)));
      });
    }
  }

  /** @internal The largest depth wanted per market, over this session's active book subscriptions. */
  bookDepths(into: Map<string, number>): void {
    for (const s of this.subs.values()) {
      if (!s.active || s.spec.event !== 'book') continue;
      into.set(s.spec.market, Math.max(into.get(s.spec.market) ?? 0, s.spec.levels));
    }
  }

  /** @internal Sends a market's book after a block to this session's book subscriptions. */
  deliverBook(snapshot: BookSnapshot): void {
    for (const [id, s] of this.subs) {
      if (!s.active || s.spec.event !== 'book' || s.spec.market !== snapshot.market) continue;
      this.send(notification(id, snapshot.text(s.spec.levels)));
    }
  }
}

/** A market's book after one block, serialized once per depth whatever the fan-out. */
class BookSnapshot {
  private readonly texts = new Map<number, string>();

  constructor(
    readonly market: string,
    readonly height: number,
    private readonly bids: Json[],
    private readonly asks: Json[],
  ) {}

  text(levels: number): string {
    let t = this.texts.get(levels);
    if (t === undefined) {
      t = JSON.stringify({
        height: this.height,
        market: this.market,
        bids: this.bids.slice(0, levels),
        asks: this.asks.slice(0, levels),
      });
      this.texts.set(levels, t);
    }
    return t;
  }
}

export class SubscriptionHub {
  private readonly active = new Set<SubscriptionSession>();
  private listening = false;
  /** Book snapshots in flight: each block's wait for the previous one's, so they stay in order. */
  private books: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: EventEmitter<NodeEvents>,
    private readonly logger?: Logger,
    private readonly limit = MAX_SUBSCRIPTIONS_PER_CONNECTION,
    /** Without it, book subscriptions get no notifications. */
    private readonly query?: StateQuery,
  ) {}

  /** A session for a new connection; `send` writes one text frame. */
  session(send: (text: string) => void): SubscriptionSession {
    return new SubscriptionSession(this, send, this.limit);
  }

  /** Sessions holding at least one subscription. */
  get sessions(): number {
    return this.active.size;
  }

  /** @internal Called by a session whenever its subscriptions change. */
  changed(session: SubscriptionSession): void {
    if (session.size > 0) this.active.add(session);
    else this.active.delete(session);
    if (this.active.size > 0 && !this.listening) {
      this.events.on('block', this.onBlock);
      this.listening = true;
    } else if (this.active.size === 0 && this.listening) {
      this.events.off('block', this.onBlock);
      this.listening = false;
    }
  }

  close(): void {
    for (const s of [...this.active]) s.close();
  }

  /** Resolves once the book snapshots of the blocks seen so far are sent (for tests). */
  settled(): Promise<void> {
    return this.books;
  }

  /** Never throws into the emitter: the node emits from its commit path. */
  private readonly onBlock = (e: NewBlockEvent): void => {
    const payloads = new BlockPayloads(e);
    for (const session of [...this.active]) {
      try {
        session.deliver(payloads);
      } catch (err) {
        this.logger?.error({ err, height: e.block.header.height }, 'rpc: failed to notify');
      }
    }
    this.scheduleBooks(e);
  };

  /** Queues the snapshots of the subscribed markets whose book this block touched. */
  private scheduleBooks(e: NewBlockEvent): void {
    const query = this.query;
    if (query === undefined) return;
    const wanted = new Map<string, number>();
    for (const session of this.active) session.bookDepths(wanted);
    if (wanted.size === 0) return;
    const markets = bookMarketsChanged(e.results).filter((m) => wanted.has(m));
    if (markets.length === 0) return;
    const height = e.block.header.height;
    this.books = this.books.then(async () => {
      for (const market of markets) {
        try {
          const levels = wanted.get(market) as number;
          const r = await query('perps/book', { market, levels }, height);
          if (r.code !== 0) throw new Error(`perps/book ${market} at ${height}: ${r.log}`);
          const depth = toJson(r.value) as { bids: Json[]; asks: Json[] };
          const snapshot = new BookSnapshot(market, height, depth.bids, depth.asks);
          for (const session of [...this.active]) session.deliverBook(snapshot);
        } catch (err) {
          this.logger?.error({ err, height, market }, 'rpc: failed to send a book snapshot');
        }
      }
    });
  }
}
