import { afterEach, describe, expect, it } from 'vitest';
import { fromDecimalString } from '../../src/core/math/index.ts';
import type { Msg } from '../../src/core/tx/tx.ts';
import { posNode } from '../pos/helpers.ts';

let cleanup: () => Promise<void> = async () => {};
afterEach(() => cleanup());

const BTC = 'BTC-USD';
const USD = 1_000_000n;
/** Quantums per BTC on the devnet listing (quantum 0.0001 BTC). */
const ONE_BTC = 10_000;

type Chain = Awaited<ReturnType<typeof posNode>>;

interface MarketRiskView {
  oi: bigint;
  cap: { vault: bigint; security: bigint; effective: bigint };
}

const CAP_REFUSAL =
  /^open interest cap \((vault|security)\) of BTC-USD exceeded: expected at most (\d+) uusd, got (\d+) uusd \(excess (\d+) uusd\)$/;

const placeOrders = (item: Record<string, unknown>): Msg => ({
  type: 'perps/place-orders',
  value: {
    orders: [
      {
        place: {
          market: BTC,
          type: 'limit',
          timeInForce: 'gtc',
          reduceOnly: false,
          ...item,
        },
      },
    ],
  },
});

/** The devnet BTC price in whole USD (ticks of 1 USD), from the oracle. */
async function btcTicks(chain: Chain): Promise<number> {
  const p = await chain.q<{ price: string | null }>('oracle/price', { market: BTC });
  if (p.price === null) throw new Error('no BTC price yet');
  return Number(fromDecimalString(p.price) / 10n ** 18n);
}

/**
 * alice and bob post collateral; bob rests a sell of `quantums` at the oracle price (resting
 * adds no OI). Returns the price in ticks.
 */
async function setUp(chain: Chain, quantums: number): Promise<number> {
  const { node, key, tx, until } = chain;
  const alice = await key('alice');
  const bob = await key('bob');
  const deposit = (amount: bigint): Msg => ({
    type: 'perps/deposit',
    value: { market: BTC, amount },
  });
  await until(node.app.height + 2); // the oracle has published
  const ticks = await btcTicks(chain);
  await until(
    node.app.height + 1,
    new Map([
      [
        node.app.height + 1,
        [
          tx(alice, [deposit(100_000n * USD)]),
          tx(bob, [
            deposit(100_000n * USD),
            placeOrders({ clientId: 1, side: 'sell', priceTicks: ticks, sizeQuantums: quantums }),
          ]),
        ],
      ],
    ]),
  );
  return ticks;
}

/** alice's IOC buy of `quantums` at `ticks` in the next block: its result. */
async function aliceBuys(chain: Chain, clientId: number, ticks: number, quantums: number) {
  const alice = await chain.key('alice');
  const ev = await chain.node.produceBlock([
    chain.tx(alice, [
      placeOrders({
        clientId,
        side: 'buy',
        priceTicks: ticks,
        sizeQuantums: quantums,
        timeInForce: 'ioc',
      }),
    ]),
  ]);
  // The last result: a block opens with the oracle entry.
  const r = ev.results.txResults.at(-1)!;
  if (r.code !== 0) await chain.resync(alice);
  return r;
}

const marketRisk = (chain: Chain) => chain.q<MarketRiskView>('risk/market', { market: BTC });

describe('OI caps, through the node (acceptance 3)', () => {
  it('security cap: refused with the cap named; after more stake is bonded (and the epoch turns) the same order passes', async () => {
    const chain = await posNode({
      genesis: (g) => {
        const staking = g.app.staking as {
          validators: { selfBond: string }[];
          params: { epochLength: number };
        };
        // 100 BWK each: 400 BWK at ≈ 2 USD secure only a few USD of open interest.
        for (const v of staking.validators) v.selfBond = String(100n * USD);
        staking.params.epochLength = 10;
      },
    });
    cleanup = chain.cleanup;
    const { node, key, tx, until } = chain;
    const q = ONE_BTC / 100; // 0.01 BTC ≈ 600 USD
    const ticks = await setUp(chain, q);

    const refused = await aliceBuys(chain, 1, ticks, q);
    expect(refused.code).toBe(806);
    const m = CAP_REFUSAL.exec(refused.log);
    expect(m, refused.log).not.toBeNull();
    expect(m![1]).toBe('security');
    const risk = await marketRisk(chain);
    expect(BigInt(m![2]!)).toBe(risk.cap.security);
    expect(risk.cap.security).toBeLessThan(risk.cap.vault);
    expect(BigInt(m![4]!)).toBe(BigInt(m![3]!) - risk.cap.security);
    expect(risk.oi).toBe(0n); // nothing changed

    // alice bonds 900 000 BWK to val0. The median weighs the epoch's powers, so the cap
    // rises only once the epoch turns.
    const alice = await key('alice');
    const val0 = await key('val0');
    const h = node.app.height + 1;
    await until(
      h,
      new Map([
        [
          h,
          [
            tx(alice, [
              {
                type: 'staking/delegate',
                value: {
                  validator: val0.address,
                  amount: { denom: 'ubwk', amount: 900_000n * USD },
                },
              },
            ]),
          ],
        ],
      ]),
    );
    if (h % 10 !== 0) {
      const still = await aliceBuys(chain, 2, ticks, q);
      expect(still.code, still.log).toBe(806);
      expect(still.log).toContain('cap (security)');
    }
    await until(Math.ceil(node.app.height / 10) * 10 + 1);
    const after = await marketRisk(chain);
    expect(after.cap.security).toBeGreaterThan(risk.cap.security * 1000n);

    const passed = await aliceBuys(chain, 3, ticks, q);
    expect(passed.code, passed.log).toBe(0);
    const oi = (await marketRisk(chain)).oi;
    expect(oi).toBeGreaterThan(0n);
    expect(oi).toBeLessThanOrEqual(after.cap.effective);
  });

  it('vault cap: refused with the cap named; after a vault deposit the same order passes', async () => {
    const chain = await posNode({
      genesis: (g) => {
        // The BTC vault starts with 1 000 USD: capacity 10 000 USD of OI (lockedOiRatio 0.1).
        const vaults = g.app.vaults as { vaults: { id: string; seed: { amount: string } }[] };
        const btc = vaults.vaults.find((v) => v.id === BTC)!;
        btc.seed.amount = String(1_000n * USD);
      },
    });
    cleanup = chain.cleanup;
    const { node, key, tx, until } = chain;
    const q = ONE_BTC / 2; // 0.5 BTC ≈ 30 000 USD
    const ticks = await setUp(chain, q);

    const refused = await aliceBuys(chain, 1, ticks, q);
    expect(refused.code).toBe(806);
    const m = CAP_REFUSAL.exec(refused.log);
    expect(m, refused.log).not.toBeNull();
    expect(m![1]).toBe('vault');
    const risk = await marketRisk(chain);
    expect(risk.cap.vault).toBe(10_000n * USD);
    expect(BigInt(m![2]!)).toBe(10_000n * USD);
    expect(BigInt(m![4]!)).toBe(BigInt(m![3]!) - 10_000n * USD);

    // bob deposits 10 000 USD into the BTC vault: capacity 110 000 USD.
    const bob = await key('bob');
    const h = node.app.height + 1;
    await until(
      h,
      new Map([
        [h, [tx(bob, [{ type: 'vaults/deposit', value: { vault: BTC, amount: 10_000n * USD } }])]],
      ]),
    );
    expect((await marketRisk(chain)).cap.vault).toBe(110_000n * USD);
    const passed = await aliceBuys(chain, 2, ticks, q);
    expect(passed.code, passed.log).toBe(0);
    const after = await marketRisk(chain);
    expect(after.oi).toBeGreaterThan(10_000n * USD);

    // The figures are also events of every block and gauges of the node.
    const ev = await node.produceBlock([]);
    const now = await marketRisk(chain);
    const btc = ev.results.events.find(
      (e) => e.type === 'risk_market' && e.attributes.market === BTC,
    );
    expect(btc?.attributes).toMatchObject({
      oi: String(now.oi),
      capVault: String(now.cap.vault),
      capEffective: String(now.cap.effective),
    });
    expect(ev.results.events.some((e) => e.type === 'risk_summary')).toBe(true);
    const text = await node.metrics.text();
    expect(text).toContain(`bulwark_risk_oi_cap_uusd{market="BTC-USD"} ${now.cap.effective}`);
    expect(text).toMatch(/^bulwark_risk_coc_uusd \d+/m);
    expect(text).toMatch(/^bulwark_risk_pfc_uusd\{market="BTC-USD"\} [1-9]\d*/m);
    expect(text).toContain('bulwark_margin_imf{market="ETH-USD"} 0.05');
  });
});
