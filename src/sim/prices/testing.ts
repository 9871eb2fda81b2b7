import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { SimRng } from '../types.ts';

/**
 * A seeded {@link SimRng} for the tests of processes and actors (the engine derives its own
 * streams from a run's seed): xoroshiro128+ for uniforms, Box–Muller for normals.
 */
export function testRng(seed: number): SimRng {
  const gen = xoroshiro128plus(seed);
  const float = () => uniformFloat64(gen);
  let spare: number | undefined;
  return {
    float,
    normal() {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      const u = 1 - float(); // (0, 1]: log(u) is finite
      const r = Math.sqrt(-2 * Math.log(u));
      const a = 2 * Math.PI * float();
      spare = r * Math.sin(a);
      return r * Math.cos(a);
    },
    int(n: number) {
      return Math.floor(float() * n);
    },
  };
}

/** Mean and (sample) variance of a list. */
export function moments(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (xs.length - 1);
  return { mean, variance };
}
