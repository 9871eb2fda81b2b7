import { z } from 'zod';

/**
 * Units that scenario files write by hand, shared by the price, agent and adversary specs:
 * durations (`'30s'`, `'6h'`, `'1d'`), signed fractions (`'-44%'`, `'25bps'`, `0.02`) and
 * amounts in base units (`10000000000`, `'10_000_000_000'`).
 */

const DURATION_UNITS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3_600,
  d: 86_400,
  w: 604_800,
};

/** Seconds in a year for annualised rates: 365 days (a crypto market never closes). */
export const SECONDS_PER_YEAR = 365 * 86_400;

/** `'30s'`, `'1.5h'`, `'500ms'`, `'2w'` → seconds; a bare number is seconds. */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) {
      throw new RangeError(`expected a duration ≥ 0 in seconds, got ${text}`);
    }
    return text;
  }
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(text);
  if (m === null) {
    throw new RangeError(
      `expected a duration such as '30s', '15m', '6h', '1d' or '2w', got ${JSON.stringify(text)}`,
    );
  }
  return Number(m[1]) * (DURATION_UNITS[m[2]!] as number);
}

/** A signed fraction: `'-44%'` → -0.44, `'25bps'` → 0.0025, `0.02` → 0.02, `'0.02'` → 0.02. */
export function parseFraction(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw new RangeError(`expected a finite number, got ${text}`);
    return text;
  }
  const m = /^\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*(%|bps)?\s*$/.exec(text);
  if (m === null) {
    throw new RangeError(
      `expected a fraction such as '-44%', '25bps' or 0.02, got ${JSON.stringify(text)}`,
    );
  }
  const n = Number(m[1]);
  return m[2] === '%' ? n / 100 : m[2] === 'bps' ? n / 10_000 : n;
}

/** A zod schema over a parser that throws RangeError: the message becomes the issue. */
function parsed<T>(
  input: z.ZodType<string | number>,
  parse: (v: string | number) => T,
): z.ZodType<T> {
  return input.transform((v, ctx) => {
    try {
      return parse(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  }) as unknown as z.ZodType<T>;
}

/** A duration in seconds (see {@link parseDuration}). */
export const durationSchema = parsed(z.union([z.string(), z.number()]), parseDuration);

/** A signed fraction (see {@link parseFraction}). */
export const fractionSchema = parsed(z.union([z.string(), z.number()]), parseFraction);

/** A fraction within [lo, hi]. */
export function boundedFraction(lo: number, hi: number): z.ZodType<number> {
  return fractionSchema.refine((f) => f >= lo && f <= hi, {
    message: `expected a fraction in [${lo}, ${hi}]`,
  }) as unknown as z.ZodType<number>;
}

/** Base units as a bigint: a safe integer or a digit string (underscores allowed). */
export const amountSchema: z.ZodType<bigint> = parsed(z.union([z.string(), z.number()]), (v) => {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`expected an amount in base units (an integer ≥ 0), got ${v}`);
    }
    return BigInt(v);
  }
  if (!/^[0-9][0-9_]{0,45}$/.test(v)) {
    throw new RangeError(
      `expected an amount in base units such as '10_000_000_000', got ${JSON.stringify(v)}`,
    );
  }
  return BigInt(v.replaceAll('_', ''));
});

/** Genesis balances by denom, e.g. `{ uusd: '10_000_000_000', ubwk: 1000000 }`. */
export const fundsSchema = z.record(z.string().regex(/^[a-z][a-z0-9]{1,15}$/), amountSchema);
