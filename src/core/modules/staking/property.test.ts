import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE } from '../../math/index.ts';
import { testAccount } from '../../testing/harness.ts';
import { BONDED_POOL, UNBONDING_POOL } from './keeper.ts';
import { BWK, consAddressOf, StakingChain, ubwk } from './testing.ts';

const vals = [testAccount('pv0'), testAccount('pv1'), testAccount('pv2')];
const dels = [testAccount('pd0'), testAccount('pd1'), testAccount('pd2')];
const BALANCE = 1000n * BWK;

type Action =
  | { kind: 'delegate'; d: number; v: number; amount: bigint }
  | { kind: 'undelegate'; d: number; v: number; part: bigint; byAmount: boolean }
  | { kind: 'redelegate'; d: number; src: number; dst: number; part: bigint }
  | { kind: 'slash'; v: number; back: number; fraction: bigint }
  | { kind: 'jail'; v: number }
  | { kind: 'wait'; ms: number };

const idx = (n: number) => fc.integer({ min: 0, max: n - 1 });
const part = fc.bigInt({ min: 1n, max: ONE });
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delegate' as const),
      d: idx(3),
      v: idx(3),
      amount: fc.bigInt({ min: 1n, max: 50n * BWK }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('undelegate' as const),
      d: idx(3),
      v: idx(3),
      part,
      byAmount: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('redelegate' as const),
      d: idx(3),
      src: idx(3),
      // dst = src + 1 + shift (mod 3): another validator, except now and then itself.
      dst: fc.integer({ min: 0, max: 2 }),
      part,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('slash' as const),
      v: idx(3),
      back: fc.integer({ min: 0, max: 8 }),
      fraction: fc.oneof(fc.bigInt({ min: 0n, max: ONE / 5n }), fc.constant(ONE)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('jail' as const), v: idx(3) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 1000, max: 40_000 }),
    }),
  },
);

/** Everything a delegator owns in bondDenom: wallet, delegations' value, unbonding balances. */
function holdings(c: StakingChain, who: string): bigint {
  let total = c.balance(who);
  for (const d of c.keeper.delegationsOf(c.store, who)) {
    total += c.keeper.tokensOfShares(c.keeper.validator(c.store, d.validator)!, d.shares);
  }
  for (const u of c.keeper.unbondingsOf(c.store, who)) {
    for (const e of u.entries) total += e.balance;
  }
  return total;
}

describe('property: random delegate / undelegate / redelegate / slash sequences', () => {
  it('keep every invariant after every block and never create tokens', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 25 }), (actions) => {
        const c = new StakingChain({
          accounts: [...vals, ...dels],
          validators: vals.map((operator, i) => ({
            operator,
            selfBond: BigInt(10 * (i + 1)) * BWK,
          })),
          delegations: dels.flatMap((delegator) =>
            vals.map((validator) => ({ delegator, validator, amount: 20n * BWK })),
          ),
          balance: BALANCE,
          params: { unbondingTimeMs: 30_000, epochLength: 3 },
        });
        const minted = c.bank.minted(c.store, 'ubwk');
        const accounts = [...vals, ...dels].map((a) => a.address);
        for (const a of actions) {
          // Every block runs with assertInvariants: a broken invariant throws here.
          switch (a.kind) {
            case 'delegate':
              c.msgs([
                {
                  from: dels[a.d]!.address,
                  msg: {
                    type: 'staking/delegate',
                    value: { validator: vals[a.v]!.address, amount: ubwk(a.amount) },
                  },
                },
              ]);
              break;
            case 'undelegate': {
              const d = dels[a.d]!.address;
              const v = c.keeper.validator(c.store, vals[a.v]!.address)!;
              const held = c.keeper.delegation(c.store, d, v.operator)?.shares ?? 0n;
              const shares = (held * a.part) / ONE;
              const amount = c.keeper.tokensOfShares(v, shares);
              const value =
                a.byAmount && amount > 0n
                  ? { validator: v.operator, amount: ubwk(amount) }
                  : { validator: v.operator, shares: shares > 0n ? shares : 1n };
              c.msgs([{ from: d, msg: { type: 'staking/undelegate', value } }]);
              break;
            }
            case 'redelegate': {
              const d = dels[a.d]!.address;
              const src = vals[a.src]!.address;
              const held = c.keeper.delegation(c.store, d, src)?.shares ?? 0n;
              const shares = (held * a.part) / ONE;
              c.msgs([
                {
                  from: d,
                  msg: {
                    type: 'staking/redelegate',
                    value: {
                      src,
                      dst: vals[a.dst === 2 ? a.src : (a.src + 1 + a.dst) % 3]!.address,
                      shares: shares > 0n ? shares : 1n,
                    },
                  },
                },
              ]);
              break;
            }
            case 'slash': {
              const cons = consAddressOf(vals[a.v]!);
              c.exec((ctx) => {
                const h = Math.max(1, ctx.block.height - a.back);
                const power = c.keeper.powerAt(ctx.store, cons, h) ?? 0n;
                c.keeper.slash(ctx, cons, h, power, a.fraction);
              });
              break;
            }
            case 'jail':
              c.exec((ctx) => c.keeper.jail(ctx, consAddressOf(vals[a.v]!)));
              break;
            case 'wait':
              c.block([], { stepMs: a.ms });
              break;
          }
          // Nothing minted; whatever left the accounts is in the pools or burned.
          expect(c.bank.minted(c.store, 'ubwk')).toBe(minted);
          const pools = c.balance(BONDED_POOL) + c.balance(UNBONDING_POOL);
          const wallets = accounts.reduce((s, x) => s + c.balance(x), 0n);
          expect(wallets + pools + c.bank.burned(c.store, 'ubwk')).toBe(minted);
          // What the delegators can claim never exceeds what exists (rounding is the protocol's).
          const claims = accounts.reduce((s, x) => s + holdings(c, x), 0n);
          expect(claims).toBeLessThanOrEqual(wallets + pools);
        }
        // Let everything mature: all unbonding is paid, the pool empties.
        c.block([], { stepMs: 31_000 });
        c.block();
        expect(c.balance(UNBONDING_POOL)).toBe(0n);
        expect(c.keeper.redelegationsOf(c.store, dels[0]!.address)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
