import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { SimRng } from '../types.ts';

/**
 * Seeded random streams. Each stream is named (`price:BTC-USD`, `agent:mm-3`, `run:2`…) and
 * its 128-bit xoroshiro state is the SHA-256 of `seed/name`: streams are independent of each
 * other and of the order they are created in, so adding an actor never changes another's
 * draws, and run k of a scenario draws the same numbers serially or on any worker.
 */
export function deriveSeed(seed: string, name: string): string {
  return createHash('sha256').update(`${seed}/${name}`).digest('hex').slice(0, 16);
}

export function createRng(seed: string, name: string): SimRng {
  const digest = createHash('sha256').update(`${seed}/${name}`).digest();
  const state: number[] = [];
  for (let i = 0; i < 4; i++) state.push(digest.readInt32LE(i * 4));
  // xoroshiro's state must not be all zero (a 2^-128 chance, but cheap to rule out).
  if (!state.some((s) => s !== 0)) state[0] = 1;
  const gen = xoroshiro128plusFromState(state);
  let spare: number | undefined;
  const float = () => uniformFloat64(gen);
  return {
    float,
    normal() {
      // Marsaglia's polar method; the second deviate is kept for the next call.
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      for (;;) {
        const u = 2 * float() - 1;
        const v = 2 * float() - 1;
        const s = u * u + v * v;
        if (s > 0 && s < 1) {
          const m = Math.sqrt((-2 * Math.log(s)) / s);
          spare = v * m;
          return u * m;
        }
      }
    },
    int(n: number) {
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`rng.int needs a positive integer, got ${n}`);
      return Math.floor(float() * n);
    },
  };
}
