import { describe, expect, it } from 'vitest';
import type { Value } from '../../encoding/canonical.ts';
import { ErrorCode } from '../../errors.ts';
import { fromDecimalString as dec, ONE } from '../../math/index.ts';
import { Branch } from '../../store/branch.ts';
import type { Msg } from '../../tx/tx.ts';
import { netApr, nominalApr } from './apr.ts';
import { DistributionErrorCode } from './errors.ts';
import { DISTRIBUTION_POOL } from './keeper.ts';
import { DEFAULT_DISTRIBUTION_PARAMS, distributionParams } from './params.ts';
import { acct, DistrChain } from './testkit.ts';

const opA = acct('opA');
const opB = acct('opB');
const alice = acct('alice');
const bob = acct('bob');
const carol = acct('carol');
const aliceRewards = acct('alice-rewards');

/** No inflation: every reward is a fee we chose. */
const noInflation = (communityTax: string) => ({
  params: {
    communityTax,
    inflationRateChange: '0',
    inflationMax: '0',
    inflationMin: '0',
    goalBonded: '0.67',
    blocksPerYear: 31_557_600,
    bondDenom: 'ubwk',
  },
  inflation: '0',
  withdrawAddresses: [{ delegator: alice.address, address: aliceRewards.address }],
});

const delegate = (validator: string, amount: bigint): Msg => ({
  type: 'fakestaking/delegate',
  value: { validator, amount },
});
const slash = (validator: string, fraction: bigint): Msg => ({
  type: 'fakestaking/slash',
  value: { validator, fraction },
});
const withdraw = (validator?: string): Msg => ({
  type: 'distribution/withdraw-rewards',
  value: validator === undefined ? {} : { validator },
});

const rewardsOf = (c: DistrChain, delegator: string, validator?: string) => {
  const r = c.app.query('distribution/rewards', {
    delegator,
    ...(validator !== undefined ? { validator } : {}),
  });
  expect(r.log).toBe('');
  return r.value as {
    rewards: { validator: string; reward: { denom: string; amount: bigint }[] }[];
    total: { denom: string; amount: bigint }[];
  };
};
const ubwk = (coins: { denom: string; amount: bigint }[]) =>
  coins.find((c) => c.denom === 'ubwk')?.amount ?? 0n;
const pool = (c: DistrChain) =>
  ubwk((c.app.query('distribution/community-pool', {}).value as { pool: never }).pool);
const commission = (c: DistrChain, operator: string) =>
  ubwk(
    (c.app.query('distribution/commission', { operator }).value as { commission: never })
      .commission,
  );

function owedEqualsPool(c: DistrChain) {
  const owed = c.distr.owed(c.store);
  expect(c.balance(DISTRIBUTION_POOL)).toBe(owed.ubwk ?? 0n);
}

describe('hand-computed distribution', () => {
  it('splits by power, takes the community tax and each commission', () => {
    const c = new DistrChain({
      accounts: [opA, opB, alice],
      validators: [
        { account: opA, commissionRate: dec('0.1'), selfBond: 3_000_000n },
        { account: opB, commissionRate: dec('0.2'), selfBond: 1_000_000n },
      ],
      distribution: noInflation('0.1'),
    });
    // Block 1: alice delegates 3 BWK to A and pays a 10 000 ubwk fee.
    expect(
      c.block([c.tx(alice, [delegate(opA.address, 3_000_000n)], 10_000n)]).txResults[0]?.code,
    ).toBe(0);
    // Block 2 distributes that fee; A signed with power 6, B with power 1.
    c.block();
    // community: 10 000 − floor(10 000 × 0.9) = 1000; validators 9000:
    //   A: floor(9000 × 6/7) = 7714, B: floor(9000 × 1/7) = 1285, remainder 1 → community 1001.
    //   A commission floor(7714 × 0.1) = 771, delegators 6943 over two equal share holders:
    //     each floor(6943 / 2) = 3471 (1 ubwk dust stays outstanding).
    //   B commission floor(1285 × 0.2) = 257, delegators 1028 (opB alone).
    expect(pool(c)).toBe(1001n);
    expect(commission(c, opA.address)).toBe(771n);
    expect(commission(c, opB.address)).toBe(257n);
    expect(ubwk(rewardsOf(c, alice.address).total)).toBe(3471n);
    expect(ubwk(rewardsOf(c, opA.address, opA.address).total)).toBe(3471n);
    expect(ubwk(rewardsOf(c, opB.address).total)).toBe(1028n);
    expect(c.distr.validatorRewards(c.store, opA.address).outstanding.ubwk).toBe(6943n);
    owedEqualsPool(c);

    // Alice withdraws to her withdraw address; A's operator withdraws commission.
    const r = c.block([
      c.tx(alice, [withdraw()], 100n),
      c.tx(opA, [{ type: 'distribution/withdraw-commission', value: {} }], 100n),
    ]);
    expect(r.txResults.map((t) => t.code)).toEqual([0, 0]);
    expect(c.balance(aliceRewards.address)).toBe(3471n);
    expect(commission(c, opA.address)).toBe(0n);
    expect(ubwk(rewardsOf(c, alice.address).total)).toBe(0n);
    const events = r.txResults[0]?.events.filter((e) => e.type === 'withdraw_rewards') ?? [];
    expect(events[0]?.attributes).toMatchObject({
      amount: '3471ubwk',
      recipient: aliceRewards.address,
    });
    owedEqualsPool(c);
  });

  it('stays exact across a slash between two reward blocks', () => {
    const c = new DistrChain({
      accounts: [opA, alice, bob, carol],
      validators: [{ account: opA, commissionRate: 0n, selfBond: 3_000_000n }],
      distribution: noInflation('0'),
    });
    // Block 1: alice delegates 1 BWK (1e6 shares·1e18), fee 8000.
    c.block([c.tx(alice, [delegate(opA.address, 1_000_000n)], 8000n)]);
    // Block 2 pays the 8000: opA 3/4 = 6000, alice 1/4 = 2000. In it, carol slashes A by 50 %
    // (tokens 4e6 → 2e6, shares unchanged), then bob delegates 1 BWK at the new rate:
    // 1e6 × 4e6 / 2e6 = 2e6 shares. Fees 6000 + 6000.
    const r = c.block([
      c.tx(carol, [slash(opA.address, dec('0.5'))], 6000n),
      c.tx(bob, [delegate(opA.address, 1_000_000n)], 6000n),
    ]);
    expect(r.txResults.map((t) => t.code)).toEqual([0, 0]);
    expect(c.staking.validator(c.store, opA.address)?.tokens).toBe(3_000_000n);
    expect(c.staking.delegation(c.store, bob.address, opA.address)?.shares).toBe(
      2_000_000n * 10n ** 18n,
    );
    // Block 3 pays 12 000 over 6e6 shares: opA 3/6 = 6000, alice 1/6 = 2000, bob 2/6 = 4000.
    c.block();
    expect(ubwk(rewardsOf(c, opA.address).total)).toBe(12_000n);
    expect(ubwk(rewardsOf(c, alice.address).total)).toBe(4000n);
    expect(ubwk(rewardsOf(c, bob.address).total)).toBe(4000n);
    owedEqualsPool(c);
  });

  it('pays pending rewards automatically when a delegation changes', () => {
    const c = new DistrChain({
      accounts: [opA, alice],
      validators: [{ account: opA, commissionRate: 0n, selfBond: 1_000_000n }],
      distribution: noInflation('0'),
    });
    c.block([c.tx(alice, [delegate(opA.address, 1_000_000n)], 1000n)]);
    c.block(); // 1000 → 500 each
    c.block([c.tx(alice, [delegate(opA.address, 2_000_000n)], 100n)]);
    expect(c.balance(aliceRewards.address)).toBe(500n);
    c.block([
      c.tx(
        alice,
        [
          {
            type: 'fakestaking/undelegate',
            value: { validator: opA.address, shares: 3_000_000n * 10n ** 18n },
          },
        ],
        100n,
      ),
    ]); // the 100 fee of the previous block: alice 3/4 = 75 paid on removal
    expect(c.balance(aliceRewards.address)).toBe(575n);
    expect(c.distr.start(c.store, alice.address, opA.address)).toBeUndefined();
    owedEqualsPool(c);
  });

  it('distributes fees of other denoms too', () => {
    const c = new DistrChain({
      accounts: [opA, alice],
      validators: [{ account: opA, commissionRate: 0n, selfBond: 1_000_000n }],
      distribution: noInflation('0.5'),
    });
    // uusd fees (auth takes ubwk only; another module could collect uusd): 1001 uusd.
    c.run((ctx) => c.bank.collectFee(ctx, alice.address, { denom: 'uusd', amount: 1001n }));
    c.block();
    // tax 50 %: validators floor(1001 × 0.5) = 500 (opA alone), community 501.
    expect(rewardsOf(c, opA.address).total).toEqual([{ denom: 'uusd', amount: 500n }]);
    expect(c.distr.communityPool(c.store).uusd).toBe(501n);
    expect(c.bank.feePool(c.store, 'uusd')).toBe(0n);
    c.block([c.tx(opA, [withdraw()], 100n)]);
    expect(c.balance(opA.address, 'uusd')).toBe(10n ** 15n + 500n);
  });
});

describe('messages and the community pool', () => {
  function chain() {
    return new DistrChain({
      accounts: [opA, alice, bob],
      validators: [{ account: opA, commissionRate: dec('0.05'), selfBond: 1_000_000n }],
      distribution: noInflation('0.02'),
    });
  }

  it('funds and spends the community pool, refusing more than it holds', () => {
    const c = chain();
    const fund: Msg = {
      type: 'distribution/fund-community-pool',
      value: { amount: { denom: 'ubwk', amount: 5000n } },
    };
    expect(c.block([c.tx(bob, [fund], 100n)]).txResults[0]?.code).toBe(0);
    expect(pool(c)).toBe(5000n);
    const have = pool(c);
    const before = c.balance(alice.address);
    // gov's keeper call
    expect(() =>
      c.run((ctx) =>
        c.distr.spendCommunityPool(ctx, alice.address, { denom: 'ubwk', amount: have + 1n }),
      ),
    ).toThrow(/community pool holds/);
    expect(pool(c)).toBe(have);
    c.run((ctx) => c.distr.spendCommunityPool(ctx, alice.address, { denom: 'ubwk', amount: have }));
    expect(pool(c)).toBe(0n);
    expect(c.balance(alice.address)).toBe(before + have);
    c.block();
    owedEqualsPool(c);
  });

  it('pays rewards and commission to the withdraw address set by message', () => {
    const c = chain();
    const set: Msg = { type: 'distribution/set-withdraw-address', value: { address: bob.address } };
    expect(c.block([c.tx(opA, [set], 10_000n)]).txResults[0]?.code).toBe(0);
    c.block(); // 10 000: community 200, opA 9800 → commission 490, rewards 9310
    expect(commission(c, opA.address)).toBe(490n);
    const bobBefore = c.balance(bob.address);
    const wc: Msg = { type: 'distribution/withdraw-commission', value: {} };
    const r = c.block([c.tx(opA, [withdraw(), wc], 100n), c.tx(opA, [wc], 100n)]);
    expect(c.balance(bob.address) - bobBefore).toBe(9310n + 490n);
    // the second withdrawal in the same block finds nothing left
    expect(r.txResults.map((t) => t.code)).toEqual([0, DistributionErrorCode.NoCommission]);
  });

  it('checks params against their bounds (genesis and governance)', () => {
    const c = chain();
    expect(c.module.defaultGenesis().params).toEqual(DEFAULT_DISTRIBUTION_PARAMS);
    const p = c.distr.params(c.store);
    const branch = new Branch(c.app.state);
    for (const bad of [
      { ...p, communityTax: ONE + 1n },
      { ...p, inflationMin: dec('0.3'), inflationMax: dec('0.2') },
      { ...p, goalBonded: 0n },
      { ...p, blocksPerYear: 0 },
      { ...p, bondDenom: 'X' },
    ]) {
      expect(() => distributionParams.set(branch, bad)).toThrow(/invalid distribution\/params/);
    }
    expect(distributionParams.set(branch, { ...p, communityTax: dec('0.5') }).communityTax).toBe(
      dec('0.5'),
    );
    // a decimal string (a proposal written by a JSON tool) is read as the same fraction
    expect(distributionParams.set(branch, { ...p, communityTax: '0.25' }).communityTax).toBe(
      dec('0.25'),
    );
    expect(() => distributionParams.set(branch, { ...p, communityTax: '1.5' })).toThrow(
      /at most 1/,
    );
    expect(c.app.query('distribution/params', {}).value).toMatchObject({ communityTax: '0.02' });
  });

  it('round-trips its genesis', () => {
    const c = chain();
    c.block([c.tx(alice, [delegate(opA.address, 1_000_000n)], 12_345n)]);
    c.block();
    const exported = c.module.exportGenesis(c.store);
    const json = JSON.parse(
      JSON.stringify(exported, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
    );
    const parsed = c.module.genesisSchema.parse(json);
    expect(JSON.stringify(parsed, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toContain(
      'rewardPerShare',
    );
    expect(json.starts).toHaveLength(2);
    expect(json.accumulators).toHaveLength(1);
  });

  const bad: [string, (c: DistrChain) => Msg, number][] = [
    ['withdraw-rewards with no delegation', () => withdraw(), DistributionErrorCode.NoDelegation],
    [
      'withdraw-rewards from a validator not delegated to',
      () => withdraw(opA.address),
      DistributionErrorCode.NoDelegation,
    ],
    [
      'withdraw-commission by a non-operator',
      () => ({ type: 'distribution/withdraw-commission', value: {} }),
      DistributionErrorCode.UnknownValidator,
    ],
    [
      'set-withdraw-address to the module account',
      () => ({ type: 'distribution/set-withdraw-address', value: { address: DISTRIBUTION_POOL } }),
      DistributionErrorCode.InvalidWithdrawAddress,
    ],
    [
      'set-withdraw-address to a malformed address',
      () => ({ type: 'distribution/set-withdraw-address', value: { address: 'bwk1nope' } }),
      ErrorCode.InvalidRequest,
    ],
    [
      'fund-community-pool beyond the balance',
      () => ({
        type: 'distribution/fund-community-pool',
        value: { amount: { denom: 'ubwk', amount: 10n ** 30n } },
      }),
      ErrorCode.InsufficientFunds,
    ],
  ];
  for (const [name, msg, code] of bad) {
    it(`refuses ${name} with code ${code} and changes nothing`, () => {
      const c = chain();
      c.block();
      const exported = JSON.stringify(c.module.exportGenesis(c.store), (_k, v: Value) =>
        typeof v === 'bigint' ? String(v) : v,
      );
      const r = c.app.checkTx(c.tx(bob, [msg(c)], 100n));
      expect(r.code).toBe(code);
      expect(r.log.length).toBeGreaterThan(10);
      expect(
        JSON.stringify(c.module.exportGenesis(c.store), (_k, v: Value) =>
          typeof v === 'bigint' ? String(v) : v,
        ),
      ).toBe(exported);
    });
  }
});

describe('APR', () => {
  it('nominal = annual provisions × (1 − tax) / bonded; net = nominal × (1 − commission)', () => {
    // 10^8 a year, tax 2 %, 4·10^8 bonded: 0.245; commission 10 %: 0.2205.
    expect(nominalApr(100_000_000n, dec('0.02'), 400_000_000n)).toBe(dec('0.245'));
    expect(netApr(dec('0.245'), dec('0.1'))).toBe(dec('0.2205'));
    expect(nominalApr(100n, 0n, 0n)).toBe(0n);
  });

  it('is served by distribution/apr with inflation and bonded ratio', () => {
    const c = new DistrChain({
      accounts: [opA],
      balance: 1_000_000_000n,
      validators: [{ account: opA, commissionRate: dec('0.1'), selfBond: 400_000_000n }],
      distribution: { ...noInflation('0.02'), inflation: '0.1', withdrawAddresses: [] },
    });
    // Before any block: supply 10^9, inflation 0.1 → annual provisions 10^8.
    const r = c.app.query('distribution/apr', {});
    expect(r.log).toBe('');
    expect(r.value).toMatchObject({
      inflation: '0.1',
      bondedRatio: '0.4',
      annualProvisions: 100_000_000n,
      bondedTokens: 400_000_000n,
      nominalApr: '0.245',
      validators: [{ operator: opA.address, commissionRate: '0.1', apr: '0.2205' }],
    });
    const one = c.app.query('distribution/apr', { validator: opA.address });
    expect((one.value as { validators: unknown[] }).validators).toHaveLength(1);
    expect(c.app.query('distribution/apr', { validator: alice.address }).code).toBe(
      ErrorCode.NotFound,
    );
  });
});
