import { describe, expect, it } from 'vitest';
import { areaPath, linePath, MARKER_SHAPES, markerPath, rectPath } from './path.ts';

const id = (v: number): number => v;

describe('linePath', () => {
  it('draws a polyline through the points', () => {
    expect(linePath([0, 1, 2], [5, 6, 7], id, id)).toBe('M0 5L1 6L2 7');
  });
  it('breaks the line at a non-finite value instead of dropping to zero', () => {
    expect(linePath([0, 1, 2, 3], [5, Number.NaN, 7, 8], id, id)).toBe('M0 5M2 7L3 8');
  });
  it('is empty when nothing is drawable', () => {
    expect(linePath([], [], id, id)).toBe('');
    expect(linePath([0, 1], [Number.NaN, Number.NaN], id, id)).toBe('');
  });
  it('uses the shorter of x and y', () => {
    expect(linePath([0, 1, 2], [5], id, id)).toBe('M0 5');
  });
});

describe('areaPath', () => {
  it('goes up along hi and back along lo, closed', () => {
    expect(areaPath([0, 1], [1, 2], [3, 4], id, id)).toBe('M0 3L1 4L1 2L0 1Z');
  });
  it('draws one closed shape per run of finite points', () => {
    const d = areaPath([0, 1, 2, 3], [1, 1, Number.NaN, 1], [2, 2, 2, 2], id, id);
    expect(d).toBe('M0 2L1 2L1 1L0 1ZM3 2L3 1Z');
  });
  it('is empty for no points', () => {
    expect(areaPath([], [], [], id, id)).toBe('');
  });
});

describe('rectPath and markerPath', () => {
  it('draws a rectangle', () => {
    expect(rectPath(1, 2, 3, 4)).toBe('M1 2h3v4h-3Z');
  });
  it.each(MARKER_SHAPES)('draws a closed %s marker', (shape) => {
    const d = markerPath(shape, 10, 10, 4);
    expect(d.startsWith('M')).toBe(true);
    expect(d.endsWith('Z')).toBe(true);
  });
});
