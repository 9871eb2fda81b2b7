import { describe, expect, it } from 'vitest';
import { num, pointTable, summaryPoints, vaultTable } from './headline.ts';

const point = {
  point: 'slashing.slashFractionDoubleSign=0.05',
  runs: 4,
  failedRuns: 0,
  vaults: {
    'ETH-USD': {
      probabilityOfInsolvency: '0.2500',
      badDebt: { p95: '12345.5' },
      var95: '-20.5',
      maxDrawdown: { max: '0.125000' },
    },
  },
  security: { timeUnderSecured: { mean: '0.010000' } },
  slashedStake: { mean: '121582.7' },
  attacker: { profit: { mean: '1500' }, cost: { mean: '3000' }, profitableRuns: 0 },
  chain: { txs: 1200, txsRefused: 3 },
};

describe('headline tables', () => {
  it('reads decimal strings and numbers, nothing else', () => {
    expect(num('0.25')).toBe(0.25);
    expect(num(3)).toBe(3);
    expect(num('')).toBeUndefined();
    expect(num('abc')).toBeUndefined();
    expect(num({})).toBeUndefined();
  });
  it('finds the points of a simulator summary only', () => {
    expect(summaryPoints({ points: [point, 3] })).toEqual([point]);
    expect(summaryPoints({ points: 'x' })).toEqual([]);
  });
  it('has one row per point and vault with its risk figures', () => {
    const html = vaultTable([point]);
    expect(html).toContain('slashing.slashFractionDoubleSign=0.05');
    expect(html).toContain('<td>ETH-USD</td>');
    expect(html).toContain('>25%<');
    expect(html).toContain('>$12.35k<');
    expect(html).toContain('>−$20.5<');
    expect(html).toContain('>12.5%<');
    expect(html).toContain('title="12345.5"');
  });
  it('has one row per point with security and attacker figures; missing ones print –', () => {
    const html = pointTable([point, { point: '' }]);
    expect(html).toContain('>1%<');
    expect(html).toContain('>$1.5k<');
    expect(html).toContain('>$3k<');
    expect(html).toContain('>1,200<');
    expect(html).toContain('>121.6k BWK<');
    expect(html).toContain('<th scope="row">#1</th>');
    expect(html.match(/<td class="num">–<\/td>/g)?.length).toBe(9);
  });
  it('is empty without points', () => {
    expect(vaultTable([])).toBe('');
    expect(pointTable([])).toBe('');
  });
});
