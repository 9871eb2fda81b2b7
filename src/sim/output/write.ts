import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sample } from '../engine/metrics.ts';
import type { RunResult } from '../engine/run.ts';
import type { Scenario } from '../scenario/load.ts';
import { dec18, micro, stableJson } from './format.ts';
import { summarize } from './summary.ts';

const E18 = 10n ** 18n;

/**
 * The files of `simulate --out DIR`: `summary.json` (across runs), `runs/p<point>-r<run>/
 * metrics.csv` (one row per sample) and `events.csv` per run. The report (report.html) is
 * written by the CLI with the report renderer.
 */
export function metricsColumns(markets: string[]): string[] {
  return [
    'block',
    'time_s',
    ...markets.flatMap((m) => [`price:${m}`, `oracle:${m}`, `oi:${m}`]),
    ...markets.flatMap((v) => [`vault_equity:${v}`, `bad_debt:${v}`]),
    'coc',
    'pfc',
    'pfc_limit',
    'coc_pfc_ratio',
    'bonded_stake',
    'slashed_stake',
    'apr',
    'attacker_pnl',
  ];
}

/** One sample as CSV cells; `attackerStart`: the attacker's value at block 0 (for its P&L). */
export function metricsRow(s: Sample, markets: string[], attackerStart = 0n): string[] {
  return [
    String(s.block),
    String(s.tSeconds),
    ...markets.flatMap((m) => {
      const o = s.oraclePrice[m];
      return [String(s.truePrice[m] ?? ''), o === undefined ? '' : dec18(o), micro(s.oi[m] ?? 0n)];
    }),
    ...markets.flatMap((v) => [micro(s.vaultEquity[v] ?? 0n), micro(s.badDebt[v] ?? 0n)]),
    micro(s.coc),
    micro(s.pfc),
    micro((s.coc * E18) / (E18 + s.gamma)),
    s.ratio === undefined ? '' : dec18(s.ratio),
    micro(s.bondedStake),
    micro(s.burned),
    dec18(s.apr),
    micro(s.attackerValue - attackerStart),
  ];
}

export function metricsCsv(r: RunResult, markets: string[]): string {
  const lines = [metricsColumns(markets).join(',')];
  const start = r.samples[0]?.attackerValue ?? 0n;
  for (const s of r.samples) lines.push(metricsRow(s, markets, start).join(','));
  return `${lines.join('\n')}\n`;
}

export function eventsCsv(r: RunResult): string {
  const lines = ['block,kind,subject,amount'];
  for (const e of r.events) lines.push(`${e.block},${e.kind},${e.subject},${e.amount ?? ''}`);
  return `${lines.join('\n')}\n`;
}

export function runDir(r: { point: string; run: number }, points: string[]): string {
  const p = Math.max(0, points.indexOf(r.point));
  return `p${String(p).padStart(2, '0')}-r${String(r.run).padStart(4, '0')}`;
}

/** Writes summary.json and every run's CSVs; returns the summary. */
export async function writeOutputs(
  out: string,
  scenario: Scenario,
  results: RunResult[],
): Promise<Record<string, unknown>> {
  const markets = scenario.genesis.markets.map((m) => m.id);
  const points = scenario.points.map((p) => p.label);
  await mkdir(join(out, 'runs'), { recursive: true });
  for (const r of results) {
    const dir = join(out, 'runs', runDir(r, points));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'metrics.csv'), metricsCsv(r, markets));
    await writeFile(join(dir, 'events.csv'), eventsCsv(r));
  }
  const summary = summarize(scenario, results);
  await writeFile(join(out, 'summary.json'), stableJson(summary));
  return summary;
}
