import { describe, expect, it } from 'vitest';
import type { TxResult } from '../../core/app/types.ts';
import { TestChain, testAccount } from '../../core/testing/harness.ts';
import { ArgumentError } from '../errors.ts';
import { fakeConsKey, fakeGenesis } from '../testing/fake-node.ts';
import { FAKE_BWK_PRICE, OracleFeed, perpsAppGenesis } from '../testing/fake-perps.ts';
import { buildTx, type Msg, type Signer } from '../tx.ts';
import {
  cancelAllItem,
  cancelAllOrdersMsg,
  cancelItem,
  cancelOrderMsg,
  perpsDepositMsg,
  perpsWithdrawMsg,
  placeItem,
  placeOrderMsg,
  placeOrdersMsg,
  toShares,
  toUusd,
  vaultCancelWithdrawMsg,
  vaultDepositMsg,
  vaultRequestWithdrawMsg,
  vaultWithdrawMsg,
} from './index.ts';

const BTC = 'BTC-USD';
const E18 = 10n ** 18n;

describe('perps and vaults message builders', () => {
  it('build the msgs of docs/modules/perps.md and vaults.md', () => {
    expect(perpsDepositMsg(BTC, '1000uusd')).toEqual({
      type: 'perps/deposit',
      value: { market: BTC, amount: 1000n },
    });
    expect(perpsWithdrawMsg(BTC, 5n).value).toEqual({ market: BTC, amount: 5n });
    expect(toUusd('7')).toBe(7n);
    expect(toUusd(8)).toBe(8n);
    expect(toUusd({ denom: 'uusd', amount: 9n })).toBe(9n);
    expect(
      placeOrdersMsg([
        placeItem({ market: BTC, clientId: 1, side: 'buy', priceTicks: 100, sizeQuantums: 2 }),
        placeItem({
          market: BTC,
          clientId: 2,
          side: 'sell',
          priceTicks: 101,
          sizeQuantums: 3,
          type: 'limit',
          timeInForce: 'post-only',
          reduceOnly: false,
          goodTilBlock: 50,
        }),
        cancelItem(BTC, { clientId: 1 }),
        cancelItem(BTC, { orderId: '0000000000000007' }),
        cancelAllItem('ETH-USD'),
      ]),
    ).toEqual({
      type: 'perps/place-orders',
      value: {
        orders: [
          { place: { market: BTC, clientId: 1, side: 'buy', priceTicks: 100, sizeQuantums: 2 } },
          {
            place: {
              market: BTC,
              clientId: 2,
              side: 'sell',
              priceTicks: 101,
              sizeQuantums: 3,
              type: 'limit',
              timeInForce: 'post-only',
              reduceOnly: false,
              goodTilBlock: 50,
            },
          },
          { cancel: { market: BTC, clientId: 1 } },
          { cancel: { market: BTC, orderId: '0000000000000007' } },
          { cancelAll: { market: 'ETH-USD' } },
        ],
      },
    });
    expect(cancelOrderMsg(BTC, { clientId: 0 }).value).toEqual({
      orders: [{ cancel: { market: BTC, clientId: 0 } }],
    });
    expect(cancelAllOrdersMsg(BTC).value).toEqual({ orders: [{ cancelAll: { market: BTC } }] });
    // Plain items are checked like built ones.
    expect(
      placeOrdersMsg([{ cancel: { market: BTC, orderId: '0000000000000001' } }]).value,
    ).toEqual({ orders: [{ cancel: { market: BTC, orderId: '0000000000000001' } }] });

    expect(vaultDepositMsg(BTC, '5000000uusd')).toEqual({
      type: 'vaults/deposit',
      value: { vault: BTC, amount: 5_000_000n },
    });
    expect(vaultRequestWithdrawMsg(BTC, '12.5').value).toEqual({
      vault: BTC,
      shares: (125n * E18) / 10n,
    });
    expect(vaultRequestWithdrawMsg(BTC, 3n).value).toEqual({ vault: BTC, shares: 3n });
    expect(toShares('0.000000000000000001')).toBe(1n);
    expect(vaultCancelWithdrawMsg(BTC).value).toEqual({ vault: BTC });
    expect(vaultCancelWithdrawMsg(BTC, 2).value).toEqual({ vault: BTC, request: 2 });
    expect(vaultWithdrawMsg(BTC)).toEqual({ type: 'vaults/withdraw', value: { vault: BTC } });
  });

  it('refuse bad arguments with an ArgumentError naming the field', () => {
    const order = {
      market: BTC,
      clientId: 1,
      side: 'buy',
      priceTicks: 10,
      sizeQuantums: 1,
    } as const;
    const bad: [() => unknown, RegExp][] = [
      [() => perpsDepositMsg('BTC/USD', 1n), /market "BTC\/USD" is not a market id/],
      [() => perpsDepositMsg(BTC, '5ubwk'), /amount must be in uusd, got 5ubwk/],
      [() => perpsDepositMsg(BTC, 0n), /amount must be positive/],
      [() => perpsWithdrawMsg(BTC, 1.5), /amount "1.5" is not an integer/],
      [
        () => placeOrderMsg({ ...order, sizeQuantums: 0 }),
        /sizeQuantums must be an integer ≥ 1, got 0/,
      ],
      [() => placeOrderMsg({ ...order, priceTicks: 1.5 }), /priceTicks must be an integer ≥ 1/],
      [() => placeOrderMsg({ ...order, clientId: -1 }), /clientId must be an integer ≥ 0/],
      [() => placeOrderMsg({ ...order, side: 'hold' as 'buy' }), /side must be one of buy, sell/],
      [
        () => placeOrderMsg({ ...order, type: 'stop' as 'limit' }),
        /type must be one of limit, market/,
      ],
      [
        () => placeOrderMsg({ ...order, timeInForce: 'fok' as 'ioc' }),
        /timeInForce must be one of gtc, ioc, post-only/,
      ],
      [() => placeOrderMsg({ ...order, goodTilBlock: -1 }), /goodTilBlock must be an integer ≥ 0/],
      [() => placeOrdersMsg([]), /at least one item/],
      [
        () => placeOrdersMsg(Array.from({ length: 257 }, () => placeItem(order))),
        /at most 256 items, got 257/,
      ],
      [() => placeOrdersMsg([{ cancel: { market: BTC } }]), /exactly one of clientId, orderId/],
      [() => cancelItem(BTC, { orderId: '7' }), /orderId must be 16 digits/],
      [() => vaultRequestWithdrawMsg(BTC, '0'), /shares must be positive/],
      [() => vaultRequestWithdrawMsg(BTC, '1.2.3'), /not a decimal number/],
      [() => vaultRequestWithdrawMsg(BTC, '0.0000000000000000001'), /at most 18 decimals/],
      [() => vaultCancelWithdrawMsg(BTC, 0), /request must be an integer ≥ 1/],
      [() => vaultWithdrawMsg(''), /vault "" is not a market id/],
    ];
    for (const [f, message] of bad) {
      expect(f).toThrow(ArgumentError);
      expect(f).toThrow(message);
    }
  });
});

/**
 * The built msgs against the chain's own schemas and keepers: every one is signed with the
 * SDK (`buildTx`) and executed by the full app (all modules, the real oracle fed by vote
 * extensions), and must succeed.
 */
describe('SDK-built perps and vaults msgs in the real app', () => {
  const alice = testAccount('alice');
  const bob = testAccount('bob');
  // Each account holds 1,000 USD; alice seeds the two vaults with 300 USD each.
  const genesis = fakeGenesis(
    { validators: ['val'], appGenesis: perpsAppGenesis(alice, 300_000_000n) },
    [alice, bob, testAccount('val')],
  );
  // A 1 s vault cooldown, so that a withdrawal completes within a few blocks.
  (genesis.app as { vaults: { params: Record<string, unknown> } }).vaults.params.cooldownMs = 1000;
  const chain = new TestChain(genesis);
  const feed = new OracleFeed(
    { 'BTC-USD': '60000', 'ETH-USD': '3000', ...FAKE_BWK_PRICE },
    fakeConsKey,
  );
  const nonces = new Map<string, number>();
  const signer = (a: typeof alice): Signer => ({ seed: a.seed, pubKey: a.pubKey });

  function block(txs: [typeof alice, Msg[]][] = []): TxResult[] {
    const bytes = txs.map(([who, msgs]) => {
      const nonce = nonces.get(who.address) ?? 0;
      nonces.set(who.address, nonce + 1);
      return buildTx(signer(who), {
        chainId: chain.app.chainId,
        nonce,
        fee: { denom: 'ubwk', amount: 1000n },
        msgs,
      }).bytes;
    });
    const res = chain.block(feed.propose(chain.app, bytes));
    feed.extend(chain.app, chain.height);
    // The oracle entry's result comes first once prices flow.
    return res.txResults.filter((r) => r.log !== 'oracle update');
  }
  const ok = (txs: [typeof alice, Msg[]][]): TxResult[] => {
    const rs = block(txs);
    for (const r of rs) expect(r.code, r.log).toBe(0);
    return rs;
  };

  it('deposit, place (every option), match, cancel, withdraw; vault deposit and withdrawal', () => {
    ok([
      [alice, [perpsDepositMsg(BTC, '300000000uusd')]],
      [bob, [perpsDepositMsg(BTC, 300_000_000n), vaultDepositMsg(BTC, '200000000uusd')]],
    ]);
    block(); // the validators' first reports go into the next block
    const mark = chain.app.query('perps/markets', {}).value as { id: string; mark: unknown }[];
    expect(mark.find((m) => m.id === BTC)?.mark).toBe(60_000n * E18);

    const h = chain.height;
    ok([
      [
        alice,
        [
          placeOrdersMsg([
            placeItem({
              market: BTC,
              clientId: 1,
              side: 'buy',
              priceTicks: 60_000,
              sizeQuantums: 100,
            }),
            placeItem({
              market: BTC,
              clientId: 2,
              side: 'buy',
              priceTicks: 59_000,
              sizeQuantums: 10,
              type: 'limit',
              timeInForce: 'post-only',
              reduceOnly: false,
              goodTilBlock: h + 100,
            }),
            placeItem({
              market: BTC,
              clientId: 3,
              side: 'buy',
              priceTicks: 58_000,
              sizeQuantums: 10,
            }),
            placeItem({
              market: BTC,
              clientId: 4,
              side: 'buy',
              priceTicks: 57_000,
              sizeQuantums: 10,
            }),
          ]),
        ],
      ],
    ]);
    const [sold] = ok([
      [
        bob,
        [
          placeOrderMsg({
            market: BTC,
            clientId: 9,
            side: 'sell',
            priceTicks: 60_000,
            sizeQuantums: 40,
            type: 'market',
            timeInForce: 'ioc',
          }),
        ],
      ],
    ]);
    expect(sold?.events.filter((e) => e.type === 'perps_fill')).toHaveLength(1);
    // bob closes part of his short with a reduce-only IOC against nobody: nothing fills.
    ok([
      [
        bob,
        [
          placeOrderMsg({
            market: BTC,
            clientId: 10,
            side: 'buy',
            priceTicks: 60_000,
            sizeQuantums: 5,
            timeInForce: 'ioc',
            reduceOnly: true,
          }),
        ],
      ],
    ]);
    const orders = chain.app.query('perps/orders', { owner: alice.address }).value as {
      id: string;
      clientId: number;
    }[];
    expect(orders.map((o) => o.clientId)).toEqual([1, 2, 3, 4]);
    const byId = orders.find((o) => o.clientId === 3)?.id as string;
    ok([[alice, [cancelOrderMsg(BTC, { clientId: 2 }), cancelOrderMsg(BTC, { orderId: byId })]]]);
    ok([[alice, [cancelAllOrdersMsg(BTC), perpsWithdrawMsg(BTC, '1000000uusd')]]]);
    expect(chain.app.query('perps/orders', { owner: alice.address }).value).toEqual([]);

    // Vault: request part of bob's shares, cancel, request again, withdraw after the cooldown.
    ok([[bob, [vaultRequestWithdrawMsg(BTC, '100')]]]);
    ok([[bob, [vaultCancelWithdrawMsg(BTC)]]]);
    ok([[bob, [vaultRequestWithdrawMsg(BTC, 100n * E18)]]]);
    block();
    block();
    const before = chain.app.query('vaults/shares', { vault: BTC, owner: bob.address }).value as {
      shares: bigint;
    };
    ok([[bob, [vaultWithdrawMsg(BTC)]]]);
    const after = chain.app.query('vaults/shares', { vault: BTC, owner: bob.address }).value as {
      shares: bigint;
    };
    expect(before.shares - after.shares).toBe(100n * E18);
  });
});
