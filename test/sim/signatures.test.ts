import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/engine/run.ts';
import { stableJson } from '../../src/sim/output/format.ts';
import { summarize } from '../../src/sim/output/summary.ts';
import { loadScenario } from '../../src/sim/scenario/load.ts';

// The one switch: a short scenario gives identical results whether every tx and vote
// extension is signed and verified or the simulator trusts its own actors. The scenario has
// traders, a double-sign (its evidence is really signed either way) and downtime.
describe('simulate: signatures on and off', () => {
  it('validator-faults, 150 blocks: the same samples, events and summary', () => {
    const scenario = loadScenario('scenarios/validator-faults.yaml', { blocks: 150, runs: 1 });
    const point = scenario.points[0] as (typeof scenario.points)[number];
    const trusted = runScenario(scenario, { point, run: 0 }, { trustSignatures: true });
    const verified = runScenario(scenario, { point, run: 0 }, { trustSignatures: false });
    expect(trusted.failure).toBeUndefined();
    expect(verified.failure).toBeUndefined();
    expect(trusted.txs).toBeGreaterThan(0);
    expect(trusted.events.some((e) => e.kind === 'slash:double-sign')).toBe(true);
    expect(verified.samples).toEqual(trusted.samples);
    expect(verified.events).toEqual(trusted.events);
    expect(verified.txsRefused).toBe(trusted.txsRefused);
    expect(stableJson(summarize(scenario, [verified]))).toBe(
      stableJson(summarize(scenario, [trusted])),
    );
  }, 600_000);
});
