import { describe, expect, it } from 'vitest';
import { type Sample, underSecured } from '../engine/metrics.ts';
import { loadScenario } from '../scenario/load.ts';
import { frac, mean, micro, quantile, stableJson } from './format.ts';
import { riskGamma, vaultStats } from './summary.ts';

const E18 = 10n ** 18n;

function sample(block: number, equity: bigint, badDebt = 0n): Sample {
  return {
    block,
    tSeconds: block,
    truePrice: {},
    oraclePrice: {},
    oi: {},
    vaultEquity: { V: equity },
    badDebt: { V: badDebt },
    coc: 0n,
    pfc: 0n,
    ratio: undefined,
    gamma: E18 / 2n,
    bondedStake: 0n,
    burned: 0n,
    apr: 0n,
    attackerValue: 0n,
  };
}

describe('summary figures', () => {
  it('quantiles by nearest rank, means, exact USD strings', () => {
    const v = [5n, 1n, 4n, 2n, 3n];
    expect(quantile(v, 0.5)).toBe(3n);
    expect(quantile(v, 0.95)).toBe(5n);
    expect(quantile(v, 0)).toBe(1n);
    expect(quantile([], 0.5)).toBe(0n);
    expect(mean(v)).toBe(3n);
    expect(micro(1_500_000n)).toBe('1.5');
    expect(micro(-2n)).toBe('-0.000002');
    expect(frac(1 / 3, 4)).toBe('0.3333');
    expect(frac(-0, 2)).toBe('0.00');
  });

  it('a vault run: drawdown from the running peak, lowest equity, insolvency', () => {
    const s = vaultStats(
      [sample(0, 100n), sample(1, 120n), sample(2, 90n), sample(3, 110n)],
      'V',
      100n,
    );
    expect(s).toEqual({
      start: 100n,
      end: 110n,
      min: 90n,
      badDebt: 0n,
      maxDrawdown: 0.25,
      insolvent: false,
    });
    expect(vaultStats([sample(0, 100n), sample(1, 100n, 7n)], 'V', 100n).insolvent).toBe(true);
    expect(vaultStats([sample(0, 100n), sample(1, 0n)], 'V', 100n).insolvent).toBe(true);
  });

  it('under-secured: CoC below (1 + γ)·PfC', () => {
    const s = sample(0, 0n);
    expect(underSecured({ ...s, coc: 150n, pfc: 100n })).toBe(false);
    expect(underSecured({ ...s, coc: 149n, pfc: 100n })).toBe(true);
    expect(underSecured({ ...s, coc: 0n, pfc: 0n })).toBe(false);
  });

  it('stable JSON refuses raw bigints (they must be formatted first)', () => {
    expect(stableJson({ b: '1', a: 2 })).toBe('{\n  "b": "1",\n  "a": 2\n}\n');
    expect(() => stableJson({ x: 1n })).toThrow(/bigint/);
  });

  it('γ: the preset’s, then the scenario’s and the sweep point’s overrides', () => {
    const sc = loadScenario(new URL('../../../scenarios/baseline.yaml', import.meta.url).pathname);
    expect(riskGamma(sc, undefined)).toBe('0.5');
    const withScenario = { ...sc, genesis: { ...sc.genesis, params: { risk: { gamma: '0.7' } } } };
    expect(riskGamma(withScenario, undefined)).toBe('0.7');
    expect(
      riskGamma(withScenario, { label: 'risk.gamma=0.9', params: { risk: { gamma: '0.9' } } }),
    ).toBe('0.9');
  });
});
