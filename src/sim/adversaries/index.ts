/**
 * The simulator's adversaries. A scenario lists them:
 *
 * ```yaml
 * adversaries:
 *   - { type: oracle-coalition, share: 34%, assets: [BTC-USD], bias: +20%, from: 1h, to: 3h, ramp: 30m }
 *   - { type: offline, validators: [val3, val4], from: 2h, to: 2h30m }
 *   - { type: double-sign, validators: [val1, val2], at: 1h, every: 10m }
 *   - { type: pump, funds: { uusd: '50_000_000_000_000' }, market: ETH-USD, open: 2000000,
 *       openAt: 10m, openOver: 10m, pushNotional: 200000, push: 8%, pushAt: 30m, exitAt: 1h }
 *   - { type: congested-crash, count: 4, funds: { uusd: '1_000_000_000_000' }, market: BTC-USD,
 *       from: 6h, to: 12h }
 * ```
 *
 * `createAdversary` returns what the engine plugs in: a `fault` (asked once per validator per
 * block through `ValidatorFault.behaviour(name, view)`) and/or `agents` (accounts it funds
 * and drives like any agent).
 *
 * For the engine:
 * - `validators` are the chain's validators by the name `behaviour` is asked with, with their
 *   power where known (`{ name, power }`; a bare name counts as power 1). A spec naming an
 *   unknown validator throws an {@link AdversarySpecError} listing the known ones.
 * - Times (`from`, `to`, `at`…) are seconds since genesis at the start of the block being
 *   built, read from `view.timeMs` (which runs on through consensus halts, unlike the
 *   height; see `RunClock` in `agents/chain.ts`): ask every fault and agent from block 1.
 * - Every adversary agent has `stats()` ({@link ActorStats}); the pump reports the attack's
 *   economics: `pnlUusd`, `feesUbwk`, `capitalUusd`, `orderedUsd`, `peakLongUsd`, `phase`.
 */
import { z } from 'zod';
import type { RngFor } from '../agents/base.ts';
import type { Agent, ValidatorFault } from '../types.ts';
import {
  type CongestedCrashSpec,
  congestedCrashSpec,
  createCongestionAttackers,
} from './congestion.ts';
import {
  doubleSign,
  doubleSignSpec,
  offline,
  offlineSpec,
  oracleCoalition,
  oracleCoalitionSpec,
} from './faults.ts';
import { PumpAttacker, pumpSpec } from './pump.ts';
import type { ValidatorRef } from './select.ts';

export { CongestionAttacker, congestedCrashSpec } from './congestion.ts';
export { doubleSignSpec, offlineSpec, oracleCoalitionSpec } from './faults.ts';
export { PumpAttacker, pumpSpec } from './pump.ts';
export { AdversarySpecError, selectValidators, type ValidatorRef } from './select.ts';

/** The YAML spec of one adversary, discriminated by `type`. */
export const adversarySpec = z.discriminatedUnion('type', [
  oracleCoalitionSpec,
  offlineSpec,
  doubleSignSpec,
  pumpSpec,
  congestedCrashSpec,
]);
export type AdversarySpec = z.output<typeof adversarySpec>;
export type AdversarySpecInput = z.input<typeof adversarySpec>;

export interface Adversary {
  fault?: ValidatorFault;
  agents?: Agent[];
}

/**
 * Builds an adversary for a chain with these validators. Throws an AdversarySpecError when
 * the spec does not fit the chain (an unknown validator, a share no validator set reaches).
 * `rngFor` is accepted for adversaries with construction-time randomness (none so far).
 */
export function createAdversary(
  spec: AdversarySpec,
  validators: readonly ValidatorRef[],
  _rngFor?: RngFor,
): Adversary {
  switch (spec.type) {
    case 'oracle-coalition':
      return { fault: oracleCoalition(spec, validators) };
    case 'offline':
      return { fault: offline(spec, validators) };
    case 'double-sign':
      return { fault: doubleSign(spec, validators) };
    case 'pump':
      return { agents: [new PumpAttacker(spec.name ?? 'pump', spec)] };
    case 'congested-crash':
      return { agents: createCongestionAttackers(spec as CongestedCrashSpec) };
  }
}
