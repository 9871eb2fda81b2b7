import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../../src/core/app/types.ts';
import { toHex } from '../../src/core/crypto/hash.ts';
import type { Value } from '../../src/core/encoding/canonical.ts';
import { fromDecimalString } from '../../src/core/math/index.ts';
import { testAccount } from '../../src/core/testing/harness.ts';
import type { Msg } from '../../src/core/tx/tx.ts';
import type { UnlockedKey } from '../../src/node/keystore.ts';
import { posNode } from '../pos/helpers.ts';

/**
 * Acceptance 2 of the perpetuals issue, through a real node (solo consensus with four
 * validators, signed vote extensions, the LevelDB store, invariants asserted after every
 * block): a −40 % move of BTC-USD within a few blocks liquidates its leveraged longs, the
 * BTC-USD vault absorbs the bad debt by taking the positions over at their bankruptcy prices,
 * ADL fires once the vault can carry no more, and the ETH-USD market — its vault, its pool,
 * its traders' subaccounts, orders and balances — is untouched to the last base unit. A second
 * run with a small BTC-USD vault shows the vault exhausted: its own position deleveraged at its
 * bankruptcy price, then ADL alone.
 *
 * The crash: every validator's feed reads BTC-USD 40 % low from height `crashAt` on (a bias
 * fault). The oracle's circuit breaker is widened to 15 % per block (60 % per window) so the
 * published price gets there in four blocks: 0.85, 0.7225, 0.614, then 0.6 of the start.
 */

let cleanup: () => Promise<void> = async () => {};
afterEach(() => cleanup());

const BTC = 'BTC-USD';
const ETH = 'ETH-USD';
const USD = 1_000_000n;
const E18 = 10n ** 18n;
/** Quantums: BTC 0.0001, ETH 0.001. */
const BTC_Q = 10_000;
const ETH_Q = 1_000;

function trader(name: string): UnlockedKey {
  const a = testAccount(name);
  return {
    name,
    address: a.address,
    pubKey: toHex(a.pubKey),
    encrypted: false,
    seed: a.seed,
    pubKeyBytes: a.pubKey,
  };
}

const send = (to: string, denom: string, amount: bigint): Msg => ({
  type: 'bank/send',
  value: { to, amount: { denom, amount } },
});
const deposit = (market: string, amount: bigint): Msg => ({
  type: 'perps/deposit',
  value: { market, amount },
});
const order = (
  market: string,
  side: 'buy' | 'sell',
  priceTicks: number,
  sizeQuantums: number,
  timeInForce: 'gtc' | 'ioc' = 'gtc',
): Msg => ({
  type: 'perps/place-orders',
  value: {
    orders: [
      {
        place: {
          market,
          clientId: 1,
          side,
          priceTicks,
          sizeQuantums,
          type: 'limit',
          timeInForce,
          reduceOnly: false,
        },
      },
    ],
  },
});

/**
 * The scenario: setup, a snapshot of ETH-USD, the crash (checked: −40 % within four blocks
 * of the first move), and a second snapshot. `btcVaultSeed`: the BTC-USD vault's seed;
 * `lockedOiRatio`: BTC-USD's.
 */
async function crash(btcVaultSeed: bigint, lockedOiRatio = '0.1') {
  const crashAt = 14;
  const validators = ['val0', 'val1', 'val2', 'val3'];
  const faults: Record<string, unknown> = {};
  for (const v of validators) {
    faults[v] = { bias: { percent: -40, from: crashAt, to: 10_000, markets: [BTC] } };
  }
  const chain = await posNode({
    config: { faults: faults as never },
    genesis: (g) => {
      const oracle = g.app.oracle as { params: Record<string, unknown> };
      oracle.params.maxMovePerBlock = '0.15';
      oracle.params.maxMovePerWindow = '0.6';
      const vaults = g.app.vaults as { vaults: { id: string; seed: { amount: string } }[] };
      const btc = vaults.vaults.find((v) => v.id === BTC)!;
      btc.seed.amount = String(btcVaultSeed);
      // The OI cap is vault equity / lockedOiRatio: a small vault needs a lower ratio to
      // admit the 8 BTC of open interest.
      const perps = g.app.perps as { markets: { id: string; lockedOiRatio: string }[] };
      perps.markets.find((m) => m.id === BTC)!.lockedOiRatio = lockedOiRatio;
      // Static margin: with the devnet's volatility term, the crash itself lifts the
      // maintenance fraction and liquidates the profitable shorts too (the margin following
      // volatility, tested in perps/dynamic-margin.test.ts); this test follows the losers'
      // positions alone through the book, the backstop and ADL.
      for (const m of perps.markets as unknown as Record<string, unknown>[]) {
        m.marginK = '0';
        m.oiScaleLower = '0';
        m.oiScaleUpper = '0';
      }
      // A breaker this wide makes a price attack pay more (PfC), which shrinks the security
      // cap below the positions this test needs; the cap is not under test here
      // (test/perps/cap.test.ts is), so the whole bonded stake counts as slashable.
      const risk = g.app.risk as { params: Record<string, unknown> };
      risk.params.slashableFraction = '1';
    },
  });
  cleanup = chain.cleanup;
  const { node, q, tx } = chain;
  const state = node.app.state;
  const events: { height: number; events: Event[] }[] = [];

  /** One block with these txs (each must succeed); checks every invariant after it. */
  const block = async (txs: Uint8Array[] = []) => {
    const ev = await node.produceBlock(txs);
    for (const r of ev.results.txResults) {
      if (r.code !== 0) throw new Error(`tx failed at ${ev.block.header.height}: ${r.log}`);
    }
    expect(node.app.brokenInvariants()).toEqual([]);
    events.push({ height: ev.block.header.height, events: ev.results.events });
    return ev;
  };
  const price = async (market: string) => {
    const p = await q<{ price: string | null }>('oracle/price', { market });
    return p.price === null ? undefined : fromDecimalString(p.price);
  };
  while ((await price(BTC)) === undefined || (await price(ETH)) === undefined) await block();

  // ---- the traders -----------------------------------------------------------------------
  const alice = await chain.key('alice');
  const [s1, s2, l1, l2, l3, mm] = [
    trader('s1'),
    trader('s2'),
    trader('l1'),
    trader('l2'),
    trader('l3'),
    trader('mm'),
  ];
  const [e1, e2] = [trader('e1'), trader('e2')];
  const p0 = Number((await price(BTC))! / E18); // whole USD = BTC ticks
  const pe = Number(((await price(ETH))! * 100n) / E18); // ETH ticks of 0.01 USD
  const usd = (x: number) => BigInt(Math.round(x)) * USD;
  const collateral: [UnlockedKey, string, bigint][] = [
    [s1, BTC, 30_000n * USD], // short 4 BTC: about 8×
    [s2, BTC, 120_000n * USD], // short 4 BTC: 2×
    [l1, BTC, usd(0.102 * 3 * p0)], // long 3 BTC: about 10×
    [l2, BTC, usd(0.102 * 3 * p0)], // long 3 BTC: about 10×
    [l3, BTC, usd(0.34 * 2 * p0)], // long 2 BTC: about 3×
    [mm, BTC, 40_000n * USD], // a bid of 1 BTC at 93 % of the price (it stays solvent)
    [e1, ETH, 10_000n * USD], // long 10 ETH: about 3×
    [e2, ETH, 10_000n * USD], // short 10 ETH, and an ask resting above
  ];
  await block([
    tx(
      alice,
      collateral.flatMap(([t, , amount]) => [
        send(t.address, 'uusd', amount),
        send(t.address, 'ubwk', 1_000_000n),
      ]),
    ),
  ]);
  await block(collateral.map(([t, market, amount]) => tx(t, [deposit(market, amount)])));
  await block([
    tx(s1, [order(BTC, 'sell', p0, 4 * BTC_Q)]),
    tx(s2, [order(BTC, 'sell', p0, 4 * BTC_Q)]),
    tx(mm, [order(BTC, 'buy', Math.floor(p0 * 0.93), BTC_Q)]),
    tx(e2, [order(ETH, 'sell', pe, 10 * ETH_Q)]),
  ]);
  await block([
    tx(l1, [order(BTC, 'buy', p0, 3 * BTC_Q, 'ioc')]),
    tx(l2, [order(BTC, 'buy', p0, 3 * BTC_Q, 'ioc')]),
    tx(l3, [order(BTC, 'buy', p0, 2 * BTC_Q, 'ioc')]),
    tx(e1, [order(ETH, 'buy', pe, 10 * ETH_Q, 'ioc')]),
    tx(e2, [order(ETH, 'sell', Math.floor(pe * 1.05), 5 * ETH_Q)]),
  ]);
  const sub = (t: UnlockedKey, market: string) =>
    q<{ collateral: bigint; size: bigint; entryPrice: bigint }>('perps/subaccount', {
      owner: t.address,
      market,
    });
  for (const t of [l1, l2]) expect((await sub(t, BTC)).size).toBe(3n * E18);
  expect((await sub(l3, BTC)).size).toBe(2n * E18);
  expect((await sub(e1, ETH)).size).toBe(10n * E18);
  expect(node.app.height).toBeLessThan(crashAt - 1);

  // ---- the snapshot of the other market ---------------------------------------------------
  const markets = await q<{ id: string; pool: string }[]>('perps/markets');
  const ethPool = markets.find((m) => m.id === ETH)!.pool;
  type VaultInfo = {
    account: string;
    equity: bigint;
    cash: bigint;
    adjustment: bigint;
    totalShares: bigint;
    totals: Record<string, bigint>;
  };
  const vaultInfo = (id: string) => q<VaultInfo>('vaults/info', { vault: id });
  const ethVault = (await vaultInfo(ETH)).account;
  // Every record of the ETH-USD market and its vault, raw from the state. Left out: the
  // market's funding samples (one premium sample per block is ETH-USD's own bookkeeping).
  const prefixes = [
    `perps/market/${ETH}`,
    `perps/collateral/${ETH}/`,
    `perps/position/${ETH}/`,
    `perps/order/${ETH}/`,
    `perps/expiry/${ETH}/`,
    `perps/seq/${ETH}`,
    `perps/oi/${ETH}`,
    `perps/dust/${ETH}`,
    `vaults/vault/${ETH}`,
    `vaults/shares/${ETH}/`,
    `vaults/pending/${ETH}/`,
    ...[ethPool, ethVault, e1.address, e2.address].map((a) => `bank/bal/${a}/`),
  ];
  const snapshot = async () => {
    const raw = new Map<string, Value>();
    for (const p of prefixes) for (const [k, v] of state.iterate(p)) raw.set(k, v);
    const v = await vaultInfo(ETH);
    return {
      raw,
      vault: {
        equity: v.equity,
        cash: v.cash,
        adjustment: v.adjustment,
        totalShares: v.totalShares,
        totals: v.totals,
      },
      subaccounts: await Promise.all([e1, e2].map((t) => sub(t, ETH))).then((xs) =>
        xs.map(({ collateral, size, entryPrice }) => ({ collateral, size, entryPrice })),
      ),
      orders: await Promise.all([e1, e2].map((t) => q('perps/orders', { owner: t.address }))),
    };
  };
  const before = await snapshot();
  expect(before.raw.size).toBeGreaterThan(10);
  expect(before.subaccounts[1]!.size).toBe(-10n * E18);
  const btcVault0 = await vaultInfo(BTC);

  // ---- the crash ---------------------------------------------------------------------------
  const start = (await price(BTC))!;
  const path: { height: number; ratio: number }[] = [];
  while (node.app.height < crashAt + 8) {
    await block();
    const p = (await price(BTC))!;
    path.push({ height: node.app.height, ratio: Number((p * 10_000n) / start) / 10_000 });
  }
  // −40 % (within the feed's own noise of ±0.1 %) four blocks after the first move: the
  // breaker lets 15 % through per block (0.85, 0.7225, 0.614, 0.6).
  const first = path.findIndex((p) => p.ratio < 0.99);
  const reached = path.findIndex((p) => p.ratio <= 0.601);
  expect(first).toBeGreaterThanOrEqual(0);
  expect(reached - first).toBe(3);

  const of = (type: string) =>
    events.flatMap((b) =>
      b.events.filter((e) => e.type === type).map((e) => ({ height: b.height, ...e.attributes })),
    ) as ({ height: number } & Record<string, string>)[];
  const after = await snapshot();
  const vault = await vaultInfo(BTC);
  const vaultPos = await sub({ address: vault.account } as UnlockedKey, BTC);
  return { node, sub, of, before, after, btcVault0, vault, vaultPos, s1, s2, l1, l2, l3, mm };
}

/** Nothing of ETH-USD moved: raw records, vault, subaccounts, orders, balances. */
function expectUntouched(c: Awaited<ReturnType<typeof crash>>) {
  expect(c.after.raw).toEqual(c.before.raw);
  expect(c.after.vault).toEqual(c.before.vault);
  expect(c.after.subaccounts).toEqual(c.before.subaccounts);
  expect(c.after.orders).toEqual(c.before.orders);
  expect(c.node.app.brokenInvariants()).toEqual([]);
}

describe('a −40 % crash in one market, through the node', () => {
  it('liquidates, the vault absorbs, ADL fires when it runs out; the other market is untouched', async () => {
    const c = await crash(100_000n * USD);
    const { sub, of, s1, s2, l1, l2, l3, mm, vault, vaultPos, btcVault0 } = c;
    const liquidations = of('perps_liquidation');
    const takeovers = of('perps_backstop_takeover');
    const adl = of('perps_deleverage');

    // Every long is liquidated, in BTC-USD only.
    expect(new Set(liquidations.map((l) => l.owner))).toEqual(
      new Set([l1.address, l2.address, l3.address]),
    );
    expect(liquidations.every((l) => l.market === BTC)).toBe(true);
    for (const t of [l1, l2, l3]) expect((await sub(t, BTC)).size).toBe(0n);
    // Closed against the book first: l1's liquidation sold 1 BTC into mm's bid.
    expect((await sub(mm, BTC)).size).toBe(E18);
    expect(liquidations.find((l) => l.owner === l1.address)?.bookQuantums).toBe(String(BTC_Q));
    // The vault took over what the book could not absorb, at the bankruptcy prices.
    expect(takeovers.map((t) => t.liquidated)).toEqual([l1.address, l2.address]);
    const l2Liq = liquidations.find((l) => l.owner === l2.address)!;
    expect(takeovers[1]!.price).toBe(l2Liq.bankruptcyPrice); // the book was empty by then
    expect(takeovers[1]!.size).toBe(String(3n * E18));
    expect(vaultPos.size).toBe(5n * E18);
    // It absorbed the bad debt: its equity is below what it was, by the loss it carries.
    expect(vault.adjustment).toBeLessThan(0n);
    expect(vault.equity).toBeLessThan(btcVault0.equity);
    expect(vault.equity).toBeGreaterThan(0n);
    // Then it could carry no more: l3's position went to ADL at l3's bankruptcy price, the
    // most profitable, most leveraged short (s1) first.
    const l3Liq = liquidations.find((l) => l.owner === l3.address)!;
    expect(l3Liq.takenOver).toBe('0');
    expect(l3Liq.deleveraged).toBe(String(2n * E18));
    expect(l3Liq.height).toBeGreaterThan(takeovers[1]!.height);
    const l3Adl = adl.filter((a) => a.liquidated === l3.address);
    expect(l3Adl.map((a) => a.counterparty)).toEqual([s1.address]);
    expect(l3Adl[0]!.price).toBe(l3Liq.bankruptcyPrice);
    expect((await sub(s1, BTC)).size).toBe(-2n * E18);
    expect((await sub(s2, BTC)).size).toBe(-4n * E18);

    // ---- the other market: untouched to the last base unit ------------------------------------
    expectUntouched(c);
  }, 120_000);

  it('a small vault is exhausted: its position is deleveraged at its bankruptcy price, then ADL alone', async () => {
    // 30 000 USD: at 0.85 it takes l1's remainder (2 BTC) and about 2 of l2's 3 BTC (its
    // limit: IMR ≤ ½ equity), the rest of l2 goes to ADL; at 0.7225 its equity is below 0:
    // its whole position is deleveraged at its own bankruptcy price and it pays all its cash;
    // at 0.614 l3 finds it empty and goes to ADL.
    const c = await crash(30_000n * USD, '0.05');
    const { sub, of, s1, l1, l2, l3, vault, vaultPos, btcVault0 } = c;
    const liquidations = of('perps_liquidation');
    const takeovers = of('perps_backstop_takeover');
    const byOwner = (t: UnlockedKey) => liquidations.find((l) => l.owner === t.address)!;
    expect(takeovers.map((t) => t.liquidated)).toEqual([l1.address, l2.address]);
    expect(byOwner(l1).takenOver).toBe(String(2n * E18));
    const l2Taken = BigInt(byOwner(l2).takenOver!);
    expect(l2Taken).toBeGreaterThan(0n);
    expect(l2Taken).toBeLessThan(3n * E18);
    expect(BigInt(byOwner(l2).deleveraged!)).toBe(3n * E18 - l2Taken);
    // The vault's own deleverage: below its maintenance margin with equity ≤ 0.
    const exhausted = of('perps_backstop_deleverage');
    expect(exhausted).toHaveLength(1);
    expect(BigInt(exhausted[0]!.vaultEquity!)).toBeLessThanOrEqual(0n);
    expect(BigInt(exhausted[0]!.size!)).toBe(2n * E18 + l2Taken);
    expect(exhausted[0]!.height).toBeGreaterThan(takeovers[1]!.height);
    const vaultAdl = of('perps_deleverage').filter((a) => a.liquidated === vault.account);
    expect(vaultAdl[0]!.counterparty).toBe(s1.address); // the most profitable, most leveraged
    expect(vaultAdl.every((a) => a.price === exhausted[0]!.price)).toBe(true);
    // It paid everything it had into the market and ends at 0, holding nothing — up to the
    // rounding of each ADL fill (realized PnL is floored, against the vault: ≤ 1 uusd per
    // counterparty), left as its subaccount's negative collateral.
    expect(vaultPos.size).toBe(0n);
    expect(vault.cash).toBe(0n);
    expect(vault.equity).toBe(vault.adjustment);
    expect(vault.equity).toBeLessThanOrEqual(0n);
    expect(vault.equity).toBeGreaterThanOrEqual(-BigInt(vaultAdl.length));
    // (Its cash before the crash and the maker fees it earned during it: all paid out.)
    expect(vault.totals.paidOut! - btcVault0.totals.paidOut!).toBeGreaterThanOrEqual(
      btcVault0.cash,
    );
    // l3, liquidated after that, goes to ADL alone.
    expect(byOwner(l3).height).toBeGreaterThan(exhausted[0]!.height);
    expect(byOwner(l3).takenOver).toBe('0');
    expect(byOwner(l3).deleveraged).toBe(String(2n * E18));
    for (const t of [l1, l2, l3]) expect((await sub(t, BTC)).size).toBe(0n);
    expectUntouched(c);
  }, 120_000);
});
