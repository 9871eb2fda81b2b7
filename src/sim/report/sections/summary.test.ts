import { describe, expect, it } from 'vitest';
import { flattenSummary, formatValue } from './summary.ts';

describe('flattenSummary', () => {
  it('opens nested objects into dotted keys, in the summary’s order', () => {
    expect(
      flattenSummary({ runs: 4, risk: { coc: { p50: 1 }, secure: true }, list: [1, 2] }),
    ).toEqual([
      { key: 'runs', value: 4 },
      { key: 'risk.coc.p50', value: 1 },
      { key: 'risk.secure', value: true },
      { key: 'list', value: [1, 2] },
    ]);
  });
  it('keeps an empty object as one value and stops at a depth', () => {
    expect(flattenSummary({ e: {} })).toEqual([{ key: 'e', value: {} }]);
    const deep = flattenSummary({ a: { b: { c: { d: { e: { f: { g: 1 } } } } } } });
    expect(deep).toEqual([{ key: 'a.b.c.d.e.f', value: { g: 1 } }]);
  });
  it('opens lists of objects item by item, keyed by their point label or index', () => {
    expect(
      flattenSummary({
        points: [
          { point: 'x=1', runs: 2 },
          { point: '', vaults: { A: { p: '0.5' } } },
        ],
      }),
    ).toEqual([
      { key: 'points[x=1].point', value: 'x=1' },
      { key: 'points[x=1].runs', value: 2 },
      { key: 'points[1].point', value: '' },
      { key: 'points[1].vaults.A.p', value: '0.5' },
    ]);
  });
  it('is empty for an empty summary', () => {
    expect(flattenSummary({})).toEqual([]);
  });
});

describe('formatValue', () => {
  it('escapes strings and JSON', () => {
    expect(formatValue('<x>&')).toBe('&lt;x&gt;&amp;');
    expect(formatValue({ a: '<b>' })).toBe('<code>{&quot;a&quot;:&quot;&lt;b&gt;&quot;}</code>');
  });
  it('formats numbers compactly with the exact value on hover', () => {
    expect(formatValue(186_400.5)).toBe('<span title="186400.5">186.4k</span>');
    expect(formatValue(42)).toBe('<span title="42">42</span>');
  });
  it('marks booleans and missing values', () => {
    expect(formatValue(true)).toContain('yes');
    expect(formatValue(false)).toContain('no');
    expect(formatValue(null)).toBe('–');
  });
  it('shortens long lists', () => {
    expect(formatValue([1, 2, 3])).toBe('1, 2, 3');
    expect(formatValue(Array.from({ length: 10 }, (_, i) => i))).toBe(
      '0, 1, 2, 3, 4, 5, 6, 7, … (10)',
    );
  });
});
