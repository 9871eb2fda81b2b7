import { esc, formatInt, formatNumber } from '../format.ts';
import { note, type Section, section } from '../html.ts';
import type { SectionContext } from './context.ts';

/** Most rows of the headline table; deeper or longer summaries are cut with a note. */
const MAX_ROWS = 80;
const MAX_DEPTH = 4;

/** One row of the headline table: a dotted key and its value. */
export interface SummaryRow {
  key: string;
  value: unknown;
}

/**
 * Flattens the summary into dotted keys (`risk.coc.p50`), objects opened up to a depth,
 * arrays kept whole (they print on one line). Key order is the summary's own.
 */
export function flattenSummary(summary: Record<string, unknown>): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const walk = (prefix: string, value: unknown, depth: number): void => {
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      depth < MAX_DEPTH &&
      Object.keys(value).length > 0
    ) {
      for (const [k, v] of Object.entries(value)) walk(`${prefix}.${k}`, v, depth + 1);
      return;
    }
    rows.push({ key: prefix, value });
  };
  for (const [k, v] of Object.entries(summary)) walk(k, v, 1);
  return rows;
}

/** A summary value as table-cell HTML (escaped), numbers compact with the exact value on hover. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') {
    return value ? '<span class="yes">✓ yes</span>' : '<span class="no">✗ no</span>';
  }
  if (typeof value === 'number') {
    const compact =
      Number.isInteger(value) && Math.abs(value) < 1e5 ? formatInt(value) : formatNumber(value, 4);
    return `<span title="${esc(String(value))}">${esc(compact)}</span>`;
  }
  if (typeof value === 'bigint') return esc(value.toString());
  if (typeof value === 'string') {
    return value.length > 200 ? `${esc(value.slice(0, 200))}…` : esc(value);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
    const shown = value.slice(0, 8).map((v) => formatNumber(v, 4));
    return esc(shown.join(', ') + (value.length > 8 ? `, … (${value.length})` : ''));
  }
  let json: string;
  try {
    json =
      JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    json = String(value);
  }
  return `<code>${esc(json.length > 200 ? `${json.slice(0, 200)}…` : json)}</code>`;
}

/** The headline figures of `summary.json` as a two-column table. */
export function summarySection(ctx: SectionContext): Section {
  const rows = flattenSummary(ctx.input.summary);
  const intro =
    'The headline figures of <code>summary.json</code> (exact values in the file; hover a number for it unrounded).';
  if (rows.length === 0) {
    return section('summary', 'Summary', intro, note('The summary is empty.'));
  }
  const shown = rows.slice(0, MAX_ROWS);
  const body = shown
    .map((r) => {
      const numeric = typeof r.value === 'number';
      return `<tr><th scope="row"><code>${esc(r.key)}</code></th><td${numeric ? ' class="num"' : ''}>${formatValue(r.value)}</td></tr>`;
    })
    .join('');
  const cut =
    rows.length > shown.length
      ? note(`Showing ${shown.length} of ${rows.length} entries; see summary.json for the rest.`)
      : '';
  return section(
    'summary',
    'Summary',
    intro,
    `<table class="summary"><thead><tr><th>figure</th><th class="num">value</th></tr></thead><tbody>${body}</tbody></table>${cut}`,
  );
}
