import { App, type AppOptions } from './app/app.ts';
import type { AnyModule } from './app/module.ts';
import type { Params } from './app/params.ts';
import { AuthKeeper, AuthModule } from './modules/auth/module.ts';
import { BankKeeper } from './modules/bank/keeper.ts';
import { BankModule } from './modules/bank/module.ts';
import { createDistribution } from './modules/distribution/module.ts';
import { GovKeeper } from './modules/gov/keeper.ts';
import { GovModule } from './modules/gov/module.ts';
import { msgRouterOf } from './modules/gov/types.ts';
import { createOptions } from './modules/options/index.ts';
import { createOracle } from './modules/oracle/module.ts';
import { createPerps, oraclePrices } from './modules/perps/index.ts';
import { createRisk } from './modules/risk/index.ts';
import { SlashingModule } from './modules/slashing/module.ts';
import { StakingKeeper } from './modules/staking/keeper.ts';
import { StakingModule } from './modules/staking/module.ts';
import { createVaults } from './modules/vaults/module.ts';

export type AppConfig = Omit<AppOptions, 'modules'>;

/**
 * The modules of a Bulwark chain, wired together. The order is the genesis, begin-block
 * and end-block order:
 * - staking before distribution and slashing (their genesis reads validators and delegations);
 * - distribution before slashing (the previous block is rewarded before anyone is slashed for it);
 * - oracle after staking and slashing (it reads the active set and slashes deviant reporters);
 * - vaults after bank (its genesis seeds move uusd) and before the markets that use them;
 * - perps after oracle and vaults (its end block reads prices and pays its vault);
 * - options after oracle and vaults (its genesis lists series on both; its end block settles);
 * - risk after perps and options (its end block reports the figures after the block's trades);
 * - gov last (its end block tallies against the staking state of this block).
 */
export function createModules(opts: { trustSignatures?: boolean } = {}): AnyModule[] {
  const bank = new BankKeeper();
  const auth = new AuthKeeper();
  const staking = new StakingKeeper(bank);
  const distribution = createDistribution(bank, staking);
  const slashing = new SlashingModule(staking);
  const oracle = createOracle(staking, slashing.keeper, {
    trustSignatures: opts.trustSignatures ?? false,
  });
  const vaults = createVaults(bank);
  const registry = new Map<string, Params<unknown>>();
  const govKeeper = new GovKeeper(staking, bank, registry, distribution.keeper);
  // The security budget per market (CoC vs PfC). Built before perps, which refuses OI growth
  // beyond its cap (`securityCapSource`); it reads perps and options back through setters.
  const risk = createRisk({ staking, oracle: oracle.keeper, vaults: vaults.keeper });
  // Markets read the oracle's prices and gov's emergency pauses; their vaults lock capital.
  const perps = createPerps(
    bank,
    vaults.keeper,
    oraclePrices(oracle.keeper),
    govKeeper,
    risk.keeper.securityCapSource,
  );
  // Binary options on oracle markets, each series backed by an options vault of its own.
  const options = createOptions({
    vaults: vaults.keeper,
    oracle: oracle.keeper,
    pauses: govKeeper,
    isPerpsVault: (store, id) => perps.keeper.markets(store).some((m) => m.vault === id),
  });
  // The vaults keeper takes one locked-capital provider and one equity adjuster: dispatch by
  // vault (replacing the perps-only ones createPerps set). Options vaults lock their
  // worst-case payout and mark their open series at the model value; every other vault is a
  // perps market's (locked: its OI share; adjustment: its backstop positions at the mark).
  vaults.keeper.setLockedProvider((store, id) =>
    options.keeper.isOptionsVault(store, id)
      ? options.keeper.lockedFor(store, id)
      : perps.keeper.lockedFor(store, id),
  );
  vaults.keeper.setEquityAdjuster((store, id) =>
    options.keeper.isOptionsVault(store, id)
      ? options.keeper.adjustmentFor(store, id)
      : perps.keeper.backstopEquity(store, id),
  );
  risk.keeper.setPerps(perps.keeper);
  risk.keeper.setOptions(options.keeper);
  const gov = new GovModule(govKeeper);

  const modules: AnyModule[] = [
    new AuthModule(auth),
    new BankModule(bank),
    new StakingModule(staking),
    distribution.module,
    slashing,
    oracle.module,
    vaults.module,
    perps.module,
    options.module,
    risk.module,
    gov,
  ];
  for (const m of modules) if (m.params !== undefined) registry.set(m.name, m.params);
  // Execute proposals run their msgs through the same handlers as txs (allowlisted types only).
  govKeeper.setMsgRouter(msgRouterOf(modules));
  return modules;
}

/**
 * The kernel alone: auth (nonces, fees) and bank. For tests of the kernel and the bank,
 * where inflation and fee distribution would only blur what is checked.
 */
export function createKernelModules(): AnyModule[] {
  return [new AuthModule(new AuthKeeper()), new BankModule(new BankKeeper())];
}

/** A Bulwark app with every module. */
export function createApp(config: AppConfig = {}): App {
  return new App({
    ...config,
    modules: createModules({ trustSignatures: config.trustSignatures ?? false }),
  });
}

export { App } from './app/app.ts';
export type * from './app/types.ts';
