import { fromDecimalString } from '../../../math/index.ts';

/** Test helpers: `dec('0.05')` is an 18-decimal value, `usd('2000.5')` an amount in uusd. */
export function dec(s: string): bigint {
  return fromDecimalString(s);
}

export function usd(s: string): bigint {
  const raw = fromDecimalString(s);
  if (raw % 10n ** 12n !== 0n) throw new RangeError(`usd: more than 6 decimals in ${s}`);
  return raw / 10n ** 12n;
}
