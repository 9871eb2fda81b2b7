import { describe, expect, it } from 'vitest';
import { toHex } from '../../core/crypto/hash.ts';
import { consKeyOf, StakingChain } from '../../core/modules/staking/testing.ts';
import { TestChain, testAccount } from '../../core/testing/harness.ts';
import { testRng } from '../prices/testing.ts';
import { agentSpec, createAgents, rankValidators } from './index.ts';
import { drive, refusals, testView } from './testing.ts';

const BWK = 1_000_000n;
const [v1, v2, v3] = ['v1', 'v2', 'v3'].map(testAccount) as [
  ReturnType<typeof testAccount>,
  ReturnType<typeof testAccount>,
  ReturnType<typeof testAccount>,
];
const investor = testAccount('investor');

const delegatorSpec = {
  type: 'delegator',
  funds: { ubwk: '1_000_000_000' },
  amount: '100_000_000',
  checkEvery: '3s',
  minGain: '1%',
};

function oneDelegator(extra: object = {}) {
  const [d] = createAgents(agentSpec.parse({ ...delegatorSpec, ...extra }), () => testRng(1));
  return d!;
}

/** The full app (staking, distribution, oracle, perps…) with three staking validators. */
function fullChain(rates: [string, string, string]) {
  const ops = [v1, v2, v3];
  return new TestChain({
    chainId: 'bulwark-sim-test',
    genesisTime: '2026-01-01T00:00:00Z',
    app: {
      bank: {
        balances: [...ops, investor].map((a) => ({
          address: a.address,
          coins: [{ denom: 'ubwk', amount: String(10_000n * BWK) }],
        })),
      },
      staking: {
        params: { epochLength: 5, minSelfBond: '1000000' },
        validators: ops.map((op, i) => ({
          operator: op.address,
          consPubKey: toHex(consKeyOf(op)),
          moniker: op.name,
          selfBond: String(1_000n * BWK),
          commission: { rate: rates[i]!, maxRate: '0.5', maxChangeRate: '0.5' },
        })),
      },
    },
  });
}

describe('delegator', () => {
  it('delegates to the validator with the best APR from distribution/apr', () => {
    const chain = fullChain(['0.10', '0.05', '0.20']);
    const view = testView(chain);
    const ranked = rankValidators(view);
    expect(ranked.map((r) => r.operator)).toEqual([v2.address, v1.address, v3.address]);
    expect(ranked[0]!.apr).toBeGreaterThan(ranked[1]!.apr);
    const table = view.query<{ validators: { operator: string; apr: string }[] }>(
      'distribution/apr',
    );
    const v2Apr = table.validators.find((v) => v.operator === v2.address)!.apr;
    expect(ranked[0]!.apr).toBe(Number(v2Apr));
    expect(ranked[0]!.apr).toBeGreaterThan(0);
    const d = oneDelegator();
    const out = drive(chain, [[d, investor]], 2, {
      resync: (w) => chain.resetNonce(w),
    });
    expect(refusals(out)).toEqual([]);
    const dels = view.query<{ validator: string; tokens: bigint }[]>('staking/delegations', {
      delegator: investor.address,
    });
    expect(dels.map((x) => [x.validator, x.tokens])).toEqual([[v2.address, 100_000_000n]]);
  });

  it('redelegates all of it when a better validator appears (the one it chose is jailed)', () => {
    const chain = new StakingChain({
      accounts: [v1, v2, investor],
      validators: [
        { operator: v1, selfBond: 1_000n * BWK, rate: '0.10' },
        { operator: v2, selfBond: 1_000n * BWK, rate: '0.05' },
      ],
    });
    const d = oneDelegator();
    const resync = () => {};
    expect(refusals(drive(chain, [[d, investor]], 2, { resync }))).toEqual([]);
    const before = chain.keeper.delegation(chain.store, investor.address, v2.address);
    expect(before?.shares).toBeGreaterThan(0n);
    // v2 is jailed: it earns nothing (fallback ranking: bonded and unjailed only)
    chain.exec((ctx) =>
      chain.keeper.jail(ctx, chain.keeper.validator(ctx.store, v2.address)!.consAddress),
    );
    const out = drive(chain, [[d, investor]], 5, { resync });
    expect(refusals(out)).toEqual([]);
    const moved = out.flatMap((o) => o.msgs).filter((m) => m.type === 'staking/redelegate');
    expect(moved).toHaveLength(1);
    expect(chain.keeper.delegation(chain.store, investor.address, v2.address)).toBeUndefined();
    expect(
      chain.keeper.delegation(chain.store, investor.address, v1.address)?.shares,
    ).toBeGreaterThan(0n);
  });

  it('does not send a redelegation the chain would refuse (maxEntries already maturing)', () => {
    const chain = new StakingChain({
      accounts: [v1, v2, investor],
      validators: [
        { operator: v1, selfBond: 1_000n * BWK, rate: '0.10' },
        { operator: v2, selfBond: 1_000n * BWK, rate: '0.05' },
      ],
      params: { maxEntries: 1 },
    });
    const d = oneDelegator();
    drive(chain, [[d, investor]], 2);
    // one redelegation v2 → v1 of part of the stake is maturing: the pair is full
    const partial = {
      type: 'staking/redelegate',
      value: { src: v2.address, dst: v1.address, amount: { denom: 'ubwk', amount: 1_000_000n } },
    };
    expect(chain.send(investor, partial).code).toBe(0);
    chain.exec((ctx) =>
      chain.keeper.jail(ctx, chain.keeper.validator(ctx.store, v2.address)!.consAddress),
    );
    const out = drive(chain, [[d, investor]], 5);
    expect(out.flatMap((o) => o.msgs)).toEqual([]);
    expect(
      chain.keeper.delegation(chain.store, investor.address, v2.address)?.shares,
    ).toBeGreaterThan(0n);
  });
});
