import { describe, expect, it } from 'vitest';
import { baseParams } from '../engine/genesis.ts';
import { sweepPoints } from './load.ts';
import { scalePerBlockParams } from './timestep.ts';

describe('sweeps', () => {
  it('no sweep: one point without overrides', () => {
    expect(sweepPoints(undefined)).toEqual([{ label: '', params: {} }]);
  });

  it('a grid: every combination in the file order, fractions as decimal strings', () => {
    const pts = sweepPoints({
      'slashing.slashFractionDoubleSign': [0.01, '0.05'],
      'oracle.oracleWindow': [100, 200],
    });
    expect(pts.map((p) => p.label)).toEqual([
      'slashing.slashFractionDoubleSign=0.01,oracle.oracleWindow=100',
      'slashing.slashFractionDoubleSign=0.01,oracle.oracleWindow=200',
      'slashing.slashFractionDoubleSign=0.05,oracle.oracleWindow=100',
      'slashing.slashFractionDoubleSign=0.05,oracle.oracleWindow=200',
    ]);
    expect(pts[1]?.params).toEqual({
      slashing: { slashFractionDoubleSign: '0.01' },
      oracle: { oracleWindow: 200 },
    });
  });
});

describe('block-time scaling', () => {
  it('half the block time: twice the blocks in every per-block param, decay per block λ^½', () => {
    const base = baseParams('mainnet-like');
    const out = scalePerBlockParams(base, { oracle: { oracleWindow: 120 } }, 2);
    expect(out.oracle?.oracleWindow).toBe(240);
    expect(out.oracle?.breakerWindowBlocks).toBe(2 * (base.oracle?.breakerWindowBlocks as number));
    expect(out.staking?.epochLength).toBe(2 * (base.staking?.epochLength as number));
    expect(out.distribution?.blocksPerYear).toBe(2 * (base.distribution?.blocksPerYear as number));
    expect(Number(out.oracle?.ewmaLambda) ** 2).toBeCloseTo(Number(base.oracle?.ewmaLambda), 10);
  });
});
