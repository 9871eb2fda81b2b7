import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/sim/engine/metrics.ts';
import { runScenario } from '../../src/sim/engine/run.ts';
import { loadScenario } from '../../src/sim/scenario/load.ts';

/**
 * Acceptance 4, time-step invariance: the baseline's first two minutes at 1 s blocks and at
 * 0.5 s blocks (every per-block param scaled: windows, epochs, blocks per year, the EWMA
 * decay, funding intervals) end with the same headline figures within a stated tolerance:
 * - nominal staking APR and cost of corruption within 1 % (they depend on time, not blocks);
 * - bonded stake within 0.1 %;
 * - each vault's equity within 0.5 % (fees follow the traders, whose activity is per hour).
 */
const TOLERANCE = { apr: 0.01, coc: 0.01, bonded: 0.001, vault: 0.005 };

function last(blockTime: number, blocks: number): Sample {
  const scenario = loadScenario('scenarios/baseline.yaml', { blockTime, blocks, runs: 1 });
  const point = scenario.points[0] as (typeof scenario.points)[number];
  const r = runScenario(scenario, { point, run: 0 }, { trustSignatures: true });
  expect(r.failure).toBeUndefined();
  const s = r.samples[r.samples.length - 1] as Sample;
  expect(s.tSeconds).toBeCloseTo(120, 6);
  return s;
}

const rel = (a: bigint, b: bigint) => Math.abs(Number(a - b)) / Math.max(1, Math.abs(Number(b)));

describe('simulate: time-step invariance', () => {
  it('halving the block time keeps the baseline headline figures within tolerance', () => {
    const coarse = last(1, 120);
    const fine = last(0.5, 240);
    expect(rel(fine.apr, coarse.apr)).toBeLessThan(TOLERANCE.apr);
    expect(rel(fine.coc, coarse.coc)).toBeLessThan(TOLERANCE.coc);
    expect(coarse.coc).toBeGreaterThan(0n);
    expect(rel(fine.bondedStake, coarse.bondedStake)).toBeLessThan(TOLERANCE.bonded);
    for (const v of Object.keys(coarse.vaultEquity)) {
      expect(rel(fine.vaultEquity[v] ?? 0n, coarse.vaultEquity[v] ?? 0n)).toBeLessThan(
        TOLERANCE.vault,
      );
    }
  }, 900_000);
});
