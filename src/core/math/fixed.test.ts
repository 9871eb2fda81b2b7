import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abs,
  clamp,
  DECIMALS,
  div,
  divRound,
  fromDecimalString,
  fromInt,
  fromRatio,
  max,
  min,
  mul,
  mulDiv,
  ONE,
  POW_MAX,
  pow,
  Rounding,
  toDecimalString,
} from './fixed.ts';

const d = (s: string): bigint => fromDecimalString(s);
const MODES = [Rounding.Floor, Rounding.Ceil, Rounding.Trunc, Rounding.HalfEven] as const;

/** sign(q − n/den) for the integer candidate q and the exact rational n/den. */
function cmp(q: bigint, n: bigint, den: bigint): number {
  const v = (q * den - n) * (den < 0n ? -1n : 1n);
  return v < 0n ? -1 : v > 0n ? 1 : 0;
}

/** Asserts that `got` is `n/den` correctly rounded with `mode`. */
function expectRounded(got: bigint, n: bigint, den: bigint, mode: Rounding): void {
  const c = cmp(got, n, den);
  switch (mode) {
    case Rounding.Floor:
      expect(c <= 0 && cmp(got + 1n, n, den) > 0).toBe(true);
      break;
    case Rounding.Ceil:
      expect(c >= 0 && cmp(got - 1n, n, den) < 0).toBe(true);
      break;
    case Rounding.Trunc: {
      const nonNegative = n === 0n || n < 0n === den < 0n;
      expectRounded(got, n, den, nonNegative ? Rounding.Floor : Rounding.Ceil);
      break;
    }
    case Rounding.HalfEven: {
      // |got − n/den| ≤ ½, and on an exact tie `got` is even.
      const twice = 2n * (got * den - n);
      const absTwice = twice < 0n ? -twice : twice;
      const absDen = den < 0n ? -den : den;
      expect(absTwice <= absDen).toBe(true);
      if (absTwice === absDen) expect(got % 2n).toBe(0n);
      break;
    }
  }
}

describe('constants', () => {
  it('ONE is 10^18 and DECIMALS is 18', () => {
    expect(ONE).toBe(1_000_000_000_000_000_000n);
    expect(DECIMALS).toBe(18);
  });
});

describe('divRound', () => {
  // [n, d, floor, ceil, trunc, halfEven] — computed by hand.
  const cases: [bigint, bigint, bigint, bigint, bigint, bigint][] = [
    [7n, 2n, 3n, 4n, 3n, 4n], // 3.5 → even 4
    [5n, 2n, 2n, 3n, 2n, 2n], // 2.5 → even 2
    [-7n, 2n, -4n, -3n, -3n, -4n], // −3.5 → even −4
    [-5n, 2n, -3n, -2n, -2n, -2n], // −2.5 → even −2
    [7n, -2n, -4n, -3n, -3n, -4n],
    [-7n, -2n, 3n, 4n, 3n, 4n],
    [1n, 3n, 0n, 1n, 0n, 0n],
    [2n, 3n, 0n, 1n, 0n, 1n],
    [-1n, 3n, -1n, 0n, 0n, 0n],
    [-2n, 3n, -1n, 0n, 0n, -1n],
    [1n, -3n, -1n, 0n, 0n, 0n],
    [1n, 2n, 0n, 1n, 0n, 0n], // 0.5 → even 0
    [-1n, 2n, -1n, 0n, 0n, 0n], // −0.5 → even 0
    [3n, 2n, 1n, 2n, 1n, 2n], // 1.5 → even 2
    [-3n, 2n, -2n, -1n, -1n, -2n],
    [15n, 10n, 1n, 2n, 1n, 2n],
    [25n, 10n, 2n, 3n, 2n, 2n],
    [35n, 10n, 3n, 4n, 3n, 4n],
    [-25n, 10n, -3n, -2n, -2n, -2n],
    [26n, 10n, 2n, 3n, 2n, 3n],
    [-24n, 10n, -3n, -2n, -2n, -2n],
    [6n, 3n, 2n, 2n, 2n, 2n],
    [-6n, 3n, -2n, -2n, -2n, -2n],
    [0n, 5n, 0n, 0n, 0n, 0n],
    [0n, -5n, 0n, 0n, 0n, 0n],
  ];
  it.each(cases)('%i / %i', (n, den, fl, ce, tr, he) => {
    expect(divRound(n, den, Rounding.Floor)).toBe(fl);
    expect(divRound(n, den, Rounding.Ceil)).toBe(ce);
    expect(divRound(n, den, Rounding.Trunc)).toBe(tr);
    expect(divRound(n, den, Rounding.HalfEven)).toBe(he);
  });

  it('throws a RangeError on division by zero', () => {
    expect(() => divRound(1n, 0n, Rounding.Floor)).toThrow(RangeError);
    expect(() => divRound(1n, 0n, Rounding.Floor)).toThrow('Division by zero');
  });

  it('rejects unknown rounding modes', () => {
    expect(() => divRound(1n, 3n, 'up' as unknown as Rounding)).toThrow(TypeError);
  });

  it('is exactly rounded for arbitrary operands (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).filter((x) => x !== 0n),
        (n, den) => {
          for (const mode of MODES) expectRounded(divRound(n, den, mode), n, den, mode);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('mulDiv', () => {
  it('uses the exact product (no intermediate overflow or rounding)', () => {
    const a = 2n ** 200n + 12345n;
    const b = 3n ** 100n;
    const c = 7n ** 90n;
    expect(mulDiv(a, b, c, Rounding.Floor)).toBe((a * b) / c);
    expect(mulDiv(a, b, c, Rounding.Ceil)).toBe((a * b) / c + 1n);
  });

  it('floor ≤ exact ≤ ceil, ceil − floor ∈ {0, 1}, half-even within ½ (property)', () => {
    const big = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
    fc.assert(
      fc.property(big, big, big, (a, b, c) => {
        fc.pre(c !== 0n);
        const fl = mulDiv(a, b, c, Rounding.Floor);
        const ce = mulDiv(a, b, c, Rounding.Ceil);
        expect(cmp(fl, a * b, c)).toBeLessThanOrEqual(0);
        expect(cmp(ce, a * b, c)).toBeGreaterThanOrEqual(0);
        expect(ce - fl === 0n || ce - fl === 1n).toBe(true);
        for (const mode of MODES) expectRounded(mulDiv(a, b, c, mode), a * b, c, mode);
      }),
      { numRuns: 500 },
    );
  });

  it('throws on a zero divisor', () => {
    expect(() => mulDiv(1n, 2n, 0n, Rounding.HalfEven)).toThrow('Division by zero');
  });
});

describe('mul / div', () => {
  it('multiplies exactly when representable', () => {
    expect(mul(d('1.5'), d('1.5'), Rounding.Floor)).toBe(d('2.25'));
    expect(mul(d('-1.5'), d('2'), Rounding.Ceil)).toBe(d('-3'));
    expect(mul(d('0.000000001'), d('0.000000001'), Rounding.Floor)).toBe(1n);
  });

  it('rounds the last unit as requested, for negative values too', () => {
    const tiny = 1n; // 1e-18
    const half = d('0.5');
    expect(mul(tiny, half, Rounding.Floor)).toBe(0n);
    expect(mul(tiny, half, Rounding.Ceil)).toBe(1n);
    expect(mul(tiny, half, Rounding.HalfEven)).toBe(0n); // 0.5 ulp → even 0
    expect(mul(3n, half, Rounding.HalfEven)).toBe(2n); // 1.5 ulp → even 2
    expect(mul(-tiny, half, Rounding.Floor)).toBe(-1n);
    expect(mul(-tiny, half, Rounding.Ceil)).toBe(0n);
    expect(mul(-tiny, half, Rounding.Trunc)).toBe(0n);
    expect(mul(-3n, half, Rounding.HalfEven)).toBe(-2n);
    expect(mul(-5n, half, Rounding.HalfEven)).toBe(-2n);
  });

  it('divides with exact rounding', () => {
    const third = 333_333_333_333_333_333n;
    expect(div(ONE, d('3'), Rounding.Floor)).toBe(third);
    expect(div(ONE, d('3'), Rounding.Ceil)).toBe(third + 1n);
    expect(div(ONE, d('3'), Rounding.HalfEven)).toBe(third);
    expect(div(d('2'), d('3'), Rounding.HalfEven)).toBe(666_666_666_666_666_667n);
    expect(div(d('2'), d('3'), Rounding.Trunc)).toBe(666_666_666_666_666_666n);
    expect(div(-ONE, d('3'), Rounding.Floor)).toBe(-third - 1n);
    expect(div(-ONE, d('3'), Rounding.Ceil)).toBe(-third);
    expect(div(-ONE, d('3'), Rounding.Trunc)).toBe(-third);
    expect(div(ONE, d('-3'), Rounding.Floor)).toBe(-third - 1n);
    expect(div(d('-2'), d('-3'), Rounding.Floor)).toBe(666_666_666_666_666_666n);
    expect(div(d('7.5'), d('2.5'), Rounding.Floor)).toBe(d('3'));
  });

  it('throws a clear error on division by zero', () => {
    expect(() => div(ONE, 0n, Rounding.Floor)).toThrow(RangeError);
    expect(() => div(ONE, 0n, Rounding.Floor)).toThrow('Division by zero');
  });

  it('div(mul(a, b), b) recovers a within one unit (property)', () => {
    const v = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
    fc.assert(
      fc.property(v, v, (a, b) => {
        fc.pre(b !== 0n);
        const p = mul(a, b, Rounding.HalfEven);
        fc.pre(p !== 0n);
        // |p − a·b/ONE| ≤ ½ ⇒ |p·ONE/b − a| ≤ ONE/(2|b|); plus ½ for the final rounding.
        const back = div(p, b, Rounding.HalfEven);
        const err = abs(back - a);
        expect(2n * err * abs(b) <= ONE + abs(b)).toBe(true);
      }),
    );
  });
});

describe('fromInt / fromRatio', () => {
  it('scales integers exactly', () => {
    expect(fromInt(0n)).toBe(0n);
    expect(fromInt(-42n)).toBe(-42n * ONE);
  });

  it('rounds ratios once', () => {
    expect(fromRatio(1n, 3n, Rounding.Floor)).toBe(333_333_333_333_333_333n);
    expect(fromRatio(1n, 3n, Rounding.Ceil)).toBe(333_333_333_333_333_334n);
    expect(fromRatio(-1n, 3n, Rounding.Floor)).toBe(-333_333_333_333_333_334n);
    expect(fromRatio(1n, -3n, Rounding.Trunc)).toBe(-333_333_333_333_333_333n);
    expect(fromRatio(1n, 2n * ONE, Rounding.HalfEven)).toBe(0n); // 0.5e-18 → even 0
    expect(fromRatio(3n, 2n * ONE, Rounding.HalfEven)).toBe(2n); // 1.5e-18 → even 2
    expect(fromRatio(7n, 4n, Rounding.Floor)).toBe(d('1.75'));
    expect(() => fromRatio(1n, 0n, Rounding.Floor)).toThrow('Division by zero');
  });
});

describe('fromDecimalString', () => {
  it.each([
    ['0', 0n],
    ['-0', 0n],
    ['1', ONE],
    ['1.5', 1_500_000_000_000_000_000n],
    ['-1.5', -1_500_000_000_000_000_000n],
    ['0.000000000000000001', 1n],
    ['-0.000000000000000001', -1n],
    ['1.50', 1_500_000_000_000_000_000n],
    ['123456789.123456789123456789', 123_456_789_123_456_789_123_456_789n],
    ['10', 10n * ONE],
  ])('parses %s', (s, want) => {
    expect(fromDecimalString(s)).toBe(want);
  });

  it.each([
    '',
    ' 1',
    '1 ',
    '+1',
    '1e5',
    '1E-3',
    '.5',
    '1.',
    '01',
    '-01.5',
    '00',
    '1,5',
    '1_000',
    '0x10',
    'NaN',
    'Infinity',
    '--1',
    '1.2.3',
    '١',
    '-',
  ])('rejects %j', (s) => {
    expect(() => fromDecimalString(s)).toThrow(SyntaxError);
  });

  it('rejects non-strings', () => {
    expect(() => fromDecimalString(1.5 as unknown as string)).toThrow(TypeError);
  });

  it('rejects more than 18 decimals unless a rounding is given', () => {
    expect(() => fromDecimalString('0.0000000000000000001')).toThrow(RangeError);
    expect(() => fromDecimalString('1.0000000000000000000')).toThrow(RangeError);
    expect(fromDecimalString('0.0000000000000000015', Rounding.Floor)).toBe(1n);
    expect(fromDecimalString('0.0000000000000000015', Rounding.Ceil)).toBe(2n);
    expect(fromDecimalString('0.0000000000000000015', Rounding.HalfEven)).toBe(2n);
    expect(fromDecimalString('0.0000000000000000025', Rounding.HalfEven)).toBe(2n);
    expect(fromDecimalString('-0.0000000000000000015', Rounding.Floor)).toBe(-2n);
    expect(fromDecimalString('-0.0000000000000000015', Rounding.Ceil)).toBe(-1n);
    expect(fromDecimalString('-0.0000000000000000015', Rounding.Trunc)).toBe(-1n);
    expect(fromDecimalString('-0.0000000000000000015', Rounding.HalfEven)).toBe(-2n);
    expect(fromDecimalString('-0.0000000000000000025', Rounding.HalfEven)).toBe(-2n);
    expect(fromDecimalString('2.9999999999999999999', Rounding.Trunc)).toBe(
      2_999_999_999_999_999_999n,
    );
    expect(fromDecimalString('1.0000000000000000000', Rounding.Floor)).toBe(ONE);
    // Exact values with surplus zeros are accepted with any rounding.
    expect(fromDecimalString('-7.25000000000000000000000', Rounding.Ceil)).toBe(d('-7.25'));
  });
});

describe('toDecimalString', () => {
  it.each([
    [0n, '0'],
    [ONE, '1'],
    [-ONE, '-1'],
    [1n, '0.000000000000000001'],
    [-1n, '-0.000000000000000001'],
    [1_500_000_000_000_000_000n, '1.5'],
    [-1_050_000_000_000_000_000n, '-1.05'],
    [123n * ONE + 456n, '123.000000000000000456'],
    [10n ** 40n, '10000000000000000000000'],
  ])('formats %i as %s', (v, want) => {
    expect(toDecimalString(v)).toBe(want);
  });

  it('rounds to a fixed number of places', () => {
    expect(toDecimalString(d('1.005'), 2)).toBe('1.00'); // tie → even
    expect(toDecimalString(d('1.015'), 2)).toBe('1.02'); // tie → even
    expect(toDecimalString(d('1.0051'), 2)).toBe('1.01');
    expect(toDecimalString(d('-1.005'), 2)).toBe('-1.00');
    expect(toDecimalString(d('-0.001'), 2)).toBe('0.00'); // no negative zero
    expect(toDecimalString(d('-0.001'), 2, Rounding.Floor)).toBe('-0.01');
    expect(toDecimalString(d('0.001'), 2, Rounding.Ceil)).toBe('0.01');
    expect(toDecimalString(d('2.5'), 0)).toBe('2');
    expect(toDecimalString(d('3.5'), 0)).toBe('4');
    expect(toDecimalString(d('7'), 3)).toBe('7.000');
    expect(toDecimalString(1n, 18)).toBe('0.000000000000000001');
  });

  it('rejects invalid place counts', () => {
    expect(() => toDecimalString(ONE, -1)).toThrow(RangeError);
    expect(() => toDecimalString(ONE, 19)).toThrow(RangeError);
    expect(() => toDecimalString(ONE, 1.5)).toThrow(RangeError);
  });

  it('round-trips through fromDecimalString (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 45n), max: 10n ** 45n }), (v) => {
        expect(fromDecimalString(toDecimalString(v))).toBe(v);
        expect(fromDecimalString(toDecimalString(v, 18))).toBe(v);
      }),
      { numRuns: 500 },
    );
  });
});

describe('abs / min / max / clamp', () => {
  it('behave as expected', () => {
    expect(abs(-5n)).toBe(5n);
    expect(abs(5n)).toBe(5n);
    expect(abs(0n)).toBe(0n);
    expect(min(-1n, 2n)).toBe(-1n);
    expect(max(-1n, 2n)).toBe(2n);
    expect(clamp(5n, 0n, 3n)).toBe(3n);
    expect(clamp(-5n, 0n, 3n)).toBe(0n);
    expect(clamp(2n, 0n, 3n)).toBe(2n);
    expect(clamp(2n, 2n, 2n)).toBe(2n);
    expect(() => clamp(1n, 3n, 0n)).toThrow(RangeError);
  });
});

describe('pow', () => {
  it('handles hand-computed cases', () => {
    expect(pow(d('2'), 10n, Rounding.Floor)).toBe(d('1024'));
    expect(pow(d('0.5'), 3n, Rounding.Floor)).toBe(d('0.125'));
    expect(pow(d('-2'), 3n, Rounding.Floor)).toBe(d('-8'));
    expect(pow(d('-2'), 2n, Rounding.Floor)).toBe(d('4'));
    expect(pow(d('1.1'), 2n, Rounding.Floor)).toBe(d('1.21'));
    expect(pow(d('2'), -1n, Rounding.Floor)).toBe(d('0.5'));
    expect(pow(d('-2'), -3n, Rounding.Floor)).toBe(d('-0.125'));
    expect(pow(d('3'), -1n, Rounding.Floor)).toBe(333_333_333_333_333_333n);
    expect(pow(d('3'), -1n, Rounding.Ceil)).toBe(333_333_333_333_333_334n);
    expect(pow(d('-3'), -1n, Rounding.Floor)).toBe(-333_333_333_333_333_334n);
    expect(pow(d('-3'), -1n, Rounding.Ceil)).toBe(-333_333_333_333_333_333n);
    expect(pow(d('-1'), 1_000_001n, Rounding.Floor)).toBe(-ONE);
  });

  it('follows the conventions for zero exponents and bases', () => {
    expect(pow(d('123.4'), 0n, Rounding.Floor)).toBe(ONE);
    expect(pow(0n, 0n, Rounding.Floor)).toBe(ONE);
    expect(pow(0n, 5n, Rounding.Floor)).toBe(0n);
    expect(() => pow(0n, -1n, Rounding.Floor)).toThrow(RangeError);
  });

  it('rounds exact ties to even (0.5^19 has 19 decimals ending in 5)', () => {
    // 0.5^19 = 0.0000019073486328125
    expect(pow(d('0.5'), 19n, Rounding.HalfEven)).toBe(1_907_348_632_812n);
    expect(pow(d('0.5'), 19n, Rounding.Floor)).toBe(1_907_348_632_812n);
    expect(pow(d('0.5'), 19n, Rounding.Ceil)).toBe(1_907_348_632_813n);
    expect(pow(d('-0.5'), 19n, Rounding.HalfEven)).toBe(-1_907_348_632_812n);
    expect(pow(d('-0.5'), 19n, Rounding.Floor)).toBe(-1_907_348_632_813n);
  });

  it('is correctly rounded for huge exponents', () => {
    // (1 + 1e-18)^(1e18) = e·(1 − 5e-19 + …) = 2.718281828459045234001…
    const x = ONE + 1n;
    expect(pow(x, 10n ** 18n, Rounding.HalfEven)).toBe(2_718_281_828_459_045_234n);
    expect(pow(x, 10n ** 18n, Rounding.Floor)).toBe(2_718_281_828_459_045_234n);
    expect(pow(x, 10n ** 18n, Rounding.Ceil)).toBe(2_718_281_828_459_045_235n);
    // 2^400 exactly, via a negative exponent of an exactly representable reciprocal.
    expect(pow(d('0.5'), -400n, Rounding.Floor)).toBe(2n ** 400n * ONE);
  });

  it('underflows to the correctly rounded tiny value', () => {
    expect(pow(d('0.5'), 1_000_000n, Rounding.HalfEven)).toBe(0n);
    expect(pow(d('0.5'), 1_000_000n, Rounding.Floor)).toBe(0n);
    expect(pow(d('0.5'), 1_000_000n, Rounding.Ceil)).toBe(1n);
    expect(pow(d('-0.5'), 1_000_001n, Rounding.Floor)).toBe(-1n);
    expect(pow(d('-0.5'), 1_000_001n, Rounding.Ceil)).toBe(0n);
    expect(pow(d('2'), -1_000_000n, Rounding.Ceil)).toBe(1n);
    expect(pow(d('2'), -1_000_000n, Rounding.Trunc)).toBe(0n);
  });

  it('throws instead of building unbounded integers', () => {
    expect(() => pow(d('2'), 512n, Rounding.Floor)).toThrow(RangeError);
    expect(() => pow(d('2'), 10n ** 30n, Rounding.Floor)).toThrow(RangeError);
    expect(() => pow(1n, -10n, Rounding.Floor)).toThrow(RangeError);
    expect(() => pow(d('0.5'), -10_000n, Rounding.Floor)).toThrow(RangeError);
    // Just inside the bound: 2^450 · 1e18 < 2^512.
    expect(pow(d('2'), 450n, Rounding.Floor)).toBe(2n ** 450n * ONE);
    expect(POW_MAX).toBe(2n ** 512n);
  });

  it('equals the exactly rounded rational power (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }),
        fc.bigInt({ min: -12n, max: 12n }),
        (x, n) => {
          fc.pre(x !== 0n && (x > 10n ** 12n || x < -(10n ** 12n)));
          const e = n < 0n ? -n : n;
          // x^n · ONE = x^n / ONE^(n−1) for n ≥ 0, and ONE^(e+1) / x^e for n < 0.
          const [num, den] = n >= 0n ? [x ** e * ONE, ONE ** e] : [ONE ** (e + 1n), x ** e];
          for (const mode of MODES) expectRounded(pow(x, n, mode), num, den, mode);
        },
      ),
      { numRuns: 300 },
    );
  });
});
