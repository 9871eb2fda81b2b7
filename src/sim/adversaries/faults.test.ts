import { describe, expect, it } from 'vitest';
import type { SimView, ValidatorFault } from '../types.ts';
import {
  type Adversary,
  AdversarySpecError,
  adversarySpec,
  createAdversary,
  selectValidators,
} from './index.ts';

const VALIDATORS = [
  { name: 'val0', power: 40n },
  { name: 'val1', power: 30n },
  { name: 'val2', power: 20n },
  { name: 'val3', power: 10n },
];

const make = (spec: unknown): Adversary => createAdversary(adversarySpec.parse(spec), VALIDATORS);

/** A view at committed height `height` with 2 s blocks: the block being built starts at 2·height s. */
const at = (height: number): SimView => ({
  height,
  timeMs: height * 2000,
  blockTimeMs: 2000,
  query: () => {
    throw new Error('no queries in fault tests');
  },
  truePrice: () => 100,
});

/** Which validators misbehave in the block built on top of `height`. */
function faulty(fault: ValidatorFault, height: number) {
  return Object.fromEntries(
    VALIDATORS.flatMap((v) => {
      const b = fault.behaviour(v.name, at(height));
      return b === undefined ? [] : [[v.name, b]];
    }),
  );
}

describe('validator selection', () => {
  it('takes the largest (or smallest) validators until their power reaches the share', () => {
    const sel = (share: number, pick: 'largest' | 'smallest') =>
      [...selectValidators('t', { share, pick }, VALIDATORS)].sort();
    expect(sel(0.34, 'largest')).toEqual(['val0']);
    expect(sel(0.4, 'largest')).toEqual(['val0']);
    expect(sel(0.41, 'largest')).toEqual(['val0', 'val1']);
    expect(sel(0.34, 'smallest')).toEqual(['val1', 'val2', 'val3']);
    expect(sel(1, 'largest')).toEqual(['val0', 'val1', 'val2', 'val3']);
    // bare names weigh the same
    expect([
      ...selectValidators('t', { share: 0.5, pick: 'largest' }, ['b', 'a', 'c', 'd']),
    ]).toEqual(['a', 'b']);
  });

  it('refuses a validator the chain does not have, naming the ones it has', () => {
    const spec = adversarySpec.parse({ type: 'offline', validators: ['val0', 'val9'], from: '1m' });
    expect(() => createAdversary(spec, VALIDATORS)).toThrow(AdversarySpecError);
    expect(() => createAdversary(spec, VALIDATORS)).toThrow(
      'offline: no validator named "val9"; the validators are val0, val1, val2, val3',
    );
    const ds = adversarySpec.parse({
      type: 'double-sign',
      name: 'equivocators',
      validator: 'bob',
      at: '1h',
    });
    expect(() => createAdversary(ds, VALIDATORS)).toThrow(/equivocators: no validator named "bob"/);
    const coalition = adversarySpec.parse({
      type: 'oracle-coalition',
      validators: ['VAL0'],
      assets: ['BTC-USD'],
      bias: '10%',
    });
    expect(() => createAdversary(coalition, VALIDATORS)).toThrow(/no validator named "VAL0"/);
  });

  it('refuses malformed specs with a message naming the problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'offline', validators: ['val0'], share: 0.5 }, /exactly one of validators/],
      [{ type: 'offline' }, /exactly one of validators/],
      [{ type: 'offline', validators: ['val0'], from: '2h', to: '1h' }, /to > from/],
      [{ type: 'offline', validators: ['val0'], form: '1h' }, /form/],
      [{ type: 'oracle-coalition', share: '34%', assets: ['BTC-USD'] }, /give a bias/],
      [{ type: 'oracle-coalition', share: '34%', assets: [], bias: '5%' }, /assets/],
      [{ type: 'double-sign', at: '1h' }, /exactly one of validator and validators/],
      [{ type: 'double-sign', validator: 'val0', at: 'noon' }, /expected a duration/],
      [{ type: 'meteor' }, /type/],
    ];
    for (const [spec, message] of cases) {
      const r = adversarySpec.safeParse(spec);
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).toMatch(message);
    }
  });
});

describe('faults', () => {
  it('oracle coalition: biased reports from its members inside the window, ramped', () => {
    const { fault } = make({
      type: 'oracle-coalition',
      share: '60%',
      assets: ['BTC-USD', 'ETH-USD'],
      bias: '+20%',
      from: '100s',
      to: '200s',
      ramp: '40s',
    });
    expect(faulty(fault!, 49)).toEqual({}); // block starts at 98 s
    expect(faulty(fault!, 50)).toEqual({
      val0: { priceBias: { 'BTC-USD': 0, 'ETH-USD': 0 } },
      val1: { priceBias: { 'BTC-USD': 0, 'ETH-USD': 0 } },
    });
    expect(faulty(fault!, 60).val0?.priceBias?.['BTC-USD']).toBeCloseTo(0.1, 12); // 20 s into a 40 s ramp
    expect(faulty(fault!, 99).val1?.priceBias?.['ETH-USD']).toBeCloseTo(0.2, 12);
    expect(faulty(fault!, 100)).toEqual({}); // 200 s: over
  });

  it('oracle coalition can withhold prices instead', () => {
    const { fault } = make({
      type: 'oracle-coalition',
      validators: ['val3'],
      assets: ['BTC-USD'],
      silent: true,
    });
    expect(faulty(fault!, 0)).toEqual({ val3: { silentOracle: true } });
  });

  it('offline: the chosen validators miss every block of the window', () => {
    const { fault } = make({
      type: 'offline',
      validators: ['val2', 'val3'],
      from: '10s',
      to: '20s',
    });
    expect(faulty(fault!, 4)).toEqual({});
    expect(faulty(fault!, 5)).toEqual({ val2: { offline: true }, val3: { offline: true } });
    expect(faulty(fault!, 9)).toEqual({ val2: { offline: true }, val3: { offline: true } });
    expect(faulty(fault!, 10)).toEqual({});
  });

  it('offline: the window ends on time even while the chain is halted (height stands still)', () => {
    const { fault } = make({ type: 'offline', share: '50%', from: '10s', to: '20s' });
    const view = (height: number, timeMs: number): SimView => ({ ...at(height), timeMs });
    expect(fault!.behaviour('val0', view(0, 0))).toBeUndefined(); // asked from block 1 on
    expect(fault!.behaviour('val0', view(5, 10_000))).toEqual({ offline: true });
    // no quorum: no block, height stays 5, the clock runs on
    expect(fault!.behaviour('val0', view(5, 18_000))).toEqual({ offline: true });
    expect(fault!.behaviour('val0', view(5, 20_000))).toBeUndefined();
  });

  it('double-sign: one validator at a time, each in exactly one block', () => {
    const { fault } = make({
      type: 'double-sign',
      validators: ['val1', 'val2'],
      at: '61s',
      every: '1m',
    });
    const fired: [number, string][] = [];
    for (let h = 0; h < 200; h++) {
      for (const name of Object.keys(faulty(fault!, h))) fired.push([h, name]);
    }
    // 61 s falls in the block starting at 60 s (height 30); 121 s in the one at 120 s (60)
    expect(fired).toEqual([
      [30, 'val1'],
      [60, 'val2'],
    ]);
    expect(fault!.behaviour('val1', at(30))).toEqual({ doubleSign: true });
  });
});
