import { describe, expect, it } from 'vitest';
import { classedPaths, findSvgs } from '../testing.ts';
import { xyChart } from './line.ts';

const base = { id: 'c', title: 'T <&>', desc: 'D', xLabel: 'block', yLabel: 'price' };

describe('xyChart', () => {
  it('draws every line, with axes, a legend and an accessible title', () => {
    const svg = xyChart({
      ...base,
      lines: [
        { label: 'run 0', x: [1, 2, 3], y: [10, 12, 11], color: '#111' },
        { label: 'run 1', x: [1, 2, 3], y: [10, 9, 8], color: '#222', dashed: true },
      ],
    });
    const series = classedPaths(svg).filter((p) => p.cls === 'series');
    expect(series).toHaveLength(2);
    for (const s of series) expect(s.d).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){2}$/);
    expect(svg).toContain('<title id="c-title">T &lt;&amp;&gt;</title>');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="c-title c-desc"');
    expect(svg).toContain('class="legend"');
    expect(svg).toContain('>run 1</text>');
    expect(svg).toContain('stroke-dasharray="6 4"');
  });
  it('keeps a line out of the legend on request', () => {
    const svg = xyChart({
      ...base,
      lines: [{ label: 'hidden run', x: [1, 2], y: [1, 2], color: '#111', legend: false }],
    });
    expect(svg).not.toContain('>hidden run</text>');
  });
  it('draws bands and strips behind the lines', () => {
    const svg = xyChart({
      ...base,
      lines: [{ label: 'm', x: [1, 2, 3], y: [2, 2, 2], color: '#111' }],
      bands: [
        { label: 'b', x: [1, 2, 3], lo: [1, 1, 1], hi: [3, 3, 3], color: '#111', opacity: 0.2 },
      ],
      strips: [{ from: 2, to: 3, opacity: 0.2, title: 'bad' }],
      stripLabel: 'insecure',
    });
    const order = classedPaths(svg).map((p) => p.cls);
    expect(order).toEqual(['strip', 'band', 'series']);
    expect(svg).toContain('<title>bad</title>');
  });
  it('skips a line with no drawable point rather than writing an empty path', () => {
    const svg = xyChart({
      ...base,
      lines: [{ label: 'empty', x: [1, 2], y: [Number.NaN, Number.NaN], color: '#111' }],
    });
    expect(classedPaths(svg).filter((p) => p.cls === 'series')).toHaveLength(0);
    expect(findSvgs(svg)).toHaveLength(1);
  });
  it('is deterministic', () => {
    const spec = { ...base, lines: [{ label: 'a', x: [1, 2], y: [0.1, 0.3], color: '#111' }] };
    expect(xyChart(spec)).toBe(xyChart(spec));
  });
});
