import type { Command } from 'commander';
import type { Json } from '../../sdk/types.ts';
import { action, parseHeight } from '../context.ts';
import { CliError } from '../errors.ts';
import { flatten, kv, table, time } from '../format.ts';
import type { Io } from '../io.ts';
import {
  eventsOf,
  examples,
  type HeightOpt,
  heightOption,
  runQuery,
  sendMsgs,
  type TxOpts,
  txOptions,
} from './common.ts';

const FROM_ARG = 'name of the signing key (see `bulwark keys list`)';
const SERIES_ARG = 'series id, e.g. ETH-3000-C-1D (see `bulwark query options series`)';
const QTY_ARG = 'number of contracts (integer ≥ 1); each pays 1 uusd in the money';

/** A number of contracts: a positive integer. */
export function qtyArg(text: string): bigint {
  if (!/^[0-9]{1,39}$/.test(text) || BigInt(text) === 0n) {
    throw new CliError(
      `invalid quantity ${JSON.stringify(text)}`,
      'give a whole number of contracts above 0, e.g. 1000000',
    );
  }
  return BigInt(text);
}

/** A price per contract, per 1 uusd of payout: a decimal from 0 to 1 (`0.55`). */
export function priceArg(text: string, what: string): string {
  const m = /^(0|1)(?:\.([0-9]{1,18}))?$/.exec(text);
  if (m === null || (m[1] === '1' && /[1-9]/.test(m[2] ?? ''))) {
    throw new CliError(
      `invalid ${what} ${JSON.stringify(text)}`,
      'give a price per contract between 0 and 1, e.g. 0.55 (a contract pays 1 uusd)',
    );
  }
  return text;
}

interface BuyOpts extends TxOpts {
  maxPrice: string;
}
interface SellOpts extends TxOpts {
  minPrice: string;
}

const tradeDetails = (events: Parameters<typeof eventsOf>[0]): [string, string][] =>
  eventsOf(events, 'options_trade').map((t) => [
    `${t.side} ${t.qty} ${t.series}`,
    `${t.amount} uusd at ${t.price} (model ${t.fair}, spot ${t.spot})`,
  ]);

/** `bulwark tx options …`: buy binary options from a series' vault and sell them back. */
export function registerOptionsTx(tx: Command, io: Io): void {
  const options = tx
    .command('options')
    .description('binary options: buy from the options vault, sell back to it');

  txOptions(
    options
      .command('buy')
      .description("buy contracts at the vault's ask (refused above --max-price)")
      .argument('<from>', FROM_ARG)
      .argument('<series>', SERIES_ARG)
      .argument('<qty>', QTY_ARG)
      .requiredOption('--max-price <price>', 'the most you pay per contract, e.g. 0.6'),
  )
    .addHelpText(
      'after',
      examples('bulwark tx options buy alice ETH-3000-C-1D 1000000 --max-price 0.6'),
    )
    .action(
      action<[string, string, string], BuyOpts>(io, async (ctx, opts, from, series, qtyText) => {
        const value = {
          series,
          qty: qtyArg(qtyText),
          maxPrice: priceArg(opts.maxPrice, '--max-price'),
        };
        await sendMsgs(ctx, opts, from, [{ type: 'options/buy', value }], tradeDetails);
      }),
    );

  txOptions(
    options
      .command('sell')
      .description("sell held contracts back at the vault's bid (refused below --min-price)")
      .argument('<from>', FROM_ARG)
      .argument('<series>', SERIES_ARG)
      .argument('<qty>', QTY_ARG)
      .requiredOption('--min-price <price>', 'the least you accept per contract, e.g. 0.4'),
  )
    .addHelpText(
      'after',
      examples('bulwark tx options sell alice ETH-3000-C-1D 500000 --min-price 0.4'),
    )
    .action(
      action<[string, string, string], SellOpts>(io, async (ctx, opts, from, series, qtyText) => {
        const value = {
          series,
          qty: qtyArg(qtyText),
          minPrice: priceArg(opts.minPrice, '--min-price'),
        };
        await sendMsgs(ctx, opts, from, [{ type: 'options/sell', value }], tradeDetails);
      }),
    );
}

/** `bulwark query options …`. */
export function registerOptionsQuery(query: Command, io: Io): void {
  const options = query
    .command('options')
    .description('binary options: series, quotes, positions, options vaults');

  options
    .command('series')
    .description('every series: strike, expiry, state, open contracts, vault P&L')
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      examples('bulwark query options series', 'bulwark -o json q options series'),
    )
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Record<string, Json>[]>(ctx, 'options/series', {}, opts.height, (xs) =>
          table(
            ['series', 'kind', 'strike', 'expiry', 'state', 'open', 'vault P&L', 'settled at'],
            xs.map((s) => [
              String(s.id),
              String(s.kind),
              String(s.strike),
              time(Number(s.expiryMs)),
              String(s.state),
              String(s.open),
              String(s.vaultPnl),
              s.settlementPrice === null ? '-' : String(s.settlementPrice),
            ]),
          ),
        );
      }),
    );

  options
    .command('quote')
    .description("the vault's ask and bid for QTY contracts, the model value and σ (last block)")
    .argument('<series>', SERIES_ARG)
    .argument('<qty>', QTY_ARG)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query options quote ETH-3000-C-1D 1000000'))
    .action(
      action<[string, string], HeightOpt>(io, async (ctx, opts, series, qtyText) => {
        const args = { series, qty: String(qtyArg(qtyText)) };
        await runQuery<Json>(ctx, 'options/quote', args, opts.height, (v) => kv(flatten(v)));
      }),
    );

  options
    .command('positions')
    .description("an owner's open positions: contracts, cost, model value")
    .argument('<owner>', 'a bwk1… address or a key name')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query options positions alice'))
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, who) => {
        const owner = await ctx.resolveAddress(who);
        await runQuery<Record<string, Json>[]>(
          ctx,
          'options/positions',
          { owner },
          opts.height,
          (ps) =>
            ps.length === 0
              ? `${owner} holds no options`
              : table(
                  ['series', 'kind', 'strike', 'state', 'contracts', 'cost (uusd)', 'model value'],
                  ps.map((p) => [
                    String(p.series),
                    String(p.kind),
                    String(p.strike),
                    String(p.state),
                    String(p.qty),
                    String(p.cost),
                    p.fair === null ? '-' : String(p.fair),
                  ]),
                ),
        );
      }),
    );

  options
    .command('vaults')
    .description('each options vault: cash, liability, equity, worst-case payout and its limit')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query options vaults'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Json>(ctx, 'options/vaults', {}, opts.height, (v) => kv(flatten(v)));
      }),
    );

  options
    .command('params')
    .description('the options parameters (rates, volatility floor, spreads, limits, halts)')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query options params'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Json>(ctx, 'options/params', {}, opts.height, (v) => kv(flatten(v)));
      }),
    );
}
