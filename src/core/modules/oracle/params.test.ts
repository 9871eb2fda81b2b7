import { describe, expect, it } from 'vitest';
import { ONE } from '../../math/index.ts';
import {
  DEVNET_ORACLE_PARAMS,
  MAINNET_ORACLE_PARAMS,
  oracleParamsSchema,
  paramsToJson,
} from './params.ts';

const parse = (over: Record<string, unknown>) =>
  oracleParamsSchema.safeParse({ ...paramsToJson(DEVNET_ORACLE_PARAMS), ...over });

describe('oracle params', () => {
  it('presets are within bounds and survive JSON', () => {
    for (const p of [DEVNET_ORACLE_PARAMS, MAINNET_ORACLE_PARAMS]) {
      const r = oracleParamsSchema.safeParse(JSON.parse(JSON.stringify(paramsToJson(p))));
      expect(r.success).toBe(true);
      expect(r.data).toEqual(p);
    }
    expect(DEVNET_ORACLE_PARAMS.markets.map((m) => m.id)).toEqual([
      'BWK-USD',
      'BTC-USD',
      'ETH-USD',
    ]);
  });

  it('refuses values out of bounds', () => {
    expect(parse({ maxMissesPerWindow: 20, oracleWindow: 20 }).success).toBe(false);
    expect(parse({ slashFractionOracle: '0.6' }).success).toBe(false);
    expect(parse({ ewmaLambda: '1' }).success).toBe(false);
    expect(parse({ minBand: '0' }).success).toBe(false);
    expect(parse({ maxStaleBlocks: 0 }).success).toBe(false);
    const m = { id: 'BTC-USD', minPrice: '10', maxPrice: '10' };
    expect(parse({ markets: [m] }).success).toBe(false);
    expect(
      parse({
        markets: [
          { ...m, maxPrice: '11' },
          { ...m, maxPrice: '11' },
        ],
      }).success,
    ).toBe(false);
    expect(parse({ markets: [{ ...m, id: 'btc-usd', maxPrice: '11' }] }).success).toBe(false);
    expect(parse({ markets: [{ ...m, minPrice: '0', maxPrice: '11' }] }).success).toBe(false);
    expect(parse({ markets: [{ ...m, maxPrice: 11n * ONE }] }).success).toBe(true);
  });
});
