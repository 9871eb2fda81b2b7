import { esc, formatInt, formatNumber, formatPercent } from '../format.ts';

/**
 * The headline tables of a simulator summary: `summary.points` is a list of sweep points,
 * each with per-vault risk figures and chain-wide ones (see `src/sim/output/summary.ts`).
 * Values there are exact decimal strings; here they are read leniently (a missing or
 * malformed figure prints as `–`) since the renderer also takes summaries of other shapes.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The value at a dotted path, or undefined. */
function at(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);
}

/** A number from a number or a decimal string; undefined otherwise. */
export function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

type Kind = 'percent' | 'usd' | 'int' | 'bwk';

/** One table cell: compact, with the exact figure on hover. */
function cell(v: unknown, kind: Kind): string {
  const n = num(v);
  if (n === undefined) return '<td class="num">–</td>';
  const text =
    kind === 'percent'
      ? formatPercent(n)
      : kind === 'int'
        ? formatInt(n)
        : kind === 'bwk'
          ? `${formatNumber(n, 4)} BWK`
          : `$${formatNumber(n, 4)}`.replace('$-', '−$');
  return `<td class="num"><span title="${esc(String(v))}">${esc(text)}</span></td>`;
}

/** The sweep points of a summary, when it has that shape (else an empty list). */
export function summaryPoints(summary: Obj): Obj[] {
  const pts = summary.points;
  return Array.isArray(pts) ? pts.filter(isObj) : [];
}

const pointName = (p: Obj, i: number): string =>
  typeof p.point === 'string' && p.point !== '' ? p.point : i === 0 ? '(all runs)' : `#${i}`;

function table(head: [string, boolean][], rows: string[]): string {
  const th = head.map(([h, n]) => `<th${n ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  return `<table class="headline"><thead><tr>${th}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Per sweep point and vault: insolvency probability, bad debt p95, VaR 95, worst drawdown. */
export function vaultTable(points: readonly Obj[]): string {
  const rows: string[] = [];
  points.forEach((p, i) => {
    const vaults = isObj(p.vaults) ? Object.entries(p.vaults) : [];
    for (const [id, v] of vaults) {
      rows.push(
        `<tr><th scope="row">${esc(pointName(p, i))}</th><td>${esc(id)}</td>${[
          cell(at(v, 'probabilityOfInsolvency'), 'percent'),
          cell(at(v, 'badDebt.p95'), 'usd'),
          cell(at(v, 'var95'), 'usd'),
          cell(at(v, 'maxDrawdown.max'), 'percent'),
        ].join('')}</tr>`,
      );
    }
  });
  if (rows.length === 0) return '';
  return table(
    [
      ['point', false],
      ['vault', false],
      ['P(insolvency)', true],
      ['bad debt p95', true],
      ['VaR 95 (loss)', true],
      ['max drawdown', true],
    ],
    rows,
  );
}

/**
 * Per sweep point: runs, time under-secured, slashed stake, attacker profit vs cost,
 * refused txs.
 */
export function pointTable(points: readonly Obj[]): string {
  const rows = points.map(
    (p, i) =>
      `<tr><th scope="row">${esc(pointName(p, i))}</th>${[
        cell(p.runs, 'int'),
        cell(p.failedRuns, 'int'),
        cell(at(p, 'security.timeUnderSecured.mean'), 'percent'),
        cell(at(p, 'slashedStake.mean'), 'bwk'),
        cell(at(p, 'attacker.profit.mean'), 'usd'),
        cell(at(p, 'attacker.cost.mean'), 'usd'),
        cell(at(p, 'attacker.profitableRuns'), 'int'),
        cell(at(p, 'chain.txs'), 'int'),
        cell(at(p, 'chain.txsRefused'), 'int'),
      ].join('')}</tr>`,
  );
  if (rows.length === 0) return '';
  return table(
    [
      ['point', false],
      ['runs', true],
      ['failed', true],
      ['time under-secured', true],
      ['slashed stake (mean)', true],
      ['attacker profit (mean)', true],
      ['attacker cost (mean)', true],
      ['profitable attacks', true],
      ['txs', true],
      ['refused', true],
    ],
    rows,
  );
}
