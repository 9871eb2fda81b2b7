/**
 * Deterministic 18-decimal fixed-point arithmetic over plain `bigint`.
 *
 * Why: consensus code must produce bit-identical results on every node, so chain
 * math never touches IEEE-754 floats (whose results depend on evaluation order and
 * library implementations). A value `v` is stored as the integer `v · 10^18`
 * ("raw" units); e.g. `1.5` is `1_500_000_000_000_000_000n`.
 *
 * Every operation that can lose information takes an explicit {@link Rounding}, so
 * callers decide in whose favour the last unit goes (e.g. round debts up with
 * `Ceil` and credits down with `Floor`). All divisions are exactly rounded: the
 * result is the exact rational quotient rounded once, for operands of any sign.
 */

/** An 18-decimal fixed-point number: the integer `value · 10^18`. */
export type Dec = bigint;

/** Number of decimal places carried by a {@link Dec}. */
export const DECIMALS = 18;

/** The fixed-point representation of 1 (`10^18`). */
export const ONE: Dec = 10n ** 18n;

/**
 * Rounding modes for inexact results.
 * - `Floor`: toward −∞.
 * - `Ceil`: toward +∞.
 * - `Trunc`: toward zero.
 * - `HalfEven`: to nearest; exact ties go to the even neighbour (banker's rounding,
 *   unbiased over many operations).
 */
export const Rounding = {
  Floor: 'floor',
  Ceil: 'ceil',
  Trunc: 'trunc',
  HalfEven: 'halfEven',
} as const;
export type Rounding = (typeof Rounding)[keyof typeof Rounding];

function unknownRounding(rounding: never): never {
  throw new TypeError(`Unknown rounding mode: ${String(rounding)}`);
}

/**
 * Integer quotient `n / d` rounded with `rounding`, exact for all signs.
 *
 * JS bigint `/` truncates toward zero, so with `q = n / d` and `r = n % d` (r has
 * the sign of n) the exact quotient is `q + r/d`, strictly between `q` and the
 * neighbour `q ± 1` on the side of the true sign of `n/d` whenever `r ≠ 0`:
 * - Floor steps to `q − 1` only when the quotient is negative;
 * - Ceil steps to `q + 1` only when the quotient is positive;
 * - HalfEven steps away from zero when `2|r| > |d|`, or when `2|r| = |d|` and `q` is odd.
 *
 * @throws RangeError when `d` is zero.
 */
export function divRound(n: bigint, d: bigint, rounding: Rounding): bigint {
  if (d === 0n) throw new RangeError('Division by zero');
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const negative = n < 0n !== d < 0n;
  switch (rounding) {
    case Rounding.Trunc:
      return q;
    case Rounding.Floor:
      return negative ? q - 1n : q;
    case Rounding.Ceil:
      return negative ? q : q + 1n;
    case Rounding.HalfEven: {
      const twiceR = r < 0n ? -2n * r : 2n * r;
      const absD = d < 0n ? -d : d;
      // BigInt `&` uses two's complement, so `q & 1n` is the parity for negative q too.
      if (twiceR < absD || (twiceR === absD && (q & 1n) === 0n)) return q;
      return negative ? q - 1n : q + 1n;
    }
    default:
      return unknownRounding(rounding);
  }
}

/**
 * `a · b / c` computed on the exact (unbounded) product and rounded once.
 * Works on raw integers of any scale; the workhorse behind {@link mul} and {@link div}.
 *
 * @throws RangeError when `c` is zero.
 */
export function mulDiv(a: bigint, b: bigint, c: bigint, rounding: Rounding): bigint {
  if (c === 0n) throw new RangeError('Division by zero');
  return divRound(a * b, c, rounding);
}

/** Fixed-point product: `a · b / 10^18`, rounded. */
export function mul(a: Dec, b: Dec, rounding: Rounding): Dec {
  return divRound(a * b, ONE, rounding);
}

/**
 * Fixed-point quotient: `a · 10^18 / b`, rounded.
 *
 * @throws RangeError when `b` is zero.
 */
export function div(a: Dec, b: Dec, rounding: Rounding): Dec {
  if (b === 0n) throw new RangeError('Division by zero');
  return divRound(a * ONE, b, rounding);
}

/** The integer `n` as a fixed-point value (`n · 10^18`); exact. */
export function fromInt(n: bigint): Dec {
  return n * ONE;
}

/**
 * The rational `num / den` as a fixed-point value, rounded once.
 *
 * @throws RangeError when `den` is zero.
 */
export function fromRatio(num: bigint, den: bigint, rounding: Rounding): Dec {
  if (den === 0n) throw new RangeError('Division by zero');
  return divRound(num * ONE, den, rounding);
}

/**
 * Canonical grammar accepted by {@link fromDecimalString}: optional `-`, an integer
 * part without superfluous leading zeros, and an optional non-empty fraction.
 */
const DECIMAL_RE = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Strictly parse a plain decimal string such as `"1.5"`, `"-0.000001"` or `"42"`.
 *
 * Rejected: empty strings, whitespace, `+`, exponents (`1e5`), leading zeros
 * (`"01"`), a bare or trailing point (`".5"`, `"1."`), separators, and anything else
 * outside the grammar. Input length is not capped here; callers that parse untrusted
 * input should bound its length first (BigInt parsing is superlinear).
 *
 * More than 18 fractional digits is an error unless `rounding` is given, in which
 * case the exact decimal value is rounded once to 18 places.
 *
 * @throws SyntaxError on malformed input; RangeError on excess precision without rounding.
 */
export function fromDecimalString(s: string, rounding?: Rounding): Dec {
  if (typeof s !== 'string') throw new TypeError('fromDecimalString: expected a string');
  const m = DECIMAL_RE.exec(s);
  if (m === null) throw new SyntaxError(`Invalid decimal string: ${JSON.stringify(s)}`);
  const sign = m[1] === '-' ? -1n : 1n;
  const intPart = m[2] ?? '0';
  const frac = m[3] ?? '';
  const fracLen = BigInt(frac.length);
  const decimals = BigInt(DECIMALS);
  if (fracLen <= decimals) {
    return sign * BigInt(intPart + frac.padEnd(DECIMALS, '0'));
  }
  if (rounding === undefined) {
    throw new RangeError(
      `Decimal string has more than ${DECIMALS} fractional digits: ${JSON.stringify(s)}`,
    );
  }
  return divRound(sign * BigInt(intPart + frac), 10n ** (fracLen - decimals), rounding);
}

/**
 * Format a fixed-point value as a plain decimal string (never an exponent).
 *
 * Without `places`, the shortest exact representation is produced (trailing
 * fractional zeros and a bare point are dropped), so that
 * `fromDecimalString(toDecimalString(d)) === d`. With `places` (integer 0..18), the
 * value is rounded with `rounding` (default HalfEven) and printed with exactly that
 * many fractional digits. Zero is never printed with a minus sign.
 */
export function toDecimalString(
  d: Dec,
  places?: number,
  rounding: Rounding = Rounding.HalfEven,
): string {
  let digits = d;
  let scale = BigInt(DECIMALS);
  if (places !== undefined) {
    if (!Number.isInteger(places) || places < 0 || places > DECIMALS) {
      throw new RangeError(`toDecimalString: places must be an integer in [0, ${DECIMALS}]`);
    }
    const target = BigInt(places);
    digits = divRound(d, 10n ** (scale - target), rounding);
    scale = target;
  }
  const negative = digits < 0n;
  const absStr = (negative ? -digits : digits).toString().padStart(Number(scale) + 1, '0');
  const split = absStr.length - Number(scale);
  const intPart = absStr.slice(0, split);
  let frac = absStr.slice(split);
  if (places === undefined) frac = frac.replace(/0+$/, '');
  const body = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  return negative ? `-${body}` : body;
}

/** Absolute value. */
export function abs(a: Dec): Dec {
  return a < 0n ? -a : a;
}

/** The smaller of `a` and `b`. */
export function min(a: Dec, b: Dec): Dec {
  return a < b ? a : b;
}

/** The larger of `a` and `b`. */
export function max(a: Dec, b: Dec): Dec {
  return a > b ? a : b;
}

/**
 * `x` limited to the closed interval `[lo, hi]`.
 *
 * @throws RangeError when `lo > hi`.
 */
export function clamp(x: Dec, lo: Dec, hi: Dec): Dec {
  if (lo > hi) throw new RangeError('clamp: lower bound exceeds upper bound');
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Work bound for {@link pow}: results whose magnitude exceeds this many raw units
 * (2^512 ≈ 1.3e154, i.e. ≈ 1.3e136 as a decimal value — far beyond any economic
 * quantity) throw instead of allocating ever larger integers.
 */
export const POW_MAX: bigint = 1n << 512n;

/** Ceiling of `a / b` for `a ≥ 0`, `b > 0`. */
function ceilDivPos(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/**
 * Lower and upper bounds on `(base/s)^e · s` (with `base ≥ 0` at scale `s`) computed by
 * binary exponentiation (square-and-multiply), flooring the lower chain and ceiling
 * the upper chain so the exact value always lies in `[lo, hi]`. Returns `undefined`
 * as soon as the lower bound provably exceeds `cap`.
 */
function powBounds(
  base: bigint,
  e: bigint,
  s: bigint,
  cap: bigint,
): { lo: bigint; hi: bigint } | undefined {
  let lo = s;
  let hi = s;
  let bLo = base;
  let bHi = base;
  let k = e;
  for (;;) {
    if ((k & 1n) === 1n) {
      lo = (lo * bLo) / s;
      hi = ceilDivPos(hi * bHi, s);
      if (lo > cap) return undefined;
    }
    k >>= 1n;
    if (k === 0n) return { lo, hi };
    bLo = (bLo * bLo) / s;
    bHi = ceilDivPos(bHi * bHi, s);
    // bLo > cap ≥ s means base > 1, so the running product is ≥ 1 and the remaining
    // (non-zero) bits multiply it by at least bLo: the result exceeds cap.
    if (bLo > cap) return undefined;
  }
}

/** Largest guard precision (decimal digits) tried by {@link pow}. */
const POW_MAX_GUARD = 8192n;

/**
 * `x^n` for an integer exponent `n` (negative allowed), correctly rounded with `rounding`.
 *
 * Method (Ziv-style): evaluate by squaring at an internal scale of `18 + G` decimals
 * with interval bounds — floor-rounded and ceil-rounded chains that bracket the exact
 * power (for `n < 0`, the reciprocal of the bracket). If both ends round to the same
 * 18-decimal value, that value is the correctly rounded result; otherwise `G` doubles
 * (starting at 24). Results that are exactly representable (or exact ties) need
 * enough guard digits to be computed exactly; because results are capped by
 * {@link POW_MAX} this stays bounded (a few hundred digits in the worst case).
 *
 * Conventions: `x^0 = 1` (including `0^0`); `0^n = 0` for `n > 0`.
 *
 * @throws RangeError for `0^n` with `n < 0`, or when `|x^n|` exceeds {@link POW_MAX} raw units.
 */
export function pow(x: Dec, n: bigint, rounding: Rounding): Dec {
  if (n === 0n) return ONE;
  if (x === 0n) {
    if (n < 0n) throw new RangeError('pow: zero cannot be raised to a negative power');
    return 0n;
  }
  if (n === 1n) return x;
  const sign = x < 0n && (n & 1n) === 1n ? -1n : 1n;
  const ax = x < 0n ? -x : x;
  if (ax === ONE) return sign * ONE;
  const e = n < 0n ? -n : n;
  for (let guard = 24n; guard <= POW_MAX_GUARD; guard *= 2n) {
    const g = 10n ** guard;
    const s = ONE * g;
    const limit = POW_MAX * g;
    let lo: bigint;
    let hi: bigint;
    if (n > 0n) {
      const b = powBounds(ax * g, e, s, limit);
      if (b === undefined) throw new RangeError('pow: result overflows POW_MAX');
      lo = b.lo;
      hi = b.hi;
    } else {
      // 1/y at scale s is s²/Y. If Y > s² the reciprocal is below one internal unit.
      const b = powBounds(ax * g, e, s, s * s);
      if (b === undefined) {
        lo = 0n;
        hi = 1n;
      } else {
        lo = (s * s) / b.hi;
        if (lo > limit) throw new RangeError('pow: result overflows POW_MAX');
        if (b.lo === 0n) continue; // reciprocal bound unknown: need more precision
        hi = ceilDivPos(s * s, b.lo);
      }
    }
    // The exact value is > 0. If lo = 0, then v ∈ (0, hi]; every rounding function is
    // constant on (0, 1] internal unit (its breakpoints are multiples of half an ulp,
    // ≥ 5 internal units), so evaluating at 1 is valid.
    if (lo === 0n) lo = 1n;
    const a = divRound(sign * lo, g, rounding);
    const b = divRound(sign * hi, g, rounding);
    if (a === b) {
      if ((a < 0n ? -a : a) > POW_MAX) throw new RangeError('pow: result overflows POW_MAX');
      return a;
    }
  }
  throw new RangeError('pow: failed to converge');
}
