import { esc, formatNumber } from '../format.ts';
import { svgDoc, textWidth } from './doc.ts';
import { COLORS, heatColor, textOn } from './palette.ts';
import { rectPath } from './path.ts';

export interface Heatmap {
  id: string;
  title: string;
  desc: string;
  /** Row labels (e.g. the market that collapsed). */
  rows: readonly string[];
  /** Column labels (e.g. the vault that lost). */
  cols: readonly string[];
  /** `values[i][j]` for row i, column j; a missing or non-finite cell prints as `–`. */
  values: readonly (readonly number[])[];
  rowTitle: string;
  colTitle: string;
  format?: (v: number) => string;
  /** Cells where a value is expected (a market's own vault), outlined in grey. */
  expected?: (row: number, col: number) => boolean;
  /** Tooltip of a cell. */
  cellTitle?: (row: number, col: number, value: number) => string;
}

const CELL_H = 46;
const SCALE_LABEL = 'colour scale (loss)';

/**
 * A matrix as coloured cells with their values written in, a colour scale below. The colour
 * is linear in the value from 0 to the largest value; cells outside `expected` that are
 * above zero get a red outline, because that is the thing to notice (contagion).
 */
export function heatmap(h: Heatmap): string {
  const fmt = h.format ?? ((v: number) => formatNumber(v));
  const cell = (i: number, j: number): number => h.values[i]?.[j] ?? Number.NaN;
  let max = 0;
  h.rows.forEach((_, i) => {
    h.cols.forEach((_, j) => {
      const v = cell(i, j);
      if (Number.isFinite(v) && v > max) max = v;
    });
  });

  const rowLabelW = Math.max(
    textWidth(`${h.rowTitle} ↓`, 12),
    ...h.rows.map((r) => textWidth(r, 12)),
  );
  const cellW = Math.max(124, ...h.cols.map((c) => textWidth(c, 12) + 16));
  const left = Math.ceil(rowLabelW + 24);
  const top = 58;
  const gridW = cellW * h.cols.length;
  const gridH = CELL_H * h.rows.length;
  const barW = Math.min(260, Math.max(160, gridW));
  const width = Math.max(left + gridW + 20, left + barW + 12 + textWidth(SCALE_LABEL, 11) + 12);
  const height = top + gridH + 78;

  const out: string[] = [];
  out.push(
    `<text x="${(left + gridW / 2).toFixed(1)}" y="20" text-anchor="middle" font-size="12" fill="${COLORS.ink}" font-weight="600">${esc(h.colTitle)}</text>`,
    `<text x="${left - 8}" y="${top - 10}" text-anchor="end" font-size="12" fill="${COLORS.ink}" font-weight="600">${esc(h.rowTitle)} ↓</text>`,
  );
  h.cols.forEach((c, j) => {
    out.push(
      `<text x="${(left + cellW * j + cellW / 2).toFixed(1)}" y="${top - 10}" text-anchor="middle" font-size="12" fill="${COLORS.ink}">${esc(c)}</text>`,
    );
  });
  h.rows.forEach((r, i) => {
    out.push(
      `<text x="${left - 8}" y="${(top + CELL_H * i + CELL_H / 2).toFixed(1)}" text-anchor="end" dominant-baseline="middle" font-size="12" fill="${COLORS.ink}">${esc(r)}</text>`,
    );
    h.cols.forEach((c, j) => {
      const v = cell(i, j);
      const t = max > 0 && Number.isFinite(v) ? Math.max(0, v) / max : 0;
      const x = left + cellW * j;
      const y = top + CELL_H * i;
      const own = h.expected?.(i, j) ?? false;
      const leak = !own && Number.isFinite(v) && v > 0;
      const stroke = leak
        ? ` stroke="${COLORS.danger}" stroke-width="2.5"`
        : own
          ? ` stroke="${COLORS.axis}" stroke-width="1.5" stroke-dasharray="4 3"`
          : ' stroke="#ffffff" stroke-width="2"';
      const inset = leak || own ? 1.5 : 0;
      const title = h.cellTitle?.(i, j, v) ?? `${r} → ${c}: ${fmt(v)}`;
      out.push(
        `<g class="cell"><path d="${rectPath(x + inset, y + inset, cellW - 2 * inset, CELL_H - 2 * inset)}" fill="${Number.isFinite(v) ? heatColor(t) : '#ffffff'}"${stroke}/>`,
        `<text x="${(x + cellW / 2).toFixed(1)}" y="${(y + CELL_H / 2).toFixed(1)}" text-anchor="middle" dominant-baseline="middle" font-size="13" fill="${textOn(t)}"${leak ? ' font-weight="700"' : ''}>${esc(Number.isFinite(v) ? fmt(v) : '–')}</text>`,
        `<title>${esc(title)}</title></g>`,
      );
    });
  });

  // Colour scale: 0 … max.
  const barY = top + gridH + 30;
  const grad = `${h.id}-scale`;
  out.push(
    `<path class="scale" d="${rectPath(left, barY, barW, 10)}" fill="url(#${esc(grad)})" stroke="${COLORS.axis}" stroke-width="0.5"/>`,
    `<g font-size="11" fill="${COLORS.muted}">`,
    `<text x="${left}" y="${barY + 24}" text-anchor="start">0</text>`,
    `<text x="${left + barW}" y="${barY + 24}" text-anchor="end">${esc(fmt(max))}</text>`,
    `<text x="${left + barW + 12}" y="${barY + 9}">${SCALE_LABEL}</text>`,
    '</g>',
  );
  const stops = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<stop offset="${t}" stop-color="${heatColor(t)}"/>`)
    .join('');

  return svgDoc({
    id: h.id,
    kind: 'heatmap',
    title: h.title,
    desc: h.desc,
    width: Math.ceil(width),
    height,
    defs: `<linearGradient id="${esc(grad)}" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient>`,
    body: out.join(''),
  });
}
