import type { Command } from 'commander';
import { Option } from 'commander';
import {
  createValidatorMsg,
  delegateMsg,
  editValidatorMsg,
  redelegateMsg,
  undelegateMsg,
} from '../../sdk/msgs/staking.ts';
import type { Coin } from '../../sdk/tx.ts';
import type {
  ActiveSetView,
  DelegationView,
  Json,
  RedelegationView,
  StakingPoolView,
  UnbondingView,
  ValidatorView,
} from '../../sdk/types.ts';
import { action, type Ctx, parseHeight } from '../context.ts';
import { CliError } from '../errors.ts';
import { decimal18, duration, flatten, kv, percent, table, time } from '../format.ts';
import type { Io } from '../io.ts';
import {
  bondDenom,
  coinArg,
  eventsOf,
  examples,
  fractionArg,
  type HeightOpt,
  heightOption,
  queryValue,
  resolveValidator,
  runQuery,
  sendMsgs,
  type TxOpts,
  txOptions,
  validatorNames,
} from './common.ts';

const VALIDATOR_ARG = 'operator address (bwk1…), moniker, or name of the operator key';
const FROM_ARG = 'name of the signing key (see `bulwark keys list`)';

/** An amount to undelegate or redelegate: a coin, or `all` (every share of the delegation). */
async function stakeAmount(
  ctx: Ctx,
  text: string,
  delegator: () => Promise<string>,
  validator: string,
): Promise<Coin | { shares: bigint }> {
  if (text !== 'all') return coinArg(text, 'amount');
  const d = await queryValue<DelegationView>(ctx, 'staking/delegation', {
    delegator: await delegator(),
    validator,
  });
  return { shares: BigInt(d.shares) };
}

interface CreateValidatorOpts extends TxOpts {
  from: string;
  consPubkey: string;
  moniker: string;
  selfBond: string;
  commissionRate: string;
  commissionMaxRate: string;
  commissionMaxChangeRate: string;
  minSelfDelegation?: string;
}

/** `bulwark tx staking …`. */
export function registerStakingTx(tx: Command, io: Io): void {
  const staking = tx
    .command('staking')
    .description('validators and delegations: create, edit, delegate, undelegate, redelegate');

  txOptions(
    staking
      .command('create-validator')
      .description('make the --from key the operator of a new validator, bonding its self-bond')
      .requiredOption('--from <key>', FROM_ARG)
      .requiredOption(
        '--cons-pubkey <hex>',
        "the validator's ed25519 consensus public key (64 hex characters)",
      )
      .requiredOption('--moniker <name>', 'a display name, 1–64 characters')
      .requiredOption('--self-bond <coin>', 'first delegation of the operator, e.g. 1000000ubwk')
      .requiredOption(
        '--commission-rate <rate>',
        'commission rate, a decimal fraction (0.10 = 10 %)',
      )
      .requiredOption('--commission-max-rate <rate>', 'the highest rate ever allowed, e.g. 0.20')
      .requiredOption(
        '--commission-max-change-rate <rate>',
        'the largest change per 24 h, e.g. 0.01',
      )
      .option(
        '--min-self-delegation <amount>',
        'base units the self-delegation may not fall below (default: the minSelfBond param)',
      ),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx staking create-validator --from val4 --cons-pubkey 3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29 --moniker my-validator --self-bond 1000000ubwk --commission-rate 0.10 --commission-max-rate 0.20 --commission-max-change-rate 0.01',
      ),
    )
    .action(
      action<[], CreateValidatorOpts>(io, async (ctx, opts) => {
        const rate = fractionArg(opts.commissionRate, '--commission-rate');
        const maxRate = fractionArg(opts.commissionMaxRate, '--commission-max-rate');
        const maxChangeRate = fractionArg(
          opts.commissionMaxChangeRate,
          '--commission-max-change-rate',
        );
        const selfBond = coinArg(opts.selfBond, '--self-bond');
        if (!/^[0-9a-fA-F]{64}$/.test(opts.consPubkey)) {
          throw new CliError(
            `bad --cons-pubkey: ${JSON.stringify(opts.consPubkey)} is not 64 hex characters`,
            "give the validator's ed25519 consensus public key in hex (the pubKey of its key file)",
          );
        }
        if (
          opts.minSelfDelegation !== undefined &&
          !/^[1-9][0-9]{0,37}$/.test(opts.minSelfDelegation)
        ) {
          throw new CliError(
            `bad --min-self-delegation: ${JSON.stringify(opts.minSelfDelegation)} is not a positive integer`,
            'give base units of the bond denom, e.g. 1000000',
          );
        }
        const msg = createValidatorMsg({
          consPubKey: opts.consPubkey,
          moniker: opts.moniker,
          selfBond,
          commission: { rate, maxRate, maxChangeRate },
          ...(opts.minSelfDelegation !== undefined
            ? { minSelfDelegation: opts.minSelfDelegation }
            : {}),
        });
        await sendMsgs(ctx, opts, opts.from, [msg], (events) =>
          eventsOf(events, 'create_validator').flatMap((a) => [
            ['operator', a.operator ?? ''],
            ['consensus address', a.consAddress ?? ''],
          ]),
        );
      }),
    );

  txOptions(
    staking
      .command('edit-validator')
      .description("change the moniker or commission rate of the --from key's validator")
      .requiredOption('--from <key>', 'name of the operator key')
      .option('--moniker <name>', 'new display name, 1–64 characters')
      .option(
        '--commission-rate <rate>',
        'new rate, a decimal fraction; once per 24 h, by at most the max change rate',
      ),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx staking edit-validator --from val0 --commission-rate 0.09',
        'bulwark tx staking edit-validator --from val0 --moniker "Val Zero"',
      ),
    )
    .action(
      action<[], TxOpts & { from: string; moniker?: string; commissionRate?: string }>(
        io,
        async (ctx, opts) => {
          if (opts.moniker === undefined && opts.commissionRate === undefined) {
            throw new CliError(
              'nothing to change',
              'give --moniker, --commission-rate or both; see `bulwark tx staking edit-validator --help`',
            );
          }
          const msg = editValidatorMsg({
            ...(opts.moniker !== undefined ? { moniker: opts.moniker } : {}),
            ...(opts.commissionRate !== undefined
              ? { commissionRate: fractionArg(opts.commissionRate, '--commission-rate') }
              : {}),
          });
          await sendMsgs(ctx, opts, opts.from, [msg]);
        },
      ),
    );

  txOptions(
    staking
      .command('delegate')
      .description('bond tokens to a validator')
      .argument('<from>', FROM_ARG)
      .argument('<validator>', VALIDATOR_ARG)
      .argument('<amount>', 'amount in the bond denom, e.g. 1000000ubwk'),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx staking delegate alice val0 1000000ubwk',
        'bulwark tx staking delegate alice bwk1… 5000000ubwk --fee 200ubwk',
      ),
    )
    .action(
      action<[string, string, string], TxOpts>(io, async (ctx, opts, from, v, amountText) => {
        const amount = coinArg(amountText, 'amount');
        const validator = await resolveValidator(ctx, v);
        await sendMsgs(ctx, opts, from, [delegateMsg(validator, amount)], (events) =>
          eventsOf(events, 'delegate').map((a) => ['shares', decimal18(a.shares ?? '')]),
        );
      }),
    );

  txOptions(
    staking
      .command('undelegate')
      .description('start unbonding tokens from a validator (paid after the unbonding time)')
      .argument('<from>', FROM_ARG)
      .argument('<validator>', VALIDATOR_ARG)
      .argument('<amount>', 'amount in the bond denom, e.g. 500000ubwk, or `all`'),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx staking undelegate alice val0 500000ubwk',
        'bulwark tx staking undelegate alice val0 all',
      ),
    )
    .action(
      action<[string, string, string], TxOpts>(io, async (ctx, opts, from, v, amountText) => {
        if (amountText !== 'all') coinArg(amountText, 'amount');
        const validator = await resolveValidator(ctx, v);
        const amount = await stakeAmount(
          ctx,
          amountText,
          () => ctx.resolveAddress(from),
          validator,
        );
        await sendMsgs(ctx, opts, from, [undelegateMsg(validator, amount)], (events) =>
          eventsOf(events, 'unbond').flatMap((a) => [
            ['amount', a.amount ?? ''],
            ['completes', time(Number(a.completionTimeMs))],
          ]),
        );
      }),
    );

  txOptions(
    staking
      .command('redelegate')
      .description('move stake from one validator to another at once')
      .argument('<from>', FROM_ARG)
      .argument('<src>', `source validator: ${VALIDATOR_ARG}`)
      .argument('<dst>', `destination validator: ${VALIDATOR_ARG}`)
      .argument('<amount>', 'amount in the bond denom, e.g. 500000ubwk, or `all`'),
  )
    .addHelpText('after', examples('bulwark tx staking redelegate alice val0 val1 500000ubwk'))
    .action(
      action<[string, string, string, string], TxOpts>(
        io,
        async (ctx, opts, from, s, d, amountText) => {
          if (amountText !== 'all') coinArg(amountText, 'amount');
          const src = await resolveValidator(ctx, s);
          const dst = await resolveValidator(ctx, d);
          if (src === dst) {
            throw new CliError(
              `the source and destination are the same validator (${src})`,
              'redelegate to another validator',
            );
          }
          const amount = await stakeAmount(ctx, amountText, () => ctx.resolveAddress(from), src);
          await sendMsgs(ctx, opts, from, [redelegateMsg(src, dst, amount)], (events) =>
            eventsOf(events, 'redelegate').flatMap((a) => [
              ['amount', a.amount ?? ''],
              ['matures', time(Number(a.completionTimeMs))],
            ]),
          );
        },
      ),
    );
}

function validatorRows(v: ValidatorView, denom: string): [string, string | number | boolean][] {
  return [
    ['moniker', v.moniker],
    ['operator', v.operator],
    ['status', v.status],
    ['jailed', v.jailed],
    ['tokens', `${v.tokens}${denom}`],
    ['delegator shares', decimal18(v.delegatorShares)],
    ['commission', percent(v.commission.rate, { fixed: true })],
    ['commission max', percent(v.commission.maxRate, { fixed: true })],
    ['commission max change', `${percent(v.commission.maxChangeRate, { fixed: true })} per 24h`],
    ['commission changed', v.commission.updateTimeMs === 0 ? '-' : time(v.commission.updateTimeMs)],
    ['min self delegation', `${v.minSelfDelegation}${denom}`],
    ['consensus address', v.consAddress],
    ['consensus pubkey', v.consPubKey],
    ['created height', v.createdHeight],
  ];
}

/** `bulwark query staking …`. */
export function registerStakingQuery(query: Command, io: Io): void {
  const staking = query
    .command('staking')
    .description('validators, delegations, unbondings, the pools and the active set');

  staking
    .command('validators')
    .description('every validator (or only bonded or unbonded ones)')
    .addOption(new Option('--status <status>', 'only these').choices(['bonded', 'unbonded']))
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      examples(
        'bulwark query staking validators',
        'bulwark query staking validators --status bonded -o json',
      ),
    )
    .action(
      action<[], HeightOpt & { status?: string }>(io, async (ctx, opts) => {
        const args = opts.status === undefined ? {} : { status: opts.status };
        await runQuery<ValidatorView[]>(
          ctx,
          'staking/validators',
          args,
          opts.height,
          async (vs) => {
            if (vs.length === 0) return 'no validators';
            const denom = await bondDenom(ctx);
            // Largest first, then by moniker (the JSON keeps the chain's order, by operator).
            const sorted = [...vs].sort((a, b) => {
              const d = BigInt(b.tokens) - BigInt(a.tokens);
              if (d !== 0n) return d > 0n ? 1 : -1;
              return a.moniker < b.moniker ? -1 : a.moniker > b.moniker ? 1 : 0;
            });
            return table(
              ['moniker', 'operator', 'status', 'jailed', 'tokens', 'commission'],
              sorted.map((v) => [
                v.moniker,
                v.operator,
                v.status,
                v.jailed,
                `${v.tokens}${denom}`,
                percent(v.commission.rate, { fixed: true }),
              ]),
            );
          },
        );
      }),
    );

  staking
    .command('validator')
    .description('one validator')
    .argument('<validator>', VALIDATOR_ARG)
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      examples('bulwark query staking validator val0', 'bulwark query staking validator bwk1…'),
    )
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, v) => {
        const operator = await resolveValidator(ctx, v);
        await runQuery<ValidatorView>(
          ctx,
          'staking/validator',
          { operator },
          opts.height,
          async (val) => kv(validatorRows(val, await bondDenom(ctx))),
        );
      }),
    );

  staking
    .command('delegations')
    .description("a delegator's delegations and what they are worth")
    .argument('<delegator>', 'a bwk1… address or a key name')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query staking delegations alice'))
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, who) => {
        const delegator = await ctx.resolveAddress(who);
        await runQuery<DelegationView[]>(
          ctx,
          'staking/delegations',
          { delegator },
          opts.height,
          async (ds) => {
            if (ds.length === 0) return `${delegator} has no delegations`;
            const [name, denom] = await Promise.all([validatorNames(ctx), bondDenom(ctx)]);
            return table(
              ['validator', 'operator', 'tokens', 'shares'],
              ds.map((d) => [
                name(d.validator),
                d.validator,
                `${d.tokens}${denom}`,
                decimal18(d.shares),
              ]),
            );
          },
        );
      }),
    );

  staking
    .command('delegation')
    .description('one delegation')
    .argument('<delegator>', 'a bwk1… address or a key name')
    .argument('<validator>', VALIDATOR_ARG)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query staking delegation alice val0'))
    .action(
      action<[string, string], HeightOpt>(io, async (ctx, opts, who, v) => {
        const delegator = await ctx.resolveAddress(who);
        const validator = await resolveValidator(ctx, v);
        await runQuery<DelegationView>(
          ctx,
          'staking/delegation',
          { delegator, validator },
          opts.height,
          async (d) => {
            const [name, denom] = await Promise.all([validatorNames(ctx), bondDenom(ctx)]);
            return kv([
              ['delegator', d.delegator],
              [
                'validator',
                `${name(d.validator)}${name(d.validator) === d.validator ? '' : ` (${d.validator})`}`,
              ],
              ['tokens', `${d.tokens}${denom}`],
              ['shares', decimal18(d.shares)],
            ]);
          },
        );
      }),
    );

  staking
    .command('unbondings')
    .description("a delegator's unbonding entries (paid out when they complete)")
    .argument('<delegator>', 'a bwk1… address or a key name')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query staking unbondings alice'))
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, who) => {
        const delegator = await ctx.resolveAddress(who);
        await runQuery<UnbondingView[]>(
          ctx,
          'staking/unbondings',
          { delegator },
          opts.height,
          async (us) => {
            if (us.length === 0) return `${delegator} has nothing unbonding`;
            const [name, denom] = await Promise.all([validatorNames(ctx), bondDenom(ctx)]);
            return table(
              ['validator', 'created', 'completes', 'initial', 'balance'],
              us.flatMap((u) =>
                u.entries.map((e) => [
                  name(u.validator),
                  e.creationHeight,
                  time(e.completionTimeMs),
                  `${e.initialBalance}${denom}`,
                  `${e.balance}${denom}`,
                ]),
              ),
            );
          },
        );
      }),
    );

  staking
    .command('redelegations')
    .description("a delegator's redelegation entries (slashable for the source until they mature)")
    .argument('<delegator>', 'a bwk1… address or a key name')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query staking redelegations alice'))
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, who) => {
        const delegator = await ctx.resolveAddress(who);
        await runQuery<RedelegationView[]>(
          ctx,
          'staking/redelegations',
          { delegator },
          opts.height,
          async (rs) => {
            if (rs.length === 0) return `${delegator} has no redelegations in progress`;
            const [name, denom] = await Promise.all([validatorNames(ctx), bondDenom(ctx)]);
            return table(
              ['src', 'dst', 'created', 'matures', 'initial', 'shares dst'],
              rs.flatMap((r) =>
                r.entries.map((e) => [
                  name(r.src),
                  name(r.dst),
                  e.creationHeight,
                  time(e.completionTimeMs),
                  `${e.initialBalance}${denom}`,
                  decimal18(e.sharesDst),
                ]),
              ),
            );
          },
        );
      }),
    );

  staking
    .command('pool')
    .description('tokens in the bonded and unbonding pools')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query staking pool'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<StakingPoolView>(ctx, 'staking/pool', {}, opts.height, async (p) => {
          const denom = await bondDenom(ctx);
          return kv([
            ['bonded', `${p.bonded}${denom}`],
            ['unbonding', `${p.unbonding}${denom}`],
            ['bonded pool', p.bondedAddress],
            ['unbonding pool', p.unbondingAddress],
          ]);
        });
      }),
    );

  staking
    .command('params')
    .description('the staking parameters')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query staking params'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Record<string, Json>>(ctx, 'staking/params', {}, opts.height, (p) =>
          kv(
            flatten(p).map(([k, v]) => [
              k,
              k === 'unbondingTimeMs' ? `${v} (${duration(Number(v))})` : v,
            ]),
          ),
        );
      }),
    );

  staking
    .command('active-set')
    .description('the consensus set of the current epoch, by power, with proposer priorities')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query staking active-set'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<ActiveSetView>(ctx, 'staking/active-set', {}, opts.height, (s) => {
          const next = s.validators.find((v) => v.consAddress === s.nextProposer);
          return [
            kv([
              ['epoch', s.epoch?.epoch ?? '-'],
              ['epoch start height', s.epoch?.startHeight ?? '-'],
              ['validators', s.validators.length],
              [
                'total power',
                s.validators.reduce((sum, v) => sum + BigInt(v.power), 0n).toString(),
              ],
              ['next proposer', next?.moniker ?? s.nextProposer ?? '-'],
            ]),
            '',
            table(
              ['moniker', 'operator', 'consensus address', 'power', 'priority'],
              s.validators.map((v) => [v.moniker, v.operator, v.consAddress, v.power, v.priority]),
            ),
          ].join('\n');
        });
      }),
    );
}
