import { decode, encode, type Value } from '../../encoding/canonical.ts';
import type { PriceReport } from './api.ts';
import type { MarketParams, OracleParams } from './params.ts';

/**
 * A validator's vote extension: its price report for every listed market at one height.
 *
 *   encode({ height, prices: { [market]: price | [price, confidence] } })
 *
 * Canonical encoding (sorted keys, no trailing bytes), prices as 18-decimal bigints. The
 * engine signs these bytes with the validator's consensus key over
 * `extensionSignBytes(chainId, height, 0, extension)`. A market the node could not observe is
 * left out (it counts as a miss for that market).
 */
export function encodeExtension(height: number, reports: readonly PriceReport[]): Uint8Array {
  const prices: Record<string, Value> = {};
  for (const r of reports) {
    prices[r.market] = r.confidence === undefined ? r.price : [r.price, r.confidence];
  }
  return encode({ height, prices });
}

/** A decoded, checked extension: market → report. */
export type ExtensionPrices = ReadonlyMap<string, { price: bigint; confidence?: bigint }>;

const isPlainMap = (v: unknown): v is { readonly [key: string]: Value } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/**
 * Decodes and checks an extension (verifyVoteExtension's rules): size, canonical form, height,
 * every market listed, 0 < minPrice ≤ price ≤ maxPrice, 0 ≤ confidence ≤ price. Returns the
 * reports, or the reason for a refusal.
 */
export function checkExtension(
  params: OracleParams,
  markets: ReadonlyMap<string, MarketParams>,
  height: number,
  bytes: Uint8Array,
): ExtensionPrices | string {
  if (bytes.length > params.maxExtensionBytes) {
    return `extension is ${bytes.length} bytes, expected at most ${params.maxExtensionBytes}`;
  }
  let v: Value;
  try {
    v = decode(bytes);
  } catch (e) {
    return `extension does not decode: ${(e as Error).message}`;
  }
  if (!isPlainMap(v) || Object.keys(v).length !== 2) {
    return 'extension must be a map {height, prices}';
  }
  if (v.height !== height) return `extension is for height ${String(v.height)}, expected ${height}`;
  const prices = v.prices;
  if (!isPlainMap(prices)) return 'extension prices must be a map';
  const out = new Map<string, { price: bigint; confidence?: bigint }>();
  for (const market of Object.keys(prices)) {
    const m = markets.get(market);
    if (m === undefined) return `market ${JSON.stringify(market)} is not listed`;
    const cell = prices[market];
    let price: unknown = cell;
    let confidence: unknown;
    if (Array.isArray(cell)) {
      if (cell.length !== 2) return `${market}: expected price or [price, confidence]`;
      [price, confidence] = cell;
    }
    if (typeof price !== 'bigint') return `${market}: price must be an integer (18 decimals)`;
    if (price <= 0n) return `${market}: price must be positive, got ${price}`;
    if (price < m.minPrice || price > m.maxPrice) {
      return `${market}: price ${price} outside [${m.minPrice}, ${m.maxPrice}]`;
    }
    if (confidence === undefined) {
      out.set(market, { price });
      continue;
    }
    if (typeof confidence !== 'bigint' || confidence < 0n || confidence > price) {
      return `${market}: confidence must be an integer in [0, price], got ${String(confidence)}`;
    }
    out.set(market, { price, confidence });
  }
  return out;
}

/**
 * PERF: the same extension is checked up to four times on a node (verifyVoteExtension,
 * prepareEntry or checkProposal, applyEntry), and decoding fifty 18-decimal prices costs
 * ≈ 0.1 ms. The result is a pure function of (params, height, bytes), so it is memoized per
 * params object (a governance change stores a new one, which starts a new table). A miss only
 * costs the check; a hit returns the same (read-only) value.
 */
const CACHE_LIMIT = 4_096;
const caches = new WeakMap<OracleParams, Map<string, ExtensionPrices | string>>();

export function checkExtensionCached(
  params: OracleParams,
  markets: ReadonlyMap<string, MarketParams>,
  height: number,
  bytes: Uint8Array,
): ExtensionPrices | string {
  if (bytes.length > params.maxExtensionBytes)
    return checkExtension(params, markets, height, bytes);
  let cache = caches.get(params);
  if (cache === undefined) {
    cache = new Map();
    caches.set(params, cache);
  }
  const key = `${height}:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')}`;
  let r = cache.get(key);
  if (r === undefined) {
    r = checkExtension(params, markets, height, bytes);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, r);
  }
  return r;
}
