import { describe, expect, it } from 'vitest';
import type { PriceProcess } from '../types.ts';
import { gbmProcess, mertonProcess, poisson } from './gbm.ts';
import { SECONDS_PER_YEAR } from './spec-units.ts';
import { moments, testRng } from './testing.ts';

const DAY = 86_400;

/** ln(S_T / S_0) of `paths` independent paths of `horizon` seconds in steps of `dt`. */
function terminalLogReturns(
  make: () => PriceProcess,
  start: number,
  horizon: number,
  dt: number,
  paths: number,
  seed: number,
): number[] {
  const rng = testRng(seed);
  const out: number[] = [];
  const steps = Math.round(horizon / dt);
  for (let i = 0; i < paths; i++) {
    const p = make();
    let price = start;
    for (let b = 1; b <= steps; b++)
      price = p.next({ block: b, tSeconds: b * dt, dtSeconds: dt }, rng);
    out.push(Math.log(price / start));
  }
  return out;
}

/** Tolerances of 4 standard errors: a correct process fails with probability < 1e-4. */
function expectMoments(xs: number[], mean: number, variance: number) {
  const m = moments(xs);
  const n = xs.length;
  expect(Math.abs(m.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / n));
  // SE of a sample variance: √((μ₄ − σ⁴)/n), μ₄ from the sample (jumps have fat tails)
  const m4 = xs.reduce((a, x) => a + (x - m.mean) ** 4, 0) / n;
  expect(Math.abs(m.variance - variance)).toBeLessThan(4 * Math.sqrt((m4 - m.variance ** 2) / n));
}

describe('GBM', () => {
  const p = { mu: 0.5, sigma: 0.8, start: 100 };

  it('has the mean and variance of log returns of theory over a year of daily steps', () => {
    const xs = terminalLogReturns(() => gbmProcess('X', p), 100, SECONDS_PER_YEAR, DAY, 4000, 1);
    expectMoments(xs, p.mu - p.sigma ** 2 / 2, p.sigma ** 2);
  });

  it('is time-step invariant: 2 h and 1 h blocks give the same 30-day distribution', () => {
    const T = 30 * DAY;
    const t = T / SECONDS_PER_YEAR;
    const hourly = terminalLogReturns(() => gbmProcess('X', p), 100, T, 7200, 2000, 2);
    const halfHourly = terminalLogReturns(() => gbmProcess('X', p), 100, T, 3600, 2000, 3);
    for (const xs of [hourly, halfHourly]) {
      expectMoments(xs, (p.mu - p.sigma ** 2 / 2) * t, p.sigma ** 2 * t);
    }
    // and to each other: the difference of two sample means within 4 standard errors
    const a = moments(hourly);
    const b = moments(halfHourly);
    expect(Math.abs(a.mean - b.mean)).toBeLessThan(4 * Math.sqrt((2 * p.sigma ** 2 * t) / 2000));
  });

  it('is deterministic for a seed and moves with every step', () => {
    const run = () => {
      const rng = testRng(7);
      const g = gbmProcess('X', p);
      return [1, 2, 3].map((b) => g.next({ block: b, tSeconds: b, dtSeconds: 1 }, rng));
    };
    expect(run()).toEqual(run());
    expect(new Set(run()).size).toBe(3);
  });
});

describe('Merton jump diffusion', () => {
  const p = { mu: 0.1, sigma: 0.5, start: 100, lambda: 10, jumpMean: -0.1, jumpStd: 0.05 };
  const k = Math.exp(p.jumpMean + p.jumpStd ** 2 / 2) - 1;
  const meanPerYear = p.mu - p.lambda * k - p.sigma ** 2 / 2 + p.lambda * p.jumpMean;
  const varPerYear = p.sigma ** 2 + p.lambda * (p.jumpMean ** 2 + p.jumpStd ** 2);

  it('has the compensated mean and the variance of theory, for 1-day and 6-hour steps', () => {
    const T = 90 * DAY;
    const t = T / SECONDS_PER_YEAR;
    for (const [dt, seed] of [
      [DAY, 4],
      [DAY / 4, 5],
    ] as const) {
      const xs = terminalLogReturns(() => mertonProcess('X', p), 100, T, dt, 3000, seed);
      expectMoments(xs, meanPerYear * t, varPerYear * t);
    }
  });

  it('keeps E[S_T] = S_0·e^{mu·T} (the jumps are compensated)', () => {
    const T = 30 * DAY;
    const xs = terminalLogReturns(() => mertonProcess('X', p), 100, T, 6 * 3600, 3000, 6);
    const growth = xs.map(Math.exp);
    const m = moments(growth);
    expect(Math.abs(m.mean - Math.exp((p.mu * T) / SECONDS_PER_YEAR))).toBeLessThan(
      4 * Math.sqrt(m.variance / xs.length),
    );
  });

  it('draws Poisson counts with the right mean and variance', () => {
    const rng = testRng(8);
    const xs = Array.from({ length: 20_000 }, () => poisson(2.5, rng));
    expectMoments(xs, 2.5, 2.5);
    expect(poisson(0, rng)).toBe(0);
  });
});
