import { describe, expect, it } from 'vitest';
import { testAccount } from '../../testing/harness.ts';
import {
  BWK,
  consAddressOf,
  consKeyOf,
  delegateMsg,
  StakingChain,
  type TEST_PARAMS,
} from './testing.ts';

const val1 = testAccount('val1');
const val2 = testAccount('val2');
const val3 = testAccount('val3');
const alice = testAccount('alice');

function chain(params: Partial<typeof TEST_PARAMS> = {}, bonds = [100n, 50n, 30n]) {
  return new StakingChain({
    accounts: [val1, val2, val3, alice],
    validators: [val1, val2, val3].map((operator, i) => ({
      operator,
      selfBond: bonds[i]! * BWK,
    })),
    params,
  });
}

const names = (c: StakingChain) => c.app.validators().map((v) => v.name);

describe('epochs', () => {
  it('a jailed validator leaves the set at the next boundary, and comes back after unjail', () => {
    const c = chain();
    c.block(); // height 1
    c.exec((ctx) => c.keeper.jail(ctx, consAddressOf(val3))); // height 2
    expect(names(c)).toEqual(['val1', 'val2', 'val3']);
    c.block();
    c.block(); // height 4
    expect(names(c)).toEqual(['val1', 'val2', 'val3']);
    const boundary = c.block(); // height 5: epoch boundary
    expect(c.height).toBe(5);
    expect(boundary.validatorUpdates).toEqual([{ pubKey: consKeyOf(val3), power: 0n }]);
    expect(names(c)).toEqual(['val1', 'val2']);
    expect(c.keeper.validator(c.store, val3.address)?.status).toBe('unbonded');
    expect(boundary.events.some((e) => e.type === 'epoch')).toBe(true);

    c.exec((ctx) => c.keeper.unjail(ctx, consAddressOf(val3)));
    expect(names(c)).toEqual(['val1', 'val2']);
    const back = c.toNextEpoch();
    expect(back.validatorUpdates).toEqual([{ pubKey: consKeyOf(val3), power: 30n }]);
    expect(names(c)).toEqual(['val1', 'val2', 'val3']);
    expect(c.keeper.validator(c.store, val3.address)?.status).toBe('bonded');
    // The newcomer starts far behind: −1.125 × 180 = −202 (then centred); the lowest priority.
    const prio = c.keeper.priorities(c.store);
    const p3 = prio.find((p) => p.address === consAddressOf(val3))!.priority;
    expect(prio.every((p) => p3 <= p.priority)).toBe(true);
    expect(p3).toBeLessThan(0n);
  });

  it('power changes are reported at the boundary only, as a diff', () => {
    const c = chain();
    c.send(alice, delegateMsg(val2, 7n * BWK)); // height 1
    const res = c.toNextEpoch();
    expect(res.validatorUpdates).toEqual([{ pubKey: consKeyOf(val2), power: 57n }]);
    expect(c.toNextEpoch().validatorUpdates).toEqual([]);
  });

  it('keeps the top maxValidators, ties broken by consensus address', () => {
    const c = chain({ maxValidators: 2 }, [40n, 40n, 40n]);
    const sorted = [val1, val2, val3]
      .map((v) => ({ name: v.name, cons: consAddressOf(v) }))
      .sort((a, b) => (a.cons < b.cons ? -1 : 1));
    expect(names(c)).toEqual([sorted[0]!.name, sorted[1]!.name]);
    const out = sorted[2]!.name;
    expect(c.keeper.validators(c.store).find((v) => v.moniker === out)?.status).toBe('unbonded');
    // One more token of power moves the third one in, and the last by address out.
    const third = [val1, val2, val3].find((v) => v.name === out)!;
    c.send(alice, delegateMsg(third, BWK));
    const res = c.toNextEpoch();
    expect(names(c)).toEqual([out, sorted[0]!.name]);
    expect(res.validatorUpdates.map((u) => u.power).sort()).toEqual([0n, 41n]);
  });

  it('keeps the current set rather than an empty one', () => {
    const c = chain();
    c.exec((ctx) => {
      for (const v of [val1, val2, val3]) c.keeper.jail(ctx, consAddressOf(v));
    });
    const res = c.toNextEpoch();
    expect(res.events.some((e) => e.type === 'active_set_empty')).toBe(true);
    expect(names(c)).toEqual(['val1', 'val2', 'val3']);
  });
});

describe('proposer', () => {
  it('proposerFor(h) is the proposer beginBlock(h) records; frequencies follow power', () => {
    const c = chain({}, [30n, 20n, 10n]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const expected = c.app.proposerFor(c.height + 1)!;
      const res = c.block();
      expect(res.events.some((e) => e.type === 'proposer_mismatch')).toBe(false);
      counts.set(expected, (counts.get(expected) ?? 0) + 1);
    }
    expect(counts.get(consAddressOf(val1))).toBe(30);
    expect(counts.get(consAddressOf(val2))).toBe(20);
    expect(counts.get(consAddressOf(val3))).toBe(10);
  });

  it('does not change state when asked, and reports a block from another proposer', () => {
    const c = chain();
    const a = c.app.proposerFor(c.height + 1);
    expect(c.app.proposerFor(c.height + 1)).toBe(a);
    const wrong = [val1, val2, val3].map(consAddressOf).find((x) => x !== a)!;
    const res = c.block([], { proposer: wrong });
    const ev = res.events.find((e) => e.type === 'proposer_mismatch');
    expect(ev?.attributes).toEqual({ height: '1', expected: a, got: wrong });
  });
});
