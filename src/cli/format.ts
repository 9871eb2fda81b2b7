/**
 * Text output: aligned key/value lines and column tables, for people. (`--output json`
 * prints the RPC JSON instead.)
 */

export type Cell = string | number | boolean | bigint | null | undefined;

/**
 * Aligned `key  value` lines; rows whose value is undefined are left out.
 *
 * @example
 * kv([['height', 12], ['hash', 'AB12…']]);
 * // height  12
 * // hash    AB12…
 */
export function kv(rows: [string, Cell][]): string {
  const shown = rows.filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`.trimEnd()).join('\n');
}

/**
 * A table with an upper-case header row and columns padded to their widest cell.
 *
 * @example
 * table(['name', 'address'], [['alice', 'bwk1…']]);
 * // NAME   ADDRESS
 * // alice  bwk1…
 */
export function table(header: string[], rows: Cell[][]): string {
  const all = [header.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(cell))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((c, i) => (c ?? '').padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Any JSON as dotted key/value rows, for generic output.
 *
 * @example
 * flatten({ value: { denom: 'ubwk', amount: '5' } }); // [['value.denom', 'ubwk'], ['value.amount', '5']]
 */
export function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object')
    return [[prefix || 'value', cell(value as Cell)]];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value);
  if (entries.length === 0) return [[prefix || 'value', Array.isArray(value) ? '[]' : '{}']];
  return entries.flatMap(([k, v]) => flatten(v, prefix === '' ? k : `${prefix}.${k}`));
}

/** ISO-8601 UTC of unix milliseconds. */
export function time(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

/** `k=v k=v` of an event's attributes, sorted by key. */
export function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function cell(v: Cell): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}
