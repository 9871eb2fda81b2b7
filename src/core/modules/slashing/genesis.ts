import { z } from 'zod';
import type { Context } from '../../app/module.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../../errors.ts';
import type { ReadStore } from '../../store/store.ts';
import type { SlashingKeeper } from './keeper.ts';
import {
  ALL_CORRELATION_PREFIX,
  ALL_MISSED_PREFIX,
  ALL_POWER_PREFIX,
  correlationKey,
  heightAfter,
  missedChunkKey,
  powerKey,
  SIGNING_INFO_PREFIX,
  TIME_PREFIX,
  timeKey,
} from './keys.ts';
import {
  DEFAULT_SLASHING_PARAMS,
  paramsToJson,
  slashingParams,
  slashingParamsSchema,
} from './params.ts';

const cons = z
  .string()
  .regex(/^[0-9a-f]{40}$/, 'must be 40 lowercase hex characters (a consensus address)');
const height = z.number().int().min(0);
const bigintString = z
  .string()
  .regex(/^-?[0-9]{1,39}$/, 'must be a decimal integer string')
  .transform((s) => BigInt(s));

const signingInfoSchema = z.strictObject({
  consAddress: cons,
  startHeight: height,
  indexOffset: z.number().int().min(0),
  missedBlocksCounter: z.number().int().min(0),
  jailedUntilMs: z.number().int().min(0),
  tombstoned: z.boolean(),
  window: z.number().int().min(1),
  lastHeight: height,
  power: bigintString,
});

export const slashingGenesisSchema = z.strictObject({
  params: slashingParamsSchema.default(DEFAULT_SLASHING_PARAMS),
  signingInfos: z.array(signingInfoSchema).default([]),
  /** Missed-block bitmap chunks: bits as a decimal string of the 64-bit mask. */
  missedBlocks: z
    .array(
      z.strictObject({ consAddress: cons, chunk: z.number().int().min(0), bits: bigintString }),
    )
    .default([]),
  powerRecords: z
    .array(
      z.strictObject({ consAddress: cons, height, power: bigintString, timeMs: z.number().int() }),
    )
    .default([]),
  timeCheckpoints: z.array(z.strictObject({ height, timeMs: z.number().int() })).default([]),
  correlation: z
    .array(
      z.strictObject({
        kind: z.enum(['downtime', 'double-sign', 'oracle']),
        height,
        consAddress: cons,
        power: bigintString,
      }),
    )
    .default([]),
});

export type SlashingGenesis = z.output<typeof slashingGenesisSchema>;

export function initSlashingGenesis(
  ctx: Context,
  keeper: SlashingKeeper,
  g: SlashingGenesis,
): void {
  const params = slashingParams.set(ctx.store, g.params);
  // Evidence must expire before the stake it could reach has finished unbonding. Staking
  // runs its genesis first; if it has none yet there is nothing to compare against.
  let unbondingTimeMs: number | undefined;
  try {
    unbondingTimeMs = keeper.staking.params(ctx.store).unbondingTimeMs;
  } catch {
    unbondingTimeMs = undefined;
  }
  if (unbondingTimeMs !== undefined && params.maxAgeDurationMs >= unbondingTimeMs) {
    throw new ChainError(
      ErrorCode.InvalidGenesis,
      `invalid genesis app.slashing: maxAgeDurationMs must be below staking's unbondingTimeMs ${unbondingTimeMs}, got ${params.maxAgeDurationMs}`,
    );
  }
  for (const info of g.signingInfos) keeper.setSigningInfo(ctx.store, info);
  for (const m of g.missedBlocks) ctx.store.set(missedChunkKey(m.consAddress, m.chunk), m.bits);
  for (const r of g.powerRecords) {
    ctx.store.set(powerKey(r.consAddress, r.height), { power: r.power, timeMs: r.timeMs });
  }
  for (const t of g.timeCheckpoints) ctx.store.set(timeKey(t.height), t.timeMs);
  for (const c of g.correlation) {
    ctx.store.set(correlationKey(c.kind, c.height, c.consAddress), c.power);
  }
}

export function exportSlashingGenesis(store: ReadStore, keeper: SlashingKeeper): Value {
  const missedBlocks: Value[] = [];
  for (const [key, bits] of store.iterate(ALL_MISSED_PREFIX)) {
    const consAddress = key.slice(ALL_MISSED_PREFIX.length, ALL_MISSED_PREFIX.length + 40);
    const chunk = heightAfter(key, `${ALL_MISSED_PREFIX}${consAddress}/`);
    missedBlocks.push({ consAddress, chunk, bits: String(bits) });
  }
  const powerRecords: Value[] = [];
  for (const [key, v] of store.iterate(ALL_POWER_PREFIX)) {
    const consAddress = key.slice(ALL_POWER_PREFIX.length, ALL_POWER_PREFIX.length + 40);
    const r = v as { power: bigint; timeMs: number };
    powerRecords.push({
      consAddress,
      height: heightAfter(key, `${ALL_POWER_PREFIX}${consAddress}/`),
      power: String(r.power),
      timeMs: r.timeMs,
    });
  }
  const timeCheckpoints: Value[] = [];
  for (const [key, t] of store.iterate(TIME_PREFIX)) {
    timeCheckpoints.push({ height: heightAfter(key, TIME_PREFIX), timeMs: t as number });
  }
  const correlation: Value[] = [];
  for (const [key, p] of store.iterate(ALL_CORRELATION_PREFIX)) {
    const [kind, h, consAddress] = key.slice(ALL_CORRELATION_PREFIX.length).split('/') as [
      string,
      string,
      string,
    ];
    correlation.push({ kind, height: Number(h), consAddress, power: String(p) });
  }
  const signingInfos: Value[] = [];
  for (const [, v] of store.iterate(SIGNING_INFO_PREFIX)) {
    const info = v as unknown as { power: bigint };
    signingInfos.push({ ...(v as object), power: String(info.power) } as Value);
  }
  return {
    params: paramsToJson(keeper.params(store)),
    signingInfos,
    missedBlocks,
    powerRecords,
    timeCheckpoints,
    correlation,
  };
}
