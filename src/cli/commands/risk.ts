import type { Command } from 'commander';
import type { Json } from '../../sdk/types.ts';
import { action, parseHeight } from '../context.ts';
import { flatten, kv } from '../format.ts';
import type { Io } from '../io.ts';
import { examples, type HeightOpt, heightOption, runQuery } from './common.ts';
import { riskSummaryText } from './risk-format.ts';

/** `bulwark query risk …`: the security budget (cost vs profit from corrupting prices). */
export function registerRiskQuery(query: Command, io: Io): void {
  const risk = query
    .command('risk')
    .description('security budget: cost of corruption vs profit from corruption, OI caps, margin');

  risk
    .command('summary')
    .description('CoC, total PfC, their ratio, the budget and whether the chain is within it')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query risk summary'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Json>(ctx, 'risk/summary', {}, opts.height, (v) =>
          riskSummaryText(v as unknown as Record<string, unknown>),
        );
      }),
    );

  risk
    .command('market')
    .description("one market's open interest, largest manipulable move, PfC, caps and margin")
    .argument('<market>', 'market id, e.g. BTC-USD')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query risk market BTC-USD'))
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, market) => {
        await runQuery<Json>(ctx, 'risk/market', { market }, opts.height, (v) => kv(flatten(v)));
      }),
    );

  risk
    .command('params')
    .description('the risk parameters')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query risk params'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Json>(ctx, 'risk/params', {}, opts.height, (v) => kv(flatten(v)));
      }),
    );
}
