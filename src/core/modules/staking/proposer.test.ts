import { describe, expect, it } from 'vitest';
import {
  centerPriorities,
  nextProposer,
  type PrioritizedValidator,
  proposerSequence,
  rescalePriorities,
  updateValidatorSet,
} from './proposer.ts';

const v = (address: string, power: bigint, priority = 0n): PrioritizedValidator => ({
  address,
  power,
  priority,
});
const prios = (vals: PrioritizedValidator[]) =>
  Object.fromEntries(vals.map((x) => [x.address, x.priority]));

describe('proposer selection (CometBFT IncrementProposerPriority), hand-computed tables', () => {
  it('powers a=1, b=2, c=3 (total 6) from priorities 0', () => {
    // Each step: rescale (spread ≤ 12: never here), centre (the sum stays 0, so avg = 0),
    // add powers, the largest proposes and pays 6 (a tie goes to the smaller address).
    //  h | before      | + power       | proposer | after
    //  1 | 0, 0, 0     | 1, 2, 3       | c        | 1, 2, 3−6=−3
    //  2 | 1, 2, −3    | 2, 4, 0       | b        | 2, 4−6=−2, 0
    //  3 | 2, −2, 0    | 3, 0, 3       | a (tie)  | 3−6=−3, 0, 3
    //  4 | −3, 0, 3    | −2, 2, 6      | c        | −2, 2, 0
    //  5 | −2, 2, 0    | −1, 4, 3      | b        | −1, −2, 3
    //  6 | −1, −2, 3   | 0, 0, 6       | c        | 0, 0, 0   (back to the start: period 6)
    const table: [string, Record<string, bigint>][] = [
      ['c', { a: 1n, b: 2n, c: -3n }],
      ['b', { a: 2n, b: -2n, c: 0n }],
      ['a', { a: -3n, b: 0n, c: 3n }],
      ['c', { a: -2n, b: 2n, c: 0n }],
      ['b', { a: -1n, b: -2n, c: 3n }],
      ['c', { a: 0n, b: 0n, c: 0n }],
    ];
    let cur = [v('a', 1n), v('b', 2n), v('c', 3n)];
    for (const [i, [proposer, after]] of table.entries()) {
      const r = nextProposer(cur);
      expect(r.proposer, `height ${i + 1}`).toBe(proposer);
      expect(prios(r.vals), `height ${i + 1}`).toEqual(after);
      cur = r.vals;
    }
    // 12 heights: each proposes in proportion to its power (a 2, b 4, c 6).
    const seq = proposerSequence([v('a', 1n), v('b', 2n), v('c', 3n)], 12).proposers;
    expect(seq.join('')).toBe('cbacbccbacbc');
  });

  it('a new validator joins at −1.125 × total power, then the set is centred (floor average)', () => {
    // a=1, b=1 (total 2): h1 a (tie, smaller address): a 1−2=−1, b 1; h2 b: a 0, b 0.
    const two = proposerSequence([v('a', 1n), v('b', 1n)], 2);
    expect(two.proposers).toEqual(['a', 'b']);
    expect(prios(two.vals)).toEqual({ a: 0n, b: 0n });
    // d (power 2) joins. P = 1 + 1 + 2 = 4 (no removals); penalty −(4 + 4>>3) = −(4 + 0) = −4.
    // Priorities a 0, b 0, d −4; spread 4 ≤ 2×4: no rescale. Centre: sum −4, n 3,
    // avg = floor(−4/3) = −2 (Go big.Int Div; truncation would give −1): a 2, b 2, d −2.
    const joined = updateValidatorSet(two.vals, [
      { address: 'a', power: 1n },
      { address: 'b', power: 1n },
      { address: 'd', power: 2n },
    ]);
    expect(prios(joined)).toEqual({ a: 2n, b: 2n, d: -2n });
    // Total 4. Sum of priorities stays 2, so every later average is floor(2/3) = 0.
    //  h | before     | + power     | proposer | after
    //  3 | 2, 2, −2   | 3, 3, 0     | a (tie)  | −1, 3, 0
    //  4 | −1, 3, 0   | 0, 4, 2     | b        | 0, 0, 2
    //  5 | 0, 0, 2    | 1, 1, 4     | d        | 1, 1, 0
    //  6 | 1, 1, 0    | 2, 2, 2     | a (tie)  | −2, 2, 2
    //  7 | −2, 2, 2   | −1, 3, 4    | d        | −1, 3, 0
    //  8 | −1, 3, 0   | 0, 4, 2     | b        | 0, 0, 2
    const table: [string, Record<string, bigint>][] = [
      ['a', { a: -1n, b: 3n, d: 0n }],
      ['b', { a: 0n, b: 0n, d: 2n }],
      ['d', { a: 1n, b: 1n, d: 0n }],
      ['a', { a: -2n, b: 2n, d: 2n }],
      ['d', { a: -1n, b: 3n, d: 0n }],
      ['b', { a: 0n, b: 0n, d: 2n }],
    ];
    let cur = joined;
    for (const [i, [proposer, after]] of table.entries()) {
      const r = nextProposer(cur);
      expect(r.proposer, `height ${i + 3}`).toBe(proposer);
      expect(prios(r.vals), `height ${i + 3}`).toEqual(after);
      cur = r.vals;
    }
  });

  it('a removed validator leaves; the others keep their priorities, centred', () => {
    // After h1 of the first table: a 1, b 2, c −3. Remove c: a 1, b 2; spread 1 ≤ 2×3;
    // centre: sum 3, avg floor(3/2) = 1: a 0, b 1.
    const after = updateValidatorSet(
      [v('a', 1n, 1n), v('b', 2n, 2n), v('c', 3n, -3n)],
      [
        { address: 'a', power: 1n },
        { address: 'b', power: 2n },
      ],
    );
    expect(prios(after)).toEqual({ a: 0n, b: 1n });
  });

  it('rescales when the spread exceeds 2 × total power (Go truncating division)', () => {
    // Total 2, diffMax 4. Spread 20: ratio = (20 + 4 − 1) / 4 = 23/4 → 5; 10/5 = 2, −10/5 = −2.
    expect(prios(rescalePriorities([v('a', 1n, 10n), v('b', 1n, -10n)], 4n))).toEqual({
      a: 2n,
      b: -2n,
    });
    // Spread 14: ratio = 17/4 → 4; 7/4 → 1 and −7/4 → −1 (toward zero, not −2).
    expect(prios(rescalePriorities([v('a', 1n, 7n), v('b', 1n, -7n)], 4n))).toEqual({
      a: 1n,
      b: -1n,
    });
    // Spread exactly diffMax: unchanged.
    expect(prios(rescalePriorities([v('a', 1n, 2n), v('b', 1n, -2n)], 4n))).toEqual({
      a: 2n,
      b: -2n,
    });
  });

  it('centres with the floor of the average', () => {
    // sum −1, n 2: floor(−0.5) = −1, so a −1 → 0 and b 0 → 1.
    expect(prios(centerPriorities([v('a', 1n, -1n), v('b', 1n, 0n)]))).toEqual({ a: 0n, b: 1n });
    // sum 5, n 2: floor(2.5) = 2.
    expect(prios(centerPriorities([v('a', 1n, 5n), v('b', 1n, 0n)]))).toEqual({ a: 3n, b: -2n });
  });

  it('matches CometBFT TestProposerSelection1 (types/validator_set_test.go), 99 heights', () => {
    // Published vector: foo 1000, bar 300, baz 330 from priorities 0.
    const expected =
      'foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar ' +
      'foo foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar ' +
      'foo baz foo foo bar foo baz foo foo bar foo baz foo foo foo baz bar foo foo foo baz ' +
      'foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz foo ' +
      'foo bar foo baz foo foo bar foo baz foo foo bar foo baz foo foo';
    const initial = updateValidatorSet(
      [],
      [
        { address: 'foo', power: 1000n },
        { address: 'bar', power: 300n },
        { address: 'baz', power: 330n },
      ],
    );
    expect(proposerSequence(initial, 99).proposers.join(' ')).toBe(expected);
  });

  it('an empty set has no proposer', () => {
    expect(nextProposer([]).proposer).toBeUndefined();
  });
});
