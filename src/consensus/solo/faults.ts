import { z } from 'zod';

/**
 * Faults a devnet or test can inject per validator (by name), from the node config:
 *   offline: the validator signs nothing for heights in [from, to];
 *   doubleSignAt: at these heights it also signs a precommit for a conflicting block,
 *                 which the engine records as duplicate-vote evidence.
 */
export const faultSchema = z.strictObject({
  offline: z
    .array(z.strictObject({ from: z.number().int().min(1), to: z.number().int().min(1) }))
    .default([]),
  doubleSignAt: z.array(z.number().int().min(1)).default([]),
});

export const faultsSchema = z.record(z.string(), faultSchema).default({});

export type ValidatorFaults = z.infer<typeof faultSchema>;
export type Faults = z.infer<typeof faultsSchema>;

export function isOffline(faults: Faults, validator: string, height: number): boolean {
  return (faults[validator]?.offline ?? []).some((r) => height >= r.from && height <= r.to);
}

export function doublesSignsAt(faults: Faults, validator: string, height: number): boolean {
  return (faults[validator]?.doubleSignAt ?? []).includes(height);
}
