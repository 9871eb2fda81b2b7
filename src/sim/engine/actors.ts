import { type AdversarySpec, createAdversary, selectValidators } from '../adversaries/index.ts';
import { createAgents, hasStats } from '../agents/index.ts';
import type { Scenario } from '../scenario/load.ts';
import type { Agent, SimRng, ValidatorFault } from '../types.ts';

/**
 * The actors of one run, built from the scenario's specs: agents (ordinary users) and
 * adversaries (attacking accounts and validator faults). Attacker accounts and validators
 * are named so the engine can measure the attack's profit and cost.
 */
export interface RunActors {
  agents: Agent[];
  faults: ValidatorFault[];
  /** Account names (agents) whose value is the attacker's. */
  attackerAgents: Set<string>;
  /** Monikers of the attacker's validators (their slashed stake is the attack's cost). */
  attackerValidators: Set<string>;
}

export function createActors(scenario: Scenario, rngFor: (name: string) => SimRng): RunActors {
  const agents: Agent[] = [];
  for (const spec of scenario.agents) agents.push(...createAgents(spec, rngFor));
  const faults: ValidatorFault[] = [];
  const attackerAgents = new Set<string>();
  const attackerValidators = new Set<string>();
  const validators = validatorRefs(scenario);
  for (const spec of scenario.adversaries) {
    const adv = createAdversary(spec, validators, rngFor);
    if (adv.fault !== undefined) faults.push(adv.fault);
    for (const a of adv.agents ?? []) {
      agents.push(a);
      attackerAgents.add(a.name);
    }
    // A coalition's validators are the attacker's: their slashed stake is the attack's cost.
    if (spec.type === 'oracle-coalition') {
      for (const v of selectValidators(spec.name ?? spec.type, spec, validators)) {
        attackerValidators.add(v);
      }
    }
  }
  const names = new Set<string>();
  for (const a of agents) {
    if (names.has(a.name)) {
      throw new Error(`two agents are named ${a.name}: give their populations distinct names`);
    }
    names.add(a.name);
  }
  return { agents, faults, attackerAgents, attackerValidators };
}

/** The genesis validators with their voting power (1 per BWK staked). */
export function validatorRefs(scenario: Scenario): { name: string; power: bigint }[] {
  return scenario.genesis.validators.map((v) => ({
    name: v.name,
    power: BigInt(Math.floor(v.stake)),
  }));
}

export type { AdversarySpec };

export { hasStats };
