import { describe, expect, it } from 'vitest';
import { fromDecimalString as dec } from '../../math/index.ts';
import { PerpsError } from './errors.ts';
import { DEVNET_MARKETS, marketSpecSchema, marketToJson } from './params.ts';
import {
  alice,
  bob,
  carol,
  dave,
  depositMsg,
  orders,
  PerpsChain,
  type PerpsChainOptions,
  place,
  USD,
  withdrawMsg,
} from './testing.ts';

const BTC = 'BTC-USD';
/** Quantums per BTC (quantum 0.0001 BTC). */
const ONE_BTC = 10_000;

function chain(opts: PerpsChainOptions = {}) {
  const c = new PerpsChain(opts);
  c.block();
  return c;
}

/** `who` buys (alice) / sells (bob) `q` quantums at 50 000 against each other. */
function trade(c: PerpsChain, buyer = alice, seller = bob, q = ONE_BTC) {
  c.ok(
    seller,
    orders(place({ clientId: c.height, side: 'sell', priceTicks: 50_000, sizeQuantums: q })),
  );
  c.ok(
    buyer,
    orders(
      place({
        clientId: c.height,
        side: 'buy',
        priceTicks: 50_000,
        sizeQuantums: q,
        timeInForce: 'ioc',
      }),
    ),
  );
}

const fractions = (c: PerpsChain) =>
  c.keeper.marginFractions(c.store, c.keeper.requireMarket(c.store, BTC));

describe('dynamic margin: volatility', () => {
  // Devnet BTC listing: base 5 %, k = 4, horizon 3 600 blocks (√ = 60), mmf ratio 0.6.
  it('imf = max(base, k · σ_block · √horizon); mmf = 0.6 · imf', () => {
    const c = chain();
    expect(fractions(c)).toEqual({ imf: dec('0.05'), mmf: dec('0.03') });
    // σ_block 0.0001: 4 · 0.0001 · 60 = 2.4 % < 5 %: the base.
    c.prices.sigmas.set(BTC, dec('0.0001'));
    expect(fractions(c)).toEqual({ imf: dec('0.05'), mmf: dec('0.03') });
    // σ_block 0.0005: 4 · 0.0005 · 60 = 12 %; mmf 7.2 %.
    c.prices.sigmas.set(BTC, dec('0.0005'));
    expect(fractions(c)).toEqual({ imf: dec('0.12'), mmf: dec('0.072') });
    // The query reports the same current values.
    const m = (c.query('perps/markets') as { id: string; imf: string; mmf: string }[])[0]!;
    expect([m.id, m.imf, m.mmf]).toEqual([BTC, '0.12', '0.072']);
  });

  it('placement: the same order passes at the base margin and is refused at a higher σ', () => {
    const c = chain();
    c.ok(alice, depositMsg(BTC, 5_000n * USD));
    c.ok(bob, depositMsg(BTC, 50_000n * USD));
    c.ok(
      bob,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: 2 * ONE_BTC })),
    );
    const buy = (clientId: number) =>
      orders(
        place({
          clientId,
          side: 'buy',
          priceTicks: 50_000,
          sizeQuantums: ONE_BTC,
          timeInForce: 'ioc',
        }),
      );
    // 1 BTC at 50 000: 12 % of 50 000 = 6 000 USD > 5 000 USD of collateral.
    c.prices.sigmas.set(BTC, dec('0.0005'));
    const r = c.run(alice, buy(2));
    expect(r.code).toBe(PerpsError.InsufficientMargin);
    expect(r.log).toContain('initial margin 6000000000 uusd');
    // Volatility falls back: 5 % = 2 500 USD, it passes.
    c.prices.sigmas.set(BTC, 0n);
    c.ok(alice, buy(3));
    expect(c.size(BTC, alice)).toBe(10n ** 18n);
    // A withdrawal is judged against the current imf too: with σ back at 12 %, even 1 uusd is
    // refused (equity ≈ 4 975 USD < 6 000 USD).
    c.prices.sigmas.set(BTC, dec('0.0005'));
    expect(c.run(alice, withdrawMsg(BTC, 1n)).code).toBe(PerpsError.InsufficientMargin);
  });

  it('liquidation: a position safe at the base margin is liquidated when σ rises', () => {
    const c = chain();
    c.ok(alice, depositMsg(BTC, 5_000n * USD));
    c.ok(bob, depositMsg(BTC, 50_000n * USD));
    trade(c);
    c.block();
    expect(c.size(BTC, alice)).toBe(10n ** 18n);
    // σ_block 0.001: imf 24 %, mmf 14.4 % → MMR 7 200 USD > equity ≈ 4 975 USD.
    c.prices.sigmas.set(BTC, dec('0.001'));
    const res = c.block();
    expect(res.events.some((e) => e.type === 'perps_liquidation')).toBe(true);
    expect(c.size(BTC, alice)).toBe(0n);
  });
});

describe('dynamic margin: open interest', () => {
  // OI scaling between 10 000 and 110 000 USD of open interest.
  const scaled: PerpsChainOptions = {
    markets: [{ oiScaleLower: 10_000n * USD, oiScaleUpper: 110_000n * USD }],
  };

  it('imf rises with OI; every position is judged against it', () => {
    const c = chain(scaled);
    for (const who of [alice, bob]) c.ok(who, depositMsg(BTC, 15_000n * USD));
    for (const who of [carol, dave]) c.ok(who, depositMsg(BTC, 100_000n * USD));
    trade(c); // OI 0 → 50 000 USD: alice's order is checked at the base 5 %
    c.block();
    // OI 50 000: 0.05 + (40 000 / 100 000) · 0.95 = 0.43; mmf 0.258 → MMR 12 900 < 15 000.
    expect(fractions(c)).toEqual({ imf: dec('0.43'), mmf: dec('0.258') });
    expect(c.size(BTC, alice)).toBe(10n ** 18n);
    // carol and dave trade 1 BTC more: OI 100 000 → imf 0.05 + 0.9 · 0.95 = 0.905, mmf 0.543
    // → alice's and bob's MMR 27 150 USD > their ≈ 15 000 USD: both are liquidated at the end
    // of the block, against carol's and dave's positions.
    trade(c, carol, dave);
    expect(c.size(BTC, alice)).toBe(0n);
    expect(c.size(BTC, bob)).toBe(0n);
  });

  it('listing bounds: upper must exceed lower unless both are 0', () => {
    const json = marketToJson(DEVNET_MARKETS[0]!);
    expect(
      marketSpecSchema.safeParse({ ...json, oiScaleLower: '0', oiScaleUpper: '0' }).success,
    ).toBe(true);
    const bad = marketSpecSchema.safeParse({ ...json, oiScaleLower: '5', oiScaleUpper: '5' });
    expect(bad.success).toBe(false);
    expect(bad.error?.message).toContain(
      'expected oiScaleUpper > oiScaleLower (or both 0), got 5 and 5',
    );
    // A listing written before dynamic margin existed reads with it disabled.
    const {
      marginK: _k,
      marginHorizonBlocks: _h,
      oiScaleLower: _l,
      oiScaleUpper: _u,
      ...old
    } = json;
    const parsed = marketSpecSchema.parse(old);
    expect([
      parsed.marginK,
      parsed.marginHorizonBlocks,
      parsed.oiScaleLower,
      parsed.oiScaleUpper,
    ]).toEqual([0n, 0, 0n, 0n]);
  });
});
