import type { Command } from 'commander';
import type { Json } from '../../sdk/types.ts';
import { action, parseHeight } from '../context.ts';
import { CliError } from '../errors.ts';
import { flatten, kv, table } from '../format.ts';
import type { Io } from '../io.ts';
import { examples, type HeightOpt, heightOption, resolveValidator, runQuery } from './common.ts';

interface PriceView {
  market: string;
  price: string | null;
  height: number;
  median: string | null;
  stale: boolean;
  reduceOnly: boolean;
  volatility: string;
  breakerTrips: number;
}

interface ReportsView {
  market: string;
  height: number;
  median: string | null;
  quorum: boolean;
  reports: { validator: string; power: string; price: string; confidence?: string }[];
}

const priceRow = (p: PriceView) => [
  p.market,
  p.price ?? '-',
  p.height,
  p.stale ? 'yes' : 'no',
  p.reduceOnly ? 'yes' : 'no',
  p.volatility,
  p.breakerTrips,
];
const PRICE_HEAD = [
  'market',
  'price',
  'height',
  'stale',
  'reduce-only',
  'volatility (annual)',
  'breaker trips',
];

/** `bulwark query oracle …`: published prices, the reports behind them, validators' misses. */
export function registerOracleQuery(query: Command, io: Io): void {
  const oracle = query
    .command('oracle')
    .description("the validators' price oracle: published prices, reports, misses, parameters");

  oracle
    .command('prices')
    .description('the last published price of every listed market')
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      examples('bulwark query oracle prices', 'bulwark query oracle prices --height 120'),
    )
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<PriceView[]>(ctx, 'oracle/prices', {}, opts.height, (ps) =>
          table(PRICE_HEAD, ps.map(priceRow)),
        );
      }),
    );

  oracle
    .command('price')
    .description("one market's last published price, staleness and volatility")
    .argument('<market>', 'market id, e.g. BTC-USD')
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      examples(
        'bulwark query oracle price BTC-USD',
        'bulwark query oracle price ETH-USD --height 50',
      ),
    )
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, market) => {
        await runQuery<PriceView>(ctx, 'oracle/price', { market }, opts.height, (p) =>
          kv(PRICE_HEAD.map((h, i) => [h, priceRow(p)[i] as string | number])),
        );
      }),
    );

  oracle
    .command('reports')
    .description('the reports of one height behind a market price (carried in the next block)')
    .argument('<market>', 'market id, e.g. BTC-USD')
    .argument('<height>', 'the height the reports are for')
    .addHelpText('after', examples('bulwark query oracle reports BTC-USD 120'))
    .action(
      action<[string, string], Record<string, never>>(
        io,
        async (ctx, _opts, market, heightText) => {
          const height = Number(heightText);
          if (!Number.isSafeInteger(height) || height < 1) {
            throw new CliError(
              `invalid height ${JSON.stringify(heightText)}`,
              'give a positive integer',
            );
          }
          await runQuery<ReportsView>(ctx, 'oracle/reports', { market, height }, undefined, (r) =>
            [
              kv([
                ['market', r.market],
                ['height', r.height],
                ['median', r.median ?? '-'],
                ['quorum', r.quorum ? 'yes' : 'no'],
              ]),
              '',
              table(
                ['validator', 'power', 'price', 'confidence'],
                r.reports.map((x) => [x.validator, x.power, x.price, x.confidence ?? '-']),
              ),
            ].join('\n'),
          );
        },
      ),
    );

  oracle
    .command('misses')
    .description("a validator's oracle misses in the current window, and its oracle slashes")
    .argument(
      '<validator>',
      'consensus address (40 hex), operator address, moniker or operator key name',
    )
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query oracle misses val1'))
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, v) => {
        const validator = /^[0-9a-fA-F]{40}$/.test(v)
          ? v.toLowerCase()
          : await resolveValidator(ctx, v);
        await runQuery<Record<string, Json>>(
          ctx,
          'oracle/misses',
          { validator },
          opts.height,
          (m) => kv(flatten(m)),
        );
      }),
    );

  oracle
    .command('params')
    .description('the oracle parameters')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query oracle params'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Record<string, Json>>(ctx, 'oracle/params', {}, opts.height, (p) =>
          kv(flatten(p)),
        );
      }),
    );
}
