import { toHex } from '../crypto/hash.ts';
import type { Value } from './canonical.ts';

/**
 * Chain values as JSON for RPC and the CLI: bigint → decimal string (JSON numbers lose
 * precision past 2^53), bytes → lowercase hex. Everything else maps as is.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function toJson(v: Value | undefined): Json {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'boolean':
    case 'number':
    case 'string':
      return v;
    default:
      break;
  }
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map((x: Value) => toJson(x));
  const out: { [key: string]: Json } = {};
  for (const [k, x] of Object.entries(v as Record<string, Value | undefined>)) {
    if (x !== undefined) out[k] = toJson(x);
  }
  return out;
}
