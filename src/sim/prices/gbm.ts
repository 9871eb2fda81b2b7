import type { PriceProcess, PriceStep, SimRng } from '../types.ts';
import { SECONDS_PER_YEAR } from './spec-units.ts';

/**
 * Geometric Brownian motion, stepped exactly (not by Euler): over a step of `dt` years,
 *
 *   ln S(t+dt) = ln S(t) + (mu − sigma²/2)·dt + sigma·√dt·Z,  Z ~ N(0, 1)
 *
 * so E[S(t)] = S(0)·e^{mu·t} and Var[ln S(t)/S(0)] = sigma²·t whatever the block time: halving
 * the block time gives the same distribution at any fixed time (the log increments of two
 * half steps are independent normals whose means and variances add up to one full step's).
 * `mu` and `sigma` are annualised (year = 365 days).
 */
export interface GbmParams {
  /** Drift per year (0.05 = +5 %/year in expectation). */
  mu: number;
  /** Volatility per √year (0.8 = 80 % annualised). */
  sigma: number;
  /** The price at t = 0 (display units, e.g. USD). */
  start: number;
}

/** The log increment of GBM over `dtSeconds`, drawing one normal from `rng`. */
export function gbmLogStep(p: GbmParams, dtSeconds: number, rng: SimRng): number {
  const dt = dtSeconds / SECONDS_PER_YEAR;
  return (p.mu - (p.sigma * p.sigma) / 2) * dt + p.sigma * Math.sqrt(dt) * rng.normal();
}

export function gbmProcess(asset: string, p: GbmParams): PriceProcess {
  let logPrice = Math.log(p.start);
  return {
    asset,
    next(step: PriceStep, rng: SimRng): number {
      logPrice += gbmLogStep(p, step.dtSeconds, rng);
      return Math.exp(logPrice);
    },
  };
}

/**
 * Merton's jump diffusion: GBM plus a compound Poisson process of jumps in the log price.
 * Jumps arrive at `lambda` per year; each is `ln(1 + J) ~ N(jumpMean, jumpStd²)`. The drift is
 * compensated so that `mu` stays the expected total return, as in GBM:
 *
 *   ln S(t+dt) = ln S(t) + (mu − lambda·k − sigma²/2)·dt + sigma·√dt·Z + Σ_{i=1..N} Y_i,
 *   N ~ Poisson(lambda·dt), Y_i ~ N(jumpMean, jumpStd²), k = e^{jumpMean + jumpStd²/2} − 1.
 *
 * Exact for any dt (a Poisson count over dt and a sum of N normals), so it is step-invariant
 * like GBM: Var[ln S(t)/S(0)] = (sigma² + lambda·(jumpMean² + jumpStd²))·t.
 */
export interface MertonParams extends GbmParams {
  /** Jumps per year. */
  lambda: number;
  /** Mean of the log size of a jump (−0.1 ≈ a 9.5 % drop). */
  jumpMean: number;
  /** Standard deviation of the log size of a jump. */
  jumpStd: number;
}

/** A Poisson count of mean `mean` (Knuth's product of uniforms; mean is small per block). */
export function poisson(mean: number, rng: SimRng): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    // Far beyond any per-block rate a scenario uses; a normal approximation keeps it O(1).
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let prod = rng.float();
  while (prod > limit) {
    k += 1;
    prod *= rng.float();
  }
  return k;
}

export function mertonLogStep(p: MertonParams, dtSeconds: number, rng: SimRng): number {
  const dt = dtSeconds / SECONDS_PER_YEAR;
  const k = Math.exp(p.jumpMean + (p.jumpStd * p.jumpStd) / 2) - 1;
  let x = gbmLogStep({ ...p, mu: p.mu - p.lambda * k }, dtSeconds, rng);
  const jumps = poisson(p.lambda * dt, rng);
  for (let i = 0; i < jumps; i++) x += p.jumpMean + p.jumpStd * rng.normal();
  return x;
}

export function mertonProcess(asset: string, p: MertonParams): PriceProcess {
  let logPrice = Math.log(p.start);
  return {
    asset,
    next(step: PriceStep, rng: SimRng): number {
      logPrice += mertonLogStep(p, step.dtSeconds, rng);
      return Math.exp(logPrice);
    },
  };
}
