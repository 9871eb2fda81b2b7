import { z } from 'zod';
import { RunClock } from '../agents/chain.ts';
import { durationSchema, fractionSchema } from '../prices/spec-units.ts';
import type { ValidatorFault } from '../types.ts';
import {
  AdversarySpecError,
  inWindow,
  requireValidators,
  selectValidators,
  type ValidatorRef,
  whoFields,
  whoRefinement,
  windowFields,
  windowRefinement,
} from './select.ts';

const nameField = { name: z.string().min(1).max(64).optional() };

/**
 * An oracle coalition: validators (named, or the largest holding `share` of the power)
 * report `truePrice × (1 + bias)` for `assets` during the window; with `ramp` the bias grows
 * linearly from 0 to `bias` over that time (a stealthy drift that stays inside the
 * deviation band longer); with `silent` they report nothing for those assets' markets
 * instead (a withholding attack on quorum).
 */
export const oracleCoalitionSpec = z
  .strictObject({
    type: z.literal('oracle-coalition'),
    ...nameField,
    ...whoFields,
    ...windowFields,
    assets: z.array(z.string().min(1)).min(1),
    bias: fractionSchema
      .refine((b) => b > -1, { message: 'expected a bias above -100%' })
      .default(0),
    ramp: durationSchema.default(0),
    silent: z.boolean().default(false),
  })
  .refine(...whoRefinement)
  .refine(...windowRefinement)
  .refine((s) => s.silent || s.bias !== 0, { message: 'give a bias (e.g. +20%) or silent: true' });
export type OracleCoalitionSpec = z.output<typeof oracleCoalitionSpec>;

export function oracleCoalition(
  spec: OracleCoalitionSpec,
  validators: readonly ValidatorRef[],
): ValidatorFault {
  const name = spec.name ?? spec.type;
  const members = selectValidators(name, spec, validators);
  const clock = new RunClock();
  return {
    name,
    behaviour(validator, view) {
      const t = clock.seconds(view);
      if (!members.has(validator) || !inWindow(t, spec)) return undefined;
      if (spec.silent) return { silentOracle: true };
      const progress = spec.ramp > 0 ? Math.min(1, (t - spec.from) / spec.ramp) : 1;
      const bias = spec.bias * progress;
      return { priceBias: Object.fromEntries(spec.assets.map((a) => [a, bias])) };
    },
  };
}

/** Validators offline (no precommit, no price report) during the window. */
export const offlineSpec = z
  .strictObject({
    type: z.literal('offline'),
    ...nameField,
    ...whoFields,
    ...windowFields,
  })
  .refine(...whoRefinement)
  .refine(...windowRefinement);
export type OfflineSpec = z.output<typeof offlineSpec>;

export function offline(spec: OfflineSpec, validators: readonly ValidatorRef[]): ValidatorFault {
  const name = spec.name ?? spec.type;
  const members = selectValidators(name, spec, validators);
  const clock = new RunClock();
  return {
    name,
    behaviour: (validator, view) =>
      members.has(validator) && inWindow(clock.seconds(view), spec) ? { offline: true } : undefined,
  };
}

/**
 * Double signing, one validator at a time: `validators[i]` signs two conflicting precommits
 * in the block that starts at `at + i × every` (or covers that time), once.
 */
export const doubleSignSpec = z
  .strictObject({
    type: z.literal('double-sign'),
    ...nameField,
    validator: z.string().min(1).optional(),
    validators: z.array(z.string().min(1)).min(1).optional(),
    at: durationSchema,
    every: durationSchema.default(0),
  })
  .refine((s) => (s.validator === undefined) !== (s.validators === undefined), {
    message: 'give exactly one of validator and validators',
  });
export type DoubleSignSpec = z.output<typeof doubleSignSpec>;

export function doubleSign(
  spec: DoubleSignSpec,
  validators: readonly ValidatorRef[],
): ValidatorFault {
  const name = spec.name ?? spec.type;
  const order = spec.validators ?? (spec.validator === undefined ? [] : [spec.validator]);
  requireValidators(name, order, validators);
  if (new Set(order).size !== order.length) {
    throw new AdversarySpecError(`${name}: a validator is listed twice`);
  }
  const when = new Map(order.map((v, i) => [v, spec.at + i * spec.every]));
  const clock = new RunClock();
  return {
    name,
    behaviour(validator, view) {
      const t = when.get(validator);
      if (t === undefined) return undefined;
      const start = clock.seconds(view);
      const end = start + view.blockTimeMs / 1000;
      return t >= start && t < end ? { doubleSign: true } : undefined;
    },
  };
}
