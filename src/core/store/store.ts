import type { Value } from '../encoding/canonical.ts';

/**
 * The state is one ordered key-value space of canonical values. Keys are strings whose
 * first segment names the owning module (`bank/balance/…`); values are never mutated in
 * place (set a new one), so a branch can share them with its parent safely.
 */
export interface ReadStore {
  get(key: string): Value | undefined;
  /** Entries whose key starts with `prefix`, in ascending key order. */
  iterate(prefix: string): IterableIterator<[string, Value]>;
}

export interface Store extends ReadStore {
  set(key: string, value: Value): void;
  delete(key: string): void;
}

/** Smallest string greater than every string that starts with `prefix`. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\uffff`;
}

/** Binary search: first index of `keys` (sorted) that is ≥ `key`. */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
