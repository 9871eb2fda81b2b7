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

/**
 * Coins as `1500ubwk, 7uusd` (`none` for an empty list).
 *
 * @example
 * coins([{ denom: 'ubwk', amount: '1500' }]); // '1500ubwk'
 */
export function coins(list: { denom: string; amount: string | bigint }[]): string {
  return list.length === 0 ? 'none' : list.map((c) => `${c.amount}${c.denom}`).join(', ');
}

const E18 = 10n ** 18n;

/**
 * A fraction as a percentage with up to 4 decimals: a decimal string (`"0.05"` → `5%`), or an
 * 18-decimal fixed-point integer string when `fixed` (`"100000000000000000"` → `10%`).
 *
 * @example
 * percent('0.0001'); // '0.01%'
 * percent('334000000000000000', { fixed: true }); // '33.4%'
 */
export function percent(value: string, opts: { fixed?: boolean } = {}): string {
  let fixed: bigint;
  if (opts.fixed === true) {
    if (!/^-?[0-9]+$/.test(value)) return value;
    fixed = BigInt(value);
  } else {
    const m = /^(-?)([0-9]+)(?:\.([0-9]{1,18}))?[0-9]*$/.exec(value);
    if (m === null) return value;
    fixed = BigInt(`${m[2]}${(m[3] ?? '').padEnd(18, '0')}`) * (m[1] === '-' ? -1n : 1n);
  }
  // percent with 4 decimals, rounded half up: fixed × 100 / 10^14.
  const scaled = fixed * 100n;
  const unit = E18 / 10_000n;
  const q = (scaled + (scaled >= 0n ? unit / 2n : -unit / 2n)) / unit;
  const neg = q < 0n;
  const abs = (neg ? -q : q).toString().padStart(5, '0');
  const frac = abs.slice(-4).replace(/0+$/, '');
  return `${neg ? '-' : ''}${abs.slice(0, -4)}${frac === '' ? '' : `.${frac}`}%`;
}

/**
 * An 18-decimal fixed-point integer string as a decimal (`"1500000000000000000"` → `1.5`).
 *
 * @example
 * decimal18('4000000000000000000000000'); // '4000000'
 */
export function decimal18(value: string): string {
  if (!/^[0-9]+$/.test(value)) return value;
  const s = value.padStart(19, '0');
  const frac = s.slice(-18).replace(/0+$/, '');
  return `${s.slice(0, -18)}${frac === '' ? '' : `.${frac}`}`;
}

/**
 * Milliseconds as a short duration: `120000` → `2m`, `1814400000` → `21d`.
 *
 * @example
 * duration(90_000); // '1m30s'
 */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return String(ms);
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let s = Math.floor(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.slice(0, 2).join('');
}

function cell(v: Cell): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}
