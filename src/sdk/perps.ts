import type { BulwarkClient, SendTxOptions, SendTxResult } from './client.ts';
import { ArgumentError } from './errors.ts';
import {
  cancelAllOrdersMsg,
  cancelOrderMsg,
  type OrderItem,
  type OrderRef,
  type PlaceOrderParams,
  perpsDepositMsg,
  perpsWithdrawMsg,
  placeOrderMsg,
  placeOrdersMsg,
  requireMarket,
  type UusdAmount,
} from './msgs/perps.ts';
import type {
  BookNotification,
  BookView,
  FillsNotification,
  FillsPage,
  FillsQuery,
  FundingView,
  MarketView,
  OrderView,
  PositionView,
  SubaccountView,
} from './perps-types.ts';
import type { Unsubscribe } from './subscriber.ts';
import { requireAddress, type Signer } from './tx.ts';

/**
 * Perpetual markets through a client (`client.perps`): queries, the perps RPC methods,
 * txs and subscriptions. Queries take an optional `height` (latest when omitted).
 *
 * @example
 * const client = new BulwarkClient({ url: 'http://127.0.0.1:26657' });
 * const [btc] = await client.perps.markets();
 * await client.perps.deposit(alice, 'BTC-USD', '1000000000uusd');
 * await client.perps.placeOrder(alice, {
 *   market: 'BTC-USD', clientId: 1, side: 'buy', priceTicks: 60000, sizeQuantums: 10,
 * });
 */
export class PerpsApi {
  constructor(private readonly client: BulwarkClient) {}

  /**
   * Every listed market with its ticks, quantums, margin, fees, mark and open interest.
   *
   * @example
   * const markets = await client.perps.markets();
   */
  async markets(height?: number): Promise<MarketView[]> {
    return this.client.queryValue('perps/markets', {}, height);
  }

  /**
   * A market's aggregated book: `levels` per side (default 20), best first.
   *
   * @example
   * const { bids, asks } = await client.perps.book('BTC-USD', 5);
   */
  async book(market: string, levels?: number, height?: number): Promise<BookView> {
    const args = { market: requireMarket(market), ...(levels !== undefined ? { levels } : {}) };
    return this.client.queryValue('perps/book', args, height);
  }

  /**
   * An account's open positions in every market, with mark and unrealized PnL.
   *
   * @example
   * const positions = await client.perps.positions('bwk1…');
   */
  async positions(owner: string, height?: number): Promise<PositionView[]> {
    return this.client.queryValue(
      'perps/positions',
      { owner: requireAddress(owner, 'owner') },
      height,
    );
  }

  /**
   * An account's collateral, position, equity and margin in one market.
   *
   * @example
   * const { freeCollateral } = await client.perps.subaccount('bwk1…', 'BTC-USD');
   */
  async subaccount(owner: string, market: string, height?: number): Promise<SubaccountView> {
    const args = { owner: requireAddress(owner, 'owner'), market: requireMarket(market) };
    return this.client.queryValue('perps/subaccount', args, height);
  }

  /**
   * An account's resting orders in every market.
   *
   * @example
   * const orders = await client.perps.orders('bwk1…');
   */
  async orders(owner: string, height?: number): Promise<OrderView[]> {
    return this.client.queryValue(
      'perps/orders',
      { owner: requireAddress(owner, 'owner') },
      height,
    );
  }

  /**
   * The perps module params (price band, orders per tx, book levels, funding, liquidation).
   *
   * @example
   * const { maxOrdersPerTx } = await client.perps.params();
   */
  async params(height?: number): Promise<Record<string, string | number>> {
    return this.client.queryValue('perps/params', {}, height);
  }

  /**
   * Fills of recent blocks (RPC `perps_fills`), by market and/or account, oldest first. The
   * node reads at most 1000 blocks per call: page back with `toHeight: page.fromHeight - 1`.
   *
   * @example
   * const page = await client.perps.fills({ market: 'BTC-USD', account: 'bwk1…', limit: 50 });
   */
  async fills(query: FillsQuery = {}): Promise<FillsPage> {
    const q: FillsQuery = { ...query };
    if (q.market !== undefined) requireMarket(q.market);
    if (q.account !== undefined) requireAddress(q.account, 'account');
    return this.client.rpc.call('perps_fills', q);
  }

  /**
   * A market's funding interval, next settlement height and latest settlements (RPC
   * `perps_funding`), newest first.
   *
   * @example
   * const { settlements, nextSettlementHeight } = await client.perps.funding('BTC-USD');
   */
  async funding(market: string, limit?: number): Promise<FundingView> {
    const params = { market: requireMarket(market), ...(limit !== undefined ? { limit } : {}) };
    return this.client.rpc.call('perps_funding', params);
  }

  /**
   * Moves uusd into the signer's subaccount of a market.
   *
   * @example
   * await client.perps.deposit(alice, 'BTC-USD', '1000000000uusd');
   */
  async deposit(
    signer: Signer,
    market: string,
    amount: UusdAmount,
    opts?: SendTxOptions,
  ): Promise<SendTxResult> {
    return this.client.sendTx(signer, [perpsDepositMsg(market, amount)], opts);
  }

  /**
   * Moves uusd out of the subaccount (refused below the initial margin).
   *
   * @example
   * await client.perps.withdraw(alice, 'BTC-USD', 500_000_000n);
   */
  async withdraw(
    signer: Signer,
    market: string,
    amount: UusdAmount,
    opts?: SendTxOptions,
  ): Promise<SendTxResult> {
    return this.client.sendTx(signer, [perpsWithdrawMsg(market, amount)], opts);
  }

  /**
   * Places and cancels orders in one msg (all or none), matched at once.
   *
   * @example
   * await client.perps.placeOrders(alice, [
   *   cancelAllItem('BTC-USD'),
   *   placeItem({ market: 'BTC-USD', clientId: 2, side: 'buy', priceTicks: 59990, sizeQuantums: 5 }),
   * ]);
   */
  async placeOrders(
    signer: Signer,
    items: readonly OrderItem[],
    opts?: SendTxOptions,
  ): Promise<SendTxResult> {
    return this.client.sendTx(signer, [placeOrdersMsg(items)], opts);
  }

  /**
   * Places one order.
   *
   * @example
   * await client.perps.placeOrder(bob, {
   *   market: 'BTC-USD', clientId: 9, side: 'sell', priceTicks: 60000, sizeQuantums: 4, timeInForce: 'ioc',
   * });
   */
  async placeOrder(
    signer: Signer,
    order: PlaceOrderParams,
    opts?: SendTxOptions,
  ): Promise<SendTxResult> {
    return this.client.sendTx(signer, [placeOrderMsg(order)], opts);
  }

  /**
   * Cancels one resting order by client id or order id.
   *
   * @example
   * await client.perps.cancel(alice, 'BTC-USD', { clientId: 1 });
   */
  async cancel(
    signer: Signer,
    market: string,
    ref: OrderRef,
    opts?: SendTxOptions,
  ): Promise<SendTxResult> {
    return this.client.sendTx(signer, [cancelOrderMsg(market, ref)], opts);
  }

  /**
   * Cancels every resting order of the signer in a market.
   *
   * @example
   * await client.perps.cancelAll(alice, 'BTC-USD');
   */
  async cancelAll(signer: Signer, market: string, opts?: SendTxOptions): Promise<SendTxResult> {
    return this.client.sendTx(signer, [cancelAllOrdersMsg(market)], opts);
  }

  /**
   * The fills of each block, by market and/or account (neither: every fill).
   *
   * @example
   * const stop = await client.perps.onFills({ account: 'bwk1…' }, (n) => console.log(n.fills));
   */
  async onFills(
    filter: { market?: string; account?: string },
    handler: (n: FillsNotification) => void,
  ): Promise<Unsubscribe> {
    if (filter.market !== undefined) requireMarket(filter.market);
    if (filter.account !== undefined) requireAddress(filter.account, 'account');
    return this.client.subscribe({ event: 'fills', ...filter }, handler);
  }

  /**
   * The market's best `levels` per side (default 20) after each block that touched its book.
   *
   * @example
   * const stop = await client.perps.onBook('BTC-USD', 10, (b) => console.log(b.height, b.bids[0]));
   */
  async onBook(
    market: string,
    levels: number | undefined,
    handler: (n: BookNotification) => void,
  ): Promise<Unsubscribe> {
    if (levels !== undefined && (!Number.isSafeInteger(levels) || levels < 1 || levels > 100))
      throw new ArgumentError(`levels must be an integer in 1..100, got ${String(levels)}`);
    const query = {
      event: 'book' as const,
      market: requireMarket(market),
      ...(levels !== undefined ? { levels } : {}),
    };
    return this.client.subscribe(query, handler);
  }
}
