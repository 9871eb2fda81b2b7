import { baseParams, mergeParams } from '../engine/genesis.ts';
import { type Sample, underSecured } from '../engine/metrics.ts';
import type { RunResult } from '../engine/run.ts';
import { priceToUnits } from '../engine/units.ts';
import type { Scenario, SweepPoint } from '../scenario/load.ts';
import { frac, mean, micro, quantile } from './format.ts';

/**
 * summary.json: the headline figures across runs, per sweep point. Every amount is an exact
 * decimal string in display units (USD, BWK) computed from the chain's integers; fractions
 * and probabilities are fixed-digit strings. Keys are written in a fixed order, so the same
 * scenario and seed give a byte-identical file.
 */
export function summarize(scenario: Scenario, results: RunResult[]): Record<string, unknown> {
  const markets = scenario.genesis.markets.map((m) => m.id);
  const bwkPrice = priceToUnits(scenario.genesis.bwkPrice);
  return {
    scenario: {
      name: scenario.spec.name,
      description: scenario.spec.description,
      seed: scenario.spec.seed,
      runs: scenario.spec.runs,
      blocks: scenario.blocks,
      blockTimeMs: scenario.blockTimeMs,
      sampleEvery: scenario.every,
      markets,
    },
    // γ of the risk module at genesis (the first point's, if a sweep changes it): the report
    // shades the blocks where CoC < (1 + γ)·PfC.
    risk: { gamma: riskGamma(scenario, scenario.points[0]) },
    points: scenario.points.map((pt) => {
      const runs = results.filter((r) => r.point === pt.label);
      return {
        point: pt.label,
        gamma: riskGamma(scenario, pt),
        ...summarizePoint(runs, markets, bwkPrice),
      };
    }),
  };
}

/** The risk module's γ (decimal string) in the genesis a run of this point starts from. */
export function riskGamma(scenario: Scenario, point: SweepPoint | undefined): string {
  let risk = baseParams(scenario.genesis.preset).risk ?? {};
  risk = mergeParams(risk, scenario.genesis.params.risk ?? {});
  if (point !== undefined) risk = mergeParams(risk, point.params.risk ?? {});
  return String(risk.gamma);
}

export interface VaultRunStats {
  start: bigint;
  end: bigint;
  min: bigint;
  badDebt: bigint;
  /** Largest fall from a running peak, as a fraction of that peak. */
  maxDrawdown: number;
  insolvent: boolean;
}

export function vaultStats(samples: Sample[], vault: string, start: bigint): VaultRunStats {
  let peak = start;
  let min = start;
  let dd = 0;
  let end = start;
  let badDebt = 0n;
  for (const s of samples) {
    const e = s.vaultEquity[vault] ?? 0n;
    end = e;
    if (e > peak) peak = e;
    if (e < min) min = e;
    if (peak > 0n) dd = Math.max(dd, Number(((peak - e) * 1_000_000n) / peak) / 1e6);
    badDebt = s.badDebt[vault] ?? badDebt;
  }
  return { start, end, min, badDebt, maxDrawdown: dd, insolvent: badDebt > 0n || min <= 0n };
}

function summarizePoint(runs: RunResult[], markets: string[], bwkPrice: bigint) {
  const n = runs.length;
  const ok = runs.filter((r) => r.failure === undefined);
  const vaults: Record<string, unknown> = {};
  for (const v of markets) {
    const stats = runs.map((r) => vaultStats(r.samples, v, r.samples[0]?.vaultEquity[v] ?? 0n));
    const losses = stats.map((s) => s.start - s.end);
    const badDebts = stats.map((s) => s.badDebt);
    vaults[v] = {
      probabilityOfInsolvency: frac(stats.filter((s) => s.insolvent).length / Math.max(1, n), 4),
      badDebt: {
        mean: micro(mean(badDebts)),
        p50: micro(quantile(badDebts, 0.5)),
        p95: micro(quantile(badDebts, 0.95)),
        p99: micro(quantile(badDebts, 0.99)),
        max: micro(quantile(badDebts, 1)),
      },
      // Value at risk of the vault's loss over the run (start equity − end equity).
      var95: micro(quantile(losses, 0.95)),
      var99: micro(quantile(losses, 0.99)),
      maxDrawdown: {
        mean: frac(stats.reduce((s, x) => s + x.maxDrawdown, 0) / Math.max(1, n)),
        max: frac(Math.max(0, ...stats.map((x) => x.maxDrawdown))),
      },
      finalEquity: {
        p5: micro(
          quantile(
            stats.map((s) => s.end),
            0.05,
          ),
        ),
        p50: micro(
          quantile(
            stats.map((s) => s.end),
            0.5,
          ),
        ),
      },
    };
  }
  const under = runs.map((r) => {
    const k = r.samples.filter(underSecured).length;
    return r.samples.length === 0 ? 0 : k / r.samples.length;
  });
  const slashed = runs.map((r) => lastSample(r)?.burned ?? 0n);
  const attack = runs.map((r) => {
    const pnl = r.attackerEnd - r.attackerStart;
    const slashedUusd = (r.attackerSlashed * bwkPrice) / 10n ** 18n;
    const profit = pnl > 0n ? pnl : 0n;
    const cost = (pnl < 0n ? -pnl : 0n) + slashedUusd;
    return { pnl, profit, cost, slashed: r.attackerSlashed };
  });
  return {
    runs: n,
    failedRuns: n - ok.length,
    failures: runs
      .filter((r) => r.failure !== undefined)
      .map((r) => ({
        run: r.run,
        seed: r.seed,
        block: r.failure?.block,
        message: r.failure?.message,
      })),
    vaults,
    security: {
      /** Share of sampled blocks with CoC < (1 + γ)·PfC. */
      timeUnderSecured: {
        mean: frac(under.reduce((s, x) => s + x, 0) / Math.max(1, n)),
        max: frac(Math.max(0, ...under)),
      },
    },
    slashedStake: { mean: micro(mean(slashed)), max: micro(quantile(slashed, 1)) },
    attacker: {
      profit: {
        mean: micro(mean(attack.map((a) => a.profit))),
        max: micro(
          quantile(
            attack.map((a) => a.profit),
            1,
          ),
        ),
      },
      cost: {
        mean: micro(mean(attack.map((a) => a.cost))),
        min: micro(
          quantile(
            attack.map((a) => a.cost),
            0,
          ),
        ),
      },
      tradingPnl: { mean: micro(mean(attack.map((a) => a.pnl))) },
      slashedStake: { mean: micro(mean(attack.map((a) => a.slashed))) },
      profitableRuns: attack.filter((a) => a.profit > a.cost).length,
    },
    chain: {
      haltedBlocks: { max: Math.max(0, ...runs.map((r) => r.haltedBlocks)) },
      txs: runs.reduce((s, r) => s + r.txs, 0),
      txsRefused: runs.reduce((s, r) => s + r.txsRefused, 0),
      refusedBy: refusalTally(runs),
    },
  };
}

/** Refused txs of all runs by actor and reason, most frequent first (ties by name). */
function refusalTally(runs: RunResult[]): Record<string, number> {
  const all = new Map<string, number>();
  for (const r of runs) {
    for (const [k, n] of Object.entries(r.refusals ?? {})) all.set(k, (all.get(k) ?? 0) + n);
  }
  const sorted = [...all].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(sorted);
}

function lastSample(r: RunResult): Sample | undefined {
  return r.samples[r.samples.length - 1];
}
