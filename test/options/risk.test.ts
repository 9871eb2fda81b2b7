import { describe, expect, it } from 'vitest';
import { Context } from '../../src/core/app/module.ts';
import { fromDecimalString, ONE } from '../../src/core/math/index.ts';
import {
  alice,
  buy,
  E18,
  OptionsChain,
  testSeries,
} from '../../src/core/modules/options/testing.ts';
import { createRisk, DEVNET_RISK_PARAMS, riskParams } from '../../src/core/modules/risk/index.ts';
import { StateTree } from '../../src/core/store/state-tree.ts';

const dec = fromDecimalString;

/** A risk keeper over fakes (one perps market) whose options exposure the test sets. */
function riskWithOptions(exposure: { value: bigint }) {
  const store = new StateTree();
  const risk = createRisk({
    staking: {
      activeSet: () => [{ operator: 'val0', power: 1_000_000n }],
      validator: () => ({ tokens: 1_000_000_000_000n, jailed: false }),
    },
    oracle: {
      price: (_s, m) => (m === 'BWK-USD' ? { price: 2n * ONE, height: 1 } : undefined),
      volatility: () => dec('0.8'),
      params: () => ({
        maxMovePerBlock: dec('0.05'),
        maxMovePerWindow: dec('0.25'),
        breakerWindowBlocks: 60,
      }),
    },
    vaults: { equity: () => 10n ** 12n },
  });
  const spec = {
    id: 'ETH-USD',
    oracleMarket: 'ETH-USD',
    vault: 'ETH-USD',
    lockedOiRatio: dec('0.1'),
    baseImf: dec('0.05'),
    mmfRatio: dec('0.6'),
  };
  risk.keeper.setPerps({
    markets: () => [spec],
    openInterest: () => 1_000_000_000n,
    marginFractions: (_store, s) => ({
      imf: s.baseImf,
      mmf: (s.baseImf * (s as typeof spec).mmfRatio) / ONE,
    }),
  });
  risk.keeper.setOptions({ exposure: () => exposure.value });
  const ctx = new Context(store, { height: 1, timeMs: 0 } as never);
  risk.module.initGenesis(ctx, { params: riskParams.schema.parse(DEVNET_RISK_PARAMS) });
  return { store, risk };
}

describe('the security budget includes options exposure', () => {
  it('adds the options worst-case payout to the profit from corruption', () => {
    const exposure = { value: 0n };
    const { store, risk } = riskWithOptions(exposure);
    const without = risk.keeper.summary(store);
    expect(without.options.pfc).toBe(0n);
    exposure.value = 5_000_000_000n;
    const withOptions = risk.keeper.summary(store);
    expect(withOptions.options.pfc).toBe(5_000_000_000n);
    expect(withOptions.pfcTotal).toBe(without.pfcTotal + 5_000_000_000n);
    // Enough options exposure takes the chain out of its budget.
    exposure.value = withOptions.budget + 1n;
    expect(risk.keeper.summary(store).secure).toBe(false);
  });

  it("the options keeper's exposure is the vaults' worst-case payout", () => {
    const c = new OptionsChain({
      series: testSeries([{}, { id: 'ETH-3100-P', strike: 3_100n * E18 }]),
    });
    c.block();
    expect(c.keeper.exposure(c.store)).toBe(0n);
    c.ok(alice, buy('ETH-3000-C', 7_000n));
    c.ok(alice, buy('ETH-3100-P', 5_000n));
    // Both pay between 3 000 and 3 100.
    expect(c.keeper.exposure(c.store)).toBe(12_000n);
    expect(c.keeper.exposure(c.store)).toBe(c.vaults.locked(c.store, 'ETH-OPT'));
  });
});
