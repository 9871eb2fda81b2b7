import { z } from 'zod';
import { isAddress } from '../../core/crypto/address.ts';
import type { Json } from '../../core/encoding/json.ts';
import { ChainError } from '../../core/errors.ts';
import type { NodeApi } from '../api.ts';
import { RpcCode, RpcError } from './errors.ts';
import type { MethodDef } from './methods.ts';
import {
  type FillJson,
  type FundingJson,
  fillsOf,
  fundingOf,
  matchesFill,
} from './perps-events.ts';

/**
 * Perpetuals over RPC (docs/rpc.md): the parameters of the `fills` and `book` subscriptions,
 * and `perps_fills` / `perps_funding`, which read the perps events of stored blocks (fills
 * and funding settlements are events, not state).
 */

/** Blocks `perps_fills` reads at most per call; the caller pages with `toHeight`. */
export const MAX_FILL_SCAN_BLOCKS = 1_000;
export const MAX_FILLS = 1_000;
export const DEFAULT_FILLS = 100;
/** Book levels per side a subscription may ask for (the chain's maxBookLevels caps it too). */
export const MAX_BOOK_LEVELS = 100;
export const DEFAULT_BOOK_LEVELS = 20;
export const MAX_FUNDING_SETTLEMENTS = 100;

const height = z.number().int().min(1);
export const marketParam = z.string().min(1).max(64);
export const accountParam = z
  .string()
  .max(128)
  .refine((a) => isAddress(a), { message: 'must be a bwk1… account address' });

export const fillsSubscription = z.strictObject({
  event: z.literal('fills'),
  market: marketParam.optional(),
  account: accountParam.optional(),
});

export const bookSubscription = z.strictObject({
  event: z.literal('book'),
  market: marketParam,
  levels: z.number().int().min(1).max(MAX_BOOK_LEVELS).default(DEFAULT_BOOK_LEVELS),
});

/**
 * Throws the chain's error (-32000, code UnknownMarket) unless `market` is a listed perps
 * market, so that a subscription to a typo fails at once instead of never firing.
 */
export async function requireListedMarket(api: NodeApi, market: string): Promise<void> {
  const r = await api.query('perps/book', { market, levels: 1 });
  if (r.code !== 0) throw new ChainError(r.code, r.log);
}

function define<S extends z.ZodType>(def: MethodDef<S>): MethodDef {
  return def as unknown as MethodDef;
}

/** `[from, to]` within what the node keeps, or -32002. */
function heightRange(
  api: NodeApi,
  from: number | undefined,
  to: number | undefined,
): { from: number; to: number } {
  const { latestHeight, earliestQueryableHeight } = api.status();
  const top = to ?? latestHeight;
  if (top > latestHeight) {
    throw new RpcError(
      RpcCode.HeightUnavailable,
      `height ${top} is in the future: the latest height is ${latestHeight}`,
    );
  }
  if (top < earliestQueryableHeight) {
    throw new RpcError(
      RpcCode.HeightUnavailable,
      `height ${top} is pruned: the earliest available height is ${earliestQueryableHeight}`,
    );
  }
  if (from !== undefined && from > top) {
    throw new RpcError(
      RpcCode.InvalidParams,
      `invalid params: fromHeight ${from} is above toHeight ${top}`,
    );
  }
  const floor = Math.max(earliestQueryableHeight, top - MAX_FILL_SCAN_BLOCKS + 1, 1);
  return { from: Math.max(from ?? floor, floor), to: top };
}

export const perpsMethods = {
  perps_fills: define({
    summary: 'perps fills of recent blocks, by market and/or account (newest blocks first)',
    params: z.strictObject({
      market: marketParam.optional(),
      account: accountParam.optional(),
      fromHeight: height.optional(),
      toHeight: height.optional(),
      limit: z.number().int().min(1).max(MAX_FILLS).default(DEFAULT_FILLS),
    }),
    handler: async (p, { api }) => {
      if (p.market !== undefined) await requireListedMarket(api, p.market);
      const range = heightRange(api, p.fromHeight, p.toHeight);
      // Newest block first; a block's fills are never split, so paging by height loses none.
      const blocks: FillJson[][] = [];
      let count = 0;
      let lowest = range.to;
      for (let h = range.to; h >= range.from && count < p.limit; h--) {
        const results = await api.getBlockResults(h);
        if (results === undefined) break;
        lowest = h;
        const fills = fillsOf(results).filter((f) => matchesFill(p, f));
        if (fills.length === 0) continue;
        blocks.push(fills);
        count += fills.length;
      }
      const fills = blocks.reverse().flat();
      return { fromHeight: lowest, toHeight: range.to, fills } as unknown as Json;
    },
  }),

  perps_funding: define({
    summary: "a market's funding interval, next settlement height and latest settlements",
    params: z.strictObject({
      market: marketParam,
      limit: z.number().int().min(1).max(MAX_FUNDING_SETTLEMENTS).default(10),
    }),
    handler: async (p, { api }) => {
      const r = await api.query('perps/markets', {});
      if (r.code !== 0) throw new ChainError(r.code, r.log);
      const markets = (r.value ?? []) as unknown as { id: string; fundingIntervalBlocks: number }[];
      const spec = markets.find((m) => m.id === p.market);
      if (spec === undefined) await requireListedMarket(api, p.market); // throws UnknownMarket
      const interval = (spec as { fundingIntervalBlocks: number }).fundingIntervalBlocks;
      const { latestHeight, earliestQueryableHeight } = api.status();
      // Settlements happen only in the end of blocks at multiples of the interval.
      const settlements: FundingJson[] = [];
      let h = latestHeight - (latestHeight % interval);
      for (let i = 0; i < p.limit && h >= Math.max(earliestQueryableHeight, 1); i++) {
        const results = await api.getBlockResults(h);
        if (results === undefined) break;
        const s = fundingOf(results, p.market);
        if (s !== undefined) settlements.push(s);
        h -= interval;
      }
      return {
        market: p.market,
        height: latestHeight,
        fundingIntervalBlocks: interval,
        nextSettlementHeight: latestHeight - (latestHeight % interval) + interval,
        settlements,
      } as unknown as Json;
    },
  }),
} satisfies Record<string, MethodDef>;
