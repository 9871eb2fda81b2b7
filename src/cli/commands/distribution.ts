import type { Command } from 'commander';
import {
  fundCommunityPoolMsg,
  setWithdrawAddressMsg,
  withdrawCommissionMsg,
  withdrawRewardsMsg,
} from '../../sdk/msgs/distribution.ts';
import type { AprView, CoinJson, Json, RewardsView } from '../../sdk/types.ts';
import { action, parseHeight } from '../context.ts';
import { coins, flatten, kv, percent, table } from '../format.ts';
import type { Io } from '../io.ts';
import {
  coinArg,
  eventsOf,
  examples,
  type HeightOpt,
  heightOption,
  resolveValidator,
  runQuery,
  sendMsgs,
  type TxOpts,
  txOptions,
  validatorNames,
} from './common.ts';

const FROM_ARG = 'name of the signing key (see `bulwark keys list`)';
const VALIDATOR_ARG = 'operator address (bwk1…), moniker, or name of the operator key';
const FRACTIONS = [
  'communityTax',
  'inflationRateChange',
  'inflationMax',
  'inflationMin',
  'goalBonded',
];

/** `amount` attributes of withdraw events as one `paid` row. */
function paid(events: { type: string; attributes: Record<string, string> }[], type: string) {
  const amounts = eventsOf(events, type)
    .map((a) => a.amount ?? '')
    .filter((a) => a !== '');
  return [['paid', amounts.length === 0 ? 'nothing' : amounts.join(', ')]] as [string, string][];
}

/** `bulwark tx distribution …`. */
export function registerDistributionTx(tx: Command, io: Io): void {
  const distribution = tx
    .command('distribution')
    .description(
      'withdraw rewards and commission, set the withdraw address, fund the community pool',
    );

  txOptions(
    distribution
      .command('withdraw-rewards')
      .description('withdraw pending staking rewards (from every validator, or one)')
      .argument('<from>', FROM_ARG)
      .option('--validator <validator>', `only from this validator: ${VALIDATOR_ARG}`),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx distribution withdraw-rewards alice',
        'bulwark tx distribution withdraw-rewards alice --validator val0',
      ),
    )
    .action(
      action<[string], TxOpts & { validator?: string }>(io, async (ctx, opts, from) => {
        const validator =
          opts.validator === undefined ? undefined : await resolveValidator(ctx, opts.validator);
        await sendMsgs(ctx, opts, from, [withdrawRewardsMsg(validator)], (events) =>
          paid(events, 'withdraw_rewards'),
        );
      }),
    );

  txOptions(
    distribution
      .command('withdraw-commission')
      .description("withdraw the commission of the key's validator (operators only)")
      .argument('<from>', 'name of the operator key'),
  )
    .addHelpText('after', examples('bulwark tx distribution withdraw-commission val0'))
    .action(
      action<[string], TxOpts>(io, async (ctx, opts, from) => {
        await sendMsgs(ctx, opts, from, [withdrawCommissionMsg()], (events) =>
          paid(events, 'withdraw_commission'),
        );
      }),
    );

  txOptions(
    distribution
      .command('set-withdraw-address')
      .description("where the key's rewards and commission are paid (its own address resets it)")
      .argument('<from>', FROM_ARG)
      .argument('<address>', 'a bwk1… address or a key name'),
  )
    .addHelpText('after', examples('bulwark tx distribution set-withdraw-address alice bob'))
    .action(
      action<[string, string], TxOpts>(io, async (ctx, opts, from, to) => {
        const address = await ctx.resolveAddress(to);
        await sendMsgs(ctx, opts, from, [setWithdrawAddressMsg(address)]);
      }),
    );

  txOptions(
    distribution
      .command('fund-community-pool')
      .description('send coins into the community pool')
      .argument('<from>', FROM_ARG)
      .argument('<amount>', 'amount and denom, e.g. 5000000ubwk'),
  )
    .addHelpText('after', examples('bulwark tx distribution fund-community-pool alice 5000000ubwk'))
    .action(
      action<[string, string], TxOpts>(io, async (ctx, opts, from, amountText) => {
        const amount = coinArg(amountText, 'amount');
        await sendMsgs(ctx, opts, from, [fundCommunityPoolMsg(amount)]);
      }),
    );
}

/** `bulwark query distribution …`. */
export function registerDistributionQuery(query: Command, io: Io): void {
  const distribution = query
    .command('distribution')
    .description('rewards, commission, the community pool, APR and distribution parameters');

  distribution
    .command('rewards')
    .description("a delegator's pending rewards, per validator and in total")
    .argument('<delegator>', 'a bwk1… address or a key name')
    .option('--validator <validator>', `only from this validator: ${VALIDATOR_ARG}`)
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      examples(
        'bulwark query distribution rewards alice',
        'bulwark query distribution rewards alice --validator val0 -o json',
      ),
    )
    .action(
      action<[string], HeightOpt & { validator?: string }>(io, async (ctx, opts, who) => {
        const delegator = await ctx.resolveAddress(who);
        const args =
          opts.validator === undefined
            ? { delegator }
            : { delegator, validator: await resolveValidator(ctx, opts.validator) };
        await runQuery<RewardsView>(ctx, 'distribution/rewards', args, opts.height, async (r) => {
          if (r.rewards.length === 0) return `${delegator} has no delegations, so no rewards`;
          const name = await validatorNames(ctx);
          return [
            table(
              ['validator', 'operator', 'reward'],
              r.rewards.map((x) => [name(x.validator), x.validator, coins(x.reward)]),
            ),
            '',
            kv([['total', coins(r.total)]]),
          ].join('\n');
        });
      }),
    );

  distribution
    .command('commission')
    .description("a validator's withdrawable commission")
    .argument('<operator>', VALIDATOR_ARG)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query distribution commission val0'))
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, v) => {
        const operator = await resolveValidator(ctx, v);
        await runQuery<{ operator: string; commission: CoinJson[] }>(
          ctx,
          'distribution/commission',
          { operator },
          opts.height,
          (c) =>
            kv([
              ['operator', c.operator],
              ['commission', coins(c.commission)],
            ]),
        );
      }),
    );

  distribution
    .command('community-pool')
    .description('the coins of the community pool (spent by governance)')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query distribution community-pool'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<{ pool: CoinJson[] }>(
          ctx,
          'distribution/community-pool',
          {},
          opts.height,
          (p) =>
            p.pool.length === 0
              ? 'the community pool is empty'
              : table(
                  ['denom', 'amount'],
                  p.pool.map((c) => [c.denom, c.amount]),
                ),
        );
      }),
    );

  distribution
    .command('apr')
    .description('inflation, bonded ratio and the staking APR (from inflation; fees not forecast)')
    .option('--validator <validator>', `only this validator: ${VALIDATOR_ARG}`)
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      examples('bulwark query distribution apr', 'bulwark query distribution apr --validator val0'),
    )
    .action(
      action<[], HeightOpt & { validator?: string }>(io, async (ctx, opts) => {
        const args =
          opts.validator === undefined
            ? {}
            : { validator: await resolveValidator(ctx, opts.validator) };
        await runQuery<AprView>(ctx, 'distribution/apr', args, opts.height, (a) =>
          [
            kv([
              ['inflation', percent(a.inflation)],
              ['bonded ratio', percent(a.bondedRatio)],
              ['supply', a.supply],
              ['bonded tokens', a.bondedTokens],
              ['annual provisions', a.annualProvisions],
              ['block provision', a.blockProvision],
              ['community tax', percent(a.communityTax)],
              ['nominal APR', percent(a.nominalApr)],
            ]),
            ...(a.validators.length === 0
              ? []
              : [
                  '',
                  table(
                    ['moniker', 'operator', 'status', 'jailed', 'commission', 'apr'],
                    a.validators.map((v) => [
                      v.moniker,
                      v.operator,
                      v.status,
                      v.jailed,
                      percent(v.commissionRate),
                      percent(v.apr),
                    ]),
                  ),
                ]),
          ].join('\n'),
        );
      }),
    );

  distribution
    .command('params')
    .description('the distribution parameters (fractions as decimal strings)')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query distribution params'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Record<string, Json>>(ctx, 'distribution/params', {}, opts.height, (p) =>
          kv(flatten(p).map(([k, v]) => [k, FRACTIONS.includes(k) ? `${v} (${percent(v)})` : v])),
        );
      }),
    );
}
