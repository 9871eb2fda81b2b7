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
  const names = new Set<string>();
  for (const a of agents) {
    if (names.has(a.name)) {
      throw new Error(`two agents are named ${a.name}: give their populations distinct names`);
    }
    names.add(a.name);
  }
  return { agents, faults: [], attackerAgents: new Set(), attackerValidators: new Set() };
}

export { hasStats };
