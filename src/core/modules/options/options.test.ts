import { describe, expect, it } from 'vitest';
import { ONE } from '../../math/index.ts';
import type { Msg } from '../../tx/tx.ts';
import { OptionsError } from './errors.ts';
import { seriesSpecSchema, specOf } from './params.ts';
import {
  alice,
  bob,
  buy,
  dec,
  E18,
  FIRST_BLOCK_MS,
  HOUR_MS,
  OPT_VAULT,
  OptionsChain,
  PERP_VAULT,
  sell,
  testSeries,
} from './testing.ts';

const attr = (events: { type: string; attributes: Record<string, string> }[], type: string) =>
  events.find((e) => e.type === type)?.attributes ?? {};

/** Everything a refused trade must leave as it was. */
function snapshot(c: OptionsChain) {
  return {
    alice: c.uusd(alice.address),
    bob: c.uusd(bob.address),
    vault: c.vaultCash(),
    series: c.keeper.allSeries(c.store),
    holders: c.keeper.allSeries(c.store).map((x) => c.keeper.holders(c.store, x.id)),
  };
}

function expectRefused(c: OptionsChain, msg: Msg, code: number, text?: RegExp) {
  const before = snapshot(c);
  const r = c.run(alice, msg);
  expect(r.code).toBe(code);
  if (text !== undefined) expect(r.log).toMatch(text);
  // The fee is paid in ubwk; every uusd balance, position and series record is unchanged.
  expect(snapshot(c)).toEqual(before);
}

describe('options: listing and queries', () => {
  it('lists the genesis series, trading, with the vault registered as an options vault', () => {
    const c = new OptionsChain();
    c.block();
    const series = c.query<{ id: string; state: string; strike: string }[]>('options/series');
    expect(series.map((s) => [s.id, s.state, s.strike])).toEqual([
      ['ETH-3000-C', 'trading', '3000'],
      ['ETH-3000-P', 'trading', '3000'],
    ]);
    expect(c.keeper.isOptionsVault(c.store, OPT_VAULT)).toBe(true);
    expect(c.keeper.isOptionsVault(c.store, PERP_VAULT)).toBe(false);
  });

  it('refuses a genesis series on a perps vault or on an unknown oracle market', () => {
    expect(() => new OptionsChain({ series: testSeries([{ vault: PERP_VAULT }]) })).toThrow(
      /backs a perps market/,
    );
    expect(() => new OptionsChain({ series: testSeries([{ underlying: 'DOGE-USD' }]) })).toThrow(
      /unknown oracle market/,
    );
  });

  it('only the gov module account may list by message', () => {
    const c = new OptionsChain();
    const r = c.run(alice, {
      type: 'options/list-series',
      value: {
        series: {
          id: 'ETH-3100-C',
          underlying: 'ETH-USD',
          strike: '3100',
          expiryMs: FIRST_BLOCK_MS + 2 * HOUR_MS,
          kind: 'call',
          vault: OPT_VAULT,
        },
      },
    });
    expect(r.code).toBe(OptionsError.Unauthorized);
    expect(c.keeper.series(c.store, 'ETH-3100-C')).toBeUndefined();
  });

  it('lists by a msg of the gov module account, creating the vault it names', () => {
    const c = new OptionsChain();
    c.block();
    const spec = {
      id: 'ETH-3100-C',
      underlying: 'ETH-USD',
      strike: '3100',
      expiryMs: FIRST_BLOCK_MS + 2 * HOUR_MS,
      kind: 'call',
      vault: 'ETH-OPT-2',
    };
    const exec = (series: Record<string, string | number>): Msg => ({
      type: 'testgov/exec',
      value: { type: 'options/list-series', value: { series } },
    });
    c.ok(alice, exec(spec));
    expect(c.keeper.series(c.store, 'ETH-3100-C')?.strike).toBe(3_100n * E18);
    expect(c.vaults.vault(c.store, 'ETH-OPT-2')?.totalShares).toBe(0n);
    expect(c.keeper.isOptionsVault(c.store, 'ETH-OPT-2')).toBe(true);
    // An empty vault has no equity, so no exposure to sell until stakers fund it.
    expect(c.run(alice, buy('ETH-3100-C', 1n)).code).toBe(OptionsError.ExposureLimit);
    // Refused listings: a duplicate, a perps vault, an expiry inside the halt window.
    const refused = (over: object, text: RegExp) => {
      const r = c.run(alice, exec({ ...spec, id: 'ETH-X', ...over }));
      expect([r.code, r.log]).toEqual([OptionsError.InvalidListing, expect.stringMatching(text)]);
    };
    refused({ id: 'ETH-3100-C' }, /already listed/);
    refused({ vault: PERP_VAULT }, /backs a perps market/);
    refused({ expiryMs: c.timeMs + 1000 }, /haltBeforeExpiryMs/);
    expect(c.keeper.series(c.store, 'ETH-X')).toBeUndefined();
  });

  it('exports its params and open listings; a chain started from them lists the same', () => {
    const c = new OptionsChain();
    c.block();
    const exported = c.app.module('options')?.exportGenesis(c.store) as {
      series: { id: string; strike: string }[];
    };
    expect(exported.series.map((s) => [s.id, s.strike])).toEqual([
      ['ETH-3000-C', '3000'],
      ['ETH-3000-P', '3000'],
    ]);
    // The exported listings, parsed back as a genesis parses them.
    const again = new OptionsChain({
      series: exported.series.map((x) => seriesSpecSchema.parse(x)),
    });
    expect(again.keeper.openSeries(again.store).map(specOf)).toEqual(
      c.keeper.openSeries(c.store).map(specOf),
    );
  });

  it('refuses params out of bounds (what governance may set)', () => {
    expect(() => new OptionsChain({ params: { pMin: dec('0.6') } })).toThrow(/pMin/);
    expect(() => new OptionsChain({ params: { maxVaultExposure: dec('1.5') } })).toThrow(
      /maxVaultExposure/,
    );
    expect(
      () =>
        new OptionsChain({
          params: { maxSeriesExposure: dec('0.9'), maxVaultExposure: dec('0.5') },
        }),
    ).toThrow(/maxSeriesExposure/);
  });

  it('quotes both sides: ask ≥ fair ≥ bid, call + put fair = e^{−rT}', () => {
    const c = new OptionsChain();
    c.block();
    const q = (id: string) =>
      c.query<{ fair: string; buy: { price: string; premium: bigint }; sell: { price: string } }>(
        'options/quote',
        { series: id, qty: 1_000_000n },
      );
    const call = q('ETH-3000-C');
    const put = q('ETH-3000-P');
    const f = (s: string) => dec(s);
    expect(f(call.buy.price) > f(call.fair)).toBe(true);
    expect(f(call.sell.price) < f(call.fair)).toBe(true);
    const parity = f(call.fair) + f(put.fair);
    // One hour at r = 5 %: e^{−0.05/8760} ≈ 0.9999943.
    expect(parity > dec('0.99999') && parity < ONE).toBe(true);
    expect(call.buy.premium).toBe((1_000_000n * f(call.buy.price) + E18 - 1n) / E18);
  });
});

describe('options: trading', () => {
  it('a buy moves the premium from the trader to the vault; a sell back pays the bid', () => {
    const c = new OptionsChain();
    c.block();
    const a0 = c.uusd(alice.address);
    const v0 = c.vaultCash();
    const events = c.ok(alice, buy('ETH-3000-C', 1_000_000n, '0.9'));
    const premium = BigInt(attr(events, 'options_trade').amount ?? '');
    expect(premium > 400_000n && premium < 700_000n).toBe(true);
    expect(c.uusd(alice.address)).toBe(a0 - premium);
    expect(c.vaultCash()).toBe(v0 + premium);
    expect(c.keeper.position(c.store, 'ETH-3000-C', alice.address)).toEqual({
      qty: 1_000_000n,
      cost: premium,
    });
    expect(c.vaults.vault(c.store, OPT_VAULT)?.premiums).toBe(premium);

    const sold = c.ok(alice, sell('ETH-3000-C', 400_000n, '0.1'));
    const proceeds = BigInt(attr(sold, 'options_trade').amount ?? '');
    expect(proceeds > 0n && proceeds < (premium * 4n) / 10n).toBe(true);
    expect(c.uusd(alice.address)).toBe(a0 - premium + proceeds);
    expect(c.vaultCash()).toBe(v0 + premium - proceeds);
    // The cost basis falls pro rata, rounded so that what stays refundable is not more.
    const left = premium - (premium * 4n + 9n) / 10n;
    expect(c.keeper.position(c.store, 'ETH-3000-C', alice.address)).toEqual({
      qty: 600_000n,
      cost: left,
    });
  });

  it('the ask rises with the vault exposure', () => {
    const c = new OptionsChain();
    c.block();
    const ask = (qty: bigint) =>
      dec(
        c.query<{ buy: { price: string } }>('options/quote', { series: 'ETH-3000-C', qty }).buy
          .price,
      );
    expect(ask(10_000_000_000n) > ask(1_000n)).toBe(true);
  });

  it('locks the worst-case payout in the vault and marks its liability in the equity', () => {
    const c = new OptionsChain();
    c.block();
    c.ok(alice, buy('ETH-3000-C', 5_000_000n));
    c.ok(bob, buy('ETH-3000-P', 3_000_000n));
    // A call and a put at one strike never both pay: the worst case is the larger side.
    expect(c.vaults.locked(c.store, OPT_VAULT)).toBe(5_000_000n);
    const cash = c.vaultCash();
    const liability = c.keeper.liability(c.store, OPT_VAULT);
    expect(liability > 3_000_000n && liability < 5_000_000n).toBe(true);
    expect(c.vaults.equity(c.store, OPT_VAULT)).toBe(cash - liability);
    expect(c.vaults.free(c.store, OPT_VAULT)).toBe(cash - liability - 5_000_000n);
  });
});

describe('options: bad input changes nothing', () => {
  it('refuses zero, negative and too large quantities', () => {
    const c = new OptionsChain({ params: { maxQtyPerTrade: 1_000n } });
    c.block();
    expectRefused(c, buy('ETH-3000-C', 0n), OptionsError.InvalidQuantity, /quantity/);
    expectRefused(c, buy('ETH-3000-C', -5n), OptionsError.InvalidQuantity);
    expectRefused(c, buy('ETH-3000-C', 1_001n), OptionsError.InvalidQuantity, /1 to 1000/);
    expectRefused(c, sell('ETH-3000-C', 0n), OptionsError.InvalidQuantity);
  });

  it('refuses a breached slippage bound on either side', () => {
    const c = new OptionsChain();
    c.block();
    expectRefused(c, buy('ETH-3000-C', 1_000n, '0.1'), OptionsError.SlippageExceeded, /max-price/);
    c.ok(alice, buy('ETH-3000-C', 1_000n));
    expectRefused(c, sell('ETH-3000-C', 1_000n, '0.9'), OptionsError.SlippageExceeded, /min-price/);
  });

  it('refuses selling options not held, and unknown series', () => {
    const c = new OptionsChain();
    c.block();
    expectRefused(c, sell('ETH-3000-P', 1n), OptionsError.InsufficientHolding, /holds 0/);
    c.ok(alice, buy('ETH-3000-P', 10n));
    expectRefused(c, sell('ETH-3000-P', 11n), OptionsError.InsufficientHolding, /holds 10/);
    expectRefused(c, buy('ETH-9999-C', 1n), OptionsError.UnknownSeries, /ETH-3000-C/);
  });

  it('refuses breaching the per-series and per-vault exposure limits', () => {
    // Vault equity 100 000 USD: the series limit is 25 %, the vault limit 30 %.
    const c = new OptionsChain({
      params: { maxSeriesExposure: dec('0.25'), maxVaultExposure: dec('0.3') },
    });
    c.block();
    expectRefused(
      c,
      buy('ETH-3000-C', 25_000_000_001n),
      OptionsError.ExposureLimit,
      /series ETH-3000-C exposure limit/,
    );
    c.ok(alice, buy('ETH-3000-C', 20_000_000_000n));
    // A put at 3 100 pays with the call between 3 000 and 3 100: worst case 20 000 + 20 000.
    const c2 = new OptionsChain({
      params: { maxSeriesExposure: dec('0.25'), maxVaultExposure: dec('0.3') },
      series: testSeries([{}, { id: 'ETH-3100-P', strike: 3_100n * E18 }]),
    });
    c2.block();
    c2.ok(alice, buy('ETH-3000-C', 20_000_000_000n));
    expectRefused(
      c2,
      buy('ETH-3100-P', 20_000_000_000n),
      OptionsError.ExposureLimit,
      /vault ETH-OPT exposure limit/,
    );
  });

  it('refuses trading without a fresh price, when halted and after expiry', () => {
    const c = new OptionsChain();
    c.block();
    c.oracle.stale.add('ETH-USD');
    expectRefused(c, buy('ETH-3000-C', 1n), OptionsError.NoFreshPrice, /stale/);
    c.oracle.stale.delete('ETH-USD');
    // 30 s before expiry (devnet haltBeforeExpiryMs): halted.
    c.block([], FIRST_BLOCK_MS + HOUR_MS - 30_000 - c.timeMs - 1000);
    c.setPrice(3_000n * E18);
    expectRefused(c, buy('ETH-3000-C', 1n), OptionsError.TradingHalted, /halted/);
    expect(c.query<{ state: string }[]>('options/series')[0]?.state).toBe('halted');
  });

  it('refuses trading what governance paused (the series, its vault or its underlying)', () => {
    const c = new OptionsChain();
    c.block();
    for (const name of ['ETH-3000-C', OPT_VAULT, 'ETH-USD']) {
      c.pauses.paused.add(name);
      expectRefused(c, buy('ETH-3000-C', 1n), OptionsError.Paused, new RegExp(name));
      c.pauses.paused.delete(name);
    }
    c.ok(alice, buy('ETH-3000-C', 1n));
  });

  it('refuses trading an expired series awaiting its price', () => {
    const c = new OptionsChain();
    c.block();
    c.oracle.stale.add('ETH-USD');
    c.block([], HOUR_MS);
    expect(c.query<{ state: string }[]>('options/series')[0]?.state).toBe('expired');
    expectRefused(c, buy('ETH-3000-C', 1n), OptionsError.SeriesExpired, /expired/);
  });
});

describe('options: settlement', () => {
  it('pays every in-the-money holder 1 uusd per contract at expiry; the vault keeps the rest', () => {
    const c = new OptionsChain();
    c.block();
    const a0 = c.uusd(alice.address);
    const b0 = c.uusd(bob.address);
    const v0 = c.vaultCash();
    const pa = BigInt(
      attr(c.ok(alice, buy('ETH-3000-C', 7_000_000n)), 'options_trade').amount ?? '',
    );
    const pb = BigInt(attr(c.ok(bob, buy('ETH-3000-P', 4_000_000n)), 'options_trade').amount ?? '');
    // The price rises to 3 150 and expiry passes: the call pays, the put does not.
    c.setPrice(3_150n * E18);
    const res = c.block([], HOUR_MS);
    expect(res.events.some((e) => e.type === 'options_settled')).toBe(true);
    expect(c.uusd(alice.address)).toBe(a0 - pa + 7_000_000n);
    expect(c.uusd(bob.address)).toBe(b0 - pb);
    expect(c.vaultCash()).toBe(v0 + pa + pb - 7_000_000n);
    const s =
      c.query<{ id: string; state: string; vaultPnl: bigint; settlementPrice: string }[]>(
        'options/series',
      );
    expect(s.map((x) => [x.id, x.state, x.settlementPrice, x.vaultPnl])).toEqual([
      ['ETH-3000-C', 'settled', '3150', pa - 7_000_000n],
      ['ETH-3000-P', 'settled', '3150', pb],
    ]);
    expect(c.query('options/positions', { owner: alice.address })).toEqual([]);
    expect(c.vaults.locked(c.store, OPT_VAULT)).toBe(0n);
    const v = c.vaults.vault(c.store, OPT_VAULT);
    expect([v?.premiums, v?.paidOut]).toEqual([pa + pb, 7_000_000n]);
  });

  it('a price stale at expiry waits for the first fresh one within the grace period', () => {
    const c = new OptionsChain();
    c.block();
    c.ok(alice, buy('ETH-3000-P', 1_000_000n));
    c.oracle.stale.add('ETH-USD');
    c.block([], HOUR_MS);
    expect(c.keeper.series(c.store, 'ETH-3000-P')?.status).toBe('open');
    c.oracle.stale.delete('ETH-USD');
    c.setPrice(2_900n * E18);
    c.block([], 60_000);
    const rec = c.keeper.series(c.store, 'ETH-3000-P');
    expect([rec?.status, rec?.settlementPrice, rec?.payouts]).toEqual([
      'settled',
      2_900n * E18,
      1_000_000n,
    ]);
  });

  it('refunds at cost when no fresh price comes within the grace period', () => {
    const c = new OptionsChain();
    c.block();
    const a0 = c.uusd(alice.address);
    const v0 = c.vaultCash();
    c.ok(alice, buy('ETH-3000-C', 2_000_000n));
    c.ok(alice, sell('ETH-3000-C', 500_000n));
    const after = c.uusd(alice.address);
    const cost = c.keeper.position(c.store, 'ETH-3000-C', alice.address).cost;
    c.oracle.stale.add('ETH-USD');
    c.block([], HOUR_MS);
    c.block([], 4 * 60_000);
    expect(c.keeper.series(c.store, 'ETH-3000-C')?.status).toBe('open');
    c.block([], 60_000); // expiry + 5 min: the grace period is over
    const rec = c.keeper.series(c.store, 'ETH-3000-C');
    expect([rec?.status, rec?.refunds, rec?.settlementPrice]).toEqual(['refunded', cost, null]);
    expect(c.uusd(alice.address)).toBe(after + cost);
    // The vault keeps exactly its spread: what alice lost overall.
    expect(c.vaultCash() - v0).toBe(a0 - c.uusd(alice.address));
  });

  it('the options vault absorbs its losses alone: the perps vault is untouched', () => {
    const c = new OptionsChain();
    c.block();
    const perp0 = c.vaultCash(PERP_VAULT);
    const v0 = c.vaultCash();
    const paid = BigInt(
      attr(c.ok(alice, buy('ETH-3000-C', 20_000_000_000n)), 'options_trade').amount ?? '',
    );
    c.setPrice(3_500n * E18);
    c.block([], HOUR_MS);
    expect(20_000_000_000n > paid).toBe(true); // payouts exceed premiums
    expect(c.vaultCash()).toBe(v0 + paid - 20_000_000_000n);
    expect(c.vaultCash(PERP_VAULT)).toBe(perp0);
  });
});
