import { esc, formatDuration, formatInt } from './format.ts';
import { IdMaker, page } from './html.ts';
import { contagionSection } from './sections/contagion.ts';
import type { SectionContext } from './sections/context.ts';
import { eventsSection } from './sections/events.ts';
import { pricesSection } from './sections/prices.ts';
import { securitySection } from './sections/security.ts';
import { summarySection } from './sections/summary.ts';
import { vaultsSection } from './sections/vaults.ts';
import { groupByPoint, scenarioDurationMs } from './series.ts';
import type { ReportInput } from './types.ts';

/** The key numbers of the run set, as cards above the charts. */
function stats(input: ReportInput): string {
  const events = input.runs.reduce((n, r) => n + r.events.length, 0);
  const points = groupByPoint(input.runs).length;
  const cards: [string, string][] = [
    [formatInt(input.runs.length), points > 1 ? `runs over ${points} sweep points` : 'runs'],
    [formatInt(input.scenario.blocks), 'blocks per run'],
    [
      formatDuration(scenarioDurationMs(input)),
      `simulated (${formatDuration(input.scenario.blockTimeMs)} blocks)`,
    ],
    [formatInt(input.markets.length), 'markets'],
    [formatInt(input.vaults.length), 'vaults'],
    [formatInt(events), 'events'],
  ];
  return `<div class="stats">${cards
    .map(
      ([v, k]) =>
        `<div class="stat"><div class="v">${esc(v)}</div><div class="k">${esc(k)}</div></div>`,
    )
    .join('')}</div>`;
}

/**
 * The simulation report: one self-contained HTML page (inline CSS and SVG, no scripts, no
 * external resources). Deterministic: the same input gives the same bytes.
 *
 * @example
 * await writeFile(join(outDir, 'report.html'), renderReport(input));
 */
export function renderReport(input: ReportInput): string {
  const ctx: SectionContext = { input, ids: new IdMaker() };
  const sections = [
    summarySection(ctx),
    pricesSection(ctx),
    vaultsSection(ctx),
    securitySection(ctx),
    eventsSection(ctx),
    contagionSection(ctx),
  ];
  const marketList = input.markets.length > 0 ? input.markets.join(', ') : 'none';
  return page({
    title: input.scenario.name,
    eyebrow: 'Bulwark simulation report',
    descriptionHtml: `<p class="desc">${esc(input.scenario.description)}</p>`,
    headerExtraHtml: stats(input),
    sections,
    footerHtml: `Scenario <strong>${esc(input.scenario.name)}</strong> · markets: ${esc(marketList)} · seeds: ${esc(
      input.runs
        .slice(0, 8)
        .map((r) => r.seed)
        .join(', ') + (input.runs.length > 8 ? ', …' : ''),
    )}. Figures are display values; exact ones are in summary.json and metrics.csv.`,
  });
}
