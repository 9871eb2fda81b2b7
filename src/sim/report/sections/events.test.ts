import { describe, expect, it } from 'vitest';
import { mergeEvents, orderKinds } from './events.ts';

describe('orderKinds', () => {
  it('puts slashing first, known kinds in their order, the rest alphabetically', () => {
    expect(
      orderKinds(['oracleMiss', 'liquidation', 'jail', 'adl', 'slash', 'halt', 'audit']),
    ).toEqual(['slash', 'jail', 'liquidation', 'adl', 'halt', 'audit', 'oracleMiss']);
  });
});

describe('mergeEvents', () => {
  const e = (block: number, kind: string, lane: number, subject: string, amount?: number) => ({
    block,
    kind,
    lane,
    subject,
    ...(amount !== undefined ? { amount } : {}),
  });
  it('merges one kind in one run within a bucket, summing amounts', () => {
    const merged = mergeEvents(
      [
        e(1, 'slash', 0, 'v1', 10),
        e(3, 'slash', 0, 'v2', 5),
        e(2, 'slash', 1, 'v1', 7),
        e(4, 'jail', 0, 'v1'),
        e(60, 'slash', 0, 'v3', 1),
      ],
      0,
      100,
      10,
    );
    expect(merged).toEqual([
      { block: 4, last: 4, kind: 'jail', lane: 0, count: 1, amount: undefined, subjects: ['v1'] },
      { block: 1, last: 3, kind: 'slash', lane: 0, count: 2, amount: 15, subjects: ['v1', 'v2'] },
      { block: 60, last: 60, kind: 'slash', lane: 0, count: 1, amount: 1, subjects: ['v3'] },
      { block: 2, last: 2, kind: 'slash', lane: 1, count: 1, amount: 7, subjects: ['v1'] },
    ]);
  });
  it('keeps every event apart when the buckets are finer than the blocks', () => {
    const merged = mergeEvents([e(1, 'a', 0, 's'), e(2, 'a', 0, 's')], 0, 10, 100);
    expect(merged).toHaveLength(2);
  });
});
