import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../crypto/hash.ts';
import { decode, EncodingError, encode, MAX_DEPTH, type Value } from './canonical.ts';

const TAG = { NULL: 0, FALSE: 1, TRUE: 2, INT: 3, BIG: 4, STR: 5, BYTES: 6, LIST: 7, MAP: 8 };
const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const hex = (v: Value) => toHex(encode(v));

/** Expects `decode` to refuse `input` with an EncodingError whose message matches `why`. */
function refuses(input: Uint8Array, why: RegExp): void {
  expect(() => decode(input)).toThrow(EncodingError);
  expect(() => decode(input)).toThrow(why);
}

const keyArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('a', 'b', 'ab', 'B', 'é', '😀', '__proto__', ''),
);

const leafArb: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.maxSafeInteger().map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.constantFrom(
    0,
    1,
    -1,
    63,
    64,
    -64,
    -65,
    127,
    128,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
  ),
  fc.bigInt({ min: -(1n << 256n), max: 1n << 256n }),
  fc.constantFrom(0n, -1n, 1n, (1n << 127n) - 1n, -(1n << 127n), 1n << 64n),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.uint8Array({ maxLength: 40 }),
);

const { value: valueArb } = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(keyArb, tie('value'), { maxKeys: 5 }),
  ),
}));

/** The same entries re-inserted in another order, recursively. */
function reorder(v: Value, pick: (n: number) => number[]): Value {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return (v as readonly Value[]).map((x) => reorder(x, pick));
  const entries = Object.entries(v as Record<string, Value>);
  const out: Record<string, Value> = {};
  for (const i of pick(entries.length)) {
    const [k, x] = entries[i] as [string, Value];
    Object.defineProperty(out, k, {
      value: reorder(x, pick),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function nestedLists(levels: number): Value {
  let v: Value = null;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

describe('canonical encoding: known bytes', () => {
  const table: [string, Value, string][] = [
    ['null', null, '00'],
    ['false', false, '01'],
    ['true', true, '02'],
    ['0', 0, '0300'],
    ['1', 1, '0302'],
    ['-1', -1, '0301'],
    ['300 (two-byte varint)', 300, '03d804'],
    ['-1n', -1n, '0401'],
    ['2^64 as bigint', 1n << 64n, '0480808080808080808004'],
    ['"a"', 'a', '050161'],
    ['"é" (UTF-8)', 'é', '0502c3a9'],
    ['bytes 01 02', bytes(1, 2), '06020102'],
    ['empty list', [], '0700'],
    ['map in key order', { b: 1, a: 2 }, '08020161030401620302'],
  ];
  for (const [name, v, expected] of table) {
    it(`encodes ${name} as ${expected}`, () => {
      expect(hex(v)).toBe(expected);
      expect(toHex(encode(decode(encode(v))))).toBe(expected);
    });
  }

  it('keeps number and bigint apart', () => {
    expect(hex(1)).not.toBe(hex(1n));
    expect(decode(encode(1))).toBe(1);
    expect(decode(encode(1n))).toBe(1n);
  });

  it('omits undefined properties and encodes -0 as 0', () => {
    expect(hex({ a: undefined, b: 1 })).toBe(hex({ b: 1 }));
    expect(hex({ a: undefined })).toBe(hex({}));
    expect(hex(-0)).toBe(hex(0));
  });
});

describe('canonical encoding: round trips', () => {
  it('decode(encode(v)) equals v and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        const b = encode(v);
        const back = decode(b);
        expect(back).toEqual(v);
        expect(toHex(encode(back))).toBe(toHex(b));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips unicode strings exactly (astral, combining, BOM, NUL)', () => {
    for (const s of ['😀', 'e\u0301', '\uFEFFabc', 'a\u0000b', '中文', '\u{10FFFF}', '']) {
      expect(decode(encode(s))).toBe(s);
      expect(decode(encode({ [s]: s }))).toEqual({ [s]: s });
    }
  });

  it('round-trips every bigint width up to 286 bits and safe integer boundaries', () => {
    for (let bits = 0n; bits <= 285n; bits++) {
      for (const v of [1n << bits, -(1n << bits), (1n << bits) - 1n])
        expect(decode(encode(v))).toBe(v);
    }
    for (const n of [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 52, -(2 ** 52)]) {
      expect(decode(encode(n))).toBe(n);
    }
  });

  it('accepts exactly MAX_DEPTH levels of nesting', () => {
    expect(MAX_DEPTH).toBe(32);
    const deep = nestedLists(MAX_DEPTH);
    expect(decode(encode(deep))).toEqual(deep);
  });

  it('decoded bytes do not alias the input buffer', () => {
    const input = encode(bytes(7, 8, 9));
    const out = decode(input) as Uint8Array;
    input[input.length - 1] = 0;
    expect([...out]).toEqual([7, 8, 9]);
  });
});

describe('canonical encoding: one value, one encoding', () => {
  it('is independent of object key insertion order', () => {
    fc.assert(
      fc.property(valueArb, fc.integer({ min: 0, max: 1000 }), (v, seed) => {
        let s = seed;
        const pick = (n: number) => {
          // A deterministic shuffle from the seed.
          const idx = Array.from({ length: n }, (_, i) => i);
          for (let i = n - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) % 2147483648;
            const j = s % (i + 1);
            [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
          }
          return idx;
        };
        const reversed = reorder(v, (n) => Array.from({ length: n }, (_, i) => n - 1 - i));
        expect(toHex(encode(reorder(v, pick)))).toBe(toHex(encode(v)));
        expect(toHex(encode(reversed))).toBe(toHex(encode(v)));
      }),
      { numRuns: 300 },
    );
  });

  it('gives different bytes to different values', () => {
    fc.assert(
      fc.property(valueArb, valueArb, (a, b) => {
        fc.pre(toHex(encode(a)) !== toHex(encode(b)));
        expect(decode(encode(a))).not.toEqual(decode(encode(b)));
      }),
      { numRuns: 200 },
    );
    expect(hex({ a: 1 })).not.toBe(hex({ a: 2 }));
    expect(hex(['a', 'b'])).not.toBe(hex(['b', 'a']));
    expect(hex('')).not.toBe(hex(bytes()));
  });
});

describe('canonical decoder refuses non-canonical or malformed input', () => {
  it('refuses empty input and truncated values', () => {
    refuses(bytes(), /unexpected end/);
    refuses(bytes(TAG.INT), /unexpected end/);
    refuses(bytes(TAG.INT, 0x80), /unexpected end/);
    refuses(bytes(TAG.LIST, 1), /length 1 exceeds the 0 bytes left/);
  });

  it('refuses trailing bytes', () => {
    refuses(bytes(TAG.NULL, TAG.NULL), /1 trailing bytes/);
    const b = encode({ a: [1, 2] });
    refuses(Uint8Array.from([...b, 0]), /trailing/);
  });

  it('refuses non-minimal varints in integers, bigints and lengths', () => {
    refuses(bytes(TAG.INT, 0x80, 0x00), /non-minimal varint/);
    refuses(bytes(TAG.INT, 0x82, 0x80, 0x00), /non-minimal varint/);
    refuses(bytes(TAG.BIG, 0x81, 0x00), /non-minimal varint/);
    refuses(bytes(TAG.STR, 0x81, 0x00, 0x61), /non-minimal varint/);
    refuses(bytes(TAG.LIST, 0x80, 0x00), /non-minimal varint/);
    refuses(Uint8Array.from([TAG.BIG, ...new Array(45).fill(0x81), 0x01]), /varint too long/);
  });

  it('refuses map keys out of order or repeated', () => {
    // {b: null, a: null}: keys descending.
    refuses(
      bytes(TAG.MAP, 2, 1, ...ascii('b'), TAG.NULL, 1, ...ascii('a'), TAG.NULL),
      /strictly ascending/,
    );
    // {a: null, a: null}: a duplicate key.
    refuses(
      bytes(TAG.MAP, 2, 1, ...ascii('a'), TAG.NULL, 1, ...ascii('a'), TAG.NULL),
      /strictly ascending/,
    );
    // The same map with its keys in order decodes.
    expect(
      decode(bytes(TAG.MAP, 2, 1, ...ascii('a'), TAG.NULL, 1, ...ascii('b'), TAG.NULL)),
    ).toEqual({
      a: null,
      b: null,
    });
  });

  it('refuses invalid UTF-8 in strings and map keys', () => {
    refuses(bytes(TAG.STR, 1, 0xff), /invalid UTF-8/);
    refuses(bytes(TAG.STR, 2, 0xc0, 0x80), /invalid UTF-8/); // overlong NUL
    refuses(bytes(TAG.STR, 3, 0xed, 0xa0, 0x80), /invalid UTF-8/); // an encoded surrogate
    refuses(bytes(TAG.STR, 1, 0xc3), /invalid UTF-8/); // a truncated sequence
    refuses(bytes(TAG.MAP, 1, 1, 0x80, TAG.NULL), /invalid UTF-8/);
  });

  it('refuses unknown tags', () => {
    for (const tag of [9, 10, 0x7f, 0xff]) refuses(bytes(tag), new RegExp(`unknown tag ${tag}`));
    refuses(bytes(TAG.LIST, 1, 42), /unknown tag 42/);
  });

  it('refuses lengths and counts beyond the input', () => {
    refuses(bytes(TAG.STR, 5, ...ascii('abc')), /length 5 exceeds the 3 bytes left/);
    refuses(bytes(TAG.BYTES, 10, 1, 2), /length 10 exceeds/);
    refuses(bytes(TAG.LIST, 3, TAG.NULL), /length 3 exceeds/);
    refuses(bytes(TAG.MAP, 5, 1, ...ascii('a')), /length 5 exceeds the 2 bytes left/);
    refuses(bytes(TAG.MAP, 1, 4, ...ascii('a')), /length 4 exceeds the 1 bytes left/);
    // A length far beyond any buffer (2^63).
    refuses(
      bytes(TAG.BYTES, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
      /exceeds/,
    );
  });

  it(`refuses nesting deeper than ${MAX_DEPTH}`, () => {
    const deepBytes = (levels: number) =>
      Uint8Array.from([...new Array(levels).fill([TAG.LIST, 1]).flat(), TAG.NULL]);
    expect(decode(deepBytes(MAX_DEPTH))).toEqual(nestedLists(MAX_DEPTH));
    refuses(deepBytes(MAX_DEPTH + 1), /nested deeper than 32/);
    const deepMaps = Uint8Array.from([
      ...new Array(MAX_DEPTH + 1).fill([TAG.MAP, 1, 1, ...ascii('k')]).flat(),
      TAG.NULL,
    ]);
    refuses(deepMaps, /nested deeper than 32/);
    // Hostile input: far deeper than the stack would like.
    refuses(deepBytes(100_000), /nested deeper than 32/);
  });

  it('refuses integers outside the safe range under the INT tag', () => {
    for (const n of [2n ** 53n, -(2n ** 53n), 2n ** 60n]) {
      const b = encode(n); // a BIG; relabel it as an INT
      b[0] = TAG.INT;
      refuses(b, /outside the safe range/);
    }
    const ok = encode(BigInt(Number.MAX_SAFE_INTEGER));
    ok[0] = TAG.INT;
    expect(decode(ok)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('never throws anything but EncodingError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          const v = decode(b);
          // Whatever decodes is canonical: re-encoding gives the input back.
          expect(toHex(encode(v))).toBe(toHex(b));
        } catch (e) {
          expect(e).toBeInstanceOf(EncodingError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('canonical encoder refuses what has no canonical form', () => {
  class Point {
    constructor(readonly x: number) {}
  }
  const bad: [string, unknown, RegExp][] = [
    ['a float', 1.5, /not a safe integer: 1.5/],
    ['NaN', Number.NaN, /not a safe integer: NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, /not a safe integer/],
    ['an unsafe integer', 2 ** 53, /not a safe integer/],
    ['a float inside a map', { a: [0.1] }, /not a safe integer/],
    ['a class instance', new Point(1), /instance of Point/],
    ['a Date', new Date(0), /instance of Date/],
    ['a Map', new Map(), /instance of Map/],
    ['a function', () => 1, /type function/],
    ['a function inside a list', [1, () => 1], /type function/],
    ['undefined', undefined, /type undefined/],
    ['a symbol', Symbol('s'), /type symbol/],
    ['a lone surrogate', 'a\uD800', /lone surrogate/],
    ['a lone surrogate as a map key', { '\uDC00': 1 }, /lone surrogate/],
    ['a bigint wider than the decoder reads', 1n << 300n, /wider/],
    ['nesting deeper than 32', nestedLists(MAX_DEPTH + 1), /nested deeper than 32/],
  ];
  for (const [name, v, why] of bad) {
    it(`refuses ${name}`, () => {
      expect(() => encode(v as Value)).toThrow(EncodingError);
      expect(() => encode(v as Value)).toThrow(why);
    });
  }
});
