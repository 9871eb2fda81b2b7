import { describe, expect, it } from 'vitest';
import { fromDecimalString as dec } from '../../math/index.ts';
import { SlashingError } from './errors.ts';
import { testValidator } from './fake-staking.ts';
import { missedPrefix } from './keys.ts';
import { SlashingChain, tokens } from './test-chain.ts';

const VALIDATORS = [
  { name: 'alice', tokens: tokens(100n) },
  { name: 'bob', tokens: tokens(100n) },
  { name: 'carol', tokens: tokens(100n) },
];

/** Devnet window (20 blocks, min signed 0.5 → at most 10 missed), no correlation. */
const chain = (params = {}) =>
  new SlashingChain({ validators: VALIDATORS, params: { correlationMultiplier: 0n, ...params } });

const unjail = (_name: string) => ({ type: 'slashing/unjail', value: {} }) as const;
const op = (name: string) => testValidator(name).operator;

describe('liveness window', () => {
  it('slashes and jails only after signedBlocksWindow blocks and more than window − minSigned misses', () => {
    const c = chain();
    // alice misses everything from block 1 (startHeight 1): the counter saturates at 20,
    // but no slash while height ≤ startHeight + window = 21.
    c.blocks(21, ['alice']);
    expect(c.info('alice')).toMatchObject({ startHeight: 1, missedBlocksCounter: 20 });
    expect(c.validator('alice').jailed).toBe(false);
    const res = c.block({ missing: ['alice'] }); // height 22
    expect(c.validator('alice').jailed).toBe(true);
    const [call] = c.staking.slashCalls(c.app.state);
    expect(call).toMatchObject({
      consAddress: testValidator('alice').consAddress,
      infractionHeight: 20, // height − 2
      power: 100n,
      fraction: dec('0.0001'),
      burned: 10_000n, // 100 power × 10^6 × 0.0001
    });
    const slash = res.events.find((e) => e.type === 'slash');
    expect(slash?.attributes).toMatchObject({
      reason: 'downtime',
      fraction: '0.0001',
      burned: '10000',
      infractionHeight: '20',
    });
    expect(res.events.some((e) => e.type === 'jail')).toBe(true);
    expect(res.events.filter((e) => e.type === 'liveness')).toHaveLength(1);
    // Counter and bitmap reset, jailed for downtimeJailDurationMs of block time.
    expect(c.info('alice')).toMatchObject({
      missedBlocksCounter: 0,
      indexOffset: 0,
      jailedUntilMs: c.timeMs + 30_000,
    });
    expect([...c.app.state.iterate(missedPrefix(testValidator('alice').consAddress))]).toEqual([]);
    expect(c.validator('bob').jailed).toBe(false);
  });

  it('tolerates exactly window − minSigned misses, not one more', () => {
    const c = chain();
    // 10 misses then signing: the window holds 10 misses for 20 blocks.
    c.blocks(10, ['bob']);
    c.blocks(30);
    expect(c.validator('bob').jailed).toBe(false);
    expect(c.info('bob')?.missedBlocksCounter).toBe(0); // the old misses slid out

    const d = chain();
    d.blocks(11, ['bob']); // 11 > 10, but height 11 ≤ 21: too early
    d.blocks(9); // height 20: still 11 in the window
    expect(d.info('bob')?.missedBlocksCounter).toBe(11);
    expect(d.validator('bob').jailed).toBe(false);
    d.block(); // height 21: slot 0 (a miss) is overwritten by a signature → 10
    expect(d.info('bob')?.missedBlocksCounter).toBe(10);
    d.blocks(10);
    expect(d.validator('bob').jailed).toBe(false);
  });

  it('counts a sliding window: misses split over time only add up within it', () => {
    const c = chain();
    c.blocks(21);
    // 6 misses, 14 signed, then 6 misses: the first 6 left the window before the last 6 came.
    c.blocks(6, ['carol']);
    c.blocks(14);
    c.blocks(6, ['carol']);
    expect(c.info('carol')?.missedBlocksCounter).toBe(6);
    // 5 more misses: 11 within the last 20 blocks → slashed.
    c.blocks(4, ['carol']);
    expect(c.validator('carol').jailed).toBe(false);
    c.block({ missing: ['carol'] });
    expect(c.validator('carol').jailed).toBe(true);
  });

  it('rounds minSignedPerWindow × window half-to-even (as Cosmos)', () => {
    // window 10 × 0.55 = 5.5 → 6 signed required → at most 4 missed.
    const c = chain({ signedBlocksWindow: 10, minSignedPerWindow: dec('0.55') });
    c.blocks(11);
    c.blocks(4, ['alice']);
    expect(c.validator('alice').jailed).toBe(false);
    c.block({ missing: ['alice'] });
    expect(c.validator('alice').jailed).toBe(true);
  });

  it('keeps per-block state O(1): a validator that always signs writes no bitmap', () => {
    const c = chain();
    c.blocks(30);
    expect([...c.app.state.iterate('slashing/missed/')]).toEqual([]);
    // A miss writes one 64-slot chunk; 20 slots fit in one.
    c.blocks(5, ['alice']);
    expect([...c.app.state.iterate('slashing/missed/')]).toHaveLength(1);
    expect(
      c.query('slashing/signing-info', { consAddress: testValidator('alice').consAddress }),
    ).toMatchObject({ missedBlocksCounter: 5, missedSlots: [10, 11, 12, 13, 14] });
  });

  it('a change of signedBlocksWindow resets the bitmap', () => {
    const c = chain();
    c.blocks(5, ['alice']);
    c.mutate((ctx) => {
      const p = c.slashing.params(ctx.store);
      c.app.module('slashing')!.params!.set(ctx.store, { ...p, signedBlocksWindow: 40 });
    });
    c.block();
    expect(c.info('alice')).toMatchObject({ window: 40, missedBlocksCounter: 0, indexOffset: 1 });
  });
});

describe('jail and unjail', () => {
  function jailedAlice() {
    const c = chain();
    c.blocks(22, ['alice']);
    expect(c.validator('alice').jailed).toBe(true);
    return c;
  }

  it('refuses unjail before jailedUntil, allows it after', () => {
    const c = jailedAlice();
    const until = c.info('alice')!.jailedUntilMs;
    const early = c.exec(op('alice'), [unjail('alice')]);
    expect(early.code).toBe(SlashingError.JailPeriodNotOver);
    expect(early.codespace).toBe('slashing');
    expect(early.log).toContain(String(until));
    expect(c.validator('alice').jailed).toBe(true);
    // Jump to 1 ms before: still refused.
    c.block({ dtMs: until - c.timeMs - 1 - 1_000 });
    expect(c.exec(op('alice'), [unjail('alice')]).code).toBe(SlashingError.JailPeriodNotOver);
    expect(c.timeMs).toBe(until - 1);
    const ok = c.exec(op('alice'), [unjail('alice')]);
    expect(ok.code).toBe(0);
    expect(ok.events.some((e) => e.type === 'unjail')).toBe(true);
    expect(c.validator('alice').jailed).toBe(false);
    // A fresh window: the next misses are not slashed before startHeight + window.
    expect(c.info('alice')).toMatchObject({ startHeight: c.height, missedBlocksCounter: 0 });
  });

  it('refuses unjail of a validator that is not jailed, or by a non-operator', () => {
    const c = chain();
    c.blocks(2);
    expect(c.exec(op('bob'), [unjail('bob')]).code).toBe(SlashingError.NotJailed);
    expect(c.exec(c.funded, [unjail('bob')]).code).toBe(SlashingError.UnknownValidator);
    const other = c.exec(c.funded, [
      { type: 'slashing/unjail', value: { validator: op('bob').address } },
    ]);
    expect(other.code).toBe(SlashingError.NotOperator);
  });

  it("refuses unjail while the operator's self-delegation is below minSelfDelegation", () => {
    const c = jailedAlice();
    c.block({ dtMs: 31_000 });
    // Alice's self-bond (≈ 99.99 power after the slash) is below a minimum of 100 power.
    c.mutate((ctx) => {
      const v = c.staking.validator(ctx.store, op('alice').address)!;
      ctx.store.set(`fakestaking/val/${v.operator}`, {
        ...v,
        minSelfDelegation: tokens(100n),
      } as never);
    });
    const r = c.exec(op('alice'), [unjail('alice')]);
    expect(r.code).toBe(SlashingError.SelfDelegationTooLow);
    expect(c.validator('alice').jailed).toBe(true);
  });
});
