import { esc, formatInt, slug } from '../format.ts';
import { figure, note, type Section, section } from '../html.ts';
import { decimateMinMax, runLabel, runSeries, seriesSuffixes } from '../series.ts';
import { type Line, xyChart } from '../svg/line.ts';
import { categorical } from '../svg/palette.ts';
import {
  HALF_WIDTH,
  MAX_LEGEND_RUNS,
  MAX_POINTS,
  MAX_RUN_LINES,
  type SectionContext,
} from './context.ts';

/** Price paths: one chart per `price:<asset>` series, one line per run. */
export function pricesSection(ctx: SectionContext): Section {
  const { runs, markets } = ctx.input;
  const assets = seriesSuffixes(runs, 'price:', markets);
  const parts: string[] = [];
  if (assets.length === 0) {
    parts.push(note('No price series (named price:<asset>) in this simulation: nothing to draw.'));
  }
  const drawn = runs.slice(0, MAX_RUN_LINES);
  for (const asset of assets) {
    const lines: Line[] = [];
    drawn.forEach((run, i) => {
      const s = runSeries(run, `price:${asset}`);
      if (!s) return;
      const d = decimateMinMax(s.x, s.y, MAX_POINTS);
      lines.push({
        label: runLabel(run),
        x: d.x,
        y: d.y,
        color: categorical(i),
        width: 1.5,
        opacity: 0.9,
        legend: i < MAX_LEGEND_RUNS,
      });
    });
    if (lines.length === 0) {
      parts.push(note(`No run has samples of price:${asset}.`));
      continue;
    }
    const svg = xyChart({
      id: ctx.ids.make(`chart-price-${slug(asset)}`),
      kind: 'line',
      title: `${asset} price paths`,
      desc: `Reference price of ${asset} at each block, one line per run (${lines.length} runs).`,
      xLabel: 'block',
      yLabel: `${asset} price`,
      lines,
      width: HALF_WIDTH,
      height: 300,
    });
    const extra =
      runs.length > drawn.length
        ? ` Showing the first ${formatInt(drawn.length)} of ${formatInt(runs.length)} runs.`
        : '';
    parts.push(
      figure(
        svg,
        `<strong>${esc(asset)}</strong>: the price every honest validator observed, per run.${esc(extra)}`,
      ),
    );
  }
  return section(
    'prices',
    'Price paths',
    'The reference (“true”) price each run was driven by. Runs differ only by their seed; spread between lines is the randomness of the price process.',
    `<div class="grid">${parts.join('')}</div>`,
  );
}
