import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { FileSourceConfig } from './config.ts';
import { parseDecimal18 } from './decimal.ts';
import type { Observations, PriceSource } from './types.ts';

/** A malformed price file: names the file, the 1-based line (0: the whole file) and the field. */
export class PriceFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: 'timestamp' | 'price' | 'row' | 'file',
    detail: string,
  ) {
    const where = line > 0 ? `${file}:${line}` : file;
    super(`${where}: ${field === 'row' || field === 'file' ? '' : `${field}: `}${detail}`);
    this.name = 'PriceFileError';
  }
}

/** A market's price series: timestamps (unix ms, non-decreasing) and 18-decimal prices. */
export interface PriceSeries {
  readonly times: readonly number[];
  readonly prices: readonly bigint[];
}

const UNIX_MS = /^\d{1,16}$/;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Unix ms (`1718000000000`) or ISO 8601 (`2024-06-10T06:13:20Z`; no offset means UTC). */
export function parseTimestamp(text: string): number | undefined {
  if (UNIX_MS.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const m = ISO.exec(text);
  if (m === null) return undefined;
  // A date-time without an offset is read as UTC (JavaScript would read it as local time).
  const hasTime = text.length > 10;
  const iso = hasTime && m[1] === undefined ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Parse a `timestamp,price` CSV. Blank lines and lines starting with `#` are skipped; the first
 * remaining line may be a header (`timestamp,price`). Prices are exact decimals (`60123.45`,
 * `1.5e-3`), positive. Timestamps must not go backwards.
 */
export function parsePriceCsv(text: string, file: string): PriceSeries {
  const times: number[] = [];
  const prices: bigint[] = [];
  const lines = text.split(/\r?\n/);
  let first = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    const lineNo = i + 1;
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
    if (first) {
      first = false;
      if (
        fields.length === 2 &&
        /^[A-Za-z_ ]+$/.test(fields[0] ?? '') &&
        /^[A-Za-z_ ]+$/.test(fields[1] ?? '')
      ) {
        continue; // header
      }
    }
    if (fields.length !== 2) {
      throw new PriceFileError(
        file,
        lineNo,
        'row',
        `expected 2 fields (timestamp,price), found ${fields.length}`,
      );
    }
    const [ts, px] = fields as [string, string];
    const t = parseTimestamp(ts);
    if (t === undefined) {
      throw new PriceFileError(
        file,
        lineNo,
        'timestamp',
        `not unix milliseconds or an ISO 8601 date: ${JSON.stringify(ts)}`,
      );
    }
    const p = parseDecimal18(px);
    if (p === undefined) {
      throw new PriceFileError(
        file,
        lineNo,
        'price',
        `not a decimal number: ${JSON.stringify(px)}`,
      );
    }
    if (p <= 0n) {
      throw new PriceFileError(
        file,
        lineNo,
        'price',
        `must be positive (at 18 decimals): ${JSON.stringify(px)}`,
      );
    }
    const prev = times[times.length - 1];
    if (prev !== undefined && t < prev) {
      throw new PriceFileError(
        file,
        lineNo,
        'timestamp',
        `goes backwards (${new Date(t).toISOString()} after ${new Date(prev).toISOString()})`,
      );
    }
    times.push(t);
    prices.push(p);
  }
  if (times.length === 0) throw new PriceFileError(file, lines.length, 'file', 'no price rows');
  return { times, prices };
}

/** The price of the last row with timestamp ≤ t; before the first row, the first price. */
export function priceAt(series: PriceSeries, t: number): bigint {
  const { times, prices } = series;
  // upper bound: first index with times[i] > t
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] ?? 0) <= t) lo = mid + 1;
    else hi = mid;
  }
  return prices[Math.max(0, lo - 1)] ?? 0n;
}

/** The `file` source: replays per-market CSV series against the block time. */
export class FileSource implements PriceSource {
  constructor(
    readonly series: ReadonlyMap<string, PriceSeries>,
    readonly offsetMs = 0,
  ) {}

  observe(_height: number, timeMs: number): Observations {
    const out: Record<string, bigint> = {};
    for (const [market, s] of this.series) out[market] = priceAt(s, timeMs + this.offsetMs);
    return out;
  }
}

/** Reads and parses every market's file (relative paths against `baseDir`); throws on errors. */
export async function loadFileSource(
  config: FileSourceConfig,
  baseDir: string = process.cwd(),
): Promise<FileSource> {
  const series = new Map<string, PriceSeries>();
  for (const [market, path] of Object.entries(config.markets)) {
    const file = isAbsolute(path) ? path : resolve(baseDir, path);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new PriceFileError(
        file,
        0,
        'file',
        `cannot read the price file of ${market}: ${(e as Error).message}`,
      );
    }
    series.set(market, parsePriceCsv(text, file));
  }
  return new FileSource(series, config.offsetMs);
}
