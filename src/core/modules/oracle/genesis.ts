import { z } from 'zod';
import type { Context } from '../../app/module.ts';
import type { Value } from '../../encoding/canonical.ts';
import { toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import { ensureOracle, OracleError } from './errors.ts';
import type { MarketState, MissRecord, OracleKeeper } from './keeper.ts';
import { INITIAL_HEIGHT_KEY, marketKey, missKey } from './keys.ts';
import {
  decSchema,
  MAX_PRICE,
  marketIdSchema,
  oracleParams,
  oracleParamsSchema,
  paramsToJson,
} from './params.ts';

const height = z.number().int().min(0);
const count = z.number().int().min(0);

/** A market's published state (prices and variance as decimal strings). */
export const marketStateSchema = z.strictObject({
  market: marketIdSchema,
  price: decSchema(1n, MAX_PRICE),
  height,
  reportHeight: height,
  median: decSchema(1n, MAX_PRICE),
  variance: decSchema(0n, MAX_PRICE),
  windowStartHeight: height,
  windowRef: decSchema(1n, MAX_PRICE),
  breakerTrips: count,
  lastBreakerHeight: height,
});

export const missRecordSchema = z.strictObject({
  consAddress: z.string().regex(/^[0-9a-f]{40}$/),
  windowStart: height,
  misses: count,
  lastMissHeight: height,
  totalMisses: count,
  slashes: count,
});

export const oracleGenesisSchema = z.strictObject({
  params: oracleParamsSchema,
  markets: z.array(marketStateSchema).default([]),
  misses: z.array(missRecordSchema).default([]),
});

export type OracleGenesis = z.output<typeof oracleGenesisSchema>;
export type OracleGenesisInput = z.input<typeof oracleGenesisSchema>;

/**
 * Genesis: params, the markets' published state and the deviation records. The kept reports
 * are not part of it (they are for queries only). The chain's initial height is recorded:
 * the oracle entry is due from initialHeight + 2.
 */
export function initOracleGenesis(ctx: Context, genesis: OracleGenesis): void {
  const params = oracleParams.set(ctx.store, genesis.params);
  ctx.store.set(INITIAL_HEIGHT_KEY, ctx.block.height + 1);
  const listed = new Set(params.markets.map((m) => m.id));
  for (const m of genesis.markets) {
    ensureOracle(
      listed.has(m.market),
      OracleError.InvalidGenesis,
      `invalid genesis: market record ${m.market} is not listed in params.markets`,
    );
    ctx.store.set(marketKey(m.market), m satisfies MarketState as unknown as Value);
  }
  for (const r of genesis.misses) {
    ctx.store.set(missKey(r.consAddress), r satisfies MissRecord as unknown as Value);
  }
}

export function marketStateJson(s: MarketState) {
  return {
    ...s,
    price: toDecimalString(s.price),
    median: toDecimalString(s.median),
    variance: toDecimalString(s.variance),
    windowRef: toDecimalString(s.windowRef),
  };
}

export function exportOracleGenesis(store: ReadStore, keeper: OracleKeeper): Value {
  return {
    params: paramsToJson(keeper.params(store)),
    markets: keeper.marketStates(store).map(marketStateJson),
    misses: keeper.missRecords(store) as unknown as Value,
  };
}
