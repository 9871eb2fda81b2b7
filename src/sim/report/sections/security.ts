import { esc, formatInt, formatNumber, formatPercent } from '../format.ts';
import { callout, figure, note, type Section, section } from '../html.ts';
import { groupByPoint, hasSeries, runSeries, samplesByBlock, strideIndices } from '../series.ts';
import { type FanQuantiles, fanQuantiles } from '../svg/fan.ts';
import { type Band, type Line, type Strip, xyChart } from '../svg/line.ts';
import { COLORS } from '../svg/palette.ts';
import type { RunReport } from '../types.ts';
import { FULL_WIDTH, MAX_POINTS, type SectionContext } from './context.ts';

/**
 * The safety margin γ, if the summary carries it: `gamma`, `risk.gamma` or
 * `params.risk.gamma`, as a number or a decimal string.
 */
export function findGamma(summary: Record<string, unknown>): number | undefined {
  const at = (path: string[]): unknown =>
    path.reduce<unknown>(
      (o, k) =>
        o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined,
      summary,
    );
  for (const path of [['gamma'], ['risk', 'gamma'], ['params', 'risk', 'gamma']]) {
    const v = at(path);
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n;
  }
  return undefined;
}

/** How "insecure" is decided, from the most to the least direct evidence available. */
export type SecurityRule = { kind: 'limit' } | { kind: 'gamma'; gamma: number } | { kind: 'plain' };

/** For one run: the blocks and whether the market set was insecure there. */
export function insecureBlocks(run: RunReport, rule: SecurityRule): Map<number, boolean> {
  const out = new Map<number, boolean>();
  const coc = runSeries(run, 'coc');
  const pfc = runSeries(run, 'pfc');
  const limit = runSeries(run, 'pfcLimit');
  if (!pfc) return out;
  pfc.x.forEach((block, i) => {
    const p = pfc.y[i]!;
    let insecure: boolean | undefined;
    if (rule.kind === 'limit') {
      const l = limit?.y[i];
      if (l !== undefined && Number.isFinite(l)) insecure = p > l;
    } else {
      const c = coc?.y[i];
      const g = rule.kind === 'gamma' ? rule.gamma : 0;
      if (c !== undefined && Number.isFinite(c)) insecure = c < (1 + g) * p;
    }
    if (insecure !== undefined && Number.isFinite(p)) out.set(block, insecure);
  });
  return out;
}

/** Shading levels of the insecure strips: the share of insecure runs rounded up to quarters. */
const LEVELS = 4;

/**
 * Strips over the blocks where at least one run was insecure, darker the more runs were (the
 * share rounded up to a quarter, so that 30 runs do not flicker into 30 shades); neighbouring
 * blocks at the same level merge into one strip, whose tooltip gives the range of counts.
 * A strip reaches to the next sampled block.
 */
export function insecureStrips(runs: readonly RunReport[], rule: SecurityRule): Strip[] {
  const perRun = runs.map((r) => insecureBlocks(r, rule));
  const blocks = [...new Set(perRun.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const strips: Strip[] = [];
  let open: { from: number; level: number; low: number; high: number; total: number } | undefined;
  const close = (to: number): void => {
    if (open && open.level > 0) {
      const count = open.low === open.high ? `${open.low}` : `${open.low}–${open.high}`;
      strips.push({
        from: open.from,
        to,
        opacity: 0.06 + (0.24 * open.level) / LEVELS,
        title: `blocks ${formatInt(open.from)}–${formatInt(to)}: insecure in ${count} of ${open.total} runs`,
      });
    }
    open = undefined;
  };
  blocks.forEach((block, i) => {
    let bad = 0;
    let total = 0;
    for (const m of perRun) {
      const v = m.get(block);
      if (v === undefined) continue;
      total++;
      if (v) bad++;
    }
    const level = total === 0 ? 0 : Math.ceil((bad / total) * LEVELS);
    if (!open || open.level !== level || open.total !== total) {
      close(block);
      open = { from: block, level, low: bad, high: bad, total };
    } else {
      open.low = Math.min(open.low, bad);
      open.high = Math.max(open.high, bad);
    }
    if (i === blocks.length - 1) close(block + (i > 0 ? block - blocks[i - 1]! : 1));
  });
  return strips;
}

/** Quantiles across runs per block of one series, thinned to at most MAX_POINTS blocks. */
function acrossRuns(runs: readonly RunReport[], name: string): FanQuantiles {
  const all = samplesByBlock(runs, name);
  const keep = strideIndices(all.x.length, MAX_POINTS);
  return fanQuantiles(
    keep.map((i) => all.x[i]!),
    keep.map((i) => all.samples[i]!),
  );
}

/** Cost of corruption vs profit from corruption over time, with the insecure blocks shaded. */
export function securitySection(ctx: SectionContext): Section {
  const { runs, summary } = ctx.input;
  const intro =
    'Cost of corruption (CoC: what an attacker controlling enough stake would lose to slashing) against profit from corruption (PfC: what moving the oracle could earn, open interest × largest move). The protocol keeps CoC ≥ (1+γ)·PfC by capping open interest; shaded blocks are where that failed.';
  if (!hasSeries(runs, 'coc') || !hasSeries(runs, 'pfc')) {
    const missing = ['coc', 'pfc'].filter((n) => !hasSeries(runs, n)).join(' and ');
    return section(
      'security',
      'Cost vs profit of corruption',
      intro,
      note(`This simulation recorded no ${missing} series: the CoC vs PfC chart is omitted.`),
    );
  }
  const gamma = findGamma(summary);
  const rule: SecurityRule = hasSeries(runs, 'pfcLimit')
    ? { kind: 'limit' }
    : gamma !== undefined
      ? { kind: 'gamma', gamma }
      : { kind: 'plain' };
  const condition =
    rule.kind === 'limit'
      ? gamma !== undefined
        ? `PfC > CoC/(1+γ), γ = ${formatNumber(gamma)}`
        : 'PfC > PfC limit'
      : rule.kind === 'gamma'
        ? `CoC < (1+γ)·PfC, γ = ${formatNumber(rule.gamma)}`
        : 'CoC < PfC (γ unknown)';

  const parts: string[] = [];
  for (const group of groupByPoint(runs)) {
    const coc = acrossRuns(group.runs, 'coc');
    const pfc = acrossRuns(group.runs, 'pfc');
    const lines: Line[] = [
      { label: 'CoC (median)', x: coc.x, y: coc.p50, color: COLORS.coc, width: 2.2 },
      { label: 'PfC (median)', x: pfc.x, y: pfc.p50, color: COLORS.pfc, width: 2.2 },
    ];
    // The spread across runs explains a strip where the medians look safe.
    const bands: Band[] =
      group.runs.length < 2
        ? []
        : [
            {
              label: 'CoC 10–90 %',
              x: coc.x,
              lo: coc.p10,
              hi: coc.p90,
              color: COLORS.coc,
              opacity: 0.14,
            },
            {
              label: 'PfC 10–90 %',
              x: pfc.x,
              lo: pfc.p10,
              hi: pfc.p90,
              color: COLORS.pfc,
              opacity: 0.14,
            },
          ];
    if (rule.kind === 'limit') {
      const lim = acrossRuns(group.runs, 'pfcLimit');
      lines.push({
        label: 'PfC limit (median)',
        x: lim.x,
        y: lim.p50,
        color: COLORS.limit,
        dashed: true,
      });
    } else if (rule.kind === 'gamma') {
      const g = rule.gamma;
      lines.push({
        label: 'budget CoC/(1+γ) (median)',
        x: coc.x,
        y: coc.p50.map((c) => c / (1 + g)),
        color: COLORS.limit,
        dashed: true,
      });
    }
    const strips = insecureStrips(group.runs, rule);
    const where = group.point === '' ? '' : ` (${group.point})`;
    const svg = xyChart({
      id: ctx.ids.make('chart-security'),
      kind: 'security',
      title: `Cost vs profit of corruption${where}`,
      desc: `Median CoC and PfC across ${group.runs.length} runs per block; shaded where ${condition} in some run.`,
      xLabel: 'block',
      yLabel: 'USD',
      lines,
      bands,
      strips,
      stripColor: COLORS.danger,
      stripLabel: `insecure: ${condition} (darker = more runs)`,
      yIncludeZero: true,
      width: FULL_WIDTH,
      height: 360,
    });
    const insecureRuns = group.runs.filter((r) =>
      [...insecureBlocks(r, rule).values()].some(Boolean),
    ).length;
    const status =
      insecureRuns === 0
        ? callout('ok', `Secure throughout: no run had a block where ${esc(condition)}.`)
        : callout(
            'alert',
            `${insecureRuns} of ${group.runs.length} runs (${formatPercent(insecureRuns / group.runs.length)}) had blocks where ${esc(condition)}.`,
          );
    parts.push(
      status,
      figure(svg, `CoC vs PfC${esc(where)}. Hover a shaded strip for its blocks.`),
    );
  }
  return section('security', 'Cost vs profit of corruption', intro, parts.join(''));
}
