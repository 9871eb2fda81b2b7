import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event, FinalizeBlockResponse } from '../../app/types.ts';
import type { Value } from '../../encoding/canonical.ts';
import type { Msg } from '../../tx/tx.ts';
import { ALL_BALANCES } from '../bank/keys.ts';
import { NOTIONAL_SCALE } from './math/index.ts';
import {
  ACCOUNTS,
  cancelAll,
  depositMsg,
  E18,
  orders,
  PerpsChain,
  type PerpsChainOptions,
  place,
  USD,
  withdrawMsg,
} from './testing.ts';

/**
 * Acceptance 1 (property): over random order / deposit / withdrawal / vault-deposit / price
 * sequences on both devnet markets, after every block:
 * - PnL and funding sum to zero: per market, the pool equals the net flows recorded by the
 *   events (deposits − withdrawals − fees − liquidation fees + bad debt the vault covered),
 *   and all accounts' exact equity at the mark is that minus the rounding residue (dust);
 * - total uusd (every balance and the fee pool) is conserved;
 * - no account holds negative equity, and a flat one negative collateral, unless a
 *   `perps_bad_debt` event said the vault could not cover it;
 * - isolation: a second chain that runs only the ETH-USD actions (empty blocks for the rest)
 *   has exactly the same ETH-USD records, pool and vault after every block.
 */

const MARKETS = ['BTC-USD', 'ETH-USD'] as const;
type Market = (typeof MARKETS)[number];
/** Ticks per USD of each market. */
const TICKS_PER_USD: Record<Market, bigint> = { 'BTC-USD': 1n, 'ETH-USD': 100n };

/** Funding settles every 3 blocks, so that sequences of a few dozen blocks see it. */
const OPTIONS: PerpsChainOptions = {
  markets: [{ fundingIntervalBlocks: 3 }, { fundingIntervalBlocks: 3 }],
};

type Action =
  | {
      kind: 'order';
      who: number;
      market: Market;
      buy: boolean;
      /** Limit price offset from the mark, basis points (an IOC crosses: 1 % to its side). */
      offsetBps: number;
      quantums: number;
      ioc: boolean;
      cancelFirst: boolean;
    }
  | { kind: 'deposit' | 'withdraw' | 'vault'; who: number; market: Market; usd: number }
  | { kind: 'price'; market: Market; moveBps: number };

const who = fc.integer({ min: 0, max: ACCOUNTS.length - 1 });
const market = fc.constantFrom(...MARKETS);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      who,
      market,
      buy: fc.boolean(),
      offsetBps: fc.integer({ min: -90, max: 90 }),
      quantums: fc.integer({ min: 1, max: 30_000 }),
      ioc: fc.boolean(),
      cancelFirst: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('deposit' as const, 'withdraw' as const, 'vault' as const),
      who,
      market,
      usd: fc.integer({ min: 1, max: 20_000 }),
    }),
  },
  {
    weight: 2,
    // Mostly small moves, sometimes a jump past the maintenance margin of a leveraged account.
    arbitrary: fc.record({
      kind: fc.constant('price' as const),
      market,
      moveBps: fc.oneof(
        fc.integer({ min: -200, max: 200 }),
        fc.integer({ min: -1_200, max: 1_200 }),
      ),
    }),
  },
);

/** Everything the events say entered or left a market's pool, and who was left in bad debt. */
class Flows {
  readonly net = new Map<string, bigint>(MARKETS.map((m) => [m, 0n]));
  readonly settles = new Map<string, number>(MARKETS.map((m) => [m, 0]));
  /** `market/owner` of accounts whose bad debt the vault could not cover in full. */
  readonly uncovered = new Set<string>();

  /** `poolOf`: a market's pool account (the vault's backstop settlements name it). */
  constructor(private readonly poolOf: (market: string) => string) {}

  add(events: readonly Event[]): void {
    for (const e of events) {
      const a = e.attributes;
      // The vault's backstop position settles with the market's pool: gains in as vault
      // income, losses out as vault payouts (each vault here belongs to the market of its id).
      const m = a.market ?? (e.type.startsWith('vault_') ? a.vault : undefined);
      if (m === undefined || !this.net.has(m)) continue;
      const amount = (k: string) => BigInt(a[k] ?? '0');
      let d = 0n;
      if (e.type === 'vault_income' && a.kind === 'backstop' && a.from === this.poolOf(m)) {
        d = -amount('amount');
      } else if (e.type === 'vault_payout' && a.to === this.poolOf(m)) d = amount('paid');
      else if (e.type === 'perps_deposit') d = amount('amount');
      else if (e.type === 'perps_withdraw') d = -amount('amount');
      else if (e.type === 'perps_fees') d = -amount('total');
      else if (e.type === 'perps_liquidation') d = -amount('liquidationFee');
      else if (e.type === 'perps_bad_debt') {
        d = amount('covered');
        if (amount('uncovered') > 0n) this.uncovered.add(`${m}/${a.owner}`);
      }
      if (e.type === 'perps_fill' || e.type === 'perps_deleverage') {
        this.settles.set(m, (this.settles.get(m) ?? 0) + 1);
      }
      this.net.set(m, (this.net.get(m) ?? 0n) + d);
    }
  }

  addBlock(res: FinalizeBlockResponse): void {
    for (const r of res.txResults) this.add(r.events);
    this.add(res.events);
  }
}

function totalUusd(c: PerpsChain): bigint {
  let total = c.bank.feePool(c.store, 'uusd');
  for (const [k, v] of c.store.iterate(ALL_BALANCES)) if (k.endsWith('/uusd')) total += v as bigint;
  return total;
}

/** A market's records, its pool and its vault: what no other market may change. */
function marketState(c: PerpsChain, m: Market): [string, Value][] {
  const out: [string, Value][] = [];
  for (const [k, v] of c.store.iterate('')) if (k.includes(m)) out.push([k, v]);
  out.push(['pool', c.pool(m)], ['vault-cash', c.vaults.cash(c.store, m)]);
  return out;
}

function msgOf(c: PerpsChain, a: Exclude<Action, { kind: 'price' }>, clientId: number): Msg {
  if (a.kind !== 'order') {
    const amount = BigInt(a.usd) * USD;
    if (a.kind === 'deposit') return depositMsg(a.market, amount);
    if (a.kind === 'withdraw') return withdrawMsg(a.market, amount);
    return { type: 'vaults/deposit', value: { vault: a.market, amount } };
  }
  const mark = c.prices.prices.get(a.market)!;
  const offset = a.ioc ? (a.buy ? 100 : -100) : a.offsetBps;
  const ticks = (mark * TICKS_PER_USD[a.market] * BigInt(10_000 + offset)) / (10_000n * E18);
  const item = place({
    market: a.market,
    clientId,
    side: a.buy ? 'buy' : 'sell',
    priceTicks: Number(ticks),
    sizeQuantums: a.quantums,
    timeInForce: a.ioc ? 'ioc' : 'gtc',
  });
  return orders(...(a.cancelFirst ? [cancelAll(a.market), item] : [item]));
}

/** Leveraged seed positions: carol long, dave short, about 12× their collateral. */
const SEED_QUANTUMS: Record<Market, number> = { 'BTC-USD': 50_000, 'ETH-USD': 60_000 };

/**
 * One block: every account posts 20 000 USD of collateral in each of `markets`, then dave
 * rests a sell and carol buys it (5 BTC ≈ 250 000 USD, 60 ETH ≈ 180 000 USD), so that a
 * price jump of about 5 % puts one of them below maintenance margin.
 */
function seed(c: PerpsChain, markets: readonly Market[]): FinalizeBlockResponse {
  const [, , carol, dave] = ACCOUNTS;
  const side = (m: Market, buy: boolean) =>
    place({
      market: m,
      clientId: buy ? 1 : 2,
      side: buy ? 'buy' : 'sell',
      priceTicks: Number((c.prices.prices.get(m)! * TICKS_PER_USD[m]) / E18),
      sizeQuantums: SEED_QUANTUMS[m],
      timeInForce: buy ? 'ioc' : 'gtc',
    });
  const res = c.block([
    ...ACCOUNTS.map((t) =>
      c.tx(
        t,
        markets.map((m) => depositMsg(m, 20_000n * USD)),
      ),
    ),
    c.tx(dave!, [orders(...markets.map((m) => side(m, false)))]),
    c.tx(carol!, [orders(...markets.map((m) => side(m, true)))]),
  ]);
  expect(res.txResults.map((r) => r.code)).toEqual(res.txResults.map(() => 0));
  return res;
}

/** Applies one action as one block (a price move, then an empty block). */
function step(c: PerpsChain, a: Action | undefined, clientId: number): FinalizeBlockResponse {
  if (a === undefined) return c.block();
  if (a.kind === 'price') {
    const p = c.prices.prices.get(a.market)!;
    c.prices.prices.set(a.market, (p * BigInt(10_000 + a.moveBps)) / 10_000n);
    return c.block();
  }
  const signer = ACCOUNTS[a.who]!;
  const res = c.block([c.tx(signer, [msgOf(c, a, clientId)])]);
  if (res.txResults[0]?.code !== 0) c.resyncNonce(signer);
  return res;
}

function checkMarket(c: PerpsChain, flows: Flows, m: Market): void {
  const pool = c.pool(m);
  // Money in the pool is exactly what the events say came in and went out.
  expect(pool).toBe(flows.net.get(m));
  // PnL and funding sum to zero: Σ exact equity at the mark = pool − dust.
  const mark = c.prices.prices.get(m)!;
  let exact = 0n;
  for (const { collateral } of c.keeper.collaterals(c.store, m))
    exact += collateral * NOTIONAL_SCALE;
  for (const p of c.keeper.positions(c.store, m)) exact += p.size * (mark - p.entryPrice);
  const dust = c.keeper.dust(c.store, m);
  expect(exact + dust).toBe(pool * NOTIONAL_SCALE);
  // The residue is the rounding of the fills: under 2 uusd each.
  expect(dust >= 0n && dust <= 2n * NOTIONAL_SCALE * BigInt(flows.settles.get(m)! + 1)).toBe(true);
  // No negative equity (or negative collateral when flat) unless the vault ran dry.
  for (const t of ACCOUNTS) {
    const v = c.keeper.subaccount(c.store, m, t.address);
    if (flows.uncovered.has(`${m}/${t.address}`)) continue;
    expect(v.equity, `${m} ${t.name}: equity ${v.equity}`).toBeGreaterThanOrEqual(0n);
    if (v.size === 0n) expect(v.collateral).toBeGreaterThanOrEqual(0n);
  }
}

describe('perps: accounting properties (fast-check)', () => {
  it('PnL and funding net to zero, uusd is conserved, no unbacked negative balance, markets isolated', () => {
    let fills = 0;
    let liquidations = 0;
    fc.assert(
      fc.property(fc.array(action, { minLength: 15, maxLength: 35 }), (actions) => {
        const all = new PerpsChain(OPTIONS);
        const ethOnly = new PerpsChain(OPTIONS);
        const flows = new Flows((m) => all.keeper.poolOf(m));
        const start = totalUusd(all);
        flows.addBlock(seed(all, MARKETS));
        seed(ethOnly, ['ETH-USD']);
        actions.forEach((a, i) => {
          const res = step(all, a, i);
          flows.addBlock(res);
          step(ethOnly, a.market === 'ETH-USD' ? a : undefined, i);
          const events = [...res.txResults.flatMap((r) => r.events), ...res.events];
          fills += events.filter((e) => e.type === 'perps_fill').length;
          liquidations += events.filter((e) => e.type === 'perps_liquidation').length;
          for (const m of MARKETS) checkMarket(all, flows, m);
          expect(totalUusd(all)).toBe(start);
          expect(marketState(all, 'ETH-USD')).toEqual(marketState(ethOnly, 'ETH-USD'));
        });
        expect(all.app.brokenInvariants()).toEqual([]);
      }),
      { numRuns: 12, seed: 20_260_522 },
    );
    // The sequences did trade and liquidate (the properties were not vacuous).
    expect(fills).toBeGreaterThan(20);
    expect(liquidations).toBeGreaterThan(0);
  });
});
