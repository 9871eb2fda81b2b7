import { fromDecimalString, ONE } from '../../core/math/index.ts';
import { ArgumentError } from '../errors.ts';

/**
 * Checks a decimal fraction in [0, 1] with at most 18 decimals (`"0.10"`, `"1"`, `"0"`) and
 * returns it; throws an ArgumentError otherwise. Rates and fractions travel as such strings.
 *
 * @example
 * requireFraction('0.10', 'commission rate'); // '0.10'
 * requireFraction('10%', 'commission rate'); // throws ArgumentError
 */
export function requireFraction(value: string, what = 'rate'): string {
  fixedOfFraction(value, what);
  return value;
}

/** The 18-decimal fixed-point value of a fraction in [0, 1] (see {@link requireFraction}). */
export function fixedOfFraction(value: string, what = 'rate'): bigint {
  let fixed: bigint;
  try {
    if (typeof value !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(value)) throw new Error();
    fixed = fromDecimalString(value);
  } catch {
    throw new ArgumentError(
      `${what} ${JSON.stringify(value)} is not a decimal fraction such as "0.10" (at most 18 decimals)`,
    );
  }
  if (fixed > ONE) throw new ArgumentError(`${what} ${value} is above 1`);
  return fixed;
}

/**
 * A positive integer of base units from a bigint, a safe integer or a decimal string.
 *
 * @example
 * toAmount('1000000', 'min self delegation'); // 1000000n
 */
export function toAmount(value: bigint | number | string, what = 'amount'): bigint {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^[0-9]{1,39}$/.test(value)) n = BigInt(value);
  else throw new ArgumentError(`${what} ${JSON.stringify(String(value))} is not an integer`);
  if (n <= 0n) throw new ArgumentError(`${what} must be positive, got ${n}`);
  if (n >= 1n << 127n) throw new ArgumentError(`${what} ${n} is too large`);
  return n;
}

/**
 * Checks a proposal id (a positive safe integer) and returns it.
 *
 * @example
 * requireProposalId(3); // 3
 */
export function requireProposalId(id: number): number {
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new ArgumentError(`proposal id must be a positive integer, got ${id}`);
  }
  return id;
}
