/**
 * The report's colours, in one place so every chart agrees: a categorical palette for runs,
 * markets and event kinds (distinct in hue and lightness, readable on white), and the fixed
 * colours of the security chart.
 */

export const CATEGORICAL = [
  '#2f6fb0', // blue
  '#e07b22', // orange
  '#3a9a56', // green
  '#c8403d', // red
  '#7d5bb5', // purple
  '#8c5a45', // brown
  '#d1649f', // pink
  '#6f7780', // grey
  '#a5a21f', // olive
  '#1f9eab', // teal
] as const;

/** The i-th categorical colour (cycles past the palette's end). */
export function categorical(i: number): string {
  return CATEGORICAL[((i % CATEGORICAL.length) + CATEGORICAL.length) % CATEGORICAL.length]!;
}

export const COLORS = {
  ink: '#1d2430',
  muted: '#5b6675',
  grid: '#e3e7ec',
  axis: '#9aa4b1',
  fan: '#2f6fb0',
  coc: '#3a9a56',
  pfc: '#c8403d',
  limit: '#e07b22',
  danger: '#c8403d',
} as const;

/**
 * A sequential colour for t in [0, 1], from near-white to deep red, for the contagion heatmap
 * (linear in RGB between a few stops, which is close enough to even in lightness here).
 */
export function heatColor(t: number): string {
  const stops: [number, number, number][] = [
    [247, 248, 250],
    [253, 219, 164],
    [241, 140, 84],
    [200, 56, 48],
    [122, 16, 32],
  ];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  const hex = (k: number): string =>
    Math.round(a[k]! + (b[k]! - a[k]!) * f)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}

/** Dark text on light cells, white text on dark ones. */
export function textOn(t: number): string {
  return t > 0.55 ? '#ffffff' : COLORS.ink;
}
