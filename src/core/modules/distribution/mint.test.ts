import { describe, expect, it } from 'vitest';
import { fromDecimalString as dec, ONE } from '../../math/index.ts';
import {
  annualProvisions,
  blockProvision,
  bondedRatio,
  inflationChangePerBlock,
  type MintParams,
  nextInflation,
} from './mint.ts';
import { acct, DistrChain } from './testkit.ts';

const P: MintParams = {
  inflationRateChange: dec('0.13'),
  inflationMax: dec('0.20'),
  inflationMin: dec('0.07'),
  goalBonded: dec('0.67'),
  blocksPerYear: 100,
};

describe('mint arithmetic', () => {
  it('moves inflation up when bonded < goal: half the goal gives half the yearly change', () => {
    // bonded 335 / supply 1000 = 0.335 = goal / 2 → (1 − 0.5) × 0.13 = 0.065 a year, /100 a block.
    expect(inflationChangePerBlock(335n, 1000n, P)).toBe(dec('0.00065'));
    expect(nextInflation(dec('0.10'), 335n, 1000n, P)).toBe(dec('0.10065'));
    // nothing bonded: the full inflationRateChange per year.
    expect(inflationChangePerBlock(0n, 1000n, P)).toBe(dec('0.0013'));
  });

  it('moves inflation down when bonded > goal (rounded once toward zero)', () => {
    // (1 − 1/0.67) × 0.13 / 100 = −0.000640298507462686567… → −0.000640298507462686
    expect(inflationChangePerBlock(1000n, 1000n, P)).toBe(-dec('0.000640298507462686'));
    expect(nextInflation(dec('0.10'), 1000n, 1000n, P)).toBe(dec('0.099359701492537314'));
  });

  it('does not move at the goal', () => {
    expect(inflationChangePerBlock(670n, 1000n, P)).toBe(0n);
  });

  it('is clamped to [inflationMin, inflationMax]', () => {
    expect(nextInflation(dec('0.1999'), 0n, 1000n, P)).toBe(dec('0.20'));
    expect(nextInflation(dec('0.0701'), 1000n, 1000n, P)).toBe(dec('0.07'));
    // a rate outside new bounds (after a governance change) is pulled inside at once.
    expect(nextInflation(dec('0.5'), 670n, 1000n, P)).toBe(dec('0.20'));
    expect(nextInflation(0n, 670n, 1000n, P)).toBe(dec('0.07'));
  });

  it('computes provisions with a single floor', () => {
    expect(blockProvision(31_557_600_000n, dec('0.1'), 31_557_600)).toBe(100n);
    expect(blockProvision(31_557_600_000n + 9n, dec('0.1'), 31_557_600)).toBe(100n);
    expect(blockProvision(31_557_599_999n, dec('0.1'), 31_557_600)).toBe(99n);
    expect(annualProvisions(1_000_000_001n, dec('0.1'))).toBe(100_000_000n);
    expect(bondedRatio(1n, 3n)).toBe(ONE / 3n);
    expect(bondedRatio(5n, 0n)).toBe(0n);
  });
});

describe('mint on chain', () => {
  it('raises inflation each block while under-bonded and mints the provision into the pool', () => {
    const op = acct('op');
    // supply 10^15 ubwk, bonded 10^8: far below the goal.
    const c = new DistrChain({
      accounts: [op],
      validators: [{ account: op, commissionRate: 0n, selfBond: 100_000_000n }],
      distribution: {
        params: {
          communityTax: '0',
          inflationRateChange: '0.13',
          inflationMax: '0.2',
          inflationMin: '0.07',
          goalBonded: '0.67',
          blocksPerYear: 1000,
          bondDenom: 'ubwk',
        },
        inflation: '0.1',
      },
    });
    let inflation = dec('0.1');
    for (let i = 0; i < 5; i++) {
      const supply = c.bank.minted(c.store, 'ubwk') - c.bank.burned(c.store, 'ubwk');
      const bonded = c.staking.totalBonded(c.store);
      const minted0 = c.bank.minted(c.store, 'ubwk');
      c.block();
      const next = c.distr.minter(c.store).inflation;
      expect(next).toBeGreaterThan(inflation);
      expect(next).toBe(nextInflation(inflation, bonded, supply, { ...P, blocksPerYear: 1000 }));
      expect(c.bank.minted(c.store, 'ubwk') - minted0).toBe(blockProvision(supply, next, 1000));
      inflation = next;
    }
  });
});
