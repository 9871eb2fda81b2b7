import { describe, expect, it } from 'vitest';
import { pathData } from '../testing.ts';
import { heatmap } from './heatmap.ts';
import { heatColor } from './palette.ts';

const spec = {
  id: 'h',
  title: 'Contagion',
  desc: 'd',
  rows: ['A', 'B'],
  cols: ['A', 'B'],
  rowTitle: 'market',
  colTitle: 'vault',
  expected: (i: number, j: number) => i === j,
};

describe('heatmap', () => {
  it('draws a cell per value with its number, coloured from 0 to the maximum', () => {
    const svg = heatmap({
      ...spec,
      values: [
        [1_000_000, 0],
        [0, 250_000],
      ],
    });
    expect(svg.match(/<g class="cell">/g)).toHaveLength(4);
    expect(svg).toContain('>1M</text>');
    expect(svg).toContain('>250k</text>');
    expect(svg).toContain(`fill="${heatColor(1)}"`);
    expect(svg).toContain(`fill="${heatColor(0)}"`);
    for (const d of pathData(svg)) expect(d).not.toBe('');
    expect(svg).toContain('data-chart="heatmap"');
  });
  it('outlines a loss outside the expected cells in red', () => {
    const clean = heatmap({
      ...spec,
      values: [
        [5, 0],
        [0, 5],
      ],
    });
    const leaky = heatmap({
      ...spec,
      values: [
        [5, 2],
        [0, 5],
      ],
    });
    expect(clean).not.toContain('stroke="#c8403d"');
    expect(leaky.match(/stroke="#c8403d"/g)).toHaveLength(1);
  });
  it('prints a missing or non-finite cell as a dash and survives an all-zero matrix', () => {
    const svg = heatmap({ ...spec, values: [[0, Number.NaN], [0]] });
    expect(svg.match(/>–<\/text>/g)).toHaveLength(2);
    expect(svg).not.toContain('NaN');
  });
  it('escapes labels', () => {
    const svg = heatmap({ ...spec, rows: ['<x>'], cols: ['&'], values: [[1]] });
    expect(svg).toContain('&lt;x&gt;');
    expect(svg).not.toContain('<x>');
  });
});

describe('heatColor', () => {
  it('goes from near-white to deep red and clamps', () => {
    expect(heatColor(0)).toBe('#f7f8fa');
    expect(heatColor(1)).toBe('#7a1020');
    expect(heatColor(-3)).toBe(heatColor(0));
    expect(heatColor(9)).toBe(heatColor(1));
    expect(heatColor(Number.NaN)).toBe(heatColor(0));
  });
});
