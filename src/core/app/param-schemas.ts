import { z } from 'zod';
import { fromDecimalString, toDecimalString } from '../math/index.ts';

/**
 * A decimal parameter with 18 places within [lo, hi], as every module's params take it: a
 * bigint (fixed point, `10^18` = 1), or a decimal string (`"0.05"`, `"65000.25"`) as genesis
 * files and governance proposals from JSON tools carry it. Bounds are checked on the value.
 */
export function decimalParam(lo: bigint, hi: bigint) {
  return z
    .union([
      z.bigint(),
      z
        .string()
        .max(40)
        .regex(/^(0|[1-9][0-9]{0,19})(\.[0-9]{1,18})?$/, 'must be a decimal string like "0.05"')
        .transform((s) => fromDecimalString(s)),
    ])
    .pipe(
      z
        .bigint()
        .min(lo, `must be at least ${toDecimalString(lo)}`)
        .max(hi, `must be at most ${toDecimalString(hi)}`),
    );
}

/**
 * An integer parameter within [lo, hi] (amounts in base units, raw fixed-point quantities):
 * a bigint, or a decimal integer string as JSON carries it. Bounds are checked on the value;
 * the string's length only keeps absurd input from being parsed.
 */
export function integerParam(lo: bigint, hi: bigint) {
  const digits = hi.toString().length;
  return z
    .union([
      z.bigint(),
      z
        .string()
        .regex(new RegExp(`^[0-9]{1,${digits}}$`), 'must be a decimal integer string')
        .transform((s) => BigInt(s)),
    ])
    .pipe(z.bigint().min(lo, `must be at least ${lo}`).max(hi, `must be at most ${hi}`));
}
