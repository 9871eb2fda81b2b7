import type { Sample } from '../engine/metrics.ts';
import type { RunResult } from '../engine/run.ts';
import type { ReportInput, RunReport, RunSeries } from '../report/types.ts';
import type { Scenario } from '../scenario/load.ts';
import { vaultStats } from './summary.ts';

/** A market "collapsed" in a run when its true price fell this far below its start. */
export const COLLAPSE = 0.3;

const E18 = 10n ** 18n;
const usd = (v: bigint) => Number(v) / 1e6;
const e18 = (v: bigint) => Number(v) / 1e18;

/** What the report renderer gets: every run's series and events, contagion, the summary. */
export function reportInput(
  scenario: Scenario,
  results: RunResult[],
  summary: Record<string, unknown>,
): ReportInput {
  const markets = scenario.genesis.markets.map((m) => m.id);
  return {
    scenario: {
      name: scenario.spec.name,
      description: scenario.spec.description,
      blocks: scenario.blocks,
      blockTimeMs: scenario.blockTimeMs,
    },
    markets,
    vaults: markets,
    runs: results.map(
      (r): RunReport => ({
        run: r.run,
        seed: r.seed,
        point: r.point,
        series: series(r.samples, markets),
        events: r.events,
      }),
    ),
    contagion: contagion(results, markets),
    summary,
  };
}

function series(samples: Sample[], markets: string[]): RunSeries {
  const values: Record<string, number[]> = {};
  const push = (k: string, v: number) => {
    const arr = values[k] ?? [];
    arr.push(v);
    values[k] = arr;
  };
  const attackerStart = samples[0]?.attackerValue ?? 0n;
  for (const s of samples) {
    for (const m of markets) {
      push(`price:${m}`, s.truePrice[m] ?? Number.NaN);
      const o = s.oraclePrice[m];
      push(`oracle:${m}`, o === undefined ? Number.NaN : e18(o));
      push(`oi:${m}`, usd(s.oi[m] ?? 0n));
      push(`vaultEquity:${m}`, usd(s.vaultEquity[m] ?? 0n));
      push(`badDebt:${m}`, usd(s.badDebt[m] ?? 0n));
    }
    push('coc', usd(s.coc));
    push('pfc', usd(s.pfc));
    // The most PfC the stake covers: CoC / (1 + γ); PfC above it is under-secured.
    push('pfcLimit', usd((s.coc * E18) / (E18 + s.gamma)));
    push('ratio', s.ratio === undefined ? Number.NaN : e18(s.ratio));
    push('bondedStake', usd(s.bondedStake));
    push('slashedStake', usd(s.burned));
    push('apr', e18(s.apr));
    push('attackerPnl', usd(s.attackerValue - attackerStart));
  }
  return { blocks: samples.map((s) => s.block), values };
}

/**
 * `loss[i][j]`: the mean loss of vault j (start equity − lowest equity, USD) over the runs in
 * which market i collapsed (its price fell ≥ 30 % below its start); 0 when it never did.
 */
function contagion(results: RunResult[], markets: string[]): ReportInput['contagion'] {
  const loss = markets.map((m) => {
    const hit = results.filter((r) => collapsed(r.samples, m));
    return markets.map((v) => {
      if (hit.length === 0) return 0;
      let total = 0;
      for (const r of hit) {
        const st = vaultStats(r.samples, v, r.samples[0]?.vaultEquity[v] ?? 0n);
        total += Math.max(0, usd(st.start - st.min));
      }
      return total / hit.length;
    });
  });
  return { markets, vaults: markets, loss };
}

function collapsed(samples: Sample[], market: string): boolean {
  const start = samples[0]?.truePrice[market];
  if (start === undefined) return false;
  return samples.some((s) => (s.truePrice[market] ?? start) <= start * (1 - COLLAPSE));
}
