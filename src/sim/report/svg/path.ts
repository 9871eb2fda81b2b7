import { coord } from '../format.ts';

/** Maps a data value to a pixel coordinate. */
export type Scale = (v: number) => number;

/**
 * Path data for a polyline through (x[i], y[i]). A non-finite y breaks the line (a gap, not a
 * drop to zero), so a series that starts late or has holes is drawn honestly.
 * Returns '' when no point is drawable.
 */
export function linePath(x: readonly number[], y: readonly number[], sx: Scale, sy: Scale): string {
  const parts: string[] = [];
  let pen = false;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const xv = x[i]!;
    const yv = y[i]!;
    if (!Number.isFinite(xv) || !Number.isFinite(yv)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${coord(sx(xv))} ${coord(sy(yv))}`);
    pen = true;
  }
  return parts.join('');
}

/**
 * Path data for the band between `lo` and `hi` over x: one closed shape per run of finite
 * points (up along `hi`, back along `lo`). Returns '' when no point is drawable.
 */
export function areaPath(
  x: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  sx: Scale,
  sy: Scale,
): string {
  const shapes: string[] = [];
  let run: number[] = [];
  const flush = (): void => {
    if (run.length > 0) {
      const top = run.map(
        (i, k) => `${k === 0 ? 'M' : 'L'}${coord(sx(x[i]!))} ${coord(sy(hi[i]!))}`,
      );
      const bottom = [...run].reverse().map((i) => `L${coord(sx(x[i]!))} ${coord(sy(lo[i]!))}`);
      shapes.push(`${top.join('')}${bottom.join('')}Z`);
    }
    run = [];
  };
  const n = Math.min(x.length, lo.length, hi.length);
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(lo[i]) && Number.isFinite(hi[i])) run.push(i);
    else flush();
  }
  flush();
  return shapes.join('');
}

/** Path data for an axis-aligned rectangle (cells, bars, shaded strips). */
export function rectPath(x: number, y: number, w: number, h: number): string {
  return `M${coord(x)} ${coord(y)}h${coord(w)}v${coord(h)}h${coord(-w)}Z`;
}

/** Marker shapes centred on (cx, cy) with radius r, as path data, one per event kind. */
export const MARKER_SHAPES = ['circle', 'diamond', 'triangle', 'square', 'cross', 'star'] as const;
export type MarkerShape = (typeof MARKER_SHAPES)[number];

export function markerPath(shape: MarkerShape, cx: number, cy: number, r: number): string {
  const p = (x: number, y: number): string => `${coord(cx + x)} ${coord(cy + y)}`;
  switch (shape) {
    case 'circle':
      return `M${p(-r, 0)}a${coord(r)} ${coord(r)} 0 1 0 ${coord(2 * r)} 0a${coord(r)} ${coord(r)} 0 1 0 ${coord(-2 * r)} 0Z`;
    case 'diamond':
      return `M${p(0, -r * 1.2)}L${p(r * 1.2, 0)}L${p(0, r * 1.2)}L${p(-r * 1.2, 0)}Z`;
    case 'triangle':
      return `M${p(0, -r * 1.2)}L${p(r * 1.1, r * 0.9)}L${p(-r * 1.1, r * 0.9)}Z`;
    case 'square':
      return rectPath(cx - r * 0.9, cy - r * 0.9, r * 1.8, r * 1.8);
    case 'cross': {
      const a = r * 0.35;
      return `M${p(-a, -r)}h${coord(2 * a)}v${coord(r - a)}h${coord(r - a)}v${coord(2 * a)}h${coord(a - r)}v${coord(r - a)}h${coord(-2 * a)}v${coord(a - r)}h${coord(a - r)}v${coord(-2 * a)}h${coord(r - a)}Z`;
    }
    case 'star': {
      const pts: string[] = [];
      for (let k = 0; k < 10; k++) {
        const rad = k % 2 === 0 ? r * 1.3 : r * 0.55;
        const ang = -Math.PI / 2 + (k * Math.PI) / 5;
        pts.push(`${k === 0 ? 'M' : 'L'}${p(rad * Math.cos(ang), rad * Math.sin(ang))}`);
      }
      return `${pts.join('')}Z`;
    }
  }
}
