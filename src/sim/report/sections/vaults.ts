import { esc, formatInt, slug } from '../format.ts';
import { figure, note, type Section, section } from '../html.ts';
import { groupByPoint, samplesByBlock, seriesSuffixes, strideIndices } from '../series.ts';
import { fanChart } from '../svg/fan.ts';
import { categorical } from '../svg/palette.ts';
import { HALF_WIDTH, MAX_POINTS, type SectionContext } from './context.ts';

/** Vault equity fan charts: one per `vaultEquity:<vault>` series (and per sweep point). */
export function vaultsSection(ctx: SectionContext): Section {
  const { runs, vaults } = ctx.input;
  const names = seriesSuffixes(runs, 'vaultEquity:', vaults);
  const groups = groupByPoint(runs);
  const parts: string[] = [];
  if (names.length === 0) {
    parts.push(
      note(
        'No vault equity series (named vaultEquity:<vault>) in this simulation: nothing to draw.',
      ),
    );
  }
  names.forEach((vault, v) => {
    for (const group of groups) {
      const all = samplesByBlock(group.runs, `vaultEquity:${vault}`);
      if (all.x.length === 0) continue;
      const keep = strideIndices(all.x.length, MAX_POINTS);
      const x = keep.map((i) => all.x[i]!);
      const samples = keep.map((i) => all.samples[i]!);
      const where = group.point === '' ? '' : ` (${group.point})`;
      const svg = fanChart({
        id: ctx.ids.make(`chart-vault-${slug(vault)}`),
        title: `${vault} vault equity${where}`,
        desc: `Equity of the ${vault} vault across ${group.runs.length} runs: median line, 25–75 % and 10–90 % bands per block.`,
        xLabel: 'block',
        yLabel: 'vault equity',
        x,
        samples,
        color: categorical(v),
        width: HALF_WIDTH,
        height: 300,
      });
      const single =
        group.runs.length < 2 ? ' Only one run: the bands collapse onto the median.' : '';
      parts.push(
        figure(
          svg,
          `<strong>${esc(vault)}</strong>${esc(where)}: ${formatInt(group.runs.length)} runs.${esc(single)}`,
        ),
      );
    }
  });
  return section(
    'vaults',
    'Vault equity',
    'Each vault’s equity over time across runs. The line is the median run; the dark band holds the middle half of runs (25–75 %), the light band four runs in five (10–90 %). A band that widens downwards means some runs lost much more than the typical one.',
    `<div class="grid">${parts.join('')}</div>`,
  );
}
