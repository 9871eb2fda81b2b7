import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/hash.ts';
import { ErrorCode } from '../../errors.ts';
import { ONE } from '../../math/index.ts';
import { testAccount } from '../../testing/harness.ts';
import type { Msg } from '../../tx/tx.ts';
import { StakingError } from './errors.ts';
import { BONDED_POOL, UNBONDING_POOL } from './keeper.ts';
import {
  BWK,
  consAddressOf,
  consKeyOf,
  delegateMsg,
  redelegateMsg,
  StakingChain,
  TEST_PARAMS,
  ubwk,
  undelegateMsg,
} from './testing.ts';

const val1 = testAccount('val1');
const val2 = testAccount('val2');
const val3 = testAccount('val3');
const alice = testAccount('alice');
const bob = testAccount('bob');
const newOp = testAccount('newop');
const FEE = 1000n;
const DAY_MS = 24 * 60 * 60 * 1000;

function chain() {
  return new StakingChain({
    accounts: [val1, val2, val3, alice, bob, newOp],
    validators: [
      { operator: val1, selfBond: 100n * BWK },
      { operator: val2, selfBond: 50n * BWK },
      { operator: val3, selfBond: 30n * BWK },
    ],
  });
}

const createMsg = (
  over: Partial<{
    consPubKey: string;
    moniker: string;
    selfBond: { denom: string; amount: bigint };
    commission: { rate: string; maxRate: string; maxChangeRate: string };
    minSelfDelegation: bigint;
  }> = {},
): Msg => ({
  type: 'staking/create-validator',
  value: {
    consPubKey: toHex(consKeyOf(newOp)),
    moniker: 'newop',
    selfBond: ubwk(10n * BWK),
    commission: { rate: '0.10', maxRate: '0.20', maxChangeRate: '0.01' },
    ...over,
  },
});

/** Sends a tx expected to fail with `code`; checks that staking's state did not change. */
function refused(c: StakingChain, from: typeof alice, msg: Msg, code: number): string {
  const before = c.stakingState();
  const balanceBefore = c.balance(from.address);
  const r = c.send(from, msg);
  expect(r.code, r.log).toBe(code);
  expect(r.log.length).toBeGreaterThan(10);
  // Only the fee was taken (none for a malformed message, refused before the ante step);
  // staking's records are untouched.
  expect(c.balance(from.address)).toBe(
    balanceBefore - (code === ErrorCode.InvalidRequest ? 0n : FEE),
  );
  expect(c.stakingState()).toBe(before);
  return r.log;
}

const delegation = (c: StakingChain, d: string, v: string) =>
  c.keeper.delegation(c.store, d, v)?.shares ?? 0n;

describe('genesis', () => {
  it('bonds the self-bonds and builds epoch 0 ordered by power', () => {
    const c = chain();
    expect(c.balance(BONDED_POOL)).toBe(180n * BWK);
    expect(c.balance(val1.address)).toBe(1_000_000n * BWK - 100n * BWK);
    const set = c.app.validators();
    expect(set.map((v) => [v.name, v.power])).toEqual([
      ['val1', 100n],
      ['val2', 50n],
      ['val3', 30n],
    ]);
    expect(set[0]?.address).toBe(consAddressOf(val1));
    expect(c.keeper.validator(c.store, val1.address)?.status).toBe('bonded');
    expect(delegation(c, val1.address, val1.address)).toBe(100n * BWK * ONE);
    expect(c.keeper.powerAt(c.store, consAddressOf(val2), 1)).toBe(50n);
  });

  it('refuses a genesis validator whose operator lacks the self-bond', () => {
    expect(
      () =>
        new StakingChain({
          accounts: [val1],
          validators: [{ operator: val1, selfBond: 10n ** 30n }],
        }),
    ).toThrow(/app\.staking\.validators\[0\].*insufficient funds/);
  });

  it('refuses out-of-bounds params', () => {
    expect(
      () =>
        new StakingChain({
          accounts: [val1],
          validators: [{ operator: val1, selfBond: 10n * BWK }],
          params: { maxEntries: 0 },
        }),
    ).toThrow(/maxEntries/);
  });

  it('exports the validators and delegations in the genesis format', () => {
    const c = chain();
    c.send(alice, delegateMsg(val2, 7n * BWK));
    const g = c.staking.exportGenesis(c.store) as {
      validators: { moniker: string; selfBond: string }[];
      delegations: { delegator: string; amount: string }[];
    };
    expect(g.validators.map((v) => v.selfBond).sort()).toEqual(
      [String(100n * BWK), String(50n * BWK), String(30n * BWK)].sort(),
    );
    expect(g.delegations).toEqual([
      { delegator: alice.address, validator: val2.address, amount: String(7n * BWK) },
    ]);
    expect(c.staking.genesisSchema.safeParse(g).success).toBe(true);
  });
});

describe('staking/create-validator', () => {
  it('creates the validator, bonds the self-bond, joins the set at the next epoch', () => {
    const c = chain();
    const r = c.send(newOp, createMsg());
    expect(r.code, r.log).toBe(0);
    expect(r.events.map((e) => e.type)).toContain('create_validator');
    const v = c.keeper.validator(c.store, newOp.address)!;
    expect(v.tokens).toBe(10n * BWK);
    expect(v.delegatorShares).toBe(10n * BWK * ONE);
    expect(v.commission.rate).toBe(ONE / 10n);
    expect(v.status).toBe('unbonded');
    expect(c.app.validators().length).toBe(3);
    const res = c.toNextEpoch();
    expect(res.validatorUpdates).toEqual([{ pubKey: consKeyOf(newOp), power: 10n }]);
    expect(c.app.validators().map((x) => x.name)).toContain('newop');
    expect(c.keeper.validator(c.store, newOp.address)?.status).toBe('bonded');
  });

  const bad: [string, Parameters<typeof createMsg>[0], number][] = [
    ['self-bond below the minimum', { selfBond: ubwk(BWK - 1n) }, StakingError.SelfBondTooLow],
    [
      'self-bond below its own minSelfDelegation',
      { selfBond: ubwk(5n * BWK), minSelfDelegation: 6n * BWK },
      StakingError.SelfBondTooLow,
    ],
    [
      'commission rate above maxRate',
      { commission: { rate: '0.3', maxRate: '0.2', maxChangeRate: '0.01' } },
      StakingError.CommissionTooHigh,
    ],
    [
      'maxChangeRate above maxRate',
      { commission: { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.5' } },
      StakingError.InvalidCommission,
    ],
    [
      'a rate above 1',
      { commission: { rate: '1.5', maxRate: '2', maxChangeRate: '0.01' } },
      ErrorCode.InvalidRequest,
    ],
    [
      'a rate that is not a decimal',
      { commission: { rate: '10%', maxRate: '0.2', maxChangeRate: '0.01' } },
      ErrorCode.InvalidRequest,
    ],
    ['a consensus key in use', { consPubKey: toHex(consKeyOf(val1)) }, StakingError.ConsKeyInUse],
    ['a bad consensus key', { consPubKey: 'abcd' }, ErrorCode.InvalidRequest],
    ['another denom', { selfBond: { denom: 'uusd', amount: 10n * BWK } }, StakingError.WrongDenom],
    ['an empty moniker', { moniker: '' }, ErrorCode.InvalidRequest],
  ];
  for (const [name, over, code] of bad) {
    it(`refuses ${name} (code ${code}), changing nothing`, () => {
      refused(chain(), newOp, createMsg(over), code);
    });
  }

  it('refuses a second validator of the same operator', () => {
    const c = chain();
    refused(
      c,
      val1,
      createMsg({ consPubKey: toHex(testAccount('other-key').pubKey) }),
      StakingError.ValidatorExists,
    );
  });
});

describe('staking/edit-validator', () => {
  const edit = (value: Record<string, unknown>): Msg => ({
    type: 'staking/edit-validator',
    value: value as never,
  });

  it('changes the moniker at any time', () => {
    const c = chain();
    expect(c.send(val1, edit({ moniker: 'renamed' })).code).toBe(0);
    expect(c.keeper.validator(c.store, val1.address)?.moniker).toBe('renamed');
  });

  it('changes the commission once per 24 h, by at most maxChangeRate, up to maxRate', () => {
    const c = chain();
    // Genesis validators were created at time 0: a day has long passed.
    expect(c.send(val1, edit({ commissionRate: '0.11' })).code).toBe(0);
    expect(c.keeper.validator(c.store, val1.address)?.commission.rate).toBe((ONE * 11n) / 100n);
    const log = refused(
      c,
      val1,
      edit({ commissionRate: '0.12' }),
      StakingError.CommissionChangeTooFast,
    );
    expect(log).toMatch(/24 h/);
    c.block([], { stepMs: DAY_MS });
    refused(c, val1, edit({ commissionRate: '0.13' }), StakingError.CommissionChangeTooLarge);
    expect(c.send(val1, edit({ commissionRate: '0.12' })).code).toBe(0);
  });

  it('refuses a rate above maxRate, and an edit by a non-operator', () => {
    const c = chain();
    refused(c, val1, edit({ commissionRate: '0.25' }), StakingError.CommissionTooHigh);
    refused(c, alice, edit({ moniker: 'x' }), StakingError.UnknownValidator);
  });

  it('refuses a commission change within 24 h of creation', () => {
    const c = chain();
    expect(c.send(newOp, createMsg()).code).toBe(0);
    refused(c, newOp, edit({ commissionRate: '0.105' }), StakingError.CommissionChangeTooFast);
  });
});

describe('staking/delegate', () => {
  it('moves tokens to the bonded pool and mints shares at the current rate', () => {
    const c = chain();
    const r = c.send(alice, delegateMsg(val2, 5n * BWK));
    expect(r.code, r.log).toBe(0);
    expect(delegation(c, alice.address, val2.address)).toBe(5n * BWK * ONE);
    expect(c.balance(BONDED_POOL)).toBe(185n * BWK);
    expect(c.balance(alice.address)).toBe(1_000_000n * BWK - 5n * BWK - FEE);
    const q = c.app.query('staking/delegation', {
      delegator: alice.address,
      validator: val2.address,
    }).value as { tokens: bigint };
    expect(q.tokens).toBe(5n * BWK);
    // Power changes only at the epoch boundary.
    expect(c.app.validators().find((v) => v.name === 'val2')?.power).toBe(50n);
    c.toNextEpoch();
    expect(c.app.validators().find((v) => v.name === 'val2')?.power).toBe(55n);
  });

  it('refuses an unknown validator, another denom, more than the balance', () => {
    const c = chain();
    refused(c, alice, delegateMsg(bob, 5n), StakingError.UnknownValidator);
    refused(
      c,
      alice,
      {
        type: 'staking/delegate',
        value: { validator: val1.address, amount: { denom: 'uusd', amount: 5n } },
      },
      StakingError.WrongDenom,
    );
    refused(c, alice, delegateMsg(val1, 10n ** 20n), ErrorCode.InsufficientFunds);
    refused(c, alice, delegateMsg(val1, 0n), ErrorCode.InvalidRequest);
  });

  it('refuses new stake to a jailed validator (its operator may still self-bond)', () => {
    const c = chain();
    c.exec((ctx) => c.keeper.jail(ctx, consAddressOf(val2)));
    refused(c, alice, delegateMsg(val2, 5n * BWK), StakingError.ValidatorJailed);
    refused(c, alice, redelegateMsg(val1, val2, { amount: BWK }), StakingError.ValidatorJailed);
    expect(c.send(val2, delegateMsg(val2, BWK)).code).toBe(0);
  });

  it('refuses a tombstoned validator (predicate registered by slashing)', () => {
    const c = chain();
    const tomb = consAddressOf(val3);
    c.keeper.setTombstoneCheck((_store, cons) => cons === tomb);
    refused(c, alice, delegateMsg(val3, 5n * BWK), StakingError.ValidatorTombstoned);
    // Not in the next epoch's set either, even unjailed.
    c.toNextEpoch();
    expect(c.app.validators().map((v) => v.name)).toEqual(['val1', 'val2']);
  });

  it('refuses a fully slashed validator with shares left', () => {
    const c = chain();
    c.exec((ctx) => c.keeper.slash(ctx, consAddressOf(val3), ctx.block.height, 30n, ONE));
    expect(c.keeper.validator(c.store, val3.address)?.tokens).toBe(0n);
    refused(c, alice, delegateMsg(val3, 5n * BWK), StakingError.ValidatorInsolvent);
  });
});

describe('staking/undelegate', () => {
  it('moves tokens to the unbonding pool and pays them out when the entry matures', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 10n * BWK));
    const r = c.send(alice, undelegateMsg(val1, { shares: 4n * BWK * ONE }));
    expect(r.code, r.log).toBe(0);
    expect(delegation(c, alice.address, val1.address)).toBe(6n * BWK * ONE);
    expect(c.balance(UNBONDING_POOL)).toBe(4n * BWK);
    const entries = c.keeper.unbondingEntries(c.store, alice.address, val1.address);
    expect(entries).toEqual([
      {
        creationHeight: c.height,
        completionTimeMs: c.timeMs + TEST_PARAMS.unbondingTimeMs,
        initialBalance: 4n * BWK,
        balance: 4n * BWK,
      },
    ]);
    const before = c.balance(alice.address);
    const due = entries[0]!.completionTimeMs;
    c.block([], { stepMs: due - c.timeMs - 1 });
    expect(c.balance(alice.address)).toBe(before);
    const res = c.block([], { stepMs: 1 });
    expect(res.events.some((e) => e.type === 'complete_unbonding')).toBe(true);
    expect(c.balance(alice.address)).toBe(before + 4n * BWK);
    expect(c.balance(UNBONDING_POOL)).toBe(0n);
    expect(c.keeper.unbondingEntries(c.store, alice.address, val1.address)).toEqual([]);
  });

  it('by amount: takes the shares rounded up; the whole delegation removes the record', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 10n * BWK));
    expect(c.send(alice, undelegateMsg(val1, { amount: 3n * BWK })).code).toBe(0);
    expect(delegation(c, alice.address, val1.address)).toBe(7n * BWK * ONE);
    expect(c.send(alice, undelegateMsg(val1, { amount: 7n * BWK })).code).toBe(0);
    expect(c.keeper.delegation(c.store, alice.address, val1.address)).toBeUndefined();
    expect(c.keeper.delegationsTo(c.store, val1.address).map((d) => d.delegator)).toEqual([
      val1.address,
    ]);
  });

  it('refuses more shares than held, no delegation, both shares and amount', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 10n * BWK));
    refused(
      c,
      alice,
      undelegateMsg(val1, { shares: 10n * BWK * ONE + 1n }),
      StakingError.InsufficientShares,
    );
    refused(
      c,
      alice,
      undelegateMsg(val1, { amount: 10n * BWK + 1n }),
      StakingError.InsufficientShares,
    );
    refused(c, alice, undelegateMsg(val2, { amount: 1n }), StakingError.NoDelegation);
    refused(
      c,
      alice,
      {
        type: 'staking/undelegate',
        value: { validator: val1.address, shares: 1n, amount: ubwk(1n) },
      },
      ErrorCode.InvalidRequest,
    );
  });

  it('refuses an eighth unbonding entry for the pair', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 10n * BWK));
    for (let i = 0; i < 7; i++) {
      expect(c.send(alice, undelegateMsg(val1, { amount: BWK })).code).toBe(0);
    }
    const log = refused(
      c,
      alice,
      undelegateMsg(val1, { amount: BWK }),
      StakingError.TooManyEntries,
    );
    expect(log).toMatch(/at most 7/);
    // Another validator is another pair.
    c.send(alice, delegateMsg(val2, BWK));
    expect(c.send(alice, undelegateMsg(val2, { amount: BWK })).code).toBe(0);
  });

  it('jails an operator whose self-delegation falls below its minimum', () => {
    const c = chain();
    const r = c.send(val2, undelegateMsg(val2, { amount: 49n * BWK + 1n }));
    expect(r.code, r.log).toBe(0);
    expect(c.keeper.validator(c.store, val2.address)?.jailed).toBe(true);
    // Unjail needs the self-delegation back above the minimum.
    expect(() => c.exec((ctx) => c.keeper.unjail(ctx, consAddressOf(val2)))).toThrow(
      /minSelfDelegation/,
    );
    c.send(val2, delegateMsg(val2, BWK));
    c.exec((ctx) => c.keeper.unjail(ctx, consAddressOf(val2)));
    expect(c.keeper.validator(c.store, val2.address)?.jailed).toBe(false);
  });
});

describe('staking/redelegate', () => {
  it('moves stake at once and records an entry that matures after the unbonding time', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 10n * BWK));
    const r = c.send(alice, redelegateMsg(val1, val2, { amount: 4n * BWK }));
    expect(r.code, r.log).toBe(0);
    expect(delegation(c, alice.address, val1.address)).toBe(6n * BWK * ONE);
    expect(delegation(c, alice.address, val2.address)).toBe(4n * BWK * ONE);
    expect(c.keeper.validator(c.store, val2.address)?.tokens).toBe(54n * BWK);
    expect(c.balance(BONDED_POOL)).toBe(190n * BWK);
    const [red] = c.keeper.redelegationsOf(c.store, alice.address);
    expect(red?.entries[0]?.sharesDst).toBe(4n * BWK * ONE);
    c.block([], { stepMs: TEST_PARAMS.unbondingTimeMs });
    expect(c.keeper.redelegationsOf(c.store, alice.address)).toEqual([]);
  });

  it('refuses a hop out of a validator while a redelegation into it is immature', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 10n * BWK));
    c.send(alice, delegateMsg(val2, 10n * BWK));
    expect(c.send(alice, redelegateMsg(val1, val2, { amount: 2n * BWK })).code).toBe(0);
    // Out of val2 (which received an immature redelegation): refused, even for the old stake.
    refused(c, alice, redelegateMsg(val2, val3, { amount: BWK }), StakingError.RedelegationHop);
    // Undelegating from val2 is fine; redelegating out of val1 is fine.
    expect(c.send(alice, redelegateMsg(val1, val3, { amount: BWK })).code).toBe(0);
    c.block([], { stepMs: TEST_PARAMS.unbondingTimeMs });
    expect(c.send(alice, redelegateMsg(val2, val3, { amount: BWK })).code).toBe(0);
  });

  it('refuses to the same validator, to an unknown one, and an eighth entry', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 10n * BWK));
    refused(c, alice, redelegateMsg(val1, val1, { amount: BWK }), StakingError.SelfRedelegation);
    refused(c, alice, redelegateMsg(val1, bob, { amount: BWK }), StakingError.UnknownValidator);
    refused(
      c,
      alice,
      redelegateMsg(val1, val2, { amount: 11n * BWK }),
      StakingError.InsufficientShares,
    );
    for (let i = 0; i < 7; i++) {
      expect(c.send(alice, redelegateMsg(val1, val2, { amount: BWK })).code).toBe(0);
    }
    refused(c, alice, redelegateMsg(val1, val2, { amount: BWK }), StakingError.TooManyEntries);
  });
});

describe('queries', () => {
  it('answer validators, delegations, unbondings, redelegations, params, pool, active set', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 10n * BWK));
    c.send(alice, undelegateMsg(val1, { amount: BWK }));
    c.send(alice, redelegateMsg(val1, val2, { amount: BWK }));
    const q = (path: string, args: unknown = {}) => {
      const r = c.app.query(path, args);
      expect(r.code, r.log).toBe(0);
      return r.value as never;
    };
    expect((q('staking/validators') as unknown[]).length).toBe(3);
    expect((q('staking/validators', { status: 'unbonded' }) as unknown[]).length).toBe(0);
    expect((q('staking/validator', { operator: val1.address }) as { tokens: bigint }).tokens).toBe(
      108n * BWK,
    );
    expect((q('staking/delegations', { delegator: alice.address }) as unknown[]).length).toBe(2);
    expect((q('staking/unbondings', { delegator: alice.address }) as unknown[]).length).toBe(1);
    expect((q('staking/redelegations', { delegator: alice.address }) as unknown[]).length).toBe(1);
    expect((q('staking/params') as { maxEntries: number }).maxEntries).toBe(7);
    expect(q('staking/pool')).toMatchObject({ bonded: 189n * BWK, unbonding: BWK });
    const active = q('staking/active-set') as { validators: unknown[]; nextProposer: string };
    expect(active.validators.length).toBe(3);
    expect(active.nextProposer).toBe(c.app.proposerFor(c.height + 1));
    expect(c.app.query('staking/validator', { operator: bob.address }).code).toBe(
      StakingError.UnknownValidator,
    );
    expect(
      c.app.query('staking/delegation', { delegator: bob.address, validator: val1.address }).code,
    ).toBe(ErrorCode.NotFound);
  });
});
