import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RunResult, runScenario } from '../../src/sim/engine/run.ts';
import { summarize } from '../../src/sim/output/summary.ts';
import { parseScenario, type Scenario } from '../../src/sim/scenario/load.ts';

// Acceptance 3, each over the scenario's own summary (one run each: hundreds of blocks).
function run(scenario: Scenario): RunResult {
  const point = scenario.points[0] as Scenario['points'][number];
  const r = runScenario(scenario, { point, run: 0 }, { trustSignatures: true });
  expect(r.failure).toBeUndefined();
  return r;
}

function library(name: string, edit: (text: string) => string = (t) => t): Scenario {
  const file = `scenarios/${name}.yaml`;
  return parseScenario(file, edit(readFileSync(file, 'utf8')), { runs: 1 });
}

interface PointSummary {
  attacker: {
    profit: { mean: string };
    cost: { mean: string };
    tradingPnl: { mean: string };
    slashedStake: { mean: string };
    profitableRuns: number;
  };
}

const pointOf = (scenario: Scenario, r: RunResult) =>
  (summarize(scenario, [r]).points as PointSummary[])[0] as PointSummary;

describe('scenario library: what each scenario shows', () => {
  it('vault-isolation: the BTC vault equity path is identical to a run without the ETH collapse', () => {
    const collapse = library('vault-isolation');
    const calm = library('vault-isolation', (t) => {
      const out = t.replace(/\n {6}- \{ at: 4m, move: -80% \}/, '');
      expect(out).not.toBe(t);
      return out.replace('segments:\n', 'segments: []\n');
    });
    const a = run(collapse);
    const b = run(calm);
    const path = (r: RunResult, v: string) => r.samples.map((s) => s.vaultEquity[v]);
    expect(path(a, 'BTC-USD')).toEqual(path(b, 'BTC-USD'));
    expect(a.samples.length).toBe(collapse.blocks + 1);
    // The collapse did happen, and hit the ETH market: liquidations there, another ETH path.
    expect(a.events.some((e) => e.kind === 'liquidation' && e.subject === 'ETH-USD')).toBe(true);
    expect(a.events.every((e) => e.subject !== 'BTC-USD')).toBe(true);
    expect(path(a, 'ETH-USD')).not.toEqual(path(b, 'ETH-USD'));
  }, 900_000);

  it('oracle-attack-49: the attacker is slashed and its capped long cannot pay for it', () => {
    const s = library('oracle-attack-49');
    const p = pointOf(s, run(s));
    expect(Number(p.attacker.slashedStake.mean)).toBeGreaterThan(0);
    // The security cap holds the long to a few thousand USD: whatever it made is noise
    // against the slashed stake.
    expect(Number(p.attacker.profit.mean)).toBeLessThan(Number(p.attacker.cost.mean) / 100);
    expect(p.attacker.profitableRuns).toBe(0);
  }, 900_000);

  it('oracle-attack-51: the coalition moves the price and its long gains, within the cap', () => {
    const s = library('oracle-attack-51');
    const r = run(s);
    const p = pointOf(s, r);
    expect(Number(p.attacker.tradingPnl.mean)).toBeGreaterThan(0);
    expect(Number(p.attacker.slashedStake.mean)).toBe(0);
    const pump = r.actors.attacker as Record<string, string>;
    expect(Number(pump.capLimitedUsd)).toBeGreaterThan(0);
    // The published ETH price rose above the true one while the coalition reported +20 %.
    const up = r.samples.some((x) => {
      const o = x.oraclePrice['ETH-USD'];
      const t = x.truePrice['ETH-USD'];
      return o !== undefined && t !== undefined && Number(o) / 1e18 > t * 1.05;
    });
    expect(up).toBe(true);
  }, 900_000);

  it('thin-market-pump: the attacker’s profit stays below its cost', () => {
    const s = library('thin-market-pump');
    const r = run(s);
    const p = pointOf(s, r);
    expect(Number(p.attacker.cost.mean)).toBeGreaterThan(0);
    expect(Number(p.attacker.profit.mean)).toBeLessThan(Number(p.attacker.cost.mean));
    // The pump did trade: it opened a long (its own statistics say how large).
    const pump = r.actors.pumper as Record<string, string>;
    expect(Number(pump.peakLongUsd)).toBeGreaterThan(0);
    // The security cap binds: the pump was cut to the OI headroom, so the chain refused none
    // of its orders for the cap.
    expect(Number(pump.capLimitedUsd)).toBeGreaterThan(0);
    expect(r.refusals['pumper perps/806'] ?? 0).toBe(0);
  }, 900_000);
});
