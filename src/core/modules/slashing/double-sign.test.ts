import { describe, expect, it } from 'vitest';
import type { Misbehavior } from '../../app/types.ts';
import { fromDecimalString as dec } from '../../math/index.ts';
import { SlashingError } from './errors.ts';
import { testValidator } from './fake-staking.ts';
import { JAILED_FOREVER } from './keeper.ts';
import {
  CHAIN_ID,
  doubleSign,
  evidenceMsg,
  hashOf,
  SlashingChain,
  signedVote,
  tokens,
} from './test-chain.ts';

const TEN = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9'];
const tenValidators = () => TEN.map((name) => ({ name, tokens: tokens(100n) }));
const cons = (name: string) => testValidator(name).consAddress;

const chain = (params = {}) =>
  new SlashingChain({
    validators: tenValidators(),
    params: { correlationMultiplier: 0n, ...params },
  });

/** State the refusals must leave alone. */
const snapshot = (c: SlashingChain) => ({
  slashes: c.staking.slashCalls(c.app.state),
  validators: c.staking.validators(c.app.state),
  punished: c.slashing
    .signingInfos(c.app.state)
    .map((i) => [i.consAddress, i.tombstoned, i.jailedUntilMs]),
  correlation: [...c.app.state.iterate('slashing/corr/')],
});

describe('double sign from the node (misbehavior)', () => {
  it('slashes 5 % at the evidence height, jails forever and tombstones', () => {
    const c = chain();
    c.blocks(5);
    const res = c.block({ misbehavior: [doubleSign('v3', 4, c.timeMs)] });
    expect(c.staking.slashCalls(c.app.state)).toEqual([
      {
        consAddress: cons('v3'),
        infractionHeight: 4,
        power: 100n,
        fraction: dec('0.05'),
        burned: tokens(5n),
      },
    ]);
    expect(c.validator('v3')).toMatchObject({ jailed: true, tokens: tokens(95n) });
    expect(c.info('v3')).toMatchObject({ tombstoned: true, jailedUntilMs: JAILED_FOREVER });
    expect(c.slashing.isTombstoned(c.app.state, cons('v3'))).toBe(true);
    expect(c.slashing.isTombstoned(c.app.state, cons('v4'))).toBe(false);
    expect(res.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['slash', 'jail', 'tombstone']),
    );
    expect(res.events.find((e) => e.type === 'slash')?.attributes).toMatchObject({
      validator: cons('v3'),
      reason: 'double-sign',
      fraction: '0.05',
      burned: String(tokens(5n)),
      infractionHeight: '4',
    });
    // A tombstoned validator can never be unjailed, even long after.
    c.block({ dtMs: 10 ** 10 });
    const r = c.exec(testValidator('v3').operator, [{ type: 'slashing/unjail', value: {} }]);
    expect(r.code).toBe(SlashingError.Tombstoned);
  });

  it('punishes all of one validator’s equivocations once (idempotent)', () => {
    const c = chain();
    c.blocks(6);
    const ev = doubleSign('v1', 3, c.timeMs);
    // The same evidence twice and another equivocation in one block, then again later.
    c.block({ misbehavior: [ev, ev, doubleSign('v1', 5, c.timeMs)] });
    c.block({ misbehavior: [ev] });
    expect(c.staking.slashCalls(c.app.state)).toHaveLength(1);
    expect(c.validator('v1').tokens).toBe(tokens(95n));
    // By msg: refused with a clear error, nothing changed.
    const before = snapshot(c);
    const r = c.exec(c.funded, [evidenceMsg(doubleSign('v1', 6))]);
    expect(r.code).toBe(SlashingError.Tombstoned);
    expect(r.log).toContain('already tombstoned');
    expect(snapshot(c)).toEqual(before);
  });

  it('ignores node evidence that does not hold, and the block still executes', () => {
    const c = chain();
    c.blocks(3);
    const ev = doubleSign('v2', 2, c.timeMs);
    const bad: Misbehavior = { ...ev, voteB: { ...ev.voteB, signature: ev.voteA.signature } };
    const unknown = doubleSign('stranger', 2, c.timeMs);
    c.block({ misbehavior: [bad, unknown] });
    expect(c.staking.slashCalls(c.app.state)).toEqual([]);
    expect(c.info('v2')?.tombstoned).toBe(false);
  });

  it('slashes with the power the validator had at the evidence height', () => {
    const c = chain();
    const votes = (power: bigint) => c.votes().map((v) => ({ ...v, power }));
    c.block({ votes: votes(100n) }); // h1 (votes for h0)
    c.block({ votes: votes(100n) }); // h2
    c.block({ votes: votes(250n) }); // h3: power 250 from height 2 on
    c.block({ votes: votes(250n) });
    c.block({ misbehavior: [doubleSign('v0', 1, c.timeMs), doubleSign('v5', 3, c.timeMs)] });
    const calls = c.staking.slashCalls(c.app.state);
    expect(calls.map((s) => [s.consAddress, s.power])).toEqual([
      [cons('v0'), 100n],
      [cons('v5'), 250n],
    ]);
  });
});

describe('evidence by msg (slashing/submit-evidence, anyone)', () => {
  it('accepts JSON-friendly evidence (hex strings) and punishes', () => {
    const c = chain();
    c.blocks(3);
    const r = c.exec(c.funded, [evidenceMsg(doubleSign('v4', 2))]);
    expect(r.code).toBe(0);
    expect(r.events.some((e) => e.type === 'tombstone')).toBe(true);
    expect(c.validator('v4')).toMatchObject({ jailed: true, tokens: tokens(95n) });
  });

  const refusals: [string, (c: SlashingChain) => Misbehavior, number][] = [
    [
      'one bad signature',
      () => {
        const ev = doubleSign('v4', 2);
        return { ...ev, voteB: signedVote('v4', { height: 2, blockHash: hashOf('b') }, 'v5') };
      },
      SlashingError.EvidenceBadSignature,
    ],
    [
      'the same block id',
      () => {
        const v = signedVote('v4', { height: 2, blockHash: hashOf('a') });
        return { ...doubleSign('v4', 2), voteA: v, voteB: v };
      },
      SlashingError.EvidenceSameBlock,
    ],
    [
      'another chain id',
      () => ({
        ...doubleSign('v4', 2),
        voteA: signedVote('v4', { chainId: 'other', height: 2, blockHash: hashOf('a') }),
        voteB: signedVote('v4', { chainId: 'other', height: 2, blockHash: hashOf('b') }),
      }),
      SlashingError.EvidenceWrongChain,
    ],
    [
      'different heights',
      () => ({
        ...doubleSign('v4', 2),
        voteB: signedVote('v4', { height: 3, blockHash: hashOf('b') }),
      }),
      SlashingError.InvalidEvidence,
    ],
    [
      'different rounds',
      () => ({
        ...doubleSign('v4', 2),
        voteB: signedVote('v4', { height: 2, round: 1, blockHash: hashOf('b') }),
      }),
      SlashingError.InvalidEvidence,
    ],
    [
      'different types',
      () => ({
        ...doubleSign('v4', 2),
        voteB: signedVote('v4', { height: 2, type: 'prevote', blockHash: hashOf('b') }),
      }),
      SlashingError.InvalidEvidence,
    ],
    ['an unknown validator', () => doubleSign('stranger', 2), SlashingError.UnknownValidator],
    ['a future height', (c) => doubleSign('v4', c.height + 1), SlashingError.EvidenceFromFuture],
  ];

  for (const [what, make, code] of refusals) {
    it(`refuses evidence with ${what}, changing nothing`, () => {
      const c = chain();
      c.blocks(3);
      const before = snapshot(c);
      const r = c.exec(c.funded, [evidenceMsg(make(c))]);
      expect(r.code).toBe(code);
      expect(r.codespace).toBe('slashing');
      expect(snapshot(c)).toEqual(before);
    });
  }

  it('refuses a malformed msg at the edge', () => {
    const c = chain();
    c.blocks(3);
    const msg = evidenceMsg(doubleSign('v4', 2));
    const value = msg.value as { evidence: { voteA: Record<string, unknown> } };
    value.evidence.voteA = { ...value.evidence.voteA, signature: 'zz' };
    const r = c.exec(c.funded, [msg]);
    expect(r.code).toBe(13); // InvalidRequest: the schema refused it
  });
});

describe('evidence age: expired only when older than BOTH limits', () => {
  const params = { maxAgeNumBlocks: 5, maxAgeDurationMs: 10_000 };

  it('node evidence: block age alone or time age alone is not enough', () => {
    const c = chain(params);
    c.blocks(12); // 1 s blocks
    // 10 blocks old but only 5 s old (by the evidence time): accepted.
    c.block({ misbehavior: [doubleSign('v1', 3, c.timeMs - 5_000)] });
    expect(c.info('v1')?.tombstoned).toBe(true);
    // 3 blocks old but 20 s old: accepted.
    c.block({ misbehavior: [doubleSign('v2', c.height - 2, c.timeMs - 20_000)] });
    expect(c.info('v2')?.tombstoned).toBe(true);
    // 12 blocks and 12 s old: expired, ignored.
    c.block({ misbehavior: [doubleSign('v3', c.height - 11, c.timeMs - 11_000)] });
    expect(c.info('v3')?.tombstoned).toBe(false);
    expect(c.staking.slashCalls(c.app.state)).toHaveLength(2);
  });

  it('msg evidence: refused as expired, using the chain’s own time record', () => {
    const c = chain(params);
    c.blocks(10);
    const r = c.exec(c.funded, [evidenceMsg(doubleSign('v1', 2))]);
    expect(r.code).toBe(SlashingError.EvidenceExpired);
    expect(r.log).toMatch(/expired: 9 blocks and \d+ ms old/);
    expect(c.info('v1')?.tombstoned ?? false).toBe(false);
  });

  it('msg evidence: a time checkpoint keeps block-old evidence acceptable while time-fresh', () => {
    const c = chain({ maxAgeNumBlocks: 5, maxAgeDurationMs: 100_000 });
    c.blocks(75);
    // Height 64 has a checkpoint: 11 blocks old but ~11 s old → accepted.
    expect(c.exec(c.funded, [evidenceMsg(doubleSign('v1', 64))]).code).toBe(0);
    // Height 63 has none at or below it: its time is unknown, taken as 0 → expired.
    expect(c.exec(c.funded, [evidenceMsg(doubleSign('v2', 63))]).code).toBe(
      SlashingError.EvidenceExpired,
    );
  });
});

describe('correlated penalty', () => {
  const m3 = { correlationMultiplier: dec('3') };

  it('three validators failing together pay more per validator than one alone', () => {
    const one = chain(m3);
    one.blocks(3);
    one.block({ misbehavior: [doubleSign('v0', 2, one.timeMs)] });
    const [alone] = one.staking.slashCalls(one.app.state);
    // No other validator slashed: S = 0, T = 1000 → exactly the base, 0.05 (5 of 100 power).
    expect(alone?.fraction).toBe(dec('0.05'));
    expect(alone?.burned).toBe(tokens(5n));

    const three = chain(m3);
    three.blocks(3);
    three.block({
      misbehavior: ['v0', 'v1', 'v2'].map((n) => doubleSign(n, 2, three.timeMs)),
    });
    const calls = three.staking.slashCalls(three.app.state);
    // S counts only the others slashed before: 0, 100, 200. T shrinks by each burn, floored:
    //   v0: S = 0,   T = 1000 → 0.05, burns 5 power → 995.
    //   v1: S = 100, T = 995  → 0.05 + ⌈0.05 × 3 × 100 / 995⌉ = 0.0650753768844221…,
    //       burns ⌊100 × 0.06507537…⌋ = 6.507537 power → 988.492463 → 988.
    //   v2: S = 200, T = 988  → 0.05 + ⌈0.05 × 3 × 200 / 988⌉ = 0.0803643724696356…
    expect(calls.map((s) => s.fraction)).toEqual([
      dec('0.05'),
      dec('0.05') + (dec('0.05') * 3n * 100n + 995n - 1n) / 995n,
      dec('0.05') + (dec('0.05') * 3n * 200n + 988n - 1n) / 988n,
    ]);
    // In total 5 + 6.507537 + 8.036437 ≈ 19.54 power, more than 3 × 5 alone; none pays less.
    const total = calls.reduce((s, x) => s + x.burned, 0n);
    expect(total).toBeGreaterThan(3n * alone!.burned);
    for (const s of calls) expect(s.burned).toBeGreaterThanOrEqual(alone!.burned);
  });

  it('faults outside the correlation window do not add up; kinds do not mix', () => {
    const c = chain({ ...m3, correlationWindowBlocks: 10 });
    c.blocks(3);
    c.block({ misbehavior: [doubleSign('v0', 2, c.timeMs)] });
    c.blocks(10);
    c.block({ misbehavior: [doubleSign('v1', 12, c.timeMs)] });
    const [first, second] = c.staking.slashCalls(c.app.state);
    // v0 alone: S = 0 → exactly 0.05.
    expect(first?.fraction).toBe(dec('0.05'));
    // v0's slash (height 4) left the 10-block window by height 15: S = 0 again, exactly the
    // base (within it, S = 100 of T = 995 would give 0.05 + ⌈0.05 × 3 × 100 / 995⌉).
    expect(second?.fraction).toBe(dec('0.05'));
    expect([...c.app.state.iterate('slashing/corr/double-sign/')]).toHaveLength(1);
  });

  it('slashWithCorrelation is reusable for other fault kinds (oracle)', () => {
    const c = chain(m3);
    c.blocks(2);
    c.mutate((ctx) => {
      // v7 alone: S = 0 → exactly the base 0.01, 1 of its 100 power.
      const r = c.slashing.slashWithCorrelation(ctx, 'oracle', cons('v7'), 1, 100n, dec('0.01'));
      expect(r.fraction).toBe(dec('0.01'));
      expect(r.burned).toBe(tokens(1n));
      // v8 next, same kind: S = 100 (v7), T = 1000 − 1 = 999 →
      // 0.01 + ⌈0.01 × 3 × 100 / 999⌉ = 0.01 + 0.003003003003003004 (last digit rounded up),
      // burning ⌊100 × 0.013003003…⌋ = 1.300300 power.
      const r8 = c.slashing.slashWithCorrelation(ctx, 'oracle', cons('v8'), 1, 100n, dec('0.01'));
      expect(r8.fraction).toBe(dec('0.01') + (dec('0.01') * 3n * 100n + 999n - 1n) / 999n);
      expect(r8.burned).toBe(1_300_300n);
    });
    expect(c.validator('v7').tokens).toBe(tokens(100n) - 1_000_000n);
    expect(c.validator('v8').tokens).toBe(tokens(100n) - 1_300_300n);
  });
});

describe('queries', () => {
  it('signing-info by consensus or operator address, signing-infos, params', () => {
    const c = chain();
    c.blocks(3, ['v2']);
    const byCons = c.query('slashing/signing-info', { consAddress: cons('v2') });
    const byOp = c.query('slashing/signing-info', {
      consAddress: testValidator('v2').operator.address,
    });
    const byOpField = c.query('slashing/signing-info', {
      operator: testValidator('v2').operator.address,
    });
    expect(byCons).toMatchObject({ consAddress: cons('v2'), missedBlocksCounter: 3 });
    expect(byOp).toEqual(byCons);
    expect(byOpField).toEqual(byCons);
    expect(c.query('slashing/signing-infos')).toHaveLength(10);
    expect(c.query('slashing/params')).toMatchObject({
      signedBlocksWindow: 20,
      slashFractionDoubleSign: '0.05',
      slashFractionDowntime: '0.0001',
    });
    expect(c.app.query('slashing/signing-info', { consAddress: cons('nobody') }).code).toBe(23);
    expect(CHAIN_ID).toBe(c.app.chainId);
  });
});
