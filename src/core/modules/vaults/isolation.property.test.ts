import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Msg } from '../../tx/tx.ts';
import {
  ACCOUNTS,
  cancelWithdraw,
  deposit,
  fee,
  loss,
  MARKET_POOL,
  payout,
  requestWithdraw,
  START,
  setMarket,
  TestMarketModule,
  VaultChain,
  withdraw,
} from './testing.ts';

const VAULTS = ['BTC-USD', 'ETH-USD'] as const;
const COOLDOWN = 60_000;

type Op = {
  vault: 0 | 1;
  who: 0 | 1 | 2;
  advanceMs: number;
  kind:
    | { t: 'deposit'; amount: bigint }
    | { t: 'request'; permille: bigint }
    | { t: 'withdraw' }
    | { t: 'exit'; permille: bigint }
    | { t: 'cancel' }
    | { t: 'fee'; amount: bigint; kind: 'trading-fee' | 'liquidation-fee' | 'premium' }
    | { t: 'loss'; amount: bigint }
    | { t: 'payout'; amount: bigint }
    | { t: 'locked'; amount: bigint }
    | { t: 'adjust'; amount: bigint };
};

const amount = fc.bigInt({ min: 1n, max: 50_000_000n });
const opArb: fc.Arbitrary<Op> = fc.record({
  vault: fc.constantFrom(0 as const, 1 as const),
  who: fc.constantFrom(0 as const, 1 as const, 2 as const),
  advanceMs: fc.oneof(
    fc.constant(1_000),
    fc.constant(COOLDOWN),
    fc.integer({ min: 1, max: 400_000 }),
  ),
  kind: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('deposit' as const),
        amount: fc.bigInt({ min: 500_000n, max: 50_000_000n }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('request' as const),
        permille: fc.bigInt({ min: 1n, max: 1000n }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('withdraw' as const) }) },
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('exit' as const),
        permille: fc.bigInt({ min: 1n, max: 1000n }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('fee' as const),
        amount,
        kind: fc.constantFrom(
          'trading-fee' as const,
          'liquidation-fee' as const,
          'premium' as const,
        ),
      }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('loss' as const), amount }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('payout' as const), amount }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('locked' as const),
        amount: fc.bigInt({ min: 0n, max: 60_000_000n }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('adjust' as const),
        amount: fc.bigInt({ min: -20_000_000n, max: 20_000_000n }),
      }),
    },
  ),
});

function msgOf(c: VaultChain, op: Op): Msg {
  const id = VAULTS[op.vault];
  const k = op.kind;
  const who = ACCOUNTS[op.who];
  if (who === undefined) throw new Error('who');
  switch (k.t) {
    case 'deposit':
      return deposit(id, k.amount);
    case 'request': {
      const held = c.shares(id, who);
      return requestWithdraw(id, held === 0n ? 1n : (held * k.permille) / 1000n || 1n);
    }
    case 'withdraw':
    case 'exit':
      return withdraw(id);
    case 'cancel':
      return cancelWithdraw(id);
    case 'fee':
      return fee(id, k.amount, k.kind);
    case 'loss':
      return loss(id, k.amount);
    case 'payout':
      return payout(id, MARKET_POOL, k.amount);
    case 'locked':
      return setMarket(id, { locked: k.amount });
    case 'adjust':
      return setMarket(id, { adjust: k.amount });
  }
}

/** Σ uusd over every account that can hold it in this chain. */
function totalUusd(c: VaultChain): bigint {
  let sum = c.uusd(MARKET_POOL);
  for (const a of ACCOUNTS) sum += c.uusd(a.address);
  for (const id of VAULTS) sum += c.keeper.cash(c.store, id);
  return sum;
}

const stats = { withdrawals: 0, codes: new Map<number, number>() };

describe('isolation of vaults (property)', () => {
  it('operations on one vault never change the other, to the base unit; uusd is conserved', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 40, size: 'medium' }), (ops) => {
        const c = new VaultChain();
        // Everyone starts with shares in both vaults, so exits have something to take.
        c.block(ACCOUNTS.flatMap((a) => VAULTS.map((id) => c.tx(a, [deposit(id, 10_000_000n)]))));
        // An exit is a request, then a withdrawal advanceMs later.
        const steps = ops.flatMap((op): Op[] =>
          op.kind.t === 'exit'
            ? [
                { ...op, advanceMs: 1_000, kind: { t: 'request', permille: op.kind.permille } },
                { ...op, kind: { t: 'withdraw' } },
              ]
            : [op],
        );
        for (const op of steps) {
          const id = VAULTS[op.vault];
          const other = VAULTS[1 - op.vault] as string;
          const who = ACCOUNTS[op.who];
          if (who === undefined) throw new Error('who');
          const otherBefore = c.snapshot(other);
          const selfBefore = c.snapshot(id);
          const uncoveredOther = TestMarketModule.uncovered(c.store, other);
          const v0 = c.keeper.requireVault(c.store, id);
          const cash0 = c.keeper.cash(c.store, id);
          const equity0 = c.keeper.equity(c.store, id);
          const free0 = c.keeper.free(c.store, id);
          const held0 = c.shares(id, who);
          const u0 = c.uusd(who.address);
          const r = c.run(who, msgOf(c, op), op.advanceMs); // invariants checked after the block

          // The fuse: the other vault is untouched, whatever happened here.
          expect(c.snapshot(other)).toEqual(otherBefore);
          expect(TestMarketModule.uncovered(c.store, other)).toBe(uncoveredOther);
          expect(totalUusd(c)).toBe(3n * START);

          const v1 = c.keeper.requireVault(c.store, id);
          const cash1 = c.keeper.cash(c.store, id);
          stats.codes.set(r.code, (stats.codes.get(r.code) ?? 0) + 1);
          if (r.code !== 0) {
            // A refused op changes nothing of the vault (time-dependent statuses aside).
            expect(c.snapshot(id)).toEqual(selfBefore);
            expect(cash1).toBe(cash0);
            continue;
          }
          const k = op.kind;
          if (k.t === 'deposit') {
            // Shares at equity per share, rounded down (first deposit 1:1).
            const minted =
              v0.totalShares === 0n ? k.amount * 10n ** 18n : (k.amount * v0.totalShares) / equity0;
            expect(c.shares(id, who) - held0).toBe(minted);
            expect(cash1 - cash0).toBe(k.amount);
          } else if (k.t === 'withdraw') {
            const burned = held0 - c.shares(id, who);
            const paid = c.uusd(who.address) - u0;
            expect(paid).toBe((burned * equity0) / v0.totalShares);
            expect(cash0 - cash1).toBe(paid);
            expect(paid).toBeLessThanOrEqual(free0); // never from locked capital
            stats.withdrawals++;
          } else if (k.t === 'loss') {
            const covered = k.amount < cash0 ? k.amount : cash0;
            expect(cash0 - cash1).toBe(covered);
            expect(v1.lossUncovered - v0.lossUncovered).toBe(k.amount - covered);
          } else if (k.t === 'fee') {
            expect(cash1 - cash0).toBe(k.amount);
          }
          // Holders together never own more than the equity.
          const equity1 = c.keeper.equity(c.store, id);
          let owned = 0n;
          for (const h of c.keeper.holders(c.store, id)) {
            owned += c.keeper.valueOf(c.store, id, h.shares);
          }
          if (equity1 > 0n) expect(owned).toBeLessThanOrEqual(equity1);
        }
      }),
      { numRuns: 40 },
    );
    // The random sequences do reach successful withdrawals and the refusals.
    expect(stats.withdrawals).toBeGreaterThan(20);
    expect(stats.codes.get(0)).toBeGreaterThan(100);
  });

  it('a withdrawal never pays from locked capital', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1_000_000n, max: 100_000_000n }),
        fc.bigInt({ min: 0n, max: 200_000_000n }),
        fc.bigInt({ min: 1n, max: 1000n }),
        (dep, locked, permille) => {
          const c = new VaultChain();
          c.ok(ACCOUNTS[0]!, deposit('BTC-USD', dep));
          c.ok(ACCOUNTS[1]!, deposit('BTC-USD', dep));
          const shares = (c.shares('BTC-USD', ACCOUNTS[0]!) * permille) / 1000n;
          c.ok(ACCOUNTS[0]!, requestWithdraw('BTC-USD', shares));
          c.ok(ACCOUNTS[2]!, setMarket('BTC-USD', { locked }));
          const cash0 = c.keeper.cash(c.store, 'BTC-USD');
          const r = c.run(ACCOUNTS[0]!, withdraw('BTC-USD'), COOLDOWN);
          const cash1 = c.keeper.cash(c.store, 'BTC-USD');
          if (r.code === 0) expect(cash1).toBeGreaterThanOrEqual(locked);
          else expect(cash1).toBe(cash0);
        },
      ),
      { numRuns: 30 },
    );
  });
});
