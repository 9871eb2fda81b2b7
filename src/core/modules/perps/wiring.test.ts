import { describe, expect, it } from 'vitest';
import { App } from '../../app/app.ts';
import type { AnyModule } from '../../app/module.ts';
import type { Params } from '../../app/params.ts';
import { TEST_CHAIN_ID, testAccount, testGenesis } from '../../testing/harness.ts';
import { AuthKeeper, AuthModule } from '../auth/module.ts';
import { BankKeeper } from '../bank/keeper.ts';
import { BankModule } from '../bank/module.ts';
import { createDistribution } from '../distribution/module.ts';
import { GovKeeper } from '../gov/keeper.ts';
import { GovModule } from '../gov/module.ts';
import { createOracle } from '../oracle/module.ts';
import { SlashingModule } from '../slashing/module.ts';
import { StakingKeeper } from '../staking/keeper.ts';
import { StakingModule } from '../staking/module.ts';
import { createVaults } from '../vaults/module.ts';
import { oraclePrices } from './api.ts';
import { createPerps } from './module.ts';
import { DEVNET_MARKETS, DEVNET_PERPS_PARAMS, marketToJson, paramsToJson } from './params.ts';

/** The wiring proposed for src/core/index.ts `createModules()`, checked end to end. */
function modules(): AnyModule[] {
  const bank = new BankKeeper();
  const staking = new StakingKeeper(bank);
  const distribution = createDistribution(bank, staking);
  const slashing = new SlashingModule(staking);
  const oracle = createOracle(staking, slashing.keeper);
  const vaults = createVaults(bank);
  const registry = new Map<string, Params<unknown>>();
  const govKeeper = new GovKeeper(staking, bank, registry, distribution.keeper);
  const perps = createPerps(bank, vaults.keeper, oraclePrices(oracle.keeper), govKeeper);
  const list: AnyModule[] = [
    new AuthModule(new AuthKeeper()),
    new BankModule(bank),
    new StakingModule(staking),
    distribution.module,
    slashing,
    oracle.module,
    vaults.module,
    perps.module,
    new GovModule(govKeeper),
  ];
  for (const m of list) if (m.params !== undefined) registry.set(m.name, m.params);
  return list;
}

describe('perps: wiring into the full app', () => {
  it('lists the devnet markets at genesis and exposes its params to gov', () => {
    const app = new App({ modules: modules(), assertInvariants: true });
    const alice = testAccount('alice');
    const g = testGenesis([alice], 1_000_000_000_000n);
    g.app = {
      ...g.app,
      vaults: {
        vaults: [
          { id: 'BTC-USD', seed: { depositor: alice.address, amount: '100000000000' } },
          { id: 'ETH-USD' },
        ],
      },
      perps: {
        params: paramsToJson(DEVNET_PERPS_PARAMS),
        markets: DEVNET_MARKETS.map(marketToJson),
      },
    };
    app.initChain(g);
    expect(app.chainId).toBe(TEST_CHAIN_ID);
    const markets = app.query('perps/markets', {}).value as { id: string; mark: unknown }[];
    expect(markets.map((m) => m.id)).toEqual(['BTC-USD', 'ETH-USD']);
    expect(markets[0]!.mark).toBeNull(); // no oracle price yet
    expect(app.query('perps/params', {}).value).toMatchObject({ priceBand: '0.1' });
  });

  it('refuses a market whose vault does not exist', () => {
    const app = new App({ modules: modules() });
    const g = testGenesis([testAccount('alice')]);
    g.app = { ...g.app, perps: { markets: DEVNET_MARKETS.map(marketToJson) } };
    expect(() => app.initChain(g)).toThrow(/expected an existing vault BTC-USD/);
  });
});
