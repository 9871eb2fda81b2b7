import { esc, formatInt, tickFormat } from '../format.ts';
import { renderAxes } from './axes.ts';
import { type Plot, svgDoc, textWidth } from './doc.ts';
import { type LegendItem, legendHeight, renderLegend } from './legend.ts';
import { areaPath, linePath, rectPath } from './path.ts';
import { type Domain, extent, linearScale, niceDomain } from './scale.ts';

/** A series drawn as a line; a non-finite y leaves a gap. */
export interface Line {
  label: string;
  x: readonly number[];
  y: readonly number[];
  color: string;
  dashed?: boolean;
  width?: number;
  opacity?: number;
  /** Leave it out of the legend (e.g. the 30th run of a price chart). */
  legend?: boolean;
}

/** A shaded band between two series (a fan chart's quantile ranges). */
export interface Band {
  label: string;
  x: readonly number[];
  lo: readonly number[];
  hi: readonly number[];
  color: string;
  opacity: number;
}

/** A shaded vertical strip over an x interval, behind the data (e.g. "insecure here"). */
export interface Strip {
  from: number;
  to: number;
  opacity: number;
  /** Tooltip of the strip. */
  title: string;
}

export interface XYChart {
  id: string;
  /** Which chart kind this is (`line`, `fan`, `security`), written as `data-chart`. */
  kind?: string;
  title: string;
  desc: string;
  xLabel: string;
  yLabel: string;
  lines: readonly Line[];
  bands?: readonly Band[];
  strips?: readonly Strip[];
  stripColor?: string;
  stripLabel?: string;
  yFormat?: (v: number) => string;
  xFormat?: (v: number) => string;
  /** Extend the y axis to 0 (amounts), rather than fitting the data (prices). */
  yIncludeZero?: boolean;
  width?: number;
  height?: number;
}

/** The y interval every line and band needs, optionally stretched to include 0. */
function yDomain(chart: XYChart): Domain {
  const lists: (readonly number[])[] = chart.lines.map((l) => l.y);
  for (const b of chart.bands ?? []) lists.push(b.lo, b.hi);
  const d = extent(lists) ?? { min: 0, max: 1 };
  if (chart.yIncludeZero) return { min: Math.min(0, d.min), max: Math.max(0, d.max) };
  // A little headroom so that lines do not run along the frame, but never below zero for
  // data that cannot be negative (prices, equity): a "-100k" tick would only confuse.
  const pad = (d.max - d.min) * 0.04;
  return { min: d.min >= 0 ? Math.max(0, d.min - pad) : d.min - pad, max: d.max + pad };
}

/**
 * An x/y chart: strips behind, then bands, then lines, with axes, grid and a legend on top.
 * Used directly for price paths and by the fan and security charts.
 */
export function xyChart(chart: XYChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 320;
  const xFormat = chart.xFormat ?? formatInt;

  const legend: LegendItem[] = [];
  for (const b of chart.bands ?? []) {
    legend.push({ label: b.label, color: b.color, swatch: 'area', opacity: b.opacity });
  }
  for (const l of chart.lines) {
    if (l.legend === false) continue;
    legend.push({ label: l.label, color: l.color, swatch: l.dashed ? 'dash' : 'line' });
  }
  if ((chart.strips?.length ?? 0) > 0 && chart.stripLabel) {
    legend.push({
      label: chart.stripLabel,
      color: chart.stripColor ?? '#c8403d',
      swatch: 'area',
      opacity: 0.25,
    });
  }

  const y = niceDomain(yDomain(chart), 6);
  const yFormat = chart.yFormat ?? tickFormat(y.ticks);
  const xExtent = extent(chart.lines.map((l) => l.x).concat((chart.bands ?? []).map((b) => b.x)));
  const x = niceDomain(xExtent ?? { min: 0, max: 1 }, 8);
  // Fit the data exactly on x (blocks): ticks inside the data range only.
  const xDom = xExtent && xExtent.max > xExtent.min ? xExtent : x.domain;
  const xTicks = x.ticks.filter((t) => t >= xDom.min && t <= xDom.max);

  const labelWidth = Math.max(...y.ticks.map((t) => textWidth(yFormat(t), 11)));
  const left = Math.ceil(34 + labelWidth);
  const right = width - 16;
  const legendTop = 10;
  const lh = legendHeight(legend, right - left);
  const plot: Plot = {
    left,
    right,
    top: legendTop + lh + (lh > 0 ? 12 : 6),
    bottom: height - 44,
  };
  const sx = linearScale(xDom, plot.left, plot.right);
  const sy = linearScale(y.domain, plot.bottom, plot.top);
  const clip = `${chart.id}-clip`;

  const body: string[] = [
    renderAxes(
      plot,
      { ticks: xTicks, scale: sx, label: chart.xLabel, format: xFormat },
      { ticks: y.ticks, scale: sy, label: chart.yLabel, format: yFormat },
    ),
    `<g clip-path="url(#${esc(clip)})">`,
  ];
  for (const s of chart.strips ?? []) {
    const x0 = sx(s.from);
    const w = Math.max(1, sx(s.to) - x0);
    body.push(
      `<path class="strip" d="${rectPath(x0, plot.top, w, plot.bottom - plot.top)}" fill="${chart.stripColor ?? '#c8403d'}" fill-opacity="${s.opacity.toFixed(3)}"><title>${esc(s.title)}</title></path>`,
    );
  }
  for (const b of chart.bands ?? []) {
    const d = areaPath(b.x, b.lo, b.hi, sx, sy);
    if (d === '') continue;
    body.push(
      `<path class="band" d="${d}" fill="${b.color}" fill-opacity="${b.opacity}" stroke="none"><title>${esc(b.label)}</title></path>`,
    );
  }
  for (const l of chart.lines) {
    const d = linePath(l.x, l.y, sx, sy);
    if (d === '') continue;
    const dash = l.dashed ? ' stroke-dasharray="6 4"' : '';
    const op = l.opacity !== undefined ? ` stroke-opacity="${l.opacity}"` : '';
    body.push(
      `<path class="series" d="${d}" fill="none" stroke="${l.color}" stroke-width="${l.width ?? 1.8}" stroke-linejoin="round" stroke-linecap="round"${dash}${op}><title>${esc(l.label)}</title></path>`,
    );
  }
  body.push('</g>', renderLegend(legend, left, legendTop, right - left));

  return svgDoc({
    id: chart.id,
    kind: chart.kind ?? 'line',
    title: chart.title,
    desc: chart.desc,
    width,
    height,
    defs: `<clipPath id="${esc(clip)}"><path d="${rectPath(plot.left, plot.top - 2, plot.right - plot.left, plot.bottom - plot.top + 4)}"/></clipPath>`,
    body: body.join(''),
  });
}
