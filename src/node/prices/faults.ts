import { z } from 'zod';
import { MARKET_PATTERN } from './config.ts';
import { scaleByPercent } from './decimal.ts';
import type { Observations, PriceSource } from './types.ts';

const heightRange = z
  .strictObject({ from: z.number().int().min(1), to: z.number().int().min(1) })
  .refine((r) => r.from <= r.to, { message: 'from must be ≤ to' });

/**
 * The oracle fault fields of a validator's `faults` entry in the node config (merge into
 * `faultSchema` of `src/consensus/solo/faults.ts`):
 *   bias: its observations are multiplied by (1 + percent/100) for heights in [from, to]
 *         (only `markets`, when given);
 *   oracleSilent: for heights in these ranges it reports no prices (it still signs blocks).
 */
export const priceFaultShape = {
  bias: z
    .strictObject({
      percent: z.number().gt(-100).max(10_000),
      from: z.number().int().min(1),
      to: z.number().int().min(1),
      markets: z.array(z.string().regex(MARKET_PATTERN)).min(1).optional(),
    })
    .refine((b) => b.from <= b.to, { message: 'from must be ≤ to' })
    .optional(),
  oracleSilent: z.array(heightRange).default([]),
};

export const priceFaultSchema = z.strictObject(priceFaultShape);
export type PriceFaults = z.infer<typeof priceFaultSchema>;

/** What the wrapper reads of a validator's faults (any object with these optional fields). */
export interface PriceFaultsLike {
  readonly bias?:
    | {
        readonly percent: number;
        readonly from: number;
        readonly to: number;
        readonly markets?: readonly string[] | undefined;
      }
    | undefined;
  readonly oracleSilent?: readonly { readonly from: number; readonly to: number }[] | undefined;
  /** Other faults of the validator (offline, doubleSignAt…), ignored here. */
  readonly [other: string]: unknown;
}

export function isOracleSilent(faults: PriceFaultsLike | undefined, height: number): boolean {
  return (faults?.oracleSilent ?? []).some((r) => height >= r.from && height <= r.to);
}

/** Applies a validator's bias and silence to what its source observes. */
export function applyPriceFaults(
  faults: PriceFaultsLike | undefined,
  height: number,
  obs: Observations,
): Observations {
  if (isOracleSilent(faults, height)) return {};
  const bias = faults?.bias;
  if (bias === undefined || height < bias.from || height > bias.to || bias.percent === 0)
    return obs;
  const out: Record<string, bigint> = {};
  for (const [market, price] of Object.entries(obs)) {
    const hit = bias.markets === undefined || bias.markets.includes(market);
    out[market] = hit ? scaleByPercent(price, bias.percent) : price;
  }
  return out;
}

/** Wraps a source with a validator's oracle faults (the source is not asked while silent). */
export function withPriceFaults(
  source: PriceSource,
  faults: PriceFaultsLike | undefined,
): PriceSource {
  if (faults?.bias === undefined && (faults?.oracleSilent ?? []).length === 0) return source;
  const wrapped: PriceSource = {
    observe(height, timeMs) {
      if (isOracleSilent(faults, height)) return {};
      const obs = source.observe(height, timeMs);
      return obs instanceof Promise
        ? obs.then((o) => applyPriceFaults(faults, height, o))
        : applyPriceFaults(faults, height, obs);
    },
  };
  if (source.close !== undefined) wrapped.close = () => source.close?.() ?? Promise.resolve();
  return wrapped;
}
