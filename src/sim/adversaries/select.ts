import { z } from 'zod';
import { boundedFraction, durationSchema } from '../prices/spec-units.ts';

/** A scenario's adversary spec is wrong for this chain (e.g. names a validator it lacks). */
export class AdversarySpecError extends Error {
  override name = 'AdversarySpecError';
}

/**
 * A validator as the engine knows it: its name (moniker; `ValidatorFault.behaviour` is asked
 * with this name) and its voting power. A bare name counts as power 1.
 */
export type ValidatorRef = string | { name: string; power?: bigint | number };

interface Weighted {
  name: string;
  power: bigint;
}

function weighted(validators: readonly ValidatorRef[]): Weighted[] {
  return validators.map((v) =>
    typeof v === 'string' ? { name: v, power: 1n } : { name: v.name, power: BigInt(v.power ?? 1) },
  );
}

/** Who takes part: named validators, or the fewest that hold `share` of the power. */
export const whoFields = {
  validators: z.array(z.string().min(1)).min(1).optional(),
  /** A share of the total power, e.g. `34%`: the largest (or smallest) validators first. */
  share: boundedFraction(0.000001, 1).optional(),
  pick: z.enum(['largest', 'smallest']).default('largest'),
};

export const whoRefinement = [
  (s: { validators?: string[] | undefined; share?: number | undefined }) =>
    (s.validators === undefined) !== (s.share === undefined),
  { message: 'give exactly one of validators (names) and share (of the voting power)' },
] as const;

/** A time window since genesis: `from` (default 0) up to `to` (default: the end). */
export const windowFields = {
  from: durationSchema.default(0),
  to: durationSchema.optional(),
};

export const windowRefinement = [
  (s: { from: number; to?: number | undefined }) => s.to === undefined || s.to > s.from,
  { message: 'expected to > from' },
] as const;

/** Throws unless every name is a validator of the chain. */
export function requireValidators(
  who: string,
  names: readonly string[],
  validators: readonly ValidatorRef[],
): void {
  const known = new Set(weighted(validators).map((v) => v.name));
  for (const n of names) {
    if (!known.has(n)) {
      throw new AdversarySpecError(
        `${who}: no validator named ${JSON.stringify(n)}; the validators are ${[...known].join(', ') || 'none'}`,
      );
    }
  }
}

/**
 * The validators an adversary controls. By share: sorted by power (largest or smallest
 * first, ties by name) and taken until their power reaches `share` of the total.
 */
export function selectValidators(
  who: string,
  spec: {
    validators?: string[] | undefined;
    share?: number | undefined;
    pick: 'largest' | 'smallest';
  },
  validators: readonly ValidatorRef[],
): Set<string> {
  if (spec.validators !== undefined) {
    requireValidators(who, spec.validators, validators);
    return new Set(spec.validators);
  }
  const all = weighted(validators);
  if (all.length === 0) throw new AdversarySpecError(`${who}: the chain has no validators`);
  const total = all.reduce((a, v) => a + v.power, 0n);
  const sorted = [...all].sort((a, b) => {
    const d = spec.pick === 'largest' ? b.power - a.power : a.power - b.power;
    return d > 0n ? 1 : d < 0n ? -1 : a.name < b.name ? -1 : 1;
  });
  // share as parts per billion, compared exactly on bigints
  const ppb = BigInt(Math.round((spec.share ?? 1) * 1e9));
  const out = new Set<string>();
  let held = 0n;
  for (const v of sorted) {
    if (held * 1_000_000_000n >= total * ppb) break;
    out.add(v.name);
    held += v.power;
  }
  return out;
}

export function inWindow(t: number, w: { from: number; to?: number | undefined }): boolean {
  return t >= w.from && (w.to === undefined || t < w.to);
}
