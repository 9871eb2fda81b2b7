/**
 * A small counter-based random generator: every draw is a pure function of a key and a
 * counter, so any step of any path can be drawn again, in any order, in any process.
 *
 * The mixer is MurmurHash3's 32-bit block and finalizer applied to the words
 * (key…, counter…, index), run twice with different seeds to get 53 random bits. That is
 * plenty for simulating prices (not for cryptography).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixWord(h: number, word: number): number {
  let k = Math.imul(word | 0, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  let x = h ^ k;
  x = (x << 13) | (x >>> 19);
  return (Math.imul(x, 5) + 0xe6546b64) | 0;
}

function fmix(h0: number, len: number): number {
  let h = h0 ^ len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of a string (a key word for names). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Splits a non-negative safe integer into its low and high 32-bit words. */
function lo(n: number): number {
  return n >>> 0;
}
function hi(n: number): number {
  return Math.floor(n / 0x1_0000_0000) >>> 0;
}

/**
 * A keyed stream: `uniform(counter, index)` ∈ (0, 1), `normal(counter, index)` ~ N(0, 1)
 * (the latter uses indices `2·index` and `2·index + 1`).
 */
export class CounterRng {
  /** The hash state after the key words, for each of the two seeds (precomputed). */
  private readonly hA: number;
  private readonly hB: number;
  private readonly len: number;

  /** `seed` is a safe integer; `words` are further 32-bit key words (market, validator…). */
  constructor(seed: number, ...words: number[]) {
    const key = [lo(seed), hi(seed), ...words.map((w) => w >>> 0)];
    let a = 0x9e3779b9;
    let b = 0x7f4a7c15;
    for (const w of key) {
      a = mixWord(a, w);
      b = mixWord(b, w);
    }
    this.hA = a;
    this.hB = b;
    this.len = (key.length + 3) * 4;
  }

  private bits(h0: number, counter: number, index: number): number {
    let h = mixWord(h0, lo(counter));
    h = mixWord(h, hi(counter));
    h = mixWord(h, index);
    return fmix(h, this.len);
  }

  /** Uniform on (0, 1): 52 random bits, centred in their cell, never exactly 0 or 1. */
  uniform(counter: number, index: number): number {
    const a = this.bits(this.hA, counter, index) >>> 6; // 26 bits
    const b = this.bits(this.hB, counter, index) >>> 6; // 26 bits
    return (a * 67108864 + b + 0.5) / 4503599627370496;
  }

  /** Standard normal (Box–Muller on uniforms 2·index and 2·index + 1). */
  normal(counter: number, index: number): number {
    const u1 = this.uniform(counter, 2 * index);
    const u2 = this.uniform(counter, 2 * index + 1);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
