import { describe, expect, it } from 'vitest';
import { testRng } from '../prices/testing.ts';
import { agentSpec, createAgents, DEFAULT_FEE_FUNDS, hasStats } from './index.ts';

const rngFor = (name: string) => testRng(name.length);

describe('agent specs', () => {
  it('builds `count` agents named <name>-<i>, with fee funds added when none are given', () => {
    const agents = createAgents(
      agentSpec.parse({ type: 'noise', count: 3, funds: { uusd: '1_000' }, market: 'BTC-USD' }),
      rngFor,
    );
    expect(agents.map((a) => a.name)).toEqual(['noise-0', 'noise-1', 'noise-2']);
    expect(agents[0]!.funds).toEqual({ uusd: 1000n, ubwk: DEFAULT_FEE_FUNDS });
    const named = createAgents(
      agentSpec.parse({
        type: 'market-maker',
        name: 'whale-mm',
        funds: { uusd: 5, ubwk: 7 },
        market: 'BTC-USD',
      }),
      rngFor,
    );
    expect(named.map((a) => a.name)).toEqual(['whale-mm-0']);
    expect(named[0]!.funds).toEqual({ uusd: 5n, ubwk: 7n });
    expect(agents.every(hasStats)).toBe(true);
  });

  it('refuses unknown keys, unknown types and malformed amounts, naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'noise', funds: {}, market: 'BTC-USD', tradesPerHr: 3 }, /tradesPerHr/],
      [{ type: 'whale', funds: {} }, /type/],
      [
        { type: 'noise', funds: { uusd: '1e9' }, market: 'BTC-USD' },
        /expected an amount in base units/,
      ],
      [{ type: 'noise', funds: { USD: 1 }, market: 'BTC-USD' }, /funds/],
      [{ type: 'market-maker', funds: {}, market: 'BTC-USD', levels: 16 }, /levels/],
      [{ type: 'trend', funds: {}, market: 'BTC-USD', halfLife: '0s' }, /half-life > 0/],
      [{ type: 'delegator', funds: {}, count: 0 }, /count/],
    ];
    for (const [spec, message] of cases) {
      const r = agentSpec.safeParse(spec);
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).toMatch(message);
    }
  });

  it('refuses a population that cannot act: no collateral, nothing to delegate', () => {
    expect(() =>
      createAgents(agentSpec.parse({ type: 'noise', funds: {}, market: 'BTC-USD' }), rngFor),
    ).toThrow(/collateral must be positive/);
    expect(() => createAgents(agentSpec.parse({ type: 'delegator', funds: {} }), rngFor)).toThrow(
      /needs ubwk in funds or an amount > 0/,
    );
    expect(() =>
      createAgents(agentSpec.parse({ type: 'vault-staker', funds: {}, vault: 'BTC-USD' }), rngFor),
    ).toThrow(/needs uusd in funds or a chunk > 0/);
  });
});
