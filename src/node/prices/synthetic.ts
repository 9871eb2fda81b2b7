import type { SyntheticMarketConfig, SyntheticSourceConfig } from './config.ts';
import { floatToPrice } from './decimal.ts';
import { CounterRng, hashString } from './rng.ts';
import type { Observations, PriceSource } from './types.ts';

/** Seconds in a (Julian) year: drift and volatility are annual. */
export const YEAR_SECONDS = 365.25 * 24 * 3600;
/** Heights per block of the construction (a power of two). */
export const BLOCK_STEPS = 4096;
const BLOCK_LEVELS = 12; // log2(BLOCK_STEPS)
/** Above this mean, a block's jump count is drawn from the normal approximation. */
const POISSON_INVERSION_MAX_MEAN = 200;

const STREAM_PATH = 0;
const STREAM_NOISE = 1;
const STREAM_JUMP_COUNT = 2;
const STREAM_JUMP_SIZE = 3;

interface BlockJumps {
  /** Heights inside the block (1..BLOCK_STEPS), ascending, and their log jump sizes. */
  readonly at: readonly number[];
  readonly size: readonly number[];
  readonly total: number;
}

/** Poisson(mean) from uniforms: inversion for small means, normal approximation above. */
function poisson(mean: number, u: number, z: () => number): number {
  if (mean <= 0) return 0;
  if (mean > POISSON_INVERSION_MAX_MEAN)
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z()));
  let p = Math.exp(-mean);
  let cdf = p;
  let n = 0;
  const limit = mean + 40 * Math.sqrt(mean) + 100;
  while (u > cdf && n < limit) {
    n++;
    p *= mean / n;
    cdf += p;
  }
  return n;
}

/**
 * One market's price path: geometric Brownian motion with Merton jumps, one step per height,
 *
 *   ln S(h) = ln S(h−1) + (μ − σ²/2 − λκ)·dt + σ·√dt·Z(h) + Σ_{j < N(h)} Y(h, j)
 *
 * with Z ~ N(0,1), N(h) ~ Poisson(λ·dt), Y ~ N(m, s²), κ = e^{m + s²/2} − 1 (so μ is the
 * total expected return), dt = stepSeconds / year.
 *
 * Every draw comes from a counter-based generator keyed by (seed, market, …), so the path is a
 * function of the height alone: two instances, in one process or in two, see the same path,
 * and a restarted node resumes it. To make any height cheap to reach, heights are grouped in
 * blocks of 4096 steps: a block's Gaussian sum is drawn first (N(0, 4096)) and the partial
 * sums inside it by Brownian-bridge bisection (12 draws), its jumps as a Poisson count for the
 * block with uniform positions. Both are exact in distribution (the same law as drawing every
 * step), and ln S(h) costs O(h / 4096) the first time and O(12) after. Each value is computed
 * by the same float operations in the same order whichever heights were asked before.
 */
export class SyntheticPath {
  private readonly gauss: CounterRng;
  private readonly jumpCount: CounterRng;
  private readonly jumpSize: CounterRng;
  private readonly driftStep: number;
  private readonly volStep: number;
  private readonly blockJumpMean: number;
  private readonly jumpMean: number;
  private readonly jumpStdev: number;
  /** prefix[b] = Σ_{c<b} (σ√dt·W_c(4096) + J_c): the non-drift log move before block b. */
  private readonly prefix: number[] = [0];
  private lastJumps: { block: number; jumps: BlockJumps } | undefined;

  constructor(
    seed: number,
    readonly market: string,
    readonly params: SyntheticMarketConfig,
    stepSeconds: number,
  ) {
    const m = hashString(market);
    this.gauss = new CounterRng(seed, m, STREAM_PATH);
    this.jumpCount = new CounterRng(seed, m, STREAM_JUMP_COUNT);
    this.jumpSize = new CounterRng(seed, m, STREAM_JUMP_SIZE);
    const dt = stepSeconds / YEAR_SECONDS;
    const lambda = params.jumps?.intensity ?? 0;
    this.jumpMean = params.jumps?.mean ?? 0;
    this.jumpStdev = params.jumps?.stdev ?? 0;
    const kappa = Math.exp(this.jumpMean + (this.jumpStdev * this.jumpStdev) / 2) - 1;
    this.driftStep = (params.drift - (params.vol * params.vol) / 2 - lambda * kappa) * dt;
    this.volStep = params.vol * Math.sqrt(dt);
    this.blockJumpMean = lambda * dt * BLOCK_STEPS;
  }

  /** W_b(k): the sum of the first k standard normal steps of block b (0 ≤ k ≤ 4096). */
  private bridge(b: number, k: number): number {
    if (k <= 0) return 0;
    const total = Math.sqrt(BLOCK_STEPS) * this.gauss.normal(b, 0);
    if (k >= BLOCK_STEPS) return total;
    let lo = 0;
    let hi = BLOCK_STEPS;
    let wLo = 0;
    let wHi = total;
    let node = 1;
    for (let level = 0; level < BLOCK_LEVELS; level++) {
      const mid = (lo + hi) / 2;
      // W(mid) | W(lo), W(hi): mean halfway, variance (hi − lo) / 4.
      const wMid = (wLo + wHi) / 2 + Math.sqrt((hi - lo) / 4) * this.gauss.normal(b, node);
      if (k === mid) return wMid;
      if (k < mid) {
        hi = mid;
        wHi = wMid;
        node = 2 * node;
      } else {
        lo = mid;
        wLo = wMid;
        node = 2 * node + 1;
      }
    }
    return wLo; // not reached: k is an integer in (0, 4096)
  }

  private jumps(b: number): BlockJumps {
    if (this.lastJumps?.block === b) return this.lastJumps.jumps;
    let jumps: BlockJumps = { at: [], size: [], total: 0 };
    if (this.blockJumpMean > 0) {
      const n = poisson(this.blockJumpMean, this.jumpCount.uniform(b, 0), () =>
        this.jumpCount.normal(b, 1),
      );
      const list: [number, number][] = [];
      for (let j = 0; j < n; j++) {
        const at = 1 + Math.floor(this.jumpCount.uniform(b, 4 + j) * BLOCK_STEPS);
        list.push([at, this.jumpMean + this.jumpStdev * this.jumpSize.normal(b, j)]);
      }
      list.sort((x, y) => x[0] - y[0]);
      let total = 0;
      for (const [, y] of list) total += y;
      jumps = { at: list.map((x) => x[0]), size: list.map((x) => x[1]), total };
    }
    this.lastJumps = { block: b, jumps };
    return jumps;
  }

  /** Σ of block b's jumps at heights ≤ k inside it. */
  private jumpsUpTo(b: number, k: number): number {
    const { at, size } = this.jumps(b);
    let s = 0;
    for (let j = 0; j < at.length && (at[j] ?? Infinity) <= k; j++) s += size[j] ?? 0;
    return s;
  }

  private prefixAt(b: number): number {
    while (this.prefix.length <= b) {
      const c = this.prefix.length - 1;
      const prev = this.prefix[c] ?? 0;
      this.prefix.push(prev + this.volStep * this.bridge(c, BLOCK_STEPS) + this.jumps(c).total);
    }
    return this.prefix[b] ?? 0;
  }

  /** ln(S(h) / S(0)). */
  logAt(height: number): number {
    const h = Math.max(0, Math.floor(height));
    const b = Math.floor(h / BLOCK_STEPS);
    const k = h - b * BLOCK_STEPS;
    let log = this.driftStep * h + this.prefixAt(b);
    if (k > 0) log += this.volStep * this.bridge(b, k) + this.jumpsUpTo(b, k);
    return log;
  }

  /** The path's price at a height, in USD (float). */
  priceAt(height: number): number {
    return this.params.start * Math.exp(this.logAt(height));
  }
}

/**
 * The `synthetic` source: every market's path (shared by all validators with the same seed)
 * times a small per-validator observation noise e^{ε·Z}, ε = noiseBps / 10 000, itself drawn
 * from a generator keyed by (seed, market, validator, height) so that a validator reports the
 * same at a height after a restart. Prices are converted to 18 decimals through 12
 * significant digits.
 */
export class SyntheticSource implements PriceSource {
  private readonly paths: SyntheticPath[];
  private readonly noise: Map<string, CounterRng>;
  private readonly noiseSigma: number;

  constructor(
    readonly config: SyntheticSourceConfig,
    readonly validator: string,
  ) {
    this.paths = Object.entries(config.markets).map(
      ([market, params]) => new SyntheticPath(config.seed, market, params, config.stepSeconds),
    );
    this.noiseSigma = config.noiseBps / 10_000;
    this.noise = new Map(
      this.paths.map((p) => [
        p.market,
        new CounterRng(config.seed, hashString(p.market), STREAM_NOISE, hashString(validator)),
      ]),
    );
  }

  /** The underlying (noiseless) path price of a market at a height, 18 decimals. */
  truePrice(market: string, height: number): bigint | undefined {
    const path = this.paths.find((p) => p.market === market);
    return path === undefined ? undefined : floatToPrice(path.priceAt(height));
  }

  observe(height: number, _timeMs: number): Observations {
    const out: Record<string, bigint> = {};
    const h = Math.max(0, Math.floor(height));
    for (const path of this.paths) {
      let price = path.priceAt(h);
      if (this.noiseSigma > 0) {
        const z = this.noise.get(path.market)?.normal(h, 0) ?? 0;
        price *= Math.exp(this.noiseSigma * z);
      }
      out[path.market] = floatToPrice(price);
    }
    return out;
  }
}
