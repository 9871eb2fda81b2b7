/**
 * Orders as canonical values (src/core/encoding/canonical.ts), for the state store. An order
 * is a map of its fields; absent optional fields are absent keys. `orderFromValue` accepts
 * exactly that shape (the numeric bounds are checked again when the order enters a book).
 */
import type { Value } from '../../../encoding/canonical.ts';
import type { Order, OrderType, Side, TimeInForce } from './types.ts';

export function orderToValue(o: Order): Value {
  return {
    id: o.id,
    owner: o.owner,
    subaccount: o.subaccount,
    clientId: o.clientId,
    side: o.side,
    priceTicks: o.priceTicks,
    sizeQuantums: o.sizeQuantums,
    type: o.type,
    timeInForce: o.timeInForce,
    reduceOnly: o.reduceOnly,
    goodTilBlock: o.goodTilBlock,
    seq: o.seq,
  };
}

const KEYS = new Set([
  'id',
  'owner',
  'subaccount',
  'clientId',
  'side',
  'priceTicks',
  'sizeQuantums',
  'type',
  'timeInForce',
  'reduceOnly',
  'goodTilBlock',
  'seq',
]);

function fail(message: string): never {
  throw new TypeError(`order value: ${message}`);
}

function isRecord(v: Value | undefined): v is { readonly [key: string]: Value | undefined } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function str(r: { readonly [key: string]: Value | undefined }, k: string): string {
  const v = r[k];
  if (typeof v !== 'string') fail(`expected ${k}: string, got ${typeof v}`);
  return v;
}

function int(r: { readonly [key: string]: Value | undefined }, k: string): number {
  const v = r[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    fail(`expected ${k}: safe integer, got ${String(v)}`);
  }
  return v;
}

function oneOf<T extends string>(v: string, k: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) fail(`expected ${k} in ${allowed}, got ${v}`);
  return v as T;
}

export function orderFromValue(v: Value | undefined): Order {
  if (!isRecord(v)) fail('expected a map');
  for (const k of Object.keys(v)) if (!KEYS.has(k)) fail(`unexpected key ${k}`);
  const reduceOnly = v.reduceOnly;
  if (typeof reduceOnly !== 'boolean') fail('expected reduceOnly: boolean');
  const order: { -readonly [K in keyof Order]: Order[K] } = {
    id: str(v, 'id'),
    owner: str(v, 'owner'),
    clientId: int(v, 'clientId'),
    side: oneOf<Side>(str(v, 'side'), 'side', ['buy', 'sell']),
    priceTicks: int(v, 'priceTicks'),
    sizeQuantums: int(v, 'sizeQuantums'),
    type: oneOf<OrderType>(str(v, 'type'), 'type', ['limit', 'market']),
    timeInForce: oneOf<TimeInForce>(str(v, 'timeInForce'), 'timeInForce', [
      'gtc',
      'ioc',
      'post-only',
    ]),
    reduceOnly,
    seq: int(v, 'seq'),
  };
  if (v.subaccount !== undefined) order.subaccount = str(v, 'subaccount');
  if (v.goodTilBlock !== undefined) order.goodTilBlock = int(v, 'goodTilBlock');
  return order;
}
