import { describe, expect, it } from 'vitest';
import type { Event } from '../../app/types.ts';
import {
  alice,
  bob,
  carol,
  dave,
  depositMsg,
  E18,
  orders,
  PerpsChain,
  type PerpsChainOptions,
  place,
  USD,
} from './testing.ts';

const BTC = 'BTC-USD';
/** 1 BTC in quantums (quantum = 0.0001 BTC). */
const ONE_BTC = 10_000;
/** 0.0001 BTC (one quantum) in base units ×1e18. */
const QUANTUM = E18 / 10_000n;
/** Devnet BTC-USD: imf 5 %, mmf 3 %; maker 0.02 %, taker 0.05 %; liquidation fee 1 %. */

const attrs = (events: Event[], type: string) => events.find((e) => e.type === type)?.attributes;
const all = (events: Event[], type: string) =>
  events.filter((e) => e.type === type).map((e) => e.attributes);

/**
 * bob long 1 BTC at 50 000 with 3 000 USD (2 975 after the 25 USD taker fee); alice short 1
 * at 50 000 (9 990 after the 10 USD maker fee); carol has 10 000 USD and no position. The
 * vault earned half of the 35 USD of fees: its equity is the seed + 17.5 USD.
 */
function leveraged(opts: PerpsChainOptions = {}): PerpsChain {
  const c = new PerpsChain(opts);
  c.block([
    c.tx(alice, [depositMsg(BTC, 10_000n * USD)]),
    c.tx(bob, [depositMsg(BTC, 3_000n * USD)]),
    c.tx(carol, [depositMsg(BTC, 10_000n * USD)]),
  ]);
  c.ok(
    alice,
    orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: ONE_BTC })),
  );
  c.ok(
    bob,
    orders(
      place({
        clientId: 1,
        side: 'buy',
        priceTicks: 50_000,
        sizeQuantums: ONE_BTC,
        timeInForce: 'ioc',
      }),
    ),
  );
  expect(c.collateral(BTC, bob)).toBe(2_975n * USD);
  return c;
}

/** A 3 000 USD vault (lockedOiRatio 5 %, so its OI cap of 60 000 USD admits the 1 BTC). */
const SMALL_VAULT: PerpsChainOptions = {
  vaultSeed: 3_000n * USD,
  markets: [{ lockedOiRatio: E18 / 20n }],
};

const vaultOwner = (c: PerpsChain) => c.vaults.accountOf(BTC);
const vaultPos = (c: PerpsChain) => c.keeper.position(c.store, BTC, vaultOwner(c));

describe('liquidation: book, fee, bad debt', () => {
  it('stays open above maintenance margin', () => {
    const c = leveraged();
    c.prices.prices.set(BTC, 48_500n * E18); // equity 1 475 ≥ MMR 1 455
    c.block();
    expect(c.size(BTC, bob)).toBe(E18);
  });

  it('closes against the book no worse than the bankruptcy price; fee to the vault', () => {
    const c = leveraged();
    c.ok(bob, orders(place({ clientId: 2, side: 'sell', priceTicks: 54_000, sizeQuantums: 100 })));
    c.ok(
      carol,
      orders(place({ clientId: 1, side: 'buy', priceTicks: 48_300, sizeQuantums: ONE_BTC })),
    );
    const vault0 = c.vaults.cash(c.store, BTC);
    // 48 400: equity 2 975 − 1 600 = 1 375 < MMR 48 400 · 0.03 = 1 452.
    c.prices.prices.set(BTC, 48_400n * E18);
    const res = c.block();
    expect(attrs(res.events, 'perps_liquidation')).toMatchObject({
      owner: bob.address,
      mode: 'full',
      bankruptcyPrice: '47025',
      worstPrice: '47025',
      bookQuantums: String(ONE_BTC),
      takenOver: '0',
      deleveraged: '0',
      liquidationFee: String(484n * USD),
    });
    expect(c.size(BTC, bob)).toBe(0n);
    expect(c.size(BTC, carol)).toBe(E18);
    // 2 975 − 1 700 (sold at 48 300) − 484 (1 % of 48 400) = 791 USD; no taker fee.
    expect(c.collateral(BTC, bob)).toBe(791n * USD);
    // Carol paid the maker fee: 0.02 % of 48 300 = 9.66 USD, half to the vault.
    expect(c.collateral(BTC, carol)).toBe(10_000n * USD - 9_660_000n);
    expect(c.vaults.cash(c.store, BTC) - vault0).toBe(484n * USD + 4_830_000n);
    expect(c.query('perps/orders', { owner: bob.address })).toEqual([]);
  });

  it('bad debt of a flat account is covered by the vault into the pool', () => {
    const c = leveraged();
    c.ok(
      carol,
      orders(place({ clientId: 1, side: 'buy', priceTicks: 46_000, sizeQuantums: ONE_BTC })),
    );
    const vault0 = c.vaults.cash(c.store, BTC);
    c.prices.prices.set(BTC, 46_000n * E18);
    // bob closes beyond his bankruptcy price in his own tx, before the end block.
    const res = c.block([
      c.tx(bob, [
        orders(
          place({
            clientId: 3,
            side: 'sell',
            priceTicks: 46_000,
            sizeQuantums: ONE_BTC,
            timeInForce: 'ioc',
            reduceOnly: true,
          }),
        ),
      ]),
    ]);
    expect(res.txResults[0]?.code).toBe(0);
    // 2 975 − 4 000 − 23 (taker fee) = −1 048 USD, covered by the vault.
    expect(attrs(res.events, 'perps_bad_debt')).toMatchObject({
      debt: String(1_048n * USD),
      covered: String(1_048n * USD),
      uncovered: '0',
    });
    expect(c.collateral(BTC, bob)).toBe(0n);
    // The vault paid 1 048 USD and earned half the fees of bob's close (23 + 9.20 USD).
    expect(vault0 - c.vaults.cash(c.store, BTC)).toBe(1_048n * USD - 16_100_000n);
  });
});

describe('liquidation: the vault backstop', () => {
  it('the vault takes over what the book cannot absorb at the bankruptcy price', () => {
    const c = leveraged();
    const cash0 = c.vaults.cash(c.store, BTC);
    expect(c.vaults.equity(c.store, BTC)).toBe(100_017_500_000n);
    // 48 400, empty book: bankruptcy price 50 000 − 2 975 = 47 025; the vault buys bob's 1 BTC
    // there. It needs IMR 48 400 · 5 % = 2 420 ≤ ½ · its equity: it takes all of it.
    c.prices.prices.set(BTC, 48_400n * E18);
    const res = c.block();
    expect(attrs(res.events, 'perps_backstop_takeover')).toMatchObject({
      liquidated: bob.address,
      size: String(E18),
      price: '47025',
      vaultSize: String(E18),
    });
    expect(attrs(res.events, 'perps_liquidation')).toMatchObject({
      takenOver: String(E18),
      deleveraged: '0',
      liquidationFee: '0', // bob ends at exactly 0: nothing left for the fee
    });
    expect(all(res.events, 'perps_deleverage')).toEqual([]);
    expect(c.size(BTC, bob)).toBe(0n);
    expect(c.collateral(BTC, bob)).toBe(0n);
    expect(vaultPos(c)).toEqual({ size: E18, entryPrice: 47_025n * E18 });
    // The vault's cash is untouched; its equity carries the position at the oracle price:
    // 1 × (48 400 − 47 025) = +1 375 USD.
    expect(c.vaults.cash(c.store, BTC)).toBe(cash0);
    expect(c.vaults.adjustment(c.store, BTC)).toBe(1_375n * USD);
    // The price falls to 40 000: −7 025 USD of unrealized loss, still well within its margin.
    c.prices.prices.set(BTC, 40_000n * E18);
    const held = c.block();
    expect(all(held.events, 'perps_backstop_deleverage')).toEqual([]);
    expect(c.vaults.adjustment(c.store, BTC)).toBe(-7_025n * USD);
    expect(c.vaults.equity(c.store, BTC)).toBe(cash0 - 7_025n * USD);
  });

  it("an opposite takeover reduces the vault's position; the gain is paid into the vault", () => {
    const c = leveraged();
    c.prices.prices.set(BTC, 48_400n * E18);
    c.block(); // the vault is long 1 at 47 025 (above)
    const cash0 = c.vaults.cash(c.store, BTC);
    const record0 = c.vaults.vault(c.store, BTC)!;
    // 59 000: alice (short 1 at 50 000, 9 990 USD) has equity 990 < ⅔ · MMR 1 770: full. The
    // book is empty, so the vault buys her short at her bankruptcy price 50 000 + 9 990 =
    // 59 990, closing its long: it realizes 59 990 − 47 025 = 12 965 USD, paid from the pool.
    c.prices.prices.set(BTC, 59_000n * E18);
    const res = c.block();
    expect(attrs(res.events, 'perps_backstop_takeover')).toMatchObject({
      liquidated: alice.address,
      size: String(-E18),
      price: '59990',
      vaultSize: '0',
    });
    expect(vaultPos(c).size).toBe(0n);
    expect(c.collateral(BTC, alice)).toBe(0n);
    expect(c.vaults.cash(c.store, BTC) - cash0).toBe(12_965n * USD);
    expect(c.vaults.vault(c.store, BTC)!.backstopGains - record0.backstopGains).toBe(12_965n * USD);
    expect(c.vaults.adjustment(c.store, BTC)).toBe(0n);
    // The pool holds exactly carol's 10 000 USD: bob and alice lost everything.
    expect(c.pool(BTC)).toBe(10_000n * USD);
  });

  it('a vault too small for the whole position takes what it can carry; ADL takes the rest', () => {
    // Equity 3 017.5 USD. Taking k quantums at 47 025 with the mark at 48 400:
    //   IMR = 0.242·k USD ≤ ½ · (3 017.5 + 0.1375·k)  ⇔  k ≤ 1 508.75 / 0.17325 = 8 708.5…
    // so the vault takes 0.8708 BTC; 0.1292 BTC is deleveraged against alice at 47 025.
    const c = leveraged(SMALL_VAULT);
    expect(c.vaults.equity(c.store, BTC)).toBe(3_017_500_000n);
    c.prices.prices.set(BTC, 48_400n * E18);
    const res = c.block();
    expect(attrs(res.events, 'perps_backstop_takeover')).toMatchObject({
      size: String(8_708n * QUANTUM),
      price: '47025',
    });
    expect(attrs(res.events, 'perps_deleverage')).toMatchObject({
      liquidated: bob.address,
      counterparty: alice.address,
      size: String(1_292n * QUANTUM),
      price: '47025',
    });
    expect(c.size(BTC, bob)).toBe(0n);
    expect(vaultPos(c)).toEqual({ size: 8_708n * QUANTUM, entryPrice: 47_025n * E18 });
    expect(c.size(BTC, alice)).toBe(-8_708n * QUANTUM);
    // alice bought back 0.1292 at 47 025: 0.1292 × 2 975 = 384.37 USD realized.
    expect(c.collateral(BTC, alice)).toBe(9_990n * USD + 384_370_000n);
    // After it, IMR 0.8708 × 48 400 × 5 % = 2 107.336 ≤ ½ × (3 017.5 + 1 197.35) = 2 107.425.
    expect(c.vaults.equity(c.store, BTC)).toBe(3_017_500_000n + 1_197_350_000n);
  });

  it('the vault exhausted: below its maintenance margin it is deleveraged, at its bankruptcy price once broke', () => {
    const c = leveraged(SMALL_VAULT);
    c.prices.prices.set(BTC, 48_400n * E18);
    c.block(); // vault long 0.8708 at 47 025, alice short 0.8708 (above)
    // 44 000: uPnL 0.8708 × −3 025 = −2 634.17 → equity 383.33 < MMR 0.8708 × 44 000 × 3 % =
    // 1 149.456. Partial, at the mark, no fee, buffer 10 %:
    //   q = (0.033 × 0.8708 × 44 000 − 383.33) / (0.033 × 44 000) = 881.0716 / 1 452
    //     = 0.60679… → 0.6068 BTC; the vault realizes 0.6068 × −3 025 = −1 835.57 USD.
    c.prices.prices.set(BTC, 44_000n * E18);
    const res = c.block();
    expect(attrs(res.events, 'perps_backstop_deleverage')).toMatchObject({
      vaultEquity: String(383_330_000n),
      maintenanceMargin: String(1_149_456_000n),
      size: String(6_068n * QUANTUM),
      price: '44000',
    });
    expect(attrs(res.events, 'perps_deleverage')).toMatchObject({
      liquidated: c.vaults.accountOf(BTC),
      counterparty: alice.address,
      size: String(6_068n * QUANTUM),
    });
    expect(vaultPos(c)).toEqual({ size: 2_640n * QUANTUM, entryPrice: 47_025n * E18 });
    expect(c.vaults.cash(c.store, BTC)).toBe(3_017_500_000n - 1_835_570_000n);
    // Closing at the mark keeps the vault's equity; the remainder holds 1.1 × MMR (348.48).
    expect(c.vaults.equity(c.store, BTC)).toBe(383_330_000n);
    // 40 000: uPnL 0.264 × −7 025 = −1 854.6 → equity −672.67 ≤ 0: all of it is closed at the
    // vault's bankruptcy price 47 025 − 1 181.93 / 0.264 = 42 547.992424… (Ceil for a long),
    // so the vault pays exactly its remaining cash and ends at 0; alice, the ADL counterparty,
    // buys back at that price instead of 40 000 and bears the 672.67 USD shortfall.
    c.prices.prices.set(BTC, 40_000n * E18);
    const broke = c.block();
    expect(attrs(broke.events, 'perps_backstop_deleverage')).toMatchObject({
      size: String(2_640n * QUANTUM),
      price: '42547.992424242424242425',
    });
    expect(vaultPos(c).size).toBe(0n);
    expect(c.vaults.cash(c.store, BTC)).toBe(0n);
    expect(c.vaults.equity(c.store, BTC)).toBe(0n);
    expect(c.size(BTC, alice)).toBe(0n);
    // A later liquidation finds an empty vault: straight to ADL.
    expect(c.app.brokenInvariants()).toEqual([]);
  });
});

describe('liquidation: partial, for large positions', () => {
  /**
   * carol long 3 BTC at 50 000 (150 000 USD notional) with 8 000 USD (7 925 after the taker
   * fee); alice short 3. Partial liquidation above 50 000 USD of notional.
   */
  function large(): PerpsChain {
    const c = new PerpsChain({ params: { partialLiquidationMinNotional: 50_000n * USD } });
    c.block([
      c.tx(alice, [depositMsg(BTC, 20_000n * USD)]),
      c.tx(carol, [depositMsg(BTC, 8_000n * USD)]),
      c.tx(dave, [depositMsg(BTC, 10_000n * USD)]),
    ]);
    c.ok(
      alice,
      orders(place({ clientId: 1, side: 'sell', priceTicks: 50_000, sizeQuantums: 3 * ONE_BTC })),
    );
    c.ok(
      carol,
      orders(
        place({
          clientId: 1,
          side: 'buy',
          priceTicks: 50_000,
          sizeQuantums: 3 * ONE_BTC,
          timeInForce: 'ioc',
        }),
      ),
    );
    expect(c.collateral(BTC, carol)).toBe(7_925n * USD);
    return c;
  }

  it('closes only enough to restore (1 + buffer) × MMR', () => {
    const c = large();
    c.ok(
      dave,
      orders(place({ clientId: 1, side: 'buy', priceTicks: 48_500, sizeQuantums: ONE_BTC })),
    );
    // 48 600: equity 7 925 − 4 200 = 3 725 < MMR 3 × 48 600 × 3 % = 4 374, above ⅔ of it
    // (2 916): partial. q = (0.033 × 3 × 48 600 − 3 725) / ((0.033 − 0.01) × 48 600)
    //   = 1 086.4 / 1 117.8 = 0.97190… → 0.9720 BTC, sold to dave's bid at 48 500.
    c.prices.prices.set(BTC, 48_600n * E18);
    const res = c.block();
    expect(attrs(res.events, 'perps_liquidation')).toMatchObject({
      owner: carol.address,
      mode: 'partial',
      closed: String(9_720n * QUANTUM),
      remaining: String(20_280n * QUANTUM),
      bookQuantums: String(9_720),
      takenOver: '0',
      deleveraged: '0',
      // 1 % of 0.972 × 48 600 = 472.392 USD.
      liquidationFee: '472392000',
    });
    expect(c.size(BTC, carol)).toBe(20_280n * QUANTUM);
    // 7 925 + 0.972 × (48 500 − 50 000) − 472.392 = 5 994.608 USD.
    expect(c.collateral(BTC, carol)).toBe(5_994_608_000n);
    // Back above maintenance: equity 5 994.608 − 2.028 × 1 400 = 3 155.408 ≥ MMR 2 956.824
    // (the buffer absorbed the 97.2 USD of slippage below the mark).
    const view = c.keeper.subaccount(c.store, BTC, carol.address);
    expect(view.equity).toBe(3_155_408_000n);
    expect(view.maintenanceMargin).toBe(2_956_824_000n);
    const again = c.block();
    expect(all(again.events, 'perps_liquidation')).toEqual([]);
  });

  it('a partial step the book cannot fill waits; below ⅔ MMR the vault takes it all', () => {
    const c = large();
    c.prices.prices.set(BTC, 48_600n * E18);
    const res = c.block();
    expect(attrs(res.events, 'perps_liquidation')).toMatchObject({
      mode: 'partial',
      closed: '0',
      liquidationFee: '0',
    });
    expect(c.size(BTC, carol)).toBe(3n * E18);
    // 48 000: equity 7 925 − 6 000 = 1 925 < ⅔ × 4 320 = 2 880: full. Bankruptcy price
    // 50 000 − 7 925 / 3 = 47 358.333… (Ceil); the vault (equity ≈ 100 000) takes all 3 BTC.
    c.prices.prices.set(BTC, 48_000n * E18);
    const full = c.block();
    expect(attrs(full.events, 'perps_liquidation')).toMatchObject({
      mode: 'full',
      closed: String(3n * E18),
      takenOver: String(3n * E18),
      bankruptcyPrice: '47358.333333333333333334',
    });
    expect(vaultPos(c).size).toBe(3n * E18);
    expect(c.collateral(BTC, carol)).toBe(0n);
  });
});
