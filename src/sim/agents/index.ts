/**
 * The simulator's agents: populations of ordinary users, each an {@link Agent} the engine
 * funds at genesis and asks for messages every block. A scenario lists them:
 *
 * ```yaml
 * agents:
 *   - { type: market-maker, count: 3, funds: { uusd: '1_000_000_000_000' }, market: BTC-USD, spread: 0.2%, levels: 5 }
 *   - { type: noise, count: 20, funds: { uusd: '10_000_000_000' }, market: BTC-USD, tradesPerHour: 4 }
 *   - { type: trend, count: 10, funds: { uusd: '50_000_000_000' }, market: BTC-USD, leverage: 5, halfLife: 2h }
 *   - { type: vault-staker, count: 5, funds: { uusd: '100_000_000_000' }, vault: BTC-USD }
 *   - { type: delegator, count: 10, funds: { ubwk: '10_000_000_000' }, checkEvery: 6h }
 * ```
 *
 * Every spec has `count` (default 1), `funds` (genesis balances in base units; 1 000 BWK of
 * ubwk for fees is added when `funds` names no ubwk) and an optional `name` prefix (agents
 * are `<name>-<i>`, default `<type>-<i>`: give distinct prefixes to two populations of one
 * type). Amounts are base units (6 decimals), USD sizes and prices are display floats turned
 * into ticks and quantums on the market's grid, inside its price band.
 *
 * For the engine: every agent here has `stats()` (see {@link ActorStats}: `txs` proposed,
 * plus per-kind counters), and reads the chain only through `view.query` (perps/markets,
 * perps/params, perps/subaccount, bank/balance, vaults/info, vaults/shares,
 * staking/validators, staking/delegations, distribution/apr). Durations are measured on
 * `view.timeMs` since genesis (see `RunClock` in `chain.ts`: ask every agent from block 1);
 * `refreshEvery` counts blocks.
 */
import { z } from 'zod';
import type { Agent } from '../types.ts';
import type { RngFor } from './base.ts';
import { createDelegators, delegatorSpec } from './delegator.ts';
import { createMarketMakers, marketMakerSpec } from './market-maker.ts';
import { createNoiseTraders, noiseSpec } from './noise.ts';
import { createTrendFollowers, trendSpec } from './trend.ts';
import { createVaultStakers, vaultStakerSpec } from './vault-staker.ts';

export {
  type ActorStats,
  type AgentWithStats,
  actorNameSchema,
  BaseAgent,
  DEFAULT_FEE_FUNDS,
  hasStats,
  PerpsTrader,
  populationFields,
  type RngFor,
} from './base.ts';
export * as chain from './chain.ts';
export { Delegator, delegatorSpec, rankValidators } from './delegator.ts';
export { MarketMaker, marketMakerSpec } from './market-maker.ts';
export { NoiseTrader, noiseSpec } from './noise.ts';
export { TrendFollower, trendSpec } from './trend.ts';
export { VaultStaker, vaultStakerSpec } from './vault-staker.ts';

/** The YAML spec of one population of agents, discriminated by `type`. */
export const agentSpec = z.discriminatedUnion('type', [
  marketMakerSpec,
  noiseSpec,
  trendSpec,
  vaultStakerSpec,
  delegatorSpec,
]);
export type AgentSpec = z.output<typeof agentSpec>;
export type AgentSpecInput = z.input<typeof agentSpec>;

/**
 * The agents of one population (`count` of them). `rngFor(name)` gives construction-time
 * randomness by agent name (e.g. a market maker's refresh phase, so a crowd of them does not
 * requote in the same block); the per-block draws come from `ActContext.rng`.
 */
export function createAgents(spec: AgentSpec, rngFor: RngFor): Agent[] {
  switch (spec.type) {
    case 'market-maker':
      return createMarketMakers(spec, rngFor);
    case 'noise':
      return createNoiseTraders(spec);
    case 'trend':
      return createTrendFollowers(spec);
    case 'vault-staker':
      return createVaultStakers(spec);
    case 'delegator':
      return createDelegators(spec);
  }
}
