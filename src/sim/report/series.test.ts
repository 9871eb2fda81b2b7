import { describe, expect, it } from 'vitest';
import {
  decimateMinMax,
  groupByPoint,
  hasSeries,
  runLabel,
  runSeries,
  samplesByBlock,
  seriesSuffixes,
  strideIndices,
} from './series.ts';
import type { RunReport } from './types.ts';

function run(n: number, blocks: number[], values: Record<string, number[]>, point = ''): RunReport {
  return { run: n, seed: `s${n}`, point, series: { blocks, values }, events: [] };
}

describe('seriesSuffixes', () => {
  it('lists preferred names first in their order, then the rest sorted', () => {
    const runs = [
      run(0, [1], { 'price:SOL-USD': [1], 'price:BTC-USD': [1], coc: [1] }),
      run(1, [1], { 'price:ETH-USD': [1], 'price:': [1] }),
    ];
    expect(seriesSuffixes(runs, 'price:', ['ETH-USD', 'DOGE-USD'])).toEqual([
      'ETH-USD',
      'BTC-USD',
      'SOL-USD',
    ]);
  });
});

describe('runSeries and hasSeries', () => {
  it('pairs samples with their blocks, cut to the shorter list', () => {
    const r = run(0, [10, 20, 30], { coc: [1, 2] });
    expect(runSeries(r, 'coc')).toEqual({ x: [10, 20], y: [1, 2] });
    expect(runSeries(r, 'pfc')).toBeUndefined();
  });
  it('counts a series only with a finite sample', () => {
    expect(hasSeries([run(0, [1], { coc: [Number.NaN] })], 'coc')).toBe(false);
    expect(hasSeries([run(0, [1], { coc: [Number.NaN] }), run(1, [1], { coc: [3] })], 'coc')).toBe(
      true,
    );
  });
});

describe('samplesByBlock', () => {
  it('lines runs up by block height, whatever their sampling', () => {
    const runs = [
      run(0, [1, 2, 3], { e: [10, 20, 30] }),
      run(1, [2, 3, 4], { e: [21, 31, Number.NaN] }),
      run(2, [3], { other: [0] }),
    ];
    expect(samplesByBlock(runs, 'e')).toEqual({
      x: [1, 2, 3],
      samples: [[10], [20, 21], [30, 31]],
    });
  });
  it('is empty without the series', () => {
    expect(samplesByBlock([], 'e')).toEqual({ x: [], samples: [] });
  });
});

describe('thinning', () => {
  it('strideIndices keeps the first and the last and at most max', () => {
    expect(strideIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const idx = strideIndices(1000, 7);
    expect(idx).toHaveLength(7);
    expect(idx[0]).toBe(0);
    expect(idx[6]).toBe(999);
  });
  it('decimateMinMax keeps a one-sample spike', () => {
    const x = Array.from({ length: 1000 }, (_, i) => i);
    const y = x.map((i) => (i === 517 ? -50 : 100 + (i % 3)));
    const d = decimateMinMax(x, y, 100);
    expect(d.x.length).toBeLessThanOrEqual(100);
    expect(d.y).toContain(-50);
    expect(d.x[d.y.indexOf(-50)]).toBe(517);
    // x stays ascending
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]!).toBeGreaterThan(d.x[i - 1]!);
  });
  it('decimateMinMax leaves short series alone', () => {
    expect(decimateMinMax([1, 2], [3, 4], 100)).toEqual({ x: [1, 2], y: [3, 4] });
  });
});

describe('groupByPoint and runLabel', () => {
  it('groups runs by sweep point in first-seen order', () => {
    const runs = [run(0, [], {}, 'f=0.1'), run(0, [], {}, 'f=0.2'), run(1, [], {}, 'f=0.1')];
    const groups = groupByPoint(runs);
    expect(groups.map((g) => g.point)).toEqual(['f=0.1', 'f=0.2']);
    expect(groups[0]!.runs).toHaveLength(2);
    expect(runLabel(runs[1]!)).toBe('run 0 · f=0.2');
    expect(runLabel(run(3, [], {}))).toBe('run 3');
  });
});
