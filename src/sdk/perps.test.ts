import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestAccount, testAccount } from '../core/testing/harness.ts';
import { BulwarkClient } from './client.ts';
import { ArgumentError, RpcError, RpcErrorCode, TxError } from './errors.ts';
import { cancelAllItem, placeItem } from './msgs/perps.ts';
import type { BookNotification, FillsNotification } from './perps-types.ts';
import { FakeNode } from './testing/fake-node.ts';
import { FAKE_BWK_PRICE, perpsAppGenesis } from './testing/fake-perps.ts';
import { until } from './testing/ports.ts';
import type { Signer } from './tx.ts';

/**
 * `client.perps`, `client.vault` and `client.risk` against the fake node: the full app with
 * the devnet markets, BTC-USD and ETH-USD reported at 60,000 and 3,000 USD by the validator.
 */

const BTC = 'BTC-USD';
const E18 = 10n ** 18n;

let node: FakeNode;
let client: BulwarkClient;
let alice: TestAccount;
let bob: TestAccount;
const signer = (a: TestAccount): Signer => ({ seed: a.seed, pubKey: a.pubKey });

beforeAll(async () => {
  node = await FakeNode.start({
    accounts: ['alice', 'bob'],
    validators: ['val'],
    prices: { 'BTC-USD': '60000', 'ETH-USD': '3000', ...FAKE_BWK_PRICE },
    // Each account holds 1,000 USD: alice seeds each vault with 300.
    appGenesis: perpsAppGenesis(testAccount('alice'), 300_000_000n),
  });
  node.produceBlock(); // carries the validator's first price report
  client = new BulwarkClient({ url: node.url });
  alice = node.account('alice');
  bob = node.account('bob');
});
afterAll(async () => {
  await client?.close();
  await node?.kill();
});

describe('client.perps, client.vault, client.risk', () => {
  it('read markets, book, funding, vaults and the security budget', async () => {
    const markets = await client.perps.markets();
    expect(markets.map((m) => m.id)).toEqual([BTC, 'ETH-USD']);
    expect(markets[0]).toMatchObject({ mark: String(60_000n * E18), tickSize: String(E18) });
    expect(await client.perps.book(BTC)).toEqual({ bids: [], asks: [] });
    expect((await client.perps.params()).maxOrdersPerTx).toBe(32);
    expect(await client.perps.funding(BTC)).toEqual({
      market: BTC,
      height: node.height,
      fundingIntervalBlocks: 3600,
      nextSettlementHeight: 3600,
      settlements: [],
    });

    const vaults = await client.vault.list();
    expect(vaults.map((v) => v.id)).toEqual([BTC, 'ETH-USD']);
    const info = await client.vault.info(BTC);
    expect(info).toMatchObject({ id: BTC, equity: '300000000', insolvent: false });
    expect((await client.vault.shares(BTC, alice.address)).shares).toBe(info.totalShares);

    const summary = await client.risk.summary();
    expect(summary.markets.map((m) => m.market)).toEqual([BTC, 'ETH-USD']);
    expect(typeof summary.secure).toBe('boolean');
    expect(await client.risk.market(BTC)).toMatchObject({ market: BTC, oi: '0' });
  });

  it('trade through the client: book and fills arrive by subscription and by query', async () => {
    const books: BookNotification[] = [];
    const fills: FillsNotification[] = [];
    const bobsFills: FillsNotification[] = [];
    const stopBook = await client.perps.onBook(BTC, 2, (b) => books.push(b));
    const stopFills = await client.perps.onFills({ market: BTC }, (f) => fills.push(f));
    const stopBob = await client.perps.onFills({ account: bob.address }, (f) => bobsFills.push(f));

    await client.perps.deposit(signer(alice), BTC, '300000000uusd');
    await client.perps.deposit(signer(bob), BTC, 300_000_000n);
    const placed = await client.perps.placeOrders(signer(alice), [
      placeItem({ market: BTC, clientId: 1, side: 'buy', priceTicks: 60_000, sizeQuantums: 100 }),
      placeItem({
        market: BTC,
        clientId: 2,
        side: 'buy',
        priceTicks: 59_000,
        sizeQuantums: 10,
        timeInForce: 'post-only',
        goodTilBlock: node.height + 1000,
      }),
    ]);
    await until(() => books.length === 1, 5000, 'the first book');
    expect(books[0]).toEqual({
      height: placed.height,
      market: BTC,
      bids: [
        { priceTicks: 60_000, sizeQuantums: '100', orders: 1 },
        { priceTicks: 59_000, sizeQuantums: '10', orders: 1 },
      ],
      asks: [],
    });

    const sold = await client.perps.placeOrder(signer(bob), {
      market: BTC,
      clientId: 7,
      side: 'sell',
      priceTicks: 60_000,
      sizeQuantums: 40,
      timeInForce: 'ioc',
    });
    await until(() => fills.length === 1 && bobsFills.length === 1 && books.length === 2);
    expect(fills[0]?.fills).toEqual([
      expect.objectContaining({
        height: sold.height,
        txHash: sold.hash,
        maker: alice.address,
        taker: bob.address,
        priceTicks: 60_000,
        sizeQuantums: 40,
      }),
    ]);
    expect(bobsFills[0]).toEqual(fills[0]);
    expect(books[1]?.bids[0]).toEqual({ priceTicks: 60_000, sizeQuantums: '60', orders: 1 });

    const page = await client.perps.fills({ account: alice.address });
    expect(page.fills).toEqual(fills[0]?.fills);
    expect(page.toHeight).toBe(node.height);
    const [pos] = await client.perps.positions(bob.address);
    expect(pos).toMatchObject({ market: BTC, size: String(-40n * (E18 / 10_000n)) });
    expect((await client.perps.subaccount(alice.address, BTC)).size).toBe(
      String(40n * (E18 / 10_000n)),
    );
    expect((await client.perps.orders(alice.address)).map((o) => o.clientId)).toEqual([1, 2]);

    await client.perps.cancel(signer(alice), BTC, { clientId: 1 });
    expect((await client.perps.orders(alice.address)).map((o) => o.clientId)).toEqual([2]);
    await client.perps.placeOrders(signer(alice), [cancelAllItem(BTC)]);
    await client.perps.cancelAll(signer(alice), BTC); // nothing left: still fine
    expect(await client.perps.orders(alice.address)).toEqual([]);
    await until(() => books.length === 4, 5000, 'the books after the cancels');
    expect(books[3]).toMatchObject({ bids: [], asks: [] });
    await client.perps.withdraw(signer(alice), BTC, '1000000uusd');

    for (const stop of [stopBook, stopFills, stopBob]) await stop();
    await until(() => node.subscriptionCount() === 0, 5000, 'the unsubscriptions');
  });

  it('deposit into a vault and request, cancel a withdrawal', async () => {
    await client.vault.deposit(signer(bob), BTC, '100000000uusd');
    const shares = await client.vault.shares(BTC, bob.address);
    expect(BigInt(shares.shares)).toBeGreaterThan(0n);
    await client.vault.requestWithdraw(signer(bob), BTC, '10');
    const pending = (await client.vault.shares(BTC, bob.address)).pending;
    expect(pending).toEqual([
      expect.objectContaining({ shares: String(10n * E18), status: 'cooling' }),
    ]);
    // The devnet cooldown is 60 s of block time: too early.
    const early = await client.vault.withdraw(signer(bob), BTC).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(TxError);
    await client.vault.cancelWithdraw(signer(bob), BTC, pending[0]?.request);
    expect((await client.vault.shares(BTC, bob.address)).pending).toEqual([]);
  });

  it('refuses bad arguments before sending, and reports chain errors with their code', async () => {
    const before = node.requests.length;
    await expect(client.perps.book('BTC/USD')).rejects.toThrow(ArgumentError);
    await expect(client.perps.positions('bwk1nope')).rejects.toThrow(ArgumentError);
    await expect(client.perps.fills({ account: 'nope' })).rejects.toThrow(ArgumentError);
    await expect(client.vault.shares(BTC, 'nope')).rejects.toThrow(ArgumentError);
    await expect(client.risk.market('')).rejects.toThrow(ArgumentError);
    await expect(client.perps.onBook(BTC, 0, () => undefined)).rejects.toThrow(ArgumentError);
    await expect(
      client.perps.placeOrder(signer(alice), {
        market: BTC,
        clientId: 1,
        side: 'buy',
        priceTicks: 1,
        sizeQuantums: 0,
      }),
    ).rejects.toThrow(/sizeQuantums must be an integer ≥ 1/);
    await expect(client.vault.deposit(signer(alice), BTC, '5ubwk')).rejects.toThrow(/uusd/);
    expect(node.requests.length).toBe(before);

    const unknown = (await client.perps.book('DOGE-USD').catch((e: unknown) => e)) as RpcError;
    expect(unknown).toBeInstanceOf(RpcError);
    expect(unknown.code).toBe(RpcErrorCode.ChainError);
    expect(unknown.chainCode).toBe(800);
    const fills = (await client.perps.fills({ market: 'DOGE-USD' }).catch((e) => e)) as RpcError;
    expect(fills.code).toBe(RpcErrorCode.ChainError);
    const sub = await client.perps.onFills({ market: 'DOGE-USD' }, () => undefined).catch((e) => e);
    expect(sub).toBeInstanceOf(RpcError);
    // An order out of the price band is refused by checkTx with the perps code.
    const far = (await client.perps
      .placeOrder(signer(alice), {
        market: BTC,
        clientId: 5,
        side: 'buy',
        priceTicks: 1,
        sizeQuantums: 1,
      })
      .catch((e: unknown) => e)) as TxError;
    expect(far).toBeInstanceOf(TxError);
    expect(far.message).toMatch(/out of band/);
  });
});
