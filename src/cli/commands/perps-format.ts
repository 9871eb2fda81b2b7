import { type Cell, decimal18, table } from '../format.ts';

/**
 * Text tables for the perps queries (`--output json` prints the node's answer instead).
 * Prices and sizes come as 18-decimal fixed point, amounts as uusd base units.
 */

type Json = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** A signed 18-decimal string as a decimal (`-1500000000000000000` → `-1.5`). */
export function signed18(value: unknown): string {
  const s = str(value);
  return s.startsWith('-') ? `-${decimal18(s.slice(1))}` : decimal18(s);
}

/** uusd base units as USD with two decimals, rounded toward zero (`-42516880` → `-42.51`). */
export function usd(value: unknown): string {
  const s = str(value);
  if (!/^-?[0-9]+$/.test(s)) return s;
  const n = BigInt(s);
  const abs = n < 0n ? -n : n;
  const cents = (abs / 10_000n).toString().padStart(3, '0');
  const whole = BigInt(cents.slice(0, -2)).toLocaleString('en-US');
  return `${n < 0n && abs >= 10_000n ? '-' : ''}${whole}.${cents.slice(-2)}`;
}

const percent = (fraction: unknown): string => {
  const s = str(fraction);
  return /^[0-9.]+$/.test(s) ? `${(Number(s) * 100).toFixed(2).replace(/\.?0+$/, '')}%` : s;
};

export function marketsTable(markets: Json[]): string {
  if (markets.length === 0) return 'no markets listed';
  return table(
    [
      'market',
      'vault',
      'mark',
      'imf',
      'mmf',
      'open interest (usd)',
      'maker/taker fee',
      'pool (usd)',
    ],
    markets.map((m): Cell[] => [
      str(m.id),
      str(m.vault),
      m.mark === null || m.mark === undefined ? '—' : signed18(m.mark),
      percent(m.imf),
      percent(m.mmf),
      usd(m.openInterest),
      `${percent(m.makerFeeRate)} / ${percent(m.takerFeeRate)}`,
      usd(m.poolBalance),
    ]),
  );
}

interface Level {
  priceTicks: number;
  sizeQuantums: string | number;
  orders: number;
}

/** Asks from the highest down to the best, then bids from the best down: the spread in the middle. */
export function bookTable(book: { bids: Level[]; asks: Level[] }): string {
  if (book.bids.length === 0 && book.asks.length === 0) return 'the book is empty';
  const row = (side: string) => (l: Level) => [side, l.priceTicks, str(l.sizeQuantums), l.orders];
  return table(
    ['side', 'price (ticks)', 'size (quantums)', 'orders'],
    [...[...book.asks].reverse().map(row('ask')), ...book.bids.map(row('bid'))],
  );
}

export function positionsTable(positions: Json[]): string {
  if (positions.length === 0) return 'no open positions';
  return table(
    ['market', 'size', 'entry price', 'mark', 'unrealized pnl (usd)'],
    positions.map((p): Cell[] => [
      str(p.market),
      signed18(p.size),
      signed18(p.entryPrice),
      p.mark === null || p.mark === undefined ? '—' : signed18(p.mark),
      usd(p.unrealizedPnl),
    ]),
  );
}

export function ordersTable(orders: Json[]): string {
  if (orders.length === 0) return 'no open orders';
  return table(
    ['market', 'id', 'client id', 'side', 'price (ticks)', 'size (quantums)', 'tif', 'reduce-only'],
    orders.map((o): Cell[] => [
      str(o.market),
      str(o.id),
      str(o.clientId),
      str(o.side),
      str(o.priceTicks),
      str(o.sizeQuantums),
      str(o.timeInForce),
      o.reduceOnly === true ? 'yes' : 'no',
    ]),
  );
}
