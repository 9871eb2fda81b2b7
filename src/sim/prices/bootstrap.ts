import type { PriceProcess, PriceStep, SimRng } from '../types.ts';
import { type CsvColumn, CsvError } from './csv.ts';

/**
 * A historical bootstrap: returns drawn with replacement from a series (a CSV column), each
 * observed over `intervalSeconds` (a daily series: 86 400). Blocks are much shorter than
 * the series' interval, so a draw is rescaled to the block; two ways, chosen by `scaling`:
 *
 * - `spread` (default): one return is drawn per interval of simulated time and spread evenly
 *   (in log price) over the blocks inside it; a block that crosses an interval boundary takes
 *   its share of each. At every interval boundary the price has exactly the empirical
 *   distribution of the series, fat tails included, and the path does not depend on the block
 *   time at all (draws happen per interval, not per block). Within an interval the path is a
 *   straight line in log price.
 * - `sqrt-time`: one draw per block, rescaled as `m·f + (r − m)·√f` with `f = dt / interval`
 *   and `m` the series' mean log return. The mean and the variance per unit of time are the
 *   series'; higher moments are not (the sum of many rescaled draws tends to a normal, so the
 *   tails over an interval are thinner than the data's).
 */
export interface BootstrapParams {
  start: number;
  intervalSeconds: number;
  /** `log`: the column holds ln(P₁/P₀); `simple`: P₁/P₀ − 1 (must be > −1). */
  returns: 'log' | 'simple';
  scaling: 'spread' | 'sqrt-time';
}

/** The column's returns as log returns (a simple return ≤ −1 has no logarithm). */
export function logReturns(file: string, column: string, col: CsvColumn, kind: 'log' | 'simple') {
  if (kind === 'log') return col.values;
  return col.values.map((r, i) => {
    if (r <= -1) {
      throw new CsvError(
        file,
        col.lines[i],
        column,
        `a simple return must be > -1 (a price cannot reach zero), got ${r}`,
      );
    }
    return Math.log1p(r);
  });
}

export function bootstrapProcess(
  asset: string,
  p: BootstrapParams,
  logs: readonly number[],
): PriceProcess {
  if (logs.length === 0) throw new RangeError('bootstrap: no returns to draw from');
  let logPrice = Math.log(p.start);
  const draw = (rng: SimRng) => logs[rng.int(logs.length)] as number;
  if (p.scaling === 'sqrt-time') {
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    return {
      asset,
      next(step: PriceStep, rng: SimRng): number {
        const f = step.dtSeconds / p.intervalSeconds;
        logPrice += mean * f + (draw(rng) - mean) * Math.sqrt(f);
        return Math.exp(logPrice);
      },
    };
  }
  // `spread`: the current interval's log return per second and the seconds left in it.
  let rate = 0;
  let left = 0;
  const eps = p.intervalSeconds * 1e-9;
  return {
    asset,
    next(step: PriceStep, rng: SimRng): number {
      let dt = step.dtSeconds;
      while (dt > eps) {
        if (left <= eps) {
          rate = draw(rng) / p.intervalSeconds;
          left = p.intervalSeconds;
        }
        const take = Math.min(dt, left);
        logPrice += rate * take;
        left -= take;
        dt -= take;
      }
      return Math.exp(logPrice);
    },
  };
}
