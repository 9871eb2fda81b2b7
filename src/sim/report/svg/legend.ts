import { esc } from '../format.ts';
import { textWidth } from './doc.ts';

/** One legend entry: a swatch drawn the way the series is drawn, and its label. */
export interface LegendItem {
  label: string;
  color: string;
  swatch: 'line' | 'dash' | 'area' | 'marker';
  /** Opacity of an `area` swatch. */
  opacity?: number;
  /** Path data of a `marker` swatch centred on (0, 0). */
  marker?: string;
}

const SWATCH = 18;
const GAP = 16;
const ROW = 18;

/** How the legend wraps into rows within `width`: x offset of each item and its row. */
export function legendLayout(
  items: readonly LegendItem[],
  width: number,
): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const item of items) {
    const w = SWATCH + 6 + textWidth(item.label, 11);
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    out.push({ x, row });
    x += w + GAP;
  }
  return out;
}

/** Height in pixels the legend needs (0 without items). */
export function legendHeight(items: readonly LegendItem[], width: number): number {
  const layout = legendLayout(items, width);
  return layout.length === 0 ? 0 : (layout[layout.length - 1]!.row + 1) * ROW;
}

/** The legend as an SVG group whose top-left corner is (x0, y0). */
export function renderLegend(
  items: readonly LegendItem[],
  x0: number,
  y0: number,
  width: number,
): string {
  if (items.length === 0) return '';
  const layout = legendLayout(items, width);
  const out: string[] = ['<g class="legend" font-size="11" fill="#1d2430">'];
  items.forEach((item, i) => {
    const { x, row } = layout[i]!;
    const gx = x0 + x;
    const gy = y0 + row * ROW + ROW / 2;
    out.push(`<g transform="translate(${gx.toFixed(1)} ${gy.toFixed(1)})">`);
    if (item.swatch === 'area') {
      out.push(
        `<path d="M0 -6h${SWATCH}v12h-${SWATCH}Z" fill="${item.color}" fill-opacity="${item.opacity ?? 0.3}"/>`,
      );
    } else if (item.swatch === 'marker') {
      out.push(
        `<path transform="translate(${SWATCH / 2} 0)" d="${item.marker ?? 'M-4 -4h8v8h-8Z'}" fill="${item.color}"/>`,
      );
    } else {
      const dash = item.swatch === 'dash' ? ' stroke-dasharray="4 3"' : '';
      out.push(`<path d="M0 0h${SWATCH}" stroke="${item.color}" stroke-width="2.5"${dash}/>`);
    }
    out.push(
      `<text x="${SWATCH + 6}" y="0" dominant-baseline="middle">${esc(item.label)}</text>`,
      '</g>',
    );
  });
  out.push('</g>');
  return out.join('');
}
