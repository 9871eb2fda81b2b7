import { describe, expect, it } from 'vitest';
import { ONE } from '../../math/index.ts';
import { testAccount } from '../../testing/harness.ts';
import { BONDED_POOL, UNBONDING_POOL } from './keeper.ts';
import {
  BWK,
  consAddressOf,
  delegateMsg,
  redelegateMsg,
  StakingChain,
  TEST_PARAMS,
  undelegateMsg,
} from './testing.ts';

const val1 = testAccount('val1');
const val2 = testAccount('val2');
const alice = testAccount('alice');
const bob = testAccount('bob');
const carol = testAccount('carol');
const HALF = ONE / 2n;

function chain(params: Partial<typeof TEST_PARAMS> = {}) {
  return new StakingChain({
    accounts: [val1, val2, alice, bob, carol],
    validators: [
      { operator: val1, selfBond: 100n * BWK },
      { operator: val2, selfBond: 50n * BWK },
    ],
    params,
  });
}

const burned = (c: StakingChain) => c.bank.burned(c.store, 'ubwk');
const v1 = (c: StakingChain) => c.keeper.validator(c.store, val1.address)!;
const value = (c: StakingChain, d: string, v: string) => {
  const val = c.keeper.validator(c.store, v)!;
  return c.keeper.tokensOfShares(val, c.keeper.delegation(c.store, d, v)?.shares ?? 0n);
};

describe('slash', () => {
  it('lowers every delegator’s token value at once (only the validator record changes)', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 10n * BWK));
    c.send(bob, delegateMsg(val1, 30n * BWK));
    const delegationsBefore = c.keeper.delegationsTo(c.store, val1.address);
    // power 140 × 10^6 × 0.1 = 14 BWK.
    const out = c.exec((ctx) =>
      c.keeper.slash(ctx, consAddressOf(val1), ctx.block.height, 140n, ONE / 10n),
    );
    expect(out).toBe(14n * BWK);
    expect(burned(c)).toBe(14n * BWK);
    expect(v1(c).tokens).toBe(126n * BWK);
    expect(v1(c).delegatorShares).toBe(140n * BWK * ONE);
    expect(c.keeper.delegationsTo(c.store, val1.address)).toEqual(delegationsBefore);
    // 10 × 126/140 = 9, 30 × 126/140 = 27, 100 × 126/140 = 90.
    expect(value(c, alice.address, val1.address)).toBe(9n * BWK);
    expect(value(c, bob.address, val1.address)).toBe(27n * BWK);
    expect(value(c, val1.address, val1.address)).toBe(90n * BWK);
    expect(c.balance(BONDED_POOL)).toBe(126n * BWK + 50n * BWK);
    // New delegations after the slash buy shares at the new rate: 9 BWK → 10 shares' worth.
    c.send(carol, delegateMsg(val1, 9n * BWK));
    expect(c.keeper.delegation(c.store, carol.address, val1.address)?.shares).toBe(10n * BWK * ONE);
    // Undelegating all shares after a slash returns the slashed value.
    c.send(alice, undelegateMsg(val1, { shares: 10n * BWK * ONE }));
    expect(c.keeper.unbondingEntries(c.store, alice.address, val1.address)[0]?.balance).toBe(
      9n * BWK,
    );
  });

  it('reaches unbonding and redelegation entries created at or after the infraction height only', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 20n * BWK));
    c.send(bob, delegateMsg(val1, 10n * BWK));
    c.send(carol, delegateMsg(val1, 10n * BWK));
    // Before the infraction: an unbonding (alice) and a redelegation (carol).
    c.send(alice, undelegateMsg(val1, { amount: 5n * BWK }));
    c.send(carol, redelegateMsg(val1, val2, { amount: 10n * BWK }));
    const infraction = c.height + 1;
    c.block();
    expect(c.height).toBe(infraction);
    // At and after it: the stake that left after the fault.
    c.send(alice, undelegateMsg(val1, { amount: 5n * BWK }));
    c.send(bob, redelegateMsg(val1, val2, { amount: 10n * BWK }));
    expect(v1(c).tokens).toBe(110n * BWK);
    const burnedBefore = burned(c);
    const unbondingBefore = c.balance(UNBONDING_POOL);
    // Power 100 at the infraction, fraction 0.5: 50 BWK to take. Entries first:
    //   alice's second unbonding (5 BWK initial): 2.5 BWK;
    //   bob's redelegation (10 BWK initial): 5 BWK worth of val2 shares unbonded and burned;
    //   the rest from val1's tokens: 50 − 2.5 − 5 = 42.5 BWK.
    const out = c.exec((ctx) => c.keeper.slash(ctx, consAddressOf(val1), infraction, 100n, HALF));
    expect(out).toBe(50n * BWK);
    expect(burned(c) - burnedBefore).toBe(50n * BWK);
    const entries = c.keeper.unbondingEntries(c.store, alice.address, val1.address);
    expect(entries.map((e) => e.balance)).toEqual([5n * BWK, 2_500_000n]);
    expect(c.balance(UNBONDING_POOL)).toBe(unbondingBefore - 2_500_000n);
    expect(value(c, bob.address, val2.address)).toBe(5n * BWK);
    expect(value(c, carol.address, val2.address)).toBe(10n * BWK);
    expect(v1(c).tokens).toBe(110n * BWK - 42_500_000n);
    expect(c.keeper.validator(c.store, val2.address)?.tokens).toBe(65n * BWK);
  });

  it('skips entries that have matured, and is capped by what the validator holds', () => {
    const c = chain();
    c.send(alice, delegateMsg(val1, 20n * BWK));
    const infraction = c.height;
    c.send(alice, undelegateMsg(val1, { amount: 5n * BWK }));
    c.block([], { stepMs: TEST_PARAMS.unbondingTimeMs });
    // alice's entry was paid out; the slash takes only the validator's tokens, at most all.
    const out = c.exec((ctx) => c.keeper.slash(ctx, consAddressOf(val1), infraction, 10_000n, ONE));
    expect(out).toBe(115n * BWK);
    expect(v1(c).tokens).toBe(0n);
    expect(v1(c).delegatorShares).toBeGreaterThan(0n);
    // The delegators can still leave (with nothing).
    expect(c.send(alice, undelegateMsg(val1, { shares: 15n * BWK * ONE })).code).toBe(0);
    expect(c.keeper.unbondingEntries(c.store, alice.address, val1.address)).toEqual([]);
  });

  it('ignores an unknown validator and refuses a fraction above 1', () => {
    const c = chain();
    expect(c.exec((ctx) => c.keeper.slash(ctx, 'ab'.repeat(20), ctx.block.height, 5n, HALF))).toBe(
      0n,
    );
    expect(() =>
      c.exec((ctx) => c.keeper.slash(ctx, consAddressOf(val1), ctx.block.height, 5n, ONE + 1n)),
    ).toThrow(/fraction/);
  });
});

describe('hooks', () => {
  it('are called around every change of shares, and before a slash', () => {
    const c = chain();
    const calls: string[] = [];
    const name = (a: string) =>
      [val1, val2, alice, bob, testAccount('newop')].find((x) => x.address === a)?.name ?? a;
    c.keeper.registerHooks({
      afterValidatorCreated: (_ctx, op) => calls.push(`created ${name(op)}`),
      beforeDelegationSharesModified: (ctx, d, v, existing) =>
        calls.push(
          `before ${name(d)}→${name(v)} ${existing} shares=${c.keeper.delegation(ctx.store, d, v)?.shares ?? 0n}`,
        ),
      afterDelegationModified: (ctx, d, v) =>
        calls.push(
          `after ${name(d)}→${name(v)} shares=${c.keeper.delegation(ctx.store, d, v)?.shares}`,
        ),
      beforeDelegationRemoved: (_ctx, d, v) => calls.push(`removed ${name(d)}→${name(v)}`),
      beforeValidatorSlashed: (ctx, v, f) =>
        calls.push(`slash ${name(v)} ${f} tokens=${c.keeper.validator(ctx.store, v)?.tokens}`),
    });
    c.send(alice, delegateMsg(val1, 2n * BWK));
    c.send(alice, delegateMsg(val1, BWK));
    c.send(alice, redelegateMsg(val1, val2, { amount: BWK }));
    c.send(alice, undelegateMsg(val1, { amount: 2n * BWK }));
    c.exec((ctx) => c.keeper.slash(ctx, consAddressOf(val2), ctx.block.height, 51n, ONE / 4n));
    const S = BWK * ONE;
    expect(calls).toEqual([
      'before alice→val1 false shares=0',
      `after alice→val1 shares=${2n * S}`,
      `before alice→val1 true shares=${2n * S}`,
      `after alice→val1 shares=${3n * S}`,
      `before alice→val1 true shares=${3n * S}`,
      `after alice→val1 shares=${2n * S}`,
      'before alice→val2 false shares=0',
      `after alice→val2 shares=${S}`,
      `before alice→val1 true shares=${2n * S}`,
      'removed alice→val1',
      // 51 × 0.25 = 12.75 BWK of val2's 51 BWK: 0.25 exactly.
      `slash val2 ${ONE / 4n} tokens=${51n * BWK}`,
    ]);
  });
});

describe('powerAt (epoch snapshots)', () => {
  it('answers the power of each epoch, and forgets epochs older than the unbonding period', () => {
    const c = chain({ historicalEntries: 1 });
    const cons = consAddressOf(val2);
    c.send(alice, delegateMsg(val2, 10n * BWK));
    c.toNextEpoch(); // the set from height 6 has val2 at 60
    expect(c.keeper.powerAt(c.store, cons, 1)).toBe(50n);
    expect(c.keeper.powerAt(c.store, cons, 5)).toBe(50n);
    expect(c.keeper.powerAt(c.store, cons, 6)).toBe(60n);
    expect(c.keeper.powerAt(c.store, consAddressOf(alice), 6)).toBe(0n);
    // Past the unbonding period, old snapshots go (keeping `historicalEntries` older ones).
    c.block([], { stepMs: TEST_PARAMS.unbondingTimeMs + 1 });
    c.toNextEpoch();
    c.toNextEpoch();
    // Epoch 0 (heights 1–5) ended more than the unbonding period ago: gone. Epoch 1 (6–10)
    // holds blocks after the time jump, still within the period: kept.
    expect(c.keeper.powerAt(c.store, cons, 1)).toBeUndefined();
    expect(c.keeper.powerAt(c.store, cons, 6)).toBe(60n);
    expect(c.keeper.epochSnapshots(c.store).map((s) => s.startHeight)).toEqual([6, 11, 16]);
  });
});
