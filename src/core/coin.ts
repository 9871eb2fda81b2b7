import { z } from 'zod';
import { ChainError, ErrorCode } from './errors.ts';

/**
 * Amounts are integers of base units (`1 BWK = 1_000_000 ubwk`). The largest amount the
 * chain accepts anywhere is 2^127 − 1, so sums of a few amounts never leave the range that
 * every module, client and store can hold.
 */
export const MAX_AMOUNT = (1n << 127n) - 1n;

export interface Coin {
  denom: string;
  amount: bigint;
}

export const DENOM_PATTERN = /^[a-z][a-z0-9]{1,15}$/;

/** A positive amount within bounds, as bigint. */
export const amountSchema = z
  .bigint()
  .refine((a) => a > 0n, { message: 'amount must be positive' })
  .refine((a) => a <= MAX_AMOUNT, { message: `amount must be at most ${MAX_AMOUNT}` });

export const coinSchema = z.strictObject({
  denom: z.string().regex(DENOM_PATTERN, 'denom must match [a-z][a-z0-9]{1,15}'),
  amount: amountSchema,
});

/** A decimal string of base units in JSON (genesis files) → bigint. */
export const amountStringSchema = z
  .string()
  .regex(/^[0-9]{1,39}$/, 'amount must be a decimal integer string')
  .transform((s) => BigInt(s))
  .pipe(z.bigint().min(0n).max(MAX_AMOUNT));

/** `"1500ubwk"` → {denom: 'ubwk', amount: 1500n}; throws with the reason otherwise. */
export function parseCoin(text: string): Coin {
  const m = /^([0-9]+)([a-z][a-z0-9]{1,15})$/.exec(text.trim());
  if (m === null) {
    throw new ChainError(
      ErrorCode.InvalidAmount,
      `invalid coin ${JSON.stringify(text)}: expected an integer amount followed by a denom, e.g. 1500ubwk`,
    );
  }
  const amount = BigInt(m[1] as string);
  if (amount === 0n) throw new ChainError(ErrorCode.InvalidAmount, 'amount must be positive');
  if (amount > MAX_AMOUNT) {
    throw new ChainError(ErrorCode.Overflow, `amount ${amount} exceeds the maximum ${MAX_AMOUNT}`);
  }
  return { denom: m[2] as string, amount };
}

export function formatCoin(c: Coin): string {
  return `${c.amount}${c.denom}`;
}
