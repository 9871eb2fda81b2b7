import { describe, expect, it } from 'vitest';
import type { RunReport } from '../types.ts';
import { findGamma, insecureBlocks, insecureStrips } from './security.ts';

function run(n: number, values: Record<string, number[]>): RunReport {
  return { run: n, seed: '', point: '', series: { blocks: [1, 2, 3, 4], values }, events: [] };
}

describe('findGamma', () => {
  it('reads γ from the summary at any of the known places', () => {
    expect(findGamma({ gamma: 0.5 })).toBe(0.5);
    expect(findGamma({ risk: { gamma: '0.25' } })).toBe(0.25);
    expect(findGamma({ params: { risk: { gamma: 1 } } })).toBe(1);
  });
  it('ignores values that are not a usable γ', () => {
    expect(findGamma({})).toBeUndefined();
    expect(findGamma({ gamma: -1 })).toBeUndefined();
    expect(findGamma({ gamma: 'abc' })).toBeUndefined();
    expect(findGamma({ gamma: '' })).toBeUndefined();
    expect(findGamma({ risk: null })).toBeUndefined();
  });
});

describe('insecureBlocks', () => {
  // CoC 150 everywhere; PfC 90, 100, 110, 200.
  const r = run(0, {
    coc: [150, 150, 150, 150],
    pfc: [90, 100, 110, 200],
    pfcLimit: [95, 95, 95, 95],
  });
  it('with γ: insecure where CoC < (1+γ)·PfC', () => {
    const m = insecureBlocks(r, { kind: 'gamma', gamma: 0.5 });
    // (1.5 × 100 = 150 is not above CoC: still secure at block 2.)
    expect([...m]).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, true],
    ]);
  });
  it('without γ: insecure where CoC < PfC', () => {
    const m = insecureBlocks(r, { kind: 'plain' });
    expect([...m.values()]).toEqual([false, false, false, true]);
  });
  it('with a pfcLimit series: insecure where PfC exceeds it', () => {
    const m = insecureBlocks(r, { kind: 'limit' });
    expect([...m.values()]).toEqual([false, true, true, true]);
  });
  it('skips blocks where a needed sample is missing', () => {
    const gap = run(0, { coc: [150, Number.NaN], pfc: [200, 200, 200, 200] });
    expect([...insecureBlocks(gap, { kind: 'plain' })]).toEqual([[1, true]]);
    expect(insecureBlocks(run(0, { coc: [1] }), { kind: 'plain' }).size).toBe(0);
  });
});

describe('insecureStrips', () => {
  it('merges neighbouring blocks with the same share of insecure runs', () => {
    const a = run(0, { coc: [10, 10, 10, 10], pfc: [1, 20, 20, 20] });
    const b = run(1, { coc: [10, 10, 10, 10], pfc: [1, 1, 20, 20] });
    const strips = insecureStrips([a, b], { kind: 'plain' });
    expect(strips.map((s) => [s.from, s.to])).toEqual([
      [2, 3],
      [3, 5],
    ]);
    expect(strips[0]!.title).toContain('1 of 2 runs');
    expect(strips[1]!.title).toContain('2 of 2 runs');
    expect(strips[1]!.opacity).toBeGreaterThan(strips[0]!.opacity);
  });
  it('draws nothing when every run is secure', () => {
    const a = run(0, { coc: [10, 10, 10, 10], pfc: [1, 1, 1, 1] });
    expect(insecureStrips([a], { kind: 'plain' })).toEqual([]);
  });
});

describe('insecureStrips with many runs', () => {
  it('merges neighbouring blocks whose share falls in the same quarter, giving the count range', () => {
    // 8 runs; at blocks 1..4, 1, 2, 5 and 8 of them are insecure (quarters 1, 1, 3, 4).
    const bad = [1, 2, 5, 8];
    const runs = Array.from({ length: 8 }, (_, r) =>
      run(r, { coc: [10, 10, 10, 10], pfc: bad.map((n) => (r < n ? 20 : 1)) }),
    );
    const strips = insecureStrips(runs, { kind: 'plain' });
    expect(strips.map((s) => [s.from, s.to])).toEqual([
      [1, 3],
      [3, 4],
      [4, 5],
    ]);
    expect(strips[0]!.title).toBe('blocks 1–3: insecure in 1–2 of 8 runs');
    expect(strips[2]!.title).toBe('blocks 4–5: insecure in 8 of 8 runs');
  });
});
