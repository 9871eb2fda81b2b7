import type { Coin } from '../../coin.ts';

/**
 * Amounts of several denoms, as stored: `{ [denom]: bigint }` with zero entries left out.
 * Never mutated: every helper returns a new object.
 */
export type Amounts = Readonly<Record<string, bigint>>;

export const EMPTY: Amounts = Object.freeze({});

export function amountOf(a: Amounts | undefined, denom: string): bigint {
  return a?.[denom] ?? 0n;
}

/** `a` with `denom` set to `value` (the entry removed when zero). */
export function withAmount(a: Amounts, denom: string, value: bigint): Amounts {
  const out: Record<string, bigint> = { ...a };
  if (value === 0n) delete out[denom];
  else out[denom] = value;
  return out;
}

export function addAmount(a: Amounts, denom: string, value: bigint): Amounts {
  return value === 0n ? a : withAmount(a, denom, amountOf(a, denom) + value);
}

export function addAmounts(a: Amounts, b: Amounts): Amounts {
  let out = a;
  for (const denom of Object.keys(b).sort()) out = addAmount(out, denom, amountOf(b, denom));
  return out;
}

export function isEmpty(a: Amounts): boolean {
  return Object.keys(a).length === 0;
}

/** As a list of coins, ordered by denom (queries, events). */
export function toCoins(a: Amounts): Coin[] {
  return Object.keys(a)
    .sort()
    .map((denom) => ({ denom, amount: amountOf(a, denom) }));
}

/** `"10ubwk,5uusd"` (events); `"0"` when empty. */
export function formatAmounts(a: Amounts): string {
  const coins = toCoins(a);
  return coins.length === 0 ? '0' : coins.map((c) => `${c.amount}${c.denom}`).join(',');
}
