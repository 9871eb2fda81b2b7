import type { PriceProcess, PriceStep, SimRng } from '../types.ts';
import { gbmLogStep } from './gbm.ts';

/**
 * A scripted path: a start price and segments, each starting at a time (`atSeconds`) or at a
 * block (`atBlock`), that move the price by a fraction (`move: -0.44`) or to a level (`to`)
 * over a duration (`overSeconds`, or `overBlocks`; 0 = a jump). Within a segment the price is
 * a straight line from where the segment starts to where it ends. Between segments, and after
 * the last, the price is flat.
 *
 * The price at a time is a pure function of the time (or block): a block-time change never
 * changes the path at a given time, and a step that jumps over a whole segment lands on its
 * end. A segment starts from the price its predecessor reached, so the effects compose:
 * `-20%` then `-20%` ends at 0.64 × start.
 */
export interface ScriptedSegment {
  atSeconds?: number;
  atBlock?: number;
  overSeconds?: number;
  overBlocks?: number;
  move?: number;
  to?: number;
}

export interface ScriptedParams {
  start: number;
  segments: readonly ScriptedSegment[];
  /** Optional noise around the path: a driftless GBM factor of this annualised volatility. */
  sigma?: number;
}

/** The scripted price (no noise) at the end of block `block`, `tSeconds` into the run. */
export function scriptedPrice(p: ScriptedParams, tSeconds: number, block: number): number {
  let price = p.start;
  for (const s of p.segments) {
    const byBlock = s.atBlock !== undefined;
    const now = byBlock ? block : tSeconds;
    const at = (byBlock ? s.atBlock : s.atSeconds) ?? 0;
    const over = (byBlock ? s.overBlocks : s.overSeconds) ?? 0;
    if (now < at) break;
    const target = s.to ?? price * (1 + (s.move ?? 0));
    const progress = over <= 0 ? 1 : Math.min(1, (now - at) / over);
    price += (target - price) * progress;
    if (progress < 1) break;
  }
  return price;
}

export function scriptedProcess(asset: string, p: ScriptedParams): PriceProcess {
  const sigma = p.sigma ?? 0;
  let noise = 0;
  return {
    asset,
    next(step: PriceStep, rng: SimRng): number {
      if (sigma > 0) noise += gbmLogStep({ mu: 0, sigma, start: 1 }, step.dtSeconds, rng);
      return scriptedPrice(p, step.tSeconds, step.block) * Math.exp(noise);
    },
  };
}
