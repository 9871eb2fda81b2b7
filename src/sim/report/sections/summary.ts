import { esc, formatInt, formatNumber } from '../format.ts';
import { note, type Section, section } from '../html.ts';
import type { SectionContext } from './context.ts';
import { pointTable, summaryPoints, vaultTable } from './headline.ts';

/** Most rows of a figures table; deeper or longer summaries are cut with a note. */
const MAX_ROWS = 400;
const MAX_DEPTH = 6;

/** One row of the headline table: a dotted key and its value. */
export interface SummaryRow {
  key: string;
  value: unknown;
}

/**
 * Flattens the summary into dotted keys (`risk.coc.p50`), objects opened up to a depth.
 * A list of objects is opened item by item, each keyed by its `point` label when it has a
 * non-empty one (`points[slashing.x=0.05].runs`), else by its index (`points[0].runs`);
 * other lists are kept whole (they print on one line). Key order is the summary's own.
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
    if (
      Array.isArray(value) &&
      value.length > 0 &&
      depth < MAX_DEPTH &&
      value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))
    ) {
      value.forEach((item: Record<string, unknown>, i) => {
        const label = typeof item.point === 'string' && item.point !== '' ? item.point : String(i);
        walk(`${prefix}[${label}]`, item, depth + 1);
      });
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

/** A two-column table of dotted keys and values (at most MAX_ROWS, the cut noted). */
function figuresTable(rows: readonly SummaryRow[]): string {
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
  return `<table class="summary"><thead><tr><th>figure</th><th class="num">value</th></tr></thead><tbody>${body}</tbody></table>${cut}`;
}

/**
 * The headline figures of `summary.json`: for a simulator summary (a `points` list), one
 * table per vault and sweep point and one per point (security, attacker, txs), then the
 * other top-level figures, with every figure of every point behind a disclosure; any other
 * summary as one two-column table.
 */
export function summarySection(ctx: SectionContext): Section {
  const { summary } = ctx.input;
  const intro =
    'The headline figures of <code>summary.json</code> (exact values in the file; hover a number for it unrounded).';
  const rows = flattenSummary(summary);
  if (rows.length === 0) {
    return section('summary', 'Summary', intro, note('The summary is empty.'));
  }
  const points = summaryPoints(summary);
  if (points.length === 0) return section('summary', 'Summary', intro, figuresTable(rows));
  const isPoint = (r: SummaryRow) => r.key === 'points' || r.key.startsWith('points[');
  const top = rows.filter((r) => !isPoint(r));
  const all = rows.filter(isPoint);
  const parts = [
    '<h3>Vaults</h3>',
    vaultTable(points),
    '<h3>Security and attacker</h3>',
    pointTable(points),
    top.length === 0 ? '' : `<h3>Scenario</h3>${figuresTable(top)}`,
    `<details><summary>Every figure per point (${all.length})</summary>${figuresTable(all)}</details>`,
  ];
  return section('summary', 'Summary', intro, parts.join(''));
}
