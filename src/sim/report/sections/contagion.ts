import { esc, formatNumber } from '../format.ts';
import { callout, figure, note, type Section, section } from '../html.ts';
import { heatmap } from '../svg/heatmap.ts';
import type { SectionContext } from './context.ts';

type Contagion = {
  markets: readonly string[];
  vaults: readonly string[];
  loss: readonly (readonly number[])[];
};

/**
 * Whether vault j is market i's own: the vault of the same name when there is one (vaults are
 * named after their market), else the diagonal (the same position in both lists).
 */
export function isOwnVault(c: Contagion, i: number, j: number): boolean {
  const market = c.markets[i];
  if (market !== undefined && c.vaults.includes(market)) return c.vaults[j] === market;
  return i === j;
}

/** Cells of the contagion matrix off a market's own vault that show a loss. */
export function leaks(c: Contagion): { market: string; vault: string; loss: number }[] {
  const out: { market: string; vault: string; loss: number }[] = [];
  c.markets.forEach((market, i) => {
    c.vaults.forEach((vault, j) => {
      const v = c.loss[i]?.[j];
      if (!isOwnVault(c, i, j) && v !== undefined && Number.isFinite(v) && v > 0) {
        out.push({ market, vault, loss: v });
      }
    });
  });
  return out;
}

/** The cross-vault contagion matrix as a heatmap, with a verdict on isolation. */
export function contagionSection(ctx: SectionContext): Section {
  const c = ctx.input.contagion;
  const intro =
    'Row: the market that collapsed; column: the vault that lost. A market’s own vault (dashed outline) is meant to absorb its losses; every other cell should be zero — that is the isolation Bulwark promises. Red outlines mark cells where loss crossed over.';
  if (c.markets.length === 0 || c.vaults.length === 0) {
    return section(
      'contagion',
      'Cross-vault contagion',
      intro,
      note('No contagion matrix: this simulation collapsed no market.'),
    );
  }
  const found = leaks(c);
  const verdict =
    found.length === 0
      ? callout('ok', 'Isolated: no vault lost anything when another market collapsed.')
      : callout(
          'alert',
          `Contagion: ${found
            .map(
              (l) =>
                `${esc(l.vault)} lost ${esc(formatNumber(l.loss))} when ${esc(l.market)} collapsed`,
            )
            .join('; ')}.`,
        );
  const svg = heatmap({
    id: ctx.ids.make('chart-contagion'),
    title: 'Cross-vault contagion matrix',
    desc: `Loss of each vault (columns) in runs where each market (rows) collapsed; ${found.length} cells off the own vault show a loss.`,
    rows: c.markets,
    cols: c.vaults,
    values: c.loss,
    rowTitle: 'market collapsed',
    colTitle: 'vault that lost',
    expected: (i, j) => isOwnVault(c, i, j),
    cellTitle: (i, j, v) =>
      `${c.vaults[j]} vault lost ${Number.isFinite(v) ? formatNumber(v) : 'n/a'} when ${c.markets[i]} collapsed`,
  });
  return section(
    'contagion',
    'Cross-vault contagion',
    intro,
    verdict +
      figure(
        svg,
        'Losses in display units, as the simulator computed them. Hover a cell for its reading.',
      ),
  );
}
