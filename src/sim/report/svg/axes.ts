import { esc } from '../format.ts';
import type { Plot } from './doc.ts';
import { COLORS } from './palette.ts';
import type { Scale } from './path.ts';

export interface AxisSpec {
  ticks: number[];
  scale: Scale;
  label: string;
  format: (v: number) => string;
}

/**
 * Grid lines, tick labels and axis titles for an x/y chart. Horizontal grid lines at every
 * y tick (they carry the reading of values); x ticks get short marks only, to keep the plot
 * calm.
 */
export function renderAxes(plot: Plot, x: AxisSpec, y: AxisSpec): string {
  const out: string[] = ['<g class="axes" font-size="11" fill="#5b6675">'];
  for (const t of y.ticks) {
    const py = y.scale(t).toFixed(1);
    out.push(
      `<line x1="${plot.left}" x2="${plot.right}" y1="${py}" y2="${py}" stroke="${COLORS.grid}"/>`,
      `<text x="${plot.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${esc(y.format(t))}</text>`,
    );
  }
  out.push(
    `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="${COLORS.axis}"/>`,
  );
  for (const t of x.ticks) {
    const px = x.scale(t).toFixed(1);
    out.push(
      `<line x1="${px}" x2="${px}" y1="${plot.bottom}" y2="${plot.bottom + 4}" stroke="${COLORS.axis}"/>`,
      `<text x="${px}" y="${plot.bottom + 16}" text-anchor="middle">${esc(x.format(t))}</text>`,
    );
  }
  const midX = ((plot.left + plot.right) / 2).toFixed(1);
  const midY = ((plot.top + plot.bottom) / 2).toFixed(1);
  out.push(
    `<text x="${midX}" y="${plot.bottom + 34}" text-anchor="middle" fill="${COLORS.ink}">${esc(x.label)}</text>`,
    `<text transform="translate(14 ${midY}) rotate(-90)" text-anchor="middle" fill="${COLORS.ink}">${esc(y.label)}</text>`,
    '</g>',
  );
  return out.join('');
}
