/**
 * Matching throughput of the perps order book against the npm package `hft-limit-order-book`
 * (7.0.2), on ONE recorded order stream replayed through both in the same run.
 *
 * The stream (seeded, ~200k operations): limit orders around a drifting mid (most resting a
 * few ticks away, some crossing it), a few post-only and IOC orders, market orders with a worst
 * price, and cancels of recently placed ids (some already filled: both books answer "not
 * found"). Each book is built fresh per replay; one warm-up replay each, then 5 timed replays
 * each, interleaved; the figure is the median.
 *
 * Semantic differences (the work stays comparable; the note reports both books' final state):
 * - A market order with a worst price is given to the peer as an IOC limit order at that price
 *   (its own `market()` has no price protection).
 * - Ours applies self-trade prevention (cancel maker), client-id and per-owner limits and
 *   builds change lists for persistence; the peer has no owners. With 5,000 owners a self
 *   trade is rare, so both books end nearly alike.
 * - The peer stamps orders with `Date.now()` and keeps per-level volumes; ours does not.
 */
import {
  type LimitOrderOptions,
  OrderBook as PeerBook,
  Side as PeerSide,
} from 'hft-limit-order-book';
import { OrderBook } from '../src/core/modules/perps/book/book.ts';
import type { Order, OrderType, Side, TimeInForce } from '../src/core/modules/perps/book/types.ts';
import type { BenchResult } from './run.ts';

const OPS = 200_000;
const OWNERS = 5_000;
const RUNS = 5;
const LIMITS = {
  maxPriceTicks: 10_000_000,
  maxSizeQuantums: 1_000_000,
  maxOpenOrdersPerOwner: 1_000,
};

type Op = { kind: 'place'; order: Order } | { kind: 'cancel'; owner: string; id: string };

/** mulberry32: a small seeded PRNG (the bench's stream only; never in core). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One allocation site, so every order of the stream has the same shape. */
function place(
  id: string,
  owner: string,
  seq: number,
  side: Side,
  priceTicks: number,
  sizeQuantums: number,
  type: OrderType,
  timeInForce: TimeInForce,
): Op {
  const order: Order = {
    id,
    owner,
    clientId: seq,
    side,
    priceTicks,
    sizeQuantums,
    type,
    timeInForce,
    reduceOnly: false,
    seq,
  };
  return { kind: 'place', order };
}

export function recordStream(n = OPS, seed = 42): Op[] {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const ops: Op[] = [];
  const recent: { owner: string; id: string }[] = [];
  let mid = 1_000_000;
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.3) mid += int(-2, 2);
    const r = rnd();
    if (r < 0.2 && recent.length > 0) {
      const k = recent.length - 1 - Math.floor(rnd() * Math.min(recent.length, 2_000));
      const target = recent[k]!;
      ops.push({ kind: 'cancel', owner: target.owner, id: target.id });
      continue;
    }
    const owner = `owner${int(0, OWNERS - 1)}`;
    const side = rnd() < 0.5 ? 'buy' : 'sell';
    const dir = side === 'buy' ? -1 : 1;
    const id = `${i}`;
    if (r < 0.25) {
      // Market order: IOC with a worst price 20 ticks through the mid.
      ops.push(place(id, owner, i, side, mid - dir * 20, int(1, 200), 'market', 'ioc'));
      continue;
    }
    // Limit: mostly passive (1–60 ticks away, skewed to the touch), 12 % crossing by 0–5.
    const offset = rnd() < 0.12 ? -int(0, 5) : 1 + Math.floor(rnd() * rnd() * 60);
    const t = rnd();
    const timeInForce = t < 0.05 ? 'post-only' : t < 0.1 ? 'ioc' : 'gtc';
    ops.push(place(id, owner, i, side, mid + dir * offset, int(1, 100), 'limit', timeInForce));
    if (timeInForce !== 'ioc') recent.push({ owner, id });
  }
  return ops;
}

/** The peer's `TimeInForce` enum is not exported; its values are these strings. */
type PeerTif = NonNullable<LimitOrderOptions['timeInForce']>;
const GTC = 'GTC' as PeerTif;
const IOC = 'IOC' as PeerTif;

interface PeerOp {
  cancel?: string;
  limit?: {
    id: string;
    side: PeerSide;
    size: number;
    price: number;
    timeInForce: PeerTif;
    postOnly: boolean;
  };
}

function toPeer(ops: readonly Op[]): PeerOp[] {
  return ops.map((op) =>
    op.kind === 'cancel'
      ? { cancel: op.id }
      : {
          limit: {
            id: op.order.id,
            side: op.order.side === 'buy' ? PeerSide.BUY : PeerSide.SELL,
            size: op.order.sizeQuantums,
            price: op.order.priceTicks,
            timeInForce: op.order.timeInForce === 'ioc' ? IOC : GTC,
            postOnly: op.order.timeInForce === 'post-only',
          },
        },
  );
}

interface Outcome {
  ms: number;
  fills: number;
  resting: number;
  restingVolume: number;
}

function runOurs(ops: readonly Op[]): Outcome {
  const ctx = { height: 1 };
  const t0 = performance.now();
  const book = new OrderBook(LIMITS);
  let fills = 0;
  for (const op of ops) {
    if (op.kind === 'place') {
      const r = book.place(op.order, ctx);
      if (r.ok) fills += r.fills.length;
    } else book.cancel(op.owner, op.id);
  }
  const ms = performance.now() - t0;
  let restingVolume = 0;
  for (const s of ['buy', 'sell'] as const)
    for (const o of book.ordersOf(s)) restingVolume += o.sizeQuantums;
  return { ms, fills, resting: book.size, restingVolume };
}

function runPeer(ops: readonly PeerOp[]): Outcome {
  const t0 = performance.now();
  const book = new PeerBook();
  let fills = 0;
  for (const op of ops) {
    if (op.limit !== undefined) {
      const r = book.limit(op.limit);
      fills += r.done.length + (r.partial !== null ? 1 : 0);
    } else book.cancel(op.cancel!);
  }
  const ms = performance.now() - t0;
  const [asks, bids] = book.depth();
  let restingVolume = 0;
  for (const [, v] of [...asks, ...bids]) restingVolume += v;
  return { ms, fills, resting: -1, restingVolume };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

export async function run(): Promise<BenchResult[]> {
  const ops = recordStream();
  const peerOps = toPeer(ops);
  runOurs(ops);
  runPeer(peerOps);
  const ours: Outcome[] = [];
  const peer: Outcome[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(runOurs(ops));
    peer.push(runPeer(peerOps));
  }
  const oursRate = ops.length / (median(ours.map((o) => o.ms)) / 1000);
  const peerRate = ops.length / (median(peer.map((o) => o.ms)) / 1000);
  const ratio = oursRate / peerRate;
  const o = ours[0]!;
  const p = peer[0]!;
  return [
    {
      name: `matching: ours, ${ops.length} ops (median of ${RUNS})`,
      value: oursRate,
      unit: 'ops/s',
      note: `${o.resting} resting, volume ${o.restingVolume}`,
    },
    {
      name: 'matching: hft-limit-order-book 7.0.2, same stream',
      value: peerRate,
      unit: 'ops/s',
      note: `resting volume ${p.restingVolume}`,
    },
    {
      name: 'matching: ours / peer',
      value: ratio,
      unit: '×',
      target: '≥ 2× peer',
      pass: ratio >= 2,
    },
  ];
}
