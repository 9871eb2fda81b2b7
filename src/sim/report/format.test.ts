import { describe, expect, it } from 'vitest';
import {
  coord,
  esc,
  formatDuration,
  formatInt,
  formatNumber,
  formatPercent,
  slug,
  tickFormat,
} from './format.ts';

describe('esc', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(esc(`<b class="x">Tom & Jerry's</b>`)).toBe(
      '&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;',
    );
  });
  it('escapes an ampersand once, not entities twice over', () => {
    expect(esc('&amp;')).toBe('&amp;amp;');
  });
  it('stringifies non-strings', () => {
    expect(esc(42)).toBe('42');
    expect(esc(undefined)).toBe('undefined');
  });
});

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [12.5, '12.5'],
    [999, '999'],
    [999.9, '1k'],
    [1234, '1.23k'],
    [-2_500_000, '-2.5M'],
    [999_999, '1M'],
    [1_260_000, '1.26M'],
    [3.2e9, '3.2B'],
    [7e12, '7T'],
    [0.5, '0.5'],
    [0.000123, '0.000123'],
    [0.1 + 0.2, '0.3'],
  ])('%s → %s', (v, s) => {
    expect(formatNumber(v)).toBe(s);
  });
  it('honours the number of significant digits', () => {
    expect(formatNumber(186_400.5, 4)).toBe('186.4k');
    expect(formatNumber(4.449, 2)).toBe('4.4');
  });
  it('prints non-finite values as a dash', () => {
    expect(formatNumber(Number.NaN)).toBe('–');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('–');
  });
});

describe('formatPercent, formatInt, formatDuration', () => {
  it('formats fractions as percentages', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.25)).toBe('25%');
  });
  it('groups thousands', () => {
    expect(formatInt(1_234_567)).toBe('1,234,567');
    expect(formatInt(-1000)).toBe('-1,000');
    expect(formatInt(999)).toBe('999');
  });
  it('picks the largest sensible unit', () => {
    expect(formatDuration(600_000)).toBe('10 min');
    expect(formatDuration(5_400_000)).toBe('1.5 h');
    expect(formatDuration(2_000)).toBe('2 s');
    expect(formatDuration(86_400_000 * 365)).toBe('365 d');
    expect(formatDuration(250)).toBe('250 ms');
  });
});

describe('coord and slug', () => {
  it('rounds coordinates to a tenth without negative zero', () => {
    expect(coord(12.345)).toBe('12.3');
    expect(coord(-0.01)).toBe('0');
    expect(coord(7)).toBe('7');
  });
  it('makes id-safe slugs', () => {
    expect(slug('ETH-USD')).toBe('eth-usd');
    expect(slug('<a&b>')).toBe('a-b');
    expect(slug('***')).toBe('x');
  });
});

describe('tickFormat', () => {
  it('uses three significant digits when they tell the ticks apart', () => {
    const f = tickFormat([0, 500_000, 1_000_000]);
    expect([0, 500_000, 1_000_000].map(f)).toEqual(['0', '500k', '1M']);
  });
  it('adds digits until no two ticks print alike', () => {
    const ticks = [0.9995, 1, 1.0005];
    expect(ticks.map(tickFormat(ticks))).toEqual(['0.9995', '1', '1.0005']);
    const big = [1_000_000, 1_000_500, 1_001_000];
    expect(big.map(tickFormat(big))).toEqual(['1M', '1.0005M', '1.001M']);
  });
});
