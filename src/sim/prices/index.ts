/**
 * Price processes of the simulator: the "true" price path of each asset, advanced once per
 * block by the engine, which honest validators then report to the oracle. A scenario file
 * names one per asset:
 *
 * ```yaml
 * prices:
 *   BTC-USD: { type: gbm, start: 50000, mu: 0, sigma: 0.8 }
 *   ETH-USD: { type: merton, start: 3000, mu: 0, sigma: 0.9, lambda: 6, jumpMean: -0.08, jumpStd: 0.05 }
 *   SOL-USD: { type: bootstrap, start: 150, file: data/sol-daily.csv, column: logret, interval: 1d }
 *   DOGE-USD:
 *     type: scripted
 *     start: 0.1
 *     segments:
 *       - { at: 6h, move: -44%, over: 6h }   # a crash over six hours, starting six hours in
 *       - { at: 1d, to: 0.1, over: 2d }      # the slow recovery
 * ```
 *
 * Every process is time-based: its distribution at a given time is the same for any block
 * time (`PriceStep.dtSeconds`), so a scenario can change its block time without changing
 * its market. `mu`, `sigma` and `lambda` are per year (365 days).
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { PriceProcess, SimRng } from '../types.ts';
import { bootstrapProcess, logReturns } from './bootstrap.ts';
import { CsvError, readCsvColumn } from './csv.ts';
import { gbmProcess, mertonProcess } from './gbm.ts';
import { type ScriptedSegment, scriptedProcess } from './scripted.ts';
import { durationSchema, fractionSchema } from './spec-units.ts';

export { bootstrapProcess, logReturns } from './bootstrap.ts';
export { CsvError, readCsvColumn } from './csv.ts';
export { gbmLogStep, gbmProcess, mertonLogStep, mertonProcess, poisson } from './gbm.ts';
export { scriptedPrice, scriptedProcess } from './scripted.ts';
export * from './spec-units.ts';

const positive = z.number().positive().finite();
const rate = z.number().finite();
const volatility = z.number().min(0).max(100);

export const gbmSpec = z.strictObject({
  type: z.literal('gbm'),
  start: positive,
  mu: rate.default(0),
  sigma: volatility,
});

export const mertonSpec = z.strictObject({
  type: z.literal('merton'),
  start: positive,
  mu: rate.default(0),
  sigma: volatility,
  /** Jumps per year. */
  lambda: z.number().min(0).max(1e6),
  /** Mean log size of a jump. */
  jumpMean: rate,
  /** Standard deviation of the log size of a jump. */
  jumpStd: volatility,
});

export const bootstrapSpec = z.strictObject({
  type: z.literal('bootstrap'),
  start: positive,
  /** A CSV file, relative to the scenario file's folder. */
  file: z.string().min(1),
  column: z.string().min(1),
  /** The time each row's return spans (e.g. `1d` for daily closes). */
  interval: durationSchema.refine((s) => s > 0, { message: 'expected an interval > 0' }),
  returns: z.enum(['log', 'simple']).default('log'),
  scaling: z.enum(['spread', 'sqrt-time']).default('spread'),
});

const blockNumber = z.number().int().min(0);

export const scriptedSegmentSpec = z
  .strictObject({
    /** When the segment starts: a time since the start of the run... */
    at: durationSchema.optional(),
    /** ...or a block number. */
    atBlock: blockNumber.optional(),
    /** How long it lasts (0, the default, is a jump): a duration for `at`, blocks for `atBlock`. */
    over: durationSchema.optional(),
    overBlocks: blockNumber.optional(),
    /** A relative move (`-44%`, `+10%`, `-0.2`)... */
    move: fractionSchema
      .refine((m) => m > -1, { message: 'expected a move above -100%' })
      .optional(),
    /** ...or an absolute level. */
    to: positive.optional(),
  })
  .refine((s) => (s.at === undefined) !== (s.atBlock === undefined), {
    message: 'give exactly one of at (a time) and atBlock (a block number)',
  })
  .refine((s) => (s.move === undefined) !== (s.to === undefined), {
    message: 'give exactly one of move (a fraction) and to (a price)',
  })
  .refine((s) => !(s.at !== undefined && s.overBlocks !== undefined), {
    message: 'a segment with at (a time) lasts over (a duration), not overBlocks',
  })
  .refine((s) => !(s.atBlock !== undefined && s.over !== undefined), {
    message: 'a segment with atBlock lasts overBlocks, not over (a duration)',
  });

export const scriptedSpec = z
  .strictObject({
    type: z.literal('scripted'),
    start: positive,
    segments: z.array(scriptedSegmentSpec).max(1000),
    /** Optional noise around the path (annualised volatility of a driftless GBM factor). */
    sigma: volatility.optional(),
  })
  .superRefine((s, ctx) => {
    const timed = s.segments.filter((g) => g.at !== undefined).length;
    if (timed !== 0 && timed !== s.segments.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['segments'],
        message: 'use either times (at) or block numbers (atBlock) for all segments of a path',
      });
      return;
    }
    let end = 0;
    s.segments.forEach((g, i) => {
      const at = g.at ?? g.atBlock ?? 0;
      if (at < end) {
        ctx.addIssue({
          code: 'custom',
          path: ['segments', i],
          message: `segment ${i} starts at ${at} before the previous one ends at ${end}: segments must be in order and not overlap`,
        });
      }
      end = at + (g.over ?? g.overBlocks ?? 0);
    });
  });

/** The YAML spec of one asset's price process, discriminated by `type`. */
export const priceProcessSpec = z.discriminatedUnion('type', [
  gbmSpec,
  mertonSpec,
  bootstrapSpec,
  scriptedSpec,
]);
export type PriceProcessSpec = z.output<typeof priceProcessSpec>;
export type PriceProcessSpecInput = z.input<typeof priceProcessSpec>;

export interface PriceContext {
  /** Reads a file's text (the engine's reader; `path` is already resolved against baseDir). */
  readCsv(path: string): string;
  /** The folder of the scenario file: relative CSV paths are resolved against it. */
  baseDir: string;
}

/**
 * The price process of `asset` for a parsed spec (`priceProcessSpec.parse(yaml)`). Reads
 * the CSV of a bootstrap at once, so a missing or malformed file fails before the run with
 * a {@link CsvError} naming the file, the line and the field.
 */
export function createPriceProcess(
  asset: string,
  spec: PriceProcessSpec,
  ctx: PriceContext,
): PriceProcess {
  switch (spec.type) {
    case 'gbm':
      return gbmProcess(asset, spec);
    case 'merton':
      return mertonProcess(asset, spec);
    case 'bootstrap': {
      const path = isAbsolute(spec.file) ? spec.file : resolve(ctx.baseDir, spec.file);
      let text: string;
      try {
        text = ctx.readCsv(path);
      } catch (e) {
        throw new CsvError(spec.file, undefined, undefined, `cannot read: ${(e as Error).message}`);
      }
      const col = readCsvColumn(spec.file, text, spec.column);
      return bootstrapProcess(
        asset,
        {
          start: spec.start,
          intervalSeconds: spec.interval,
          returns: spec.returns,
          scaling: spec.scaling,
        },
        logReturns(spec.file, spec.column, col, spec.returns),
      );
    }
    case 'scripted':
      return scriptedProcess(asset, {
        start: spec.start,
        segments: spec.segments.map(toSegment),
        ...(spec.sigma !== undefined ? { sigma: spec.sigma } : {}),
      });
  }
}

function toSegment(g: z.output<typeof scriptedSegmentSpec>): ScriptedSegment {
  const out: ScriptedSegment = {};
  if (g.at !== undefined) out.atSeconds = g.at;
  if (g.atBlock !== undefined) out.atBlock = g.atBlock;
  if (g.over !== undefined) out.overSeconds = g.over;
  if (g.overBlocks !== undefined) out.overBlocks = g.overBlocks;
  if (g.move !== undefined) out.move = g.move;
  if (g.to !== undefined) out.to = g.to;
  return out;
}

/**
 * Runs a process for `blocks` blocks of `dtSeconds` each and returns the prices after each
 * block (for tests, previews and reports). Block 1 ends at `dtSeconds`.
 */
export function pricePath(
  process: PriceProcess,
  rng: SimRng,
  blocks: number,
  dtSeconds: number,
): number[] {
  const out: number[] = [];
  for (let b = 1; b <= blocks; b++) {
    out.push(process.next({ block: b, tSeconds: b * dtSeconds, dtSeconds }, rng));
  }
  return out;
}
