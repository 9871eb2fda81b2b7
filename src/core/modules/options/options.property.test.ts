import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alice,
  bob,
  buy,
  carol,
  E18,
  HOUR_MS,
  OPT_VAULT,
  OptionsChain,
  PERP_VAULT,
  sell,
  testSeries,
} from './testing.ts';

const SERIES = ['ETH-3000-C', 'ETH-3000-P', 'ETH-3100-P'];

const action = fc.oneof(
  fc.record({
    kind: fc.constant('buy' as const),
    who: fc.constantFrom(alice, bob),
    series: fc.constantFrom(...SERIES),
    qty: fc.bigInt({ min: 1n, max: 5_000_000_000n }),
  }),
  fc.record({
    kind: fc.constant('sell' as const),
    who: fc.constantFrom(alice, bob),
    series: fc.constantFrom(...SERIES),
    fraction: fc.integer({ min: 1, max: 100 }),
  }),
  fc.record({ kind: fc.constant('price' as const), usd: fc.integer({ min: 2_700, max: 3_300 }) }),
  fc.record({ kind: fc.constant('stale' as const), on: fc.boolean() }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1_000, max: 600_000 }) }),
);

describe('options: random streams', () => {
  it('conserve uusd, keep every invariant, and leave the other vault alone', () => {
    const done = { trades: 0, settled: 0, refunded: 0 };
    fc.assert(
      fc.property(fc.array(action, { minLength: 5, maxLength: 25 }), (actions) => {
        const [call, put] = testSeries();
        if (call === undefined || put === undefined) throw new Error('no test series');
        const c = new OptionsChain({
          series: [call, put, { ...put, id: 'ETH-3100-P', strike: 3_100n * E18 }],
        });
        const accounts = [alice.address, bob.address, carol.address];
        const vaults = [OPT_VAULT, PERP_VAULT].map((v) => c.vaults.accountOf(v));
        const total = () => [...accounts, ...vaults].reduce((s, a) => s + c.uusd(a), 0n);
        c.block();
        const start = total();
        const perp = c.vaultCash(PERP_VAULT);
        for (const a of actions) {
          if (a.kind === 'buy') {
            if (c.run(a.who, buy(a.series, a.qty)).code === 0) done.trades++;
          } else if (a.kind === 'sell') {
            const held = c.keeper.position(c.store, a.series, a.who.address).qty;
            const qty = (held * BigInt(a.fraction)) / 100n;
            if (c.run(a.who, sell(a.series, qty > 0n ? qty : 1n)).code === 0) done.trades++;
          } else if (a.kind === 'price') c.setPrice(BigInt(a.usd) * E18);
          else if (a.kind === 'stale') {
            if (a.on) c.oracle.stale.add('ETH-USD');
            else c.oracle.stale.delete('ETH-USD');
          } else c.block([], a.ms);
          // Invariants are checked after every block by the chain itself.
          expect(total()).toBe(start);
        }
        // Past expiry and the grace period: every series settled or refunded, nothing open.
        c.block([], HOUR_MS + 600_000);
        expect(c.keeper.openSeries(c.store)).toEqual([]);
        expect(c.vaults.locked(c.store, OPT_VAULT)).toBe(0n);
        expect(total()).toBe(start);
        expect(c.vaultCash(PERP_VAULT)).toBe(perp);
        for (const s of c.keeper.allSeries(c.store)) {
          if (s.open === 0n && s.premiums === 0n) continue;
          if (s.status === 'settled') done.settled++;
          else done.refunded++;
        }
      }),
      { numRuns: 25, seed: 20261122 },
    );
    // The streams really trade, and reach both ends (settlement and refund at cost).
    expect(done.trades).toBeGreaterThan(25);
    expect(done.settled).toBeGreaterThan(0);
    expect(done.refunded).toBeGreaterThan(0);
  });
});
