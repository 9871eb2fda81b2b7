import { describe, expect, it } from 'vitest';
import { fromDecimalString } from '../../math/index.ts';
import { applyBreaker } from './breaker.ts';

const d = (s: string) => fromDecimalString(s);
const run = (median: string, last: string, windowRef: string, block = '0.05', window = '0.2') =>
  applyBreaker({
    median: d(median),
    last: d(last),
    windowRef: d(windowRef),
    maxMovePerBlock: d(block),
    maxMovePerWindow: d(window),
  });

describe('circuit breaker', () => {
  it('lets a move within both bounds through', () => {
    expect(run('104', '100', '100')).toEqual({ price: d('104'), clamped: undefined });
    expect(run('95', '100', '100')).toEqual({ price: d('95'), clamped: undefined });
    expect(run('105', '100', '100')).toEqual({ price: d('105'), clamped: undefined });
  });

  it('clamps a move beyond the per-block bound', () => {
    expect(run('120', '100', '100')).toEqual({ price: d('105'), clamped: 'block' });
    expect(run('80', '100', '100')).toEqual({ price: d('95'), clamped: 'block' });
  });

  it('clamps a move beyond the per-window bound, measured from the window start', () => {
    // Last 118, window started at 100: +5 % would be 123.9, the window allows 120.
    expect(run('130', '118', '100')).toEqual({ price: d('120'), clamped: 'window' });
    expect(run('70', '82', '100')).toEqual({ price: d('80'), clamped: 'window' });
    // Within the block bound but beyond the window.
    expect(run('121', '119', '100')).toEqual({ price: d('120'), clamped: 'window' });
  });

  it('rounds bounds toward the reference and never returns a non-positive price', () => {
    const r = applyBreaker({
      median: 1n,
      last: 3n,
      windowRef: 3n,
      maxMovePerBlock: d('0.5'),
      maxMovePerWindow: d('10'),
    });
    expect(r).toEqual({ price: 2n, clamped: 'block' }); // 3 · 0.5 = 1.5 → ceil 2
    const down = applyBreaker({
      median: 1n,
      last: 1n,
      windowRef: 1n,
      maxMovePerBlock: d('1'),
      maxMovePerWindow: d('10'),
    });
    expect(down.price).toBe(1n);
  });
});
