import { describe, expect, it } from 'vitest';
import { leaks } from './contagion.ts';

describe('leaks', () => {
  it('reports losses outside a market’s own vault only', () => {
    expect(
      leaks({
        markets: ['A', 'B'],
        vaults: ['A', 'B', 'C'],
        loss: [
          [100, 0, 5],
          [0, 80, Number.NaN],
        ],
      }),
    ).toEqual([{ market: 'A', vault: 'C', loss: 5 }]);
  });
  it('tolerates a ragged or short matrix', () => {
    expect(leaks({ markets: ['A', 'B'], vaults: ['A', 'B'], loss: [[1]] })).toEqual([]);
  });
});
