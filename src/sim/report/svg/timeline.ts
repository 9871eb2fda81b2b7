import { esc, formatInt } from '../format.ts';
import { renderAxes } from './axes.ts';
import { svgDoc, textWidth } from './doc.ts';
import { COLORS, categorical } from './palette.ts';
import { MARKER_SHAPES, type MarkerShape, markerPath, rectPath } from './path.ts';
import { linearScale, niceDomain } from './scale.ts';

export interface TimelineEvent {
  block: number;
  kind: string;
  /** Which run it happened in (0-based position among the runs drawn), for its row in the lane. */
  lane: number;
  /** Size, when the event has one (drawn as a larger marker). */
  amount?: number;
  /** Tooltip text. */
  title: string;
}

export interface Timeline {
  id: string;
  title: string;
  desc: string;
  /** Event kinds in lane order (top to bottom). */
  kinds: readonly string[];
  events: readonly TimelineEvent[];
  /** How many sub-rows a lane has (the number of runs). */
  laneRows: number;
  /** The block range of the scenario. */
  from: number;
  to: number;
  xLabel: string;
  width?: number;
}

/** The marker shape and colour of the k-th event kind. */
export function kindStyle(k: number): { shape: MarkerShape; color: string } {
  return { shape: MARKER_SHAPES[k % MARKER_SHAPES.length]!, color: categorical(k + 3) };
}

/** Lane height: room for every run's row, within limits. */
function laneHeight(rows: number): number {
  return Math.min(120, Math.max(40, 16 + 3 * rows));
}

/**
 * Events over time: one lane per kind, one marker per event at its block, runs spread over
 * the height of the lane. Marker area grows with the event's amount, relative to the largest
 * amount of its kind.
 */
export function timeline(t: Timeline): string {
  const width = t.width ?? 760;
  const laneH = laneHeight(t.laneRows);
  const labelW = Math.max(60, ...t.kinds.map((k) => textWidth(k, 12)));
  const plot = {
    left: Math.ceil(labelW + 40),
    right: width - 16,
    top: 12,
    bottom: 12 + laneH * Math.max(1, t.kinds.length),
  };
  const height = plot.bottom + 46;
  const x = niceDomain({ min: t.from, max: t.to }, 8);
  const xDom = t.to > t.from ? { min: t.from, max: t.to } : x.domain;
  const sx = linearScale(xDom, plot.left, plot.right);
  const xTicks = x.ticks.filter((v) => v >= xDom.min && v <= xDom.max);

  const maxAmount = new Map<string, number>();
  for (const e of t.events) {
    if (e.amount !== undefined && Number.isFinite(e.amount)) {
      maxAmount.set(e.kind, Math.max(maxAmount.get(e.kind) ?? 0, Math.abs(e.amount)));
    }
  }

  const out: string[] = [];
  t.kinds.forEach((kind, k) => {
    const y0 = plot.top + laneH * k;
    const { shape, color } = kindStyle(k);
    out.push(
      `<path d="${rectPath(plot.left, y0, plot.right - plot.left, laneH)}" fill="${k % 2 === 0 ? '#f3f5f8' : '#fbfcfd'}" stroke="${COLORS.grid}" stroke-width="0.6"/>`,
      `<path transform="translate(${plot.left - 14 - textWidth(kind, 12)} ${y0 + laneH / 2})" d="${markerPath(shape, 0, 0, 4.5)}" fill="${color}"/>`,
      `<text x="${plot.left - 8}" y="${y0 + laneH / 2}" text-anchor="end" dominant-baseline="middle" font-size="12" fill="${COLORS.ink}">${esc(kind)}</text>`,
    );
  });
  out.push(
    renderAxes(
      plot,
      { ticks: xTicks, scale: sx, label: t.xLabel, format: formatInt },
      { ticks: [], scale: () => 0, label: '', format: String },
    ),
  );
  const rows = Math.max(1, t.laneRows);
  // One group per kind carries the style, so each marker is only its shape and tooltip.
  t.kinds.forEach((kind, k) => {
    const { shape, color } = kindStyle(k);
    const max = maxAmount.get(kind) ?? 0;
    out.push(
      `<g class="events" fill="${color}" fill-opacity="0.85" stroke="#ffffff" stroke-width="0.8">`,
    );
    for (const e of t.events) {
      if (e.kind !== kind || !Number.isFinite(e.block)) continue;
      const frac = rows === 1 ? 0.5 : (e.lane % rows) / (rows - 1);
      const cy = plot.top + laneH * k + 10 + frac * (laneH - 20);
      const r =
        e.amount !== undefined && max > 0 ? 3.5 + 3.5 * Math.sqrt(Math.abs(e.amount) / max) : 4.5;
      out.push(
        `<path class="event" d="${markerPath(shape, sx(e.block), cy, r)}"><title>${esc(e.title)}</title></path>`,
      );
    }
    out.push('</g>');
  });

  return svgDoc({
    id: t.id,
    kind: 'timeline',
    title: t.title,
    desc: t.desc,
    width,
    height,
    body: out.join(''),
  });
}
