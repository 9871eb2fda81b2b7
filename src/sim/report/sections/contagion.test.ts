import { describe, expect, it } from 'vitest';
import { isOwnVault, leaks } from './contagion.ts';

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

describe('isOwnVault', () => {
  it('matches by name when the vaults are named after their markets, in any order', () => {
    const c = { markets: ['A', 'B'], vaults: ['B', 'A'], loss: [] };
    expect(isOwnVault(c, 0, 1)).toBe(true);
    expect(isOwnVault(c, 0, 0)).toBe(false);
  });
  it('falls back to the diagonal when names differ', () => {
    const c = {
      markets: ['A', 'B'],
      vaults: ['vault-a', 'vault-b'],
      loss: [
        [5, 0],
        [1, 7],
      ],
    };
    expect(isOwnVault(c, 1, 1)).toBe(true);
    expect(leaks(c)).toEqual([{ market: 'B', vault: 'vault-a', loss: 1 }]);
  });
});
