import type { Command } from 'commander';
import type { FillsPage, FillsQuery, FundingView } from '../../sdk/perps-types.ts';
import type { Msg } from '../../sdk/tx.ts';
import type { Json } from '../../sdk/types.ts';
import { action, parseHeight, parsePositiveInt } from '../context.ts';
import { CliError } from '../errors.ts';
import { flatten, kv, table } from '../format.ts';
import type { Io } from '../io.ts';
import {
  examples,
  type HeightOpt,
  heightOption,
  runQuery,
  sendMsgs,
  type TxOpts,
  txOptions,
  uusdArg,
} from './common.ts';
import { bookTable, marketsTable, ordersTable, positionsTable } from './perps-format.ts';

const FROM_ARG = 'name of the signing key (see `bulwark keys list`)';
const MARKET_ARG = 'market id, e.g. BTC-USD';

function intArg(text: string, what: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min)
    throw new CliError(`invalid ${what} ${JSON.stringify(text)}`, `give an integer ≥ ${min}`);
  return n;
}

interface PlaceOpts extends TxOpts {
  clientId?: number;
  type?: string;
  tif?: string;
  reduceOnly?: boolean;
  goodTilBlock?: number;
}

/** `bulwark tx perps …`: collateral and orders in a perpetual market (isolated per market). */
export function registerPerpsTx(tx: Command, io: Io): void {
  const perps = tx.command('perps').description('collateral and orders in perpetual markets');

  for (const [name, type, what] of [
    ['deposit', 'perps/deposit', 'move uusd into your subaccount of a market'],
    [
      'withdraw',
      'perps/withdraw',
      'move uusd out of your subaccount (refused below initial margin)',
    ],
  ] as const) {
    txOptions(
      perps
        .command(name)
        .description(what)
        .argument('<from>', FROM_ARG)
        .argument('<market>', MARKET_ARG)
        .argument('<amount>', 'amount of uusd, e.g. 1000000000uusd'),
    )
      .addHelpText('after', examples(`bulwark tx perps ${name} alice BTC-USD 1000000000uusd`))
      .action(
        action<[string, string, string], TxOpts>(
          io,
          async (ctx, opts, from, market, amountText) => {
            await sendMsgs(ctx, opts, from, [
              { type, value: { market, amount: uusdArg(amountText) } },
            ]);
          },
        ),
      );
  }

  txOptions(
    perps
      .command('place-order')
      .description('place an order (price in ticks, size in quantums: see `query perps markets`)')
      .argument('<from>', FROM_ARG)
      .argument('<market>', MARKET_ARG)
      .argument('<side>', 'buy or sell')
      .argument('<size>', 'size in quantums (integer ≥ 1)')
      .argument(
        '<price>',
        'limit price in ticks (integer ≥ 1); for a market order, the worst price accepted',
      )
      .option(
        '--client-id <n>',
        'your id for the order (default: the current time in ms, mod 2^31)',
        parseHeight,
      )
      .option('--type <type>', 'limit (default) or market')
      .option('--tif <tif>', 'time in force: gtc (default), ioc or post-only')
      .option('--reduce-only', 'only reduce the position (must be ioc)')
      .option('--good-til-block <h>', 'cancel the order after this height', parsePositiveInt),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx perps place-order alice BTC-USD buy 100 60000',
        'bulwark tx perps place-order bob BTC-USD sell 50 59000 --tif ioc',
      ),
    )
    .action(
      action<[string, string, string, string, string], PlaceOpts>(
        io,
        async (ctx, opts, from, market, side, size, price) => {
          if (side !== 'buy' && side !== 'sell')
            throw new CliError(`invalid side ${JSON.stringify(side)}`, 'use buy or sell');
          if (opts.type !== undefined && !['limit', 'market'].includes(opts.type)) {
            throw new CliError(
              `invalid --type ${JSON.stringify(opts.type)}`,
              'use limit or market',
            );
          }
          if (opts.tif !== undefined && !['gtc', 'ioc', 'post-only'].includes(opts.tif)) {
            throw new CliError(
              `invalid --tif ${JSON.stringify(opts.tif)}`,
              'use gtc, ioc or post-only',
            );
          }
          const place = {
            market,
            clientId: opts.clientId ?? Date.now() % 2 ** 31,
            side,
            sizeQuantums: intArg(size, 'size', 1),
            priceTicks: intArg(price, 'price', 1),
            ...(opts.type !== undefined ? { type: opts.type } : {}),
            ...(opts.tif !== undefined ? { timeInForce: opts.tif } : {}),
            ...(opts.reduceOnly ? { reduceOnly: true } : {}),
            ...(opts.goodTilBlock !== undefined ? { goodTilBlock: opts.goodTilBlock } : {}),
          };
          const msg: Msg = { type: 'perps/place-orders', value: { orders: [{ place }] } };
          await sendMsgs(ctx, opts, from, [msg]);
        },
      ),
    );

  txOptions(
    perps
      .command('cancel')
      .description('cancel one of your orders by its client id (or by its order id)')
      .argument('<from>', FROM_ARG)
      .argument('<market>', MARKET_ARG)
      .argument('[client-id]', 'the client id you gave the order')
      .option('--order-id <id>', 'the order id instead (16 digits, see `query perps orders`)'),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx perps cancel alice BTC-USD 42',
        'bulwark tx perps cancel alice BTC-USD --order-id 0000000000000007',
      ),
    )
    .action(
      action<[string, string, string | undefined], TxOpts & { orderId?: string }>(
        io,
        async (ctx, opts, from, market, id) => {
          if ((id === undefined) === (opts.orderId === undefined)) {
            throw new CliError(
              'give the order to cancel once',
              'a client id argument, or --order-id, but not both',
            );
          }
          if (opts.orderId !== undefined && !/^[0-9]{16}$/.test(opts.orderId)) {
            throw new CliError(
              `invalid --order-id ${JSON.stringify(opts.orderId)}`,
              'an order id is 16 digits, as `bulwark query perps orders` shows it',
            );
          }
          const cancel =
            opts.orderId !== undefined
              ? { market, orderId: opts.orderId }
              : { market, clientId: intArg(id as string, 'client id', 0) };
          const msg: Msg = { type: 'perps/place-orders', value: { orders: [{ cancel }] } };
          await sendMsgs(ctx, opts, from, [msg]);
        },
      ),
    );

  txOptions(
    perps
      .command('cancel-all')
      .description('cancel all your orders in a market')
      .argument('<from>', FROM_ARG)
      .argument('<market>', MARKET_ARG),
  )
    .addHelpText('after', examples('bulwark tx perps cancel-all alice BTC-USD'))
    .action(
      action<[string, string], TxOpts>(io, async (ctx, opts, from, market) => {
        await sendMsgs(ctx, opts, from, [
          { type: 'perps/place-orders', value: { orders: [{ cancelAll: { market } }] } },
        ]);
      }),
    );
}

/** `bulwark query perps …`. */
export function registerPerpsQuery(query: Command, io: Io): void {
  const perps = query
    .command('perps')
    .description(
      'perpetual markets: listings, books, positions, subaccounts, orders, fills, funding',
    );
  const simple = (
    name: string,
    path: string,
    what: string,
    example: string,
    text: (v: Json) => string = (v) => kv(flatten(v)),
  ) =>
    perps
      .command(name)
      .description(what)
      .option(...heightOption, parseHeight)
      .addHelpText('after', examples(example))
      .action(
        action<[], HeightOpt>(io, async (ctx, opts) => {
          await runQuery<Json>(ctx, path, {}, opts.height, text);
        }),
      );
  simple(
    'markets',
    'perps/markets',
    'every listed market: vault, mark, current margin fractions, open interest, fees (-o json: ticks, quantums and every listing field)',
    'bulwark query perps markets',
    (v) => marketsTable(v as unknown as Record<string, unknown>[]),
  );
  simple('params', 'perps/params', 'the perps parameters', 'bulwark query perps params');

  perps
    .command('book')
    .description("a market's aggregated order book (levels per side, best first)")
    .argument('<market>', MARKET_ARG)
    .option('--levels <n>', 'levels per side (default 20)', parsePositiveInt)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query perps book BTC-USD --levels 5'))
    .action(
      action<[string], HeightOpt & { levels?: number }>(io, async (ctx, opts, market) => {
        const args = opts.levels === undefined ? { market } : { market, levels: opts.levels };
        await runQuery<Json>(ctx, 'perps/book', args, opts.height, (v) =>
          bookTable(v as unknown as Parameters<typeof bookTable>[0]),
        );
      }),
    );

  for (const [name, path, what] of [
    ['positions', 'perps/positions', "an account's positions in every market"],
    ['orders', 'perps/orders', "an account's open orders"],
  ] as const) {
    perps
      .command(name)
      .description(what)
      .argument('<owner>', 'a bwk1… address or a key name')
      .option(...heightOption, parseHeight)
      .addHelpText('after', examples(`bulwark query perps ${name} alice`))
      .action(
        action<[string], HeightOpt>(io, async (ctx, opts, who) => {
          const owner = await ctx.resolveAddress(who);
          await runQuery<Json>(ctx, path, { owner }, opts.height, (v) =>
            (name === 'positions' ? positionsTable : ordersTable)(
              v as unknown as Record<string, unknown>[],
            ),
          );
        }),
      );
  }

  perps
    .command('subaccount')
    .description("an account's collateral, position, equity and margin in one market")
    .argument('<owner>', 'a bwk1… address or a key name')
    .argument('<market>', MARKET_ARG)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query perps subaccount alice BTC-USD'))
    .action(
      action<[string, string], HeightOpt>(io, async (ctx, opts, who, market) => {
        const owner = await ctx.resolveAddress(who);
        await runQuery<Json>(ctx, 'perps/subaccount', { owner, market }, opts.height, (v) =>
          kv(flatten(v)),
        );
      }),
    );

  registerPerpsHistory(perps, io);
}

interface FillsOpts {
  market?: string;
  account?: string;
  fromHeight?: number;
  toHeight?: number;
  limit?: number;
}

/** `query perps fills|funding`: read from the node's stored blocks (RPC perps_fills, perps_funding). */
function registerPerpsHistory(perps: Command, io: Io): void {
  perps
    .command('fills')
    .description(
      'fills of recent blocks (at most 1000 blocks per call), by market and/or account, oldest first',
    )
    .option('--market <market>', MARKET_ARG)
    .option(
      '--account <who>',
      'only fills where this account (bwk1… or key name) is maker or taker',
    )
    .option(
      '--from-height <h>',
      'lowest height to read (default: 999 below --to-height)',
      parsePositiveInt,
    )
    .option('--to-height <h>', 'highest height to read (default: latest)', parsePositiveInt)
    .option(
      '--limit <n>',
      'stop after the block that reaches n fills (1–1000, default 100)',
      parsePositiveInt,
    )
    .addHelpText(
      'after',
      examples(
        'bulwark query perps fills --market BTC-USD',
        'bulwark query perps fills --account alice --to-height 1200 -o json',
      ),
    )
    .action(
      action<[], FillsOpts>(io, async (ctx, opts) => {
        const q: FillsQuery = {};
        if (opts.market !== undefined) q.market = opts.market;
        if (opts.account !== undefined) q.account = await ctx.resolveAddress(opts.account);
        if (opts.fromHeight !== undefined) q.fromHeight = opts.fromHeight;
        if (opts.toHeight !== undefined) q.toHeight = opts.toHeight;
        if (opts.limit !== undefined) q.limit = opts.limit;
        const page: FillsPage = await ctx.client.perps.fills(q);
        ctx.print(page, () => {
          const rows = page.fills.map((f) => [
            String(f.height),
            f.market,
            f.takerSide,
            String(f.priceTicks),
            String(f.sizeQuantums),
            f.maker,
            f.taker,
          ]);
          const head = `blocks ${page.fromHeight}–${page.toHeight}: ${page.fills.length} fill(s)`;
          const body = table(
            [
              'height',
              'market',
              'taker side',
              'price (ticks)',
              'size (quantums)',
              'maker',
              'taker',
            ],
            rows,
          );
          return page.fills.length === 0 ? head : `${head}\n\n${body}`;
        });
      }),
    );

  perps
    .command('funding')
    .description(
      "a market's funding interval, next settlement and latest settlements (newest first)",
    )
    .argument('<market>', MARKET_ARG)
    .option('--limit <n>', 'settlement heights to look at (1–100, default 10)', parsePositiveInt)
    .addHelpText('after', examples('bulwark query perps funding BTC-USD --limit 3'))
    .action(
      action<[string], { limit?: number }>(io, async (ctx, opts, market) => {
        const f: FundingView = await ctx.client.perps.funding(market, opts.limit);
        ctx.print(f, () => {
          const head = kv([
            ['market', f.market],
            ['height', String(f.height)],
            ['interval (blocks)', String(f.fundingIntervalBlocks)],
            ['next settlement', String(f.nextSettlementHeight)],
          ]);
          if (f.settlements.length === 0) return `${head}\n\nno settlement yet`;
          const rows = f.settlements.map((s) => [
            String(s.height),
            s.rate,
            String(s.samples),
            s.price,
            s.paid,
          ]);
          return `${head}\n\n${table(['height', 'rate', 'samples', 'price', 'paid (uusd)'], rows)}`;
        });
      }),
    );
}
