/**
 * Text for people: escaping for HTML/SVG and compact number formats. Every string that comes
 * from the input (scenario names, market ids, summary keys) passes through `esc` before it
 * reaches the page.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML/SVG element content and attribute values (double or single quoted). */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const SUFFIXES: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Drops trailing zeros of a fixed-point rendering: `1.50` → `1.5`, `2.00` → `2`. */
function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A compact number: `1234` → `1.23k`, `-2500000` → `-2.5M`, `0.000123` → `0.000123`.
 * `digits` significant digits (3 by default); non-finite values print as `–`.
 */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '–';
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  for (const [size, suffix] of SUFFIXES) {
    // Round first so that 999_999 prints as `1M`, not `1000k`.
    const scaled = Number((abs / size).toPrecision(digits));
    if (scaled >= 1) {
      if (scaled >= 1000 && suffix !== 'T') continue;
      return `${sign}${trimZeros(scaled.toFixed(Math.max(0, digits - intDigits(scaled))))}${suffix}`;
    }
  }
  const rounded = Number(abs.toPrecision(digits));
  if (rounded >= 1) {
    return `${sign}${trimZeros(rounded.toFixed(Math.max(0, digits - intDigits(rounded))))}`;
  }
  if (rounded < 1e-6) return `${sign}${rounded.toExponential(digits - 1)}`;
  // Small magnitudes: keep `digits` significant digits after the leading zeros.
  const decimals = digits - 1 - Math.floor(Math.log10(rounded));
  return `${sign}${trimZeros(rounded.toFixed(decimals))}`;
}

function intDigits(v: number): number {
  return v < 1 ? 1 : Math.floor(Math.log10(v)) + 1;
}

/**
 * A formatter for a set of axis ticks: compact numbers with just enough significant digits
 * that no two ticks print alike (`0.9995, 1, 1.0005`, not `1, 1, 1`).
 */
export function tickFormat(ticks: readonly number[]): (v: number) => string {
  for (let digits = 3; digits <= 12; digits++) {
    const labels = ticks.map((t) => formatNumber(t, digits));
    if (new Set(labels).size === labels.length) return (v) => formatNumber(v, digits);
  }
  return (v) => formatNumber(v, 12);
}

/** A fraction as a percentage: `0.1234` → `12.3%`. */
export function formatPercent(fraction: number, digits = 3): string {
  if (!Number.isFinite(fraction)) return '–';
  return `${formatNumber(fraction * 100, digits)}%`;
}

/** A whole count with thousands separators: `1234567` → `1,234,567`. */
export function formatInt(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  const digits = Math.round(Math.abs(value)).toString();
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A duration in milliseconds, in the largest sensible unit: `5400000` → `1.5 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) return `${formatNumber(ms / size)} ${unit}`;
  }
  return `${formatNumber(ms)} ms`;
}

/** A coordinate for SVG path data: at most one decimal, no `-0`. */
export function coord(v: number): string {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Lower-case slug for ids and class names: `ETH-USD` → `eth-usd`. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return s === '' ? 'x' : s;
}
