import type { Command } from 'commander';
import { Argument, Option } from 'commander';
import { ArgumentError } from '../../sdk/errors.ts';
import {
  coinFromJson,
  communityPoolSpendProposal,
  depositMsg,
  emergencyPauseProposal,
  executeProposal,
  govMsgsFromJson,
  PROPOSAL_STATUSES,
  type ProposalContent,
  paramChangeProposal,
  paramChangesFromJson,
  proposalContentFromJson,
  submitProposalMsg,
  textProposal,
  VOTE_OPTIONS,
  type VoteOption,
  voteMsg,
} from '../../sdk/msgs/gov.ts';
import type { Coin } from '../../sdk/tx.ts';
import type { CoinJson, Json, ProposalView, TallyView } from '../../sdk/types.ts';
import { action, type Ctx, parseHeight } from '../context.ts';
import { CliError } from '../errors.ts';
import { type Cell, duration, kv, percent, table, time } from '../format.ts';
import type { Io } from '../io.ts';
import {
  coinArg,
  eventsOf,
  examples,
  type HeightOpt,
  heightOption,
  parseProposalId,
  readJsonFile,
  runQuery,
  sendMsgs,
  type TxOpts,
  txOptions,
} from './common.ts';

const FROM_ARG = 'name of the signing key (see `bulwark keys list`)';
const CONTENT_HINT = 'the proposal formats are in docs/modules/gov.md';

interface ProposalOpts {
  title: string;
  description: string;
}

/** Runs `make` and turns its ArgumentError into a usage error about the proposal. */
function content(make: () => ProposalContent): ProposalContent {
  try {
    return make();
  } catch (e) {
    if (e instanceof ArgumentError) throw new CliError(`bad proposal: ${e.message}`, CONTENT_HINT);
    throw e;
  }
}

/** Signs and sends a proposal, printing its id and whether voting started. */
async function submit(
  ctx: Ctx,
  opts: TxOpts,
  from: string,
  c: ProposalContent,
  deposit: Coin,
): Promise<void> {
  await sendMsgs(ctx, opts, from, [submitProposalMsg(c, deposit)], (events) => {
    const id = eventsOf(events, 'gov/submit-proposal')[0]?.proposal_id;
    const voting = eventsOf(events, 'gov/voting-start')[0];
    if (id === undefined) return [];
    return [
      ['proposal id', id],
      [
        'status',
        voting === undefined
          ? 'deposit-period (deposit more with `bulwark tx gov deposit`)'
          : `voting-period until ${time(Number(voting.voting_end_ms))}`,
      ],
    ];
  });
}

/**
 * A proposal shortcut under `submit-proposal`. The deposit and the tx options (--fee, --memo,
 * …) belong to `submit-proposal` itself (commander lets a parent's options appear anywhere
 * after it, so a child may not declare them again); the shortcut reads them from there.
 */
function proposalCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(
      `${description} (give --deposit; it and the tx options are listed with the global options)`,
    )
    .argument('<from>', FROM_ARG)
    .requiredOption('--title <text>', 'title, 1–140 characters')
    .requiredOption('--description <text>', 'description, 1–5000 characters');
}

/** The deposit and tx options of a shortcut (declared on `submit-proposal`). */
function sharedOpts(ctx: Ctx): TxOpts & { deposit: Coin } {
  const o = ctx.opts as unknown as TxOpts & { deposit?: string; file?: string };
  if (o.file !== undefined) {
    throw new CliError(
      '--file is for `submit-proposal FROM --file …`, not for a shortcut',
      'drop --file, or drop the shortcut name',
    );
  }
  if (o.deposit === undefined) {
    throw new CliError(
      'the proposal has no deposit',
      'give --deposit, e.g. --deposit 10000000ubwk (`bulwark query gov params` shows the minDeposit)',
    );
  }
  return { ...o, deposit: coinArg(o.deposit, '--deposit') };
}

/** `bulwark tx gov …`. */
export function registerGovTx(tx: Command, io: Io): void {
  const gov = tx.command('gov').description('proposals, deposits and votes');

  const submitCmd = txOptions(
    gov
      .command('submit-proposal')
      .description('submit a proposal from a JSON file, or with one of the shortcuts below')
      .argument('<from>', FROM_ARG)
      .option(
        '--file <path>',
        'proposal content JSON (docs/modules/gov.md), or {"content": …, "initialDeposit": …}',
      )
      .option(
        '--deposit <coin>',
        'initial deposit, e.g. 10000000ubwk (voting starts once it reaches the minDeposit of `bulwark query gov params`); overrides the file',
      ),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx gov submit-proposal alice --file proposal.json --deposit 10000000ubwk',
        `bulwark tx gov submit-proposal param-change alice --module slashing --changes '{"slashFractionDowntime":"0.01"}' --title "Downtime 1%" --description "…" --deposit 10000000ubwk`,
        'bulwark tx gov submit-proposal text alice --title "Hello" --description "A signal." --deposit 10000000ubwk',
      ),
    )
    .action(
      action<[string], TxOpts & { file?: string; deposit?: string }>(
        io,
        async (ctx, opts, from) => {
          if (opts.file === undefined) {
            throw new CliError(
              'give the proposal with --file, or use a shortcut (param-change, text, community-pool-spend, emergency-pause, execute)',
              'see `bulwark tx gov submit-proposal --help`',
            );
          }
          const json = await readJsonFile(opts.file, 'proposal file');
          const wrapped =
            typeof json === 'object' && json !== null && 'content' in json
              ? (json as { content: unknown; initialDeposit?: unknown; deposit?: unknown })
              : { content: json };
          const c = content(() => proposalContentFromJson(wrapped.content));
          let deposit: Coin;
          if (opts.deposit !== undefined) deposit = coinArg(opts.deposit, '--deposit');
          else if ((wrapped.initialDeposit ?? wrapped.deposit) !== undefined) {
            try {
              deposit = coinFromJson(wrapped.initialDeposit ?? wrapped.deposit, 'initialDeposit');
            } catch (e) {
              throw new CliError(`bad proposal file: ${(e as Error).message}`, CONTENT_HINT);
            }
          } else {
            throw new CliError(
              'the proposal has no deposit',
              'give --deposit, e.g. --deposit 10000000ubwk (`bulwark query gov params` shows the minDeposit)',
            );
          }
          await submit(ctx, opts, from, c, deposit);
        },
      ),
    );

  proposalCommand(submitCmd, 'param-change', 'propose new values for parameters of a module')
    .requiredOption('--module <name>', 'the module whose params change, e.g. slashing')
    .requiredOption(
      '--changes <json>',
      'param name → new value, e.g. \'{"slashFractionDowntime":"0.01"}\' (fractions as decimal strings; "123n" for a bigint)',
    )
    .addHelpText(
      'after',
      examples(
        `bulwark tx gov submit-proposal param-change alice --module slashing --changes '{"slashFractionDowntime":"0.01"}' --title "Downtime 1%" --description "Raise the downtime slash." --deposit 10000000ubwk`,
      ),
    )
    .action(
      action<[string], ProposalOpts & { module: string; changes: string }>(
        io,
        async (ctx, opts, from) => {
          let changes: unknown;
          try {
            changes = JSON.parse(opts.changes);
          } catch (e) {
            throw new CliError(
              `--changes is not JSON: ${(e as Error).message}`,
              `quote the object for the shell: --changes '{"slashFractionDowntime":"0.01"}'`,
            );
          }
          const shared = sharedOpts(ctx);
          const c = content(() =>
            paramChangeProposal({
              title: opts.title,
              description: opts.description,
              module: opts.module,
              changes: paramChangesFromJson(changes),
            }),
          );
          await submit(ctx, shared, from, c, shared.deposit);
        },
      ),
    );

  proposalCommand(submitCmd, 'text', 'propose a text (signal): nothing is executed')
    .addHelpText(
      'after',
      examples(
        'bulwark tx gov submit-proposal text alice --title "Adopt the roadmap" --description "https://…" --deposit 10000000ubwk',
      ),
    )
    .action(
      action<[string], ProposalOpts>(io, async (ctx, opts, from) => {
        const shared = sharedOpts(ctx);
        const c = content(() => textProposal(opts.title, opts.description));
        await submit(ctx, shared, from, c, shared.deposit);
      }),
    );

  proposalCommand(submitCmd, 'community-pool-spend', 'propose a payment from the community pool')
    .requiredOption('--recipient <address>', 'a bwk1… address or a key name')
    .requiredOption('--amount <coin>', 'amount to pay, e.g. 5000000ubwk')
    .addHelpText(
      'after',
      examples(
        'bulwark tx gov submit-proposal community-pool-spend alice --recipient bob --amount 5000000ubwk --title "Fund the explorer" --description "…" --deposit 10000000ubwk',
      ),
    )
    .action(
      action<[string], ProposalOpts & { recipient: string; amount: string }>(
        io,
        async (ctx, opts, from) => {
          const shared = sharedOpts(ctx);
          const amount = coinArg(opts.amount, '--amount');
          const recipient = await ctx.resolveAddress(opts.recipient);
          const c = content(() =>
            communityPoolSpendProposal({
              title: opts.title,
              description: opts.description,
              recipient,
              amount,
            }),
          );
          await submit(ctx, shared, from, c, shared.deposit);
        },
      ),
    );

  proposalCommand(
    submitCmd,
    'emergency-pause',
    'propose to pause a market (executes without the timelock), or to unpause it',
  )
    .requiredOption('--market <id>', 'the market, e.g. BTC-USD-PERP')
    .option('--unpause', 'lift the pause instead (waits for the timelock)')
    .addHelpText(
      'after',
      examples(
        'bulwark tx gov submit-proposal emergency-pause alice --market BTC-USD-PERP --title "Pause BTC" --description "Oracle outage." --deposit 10000000ubwk',
      ),
    )
    .action(
      action<[string], ProposalOpts & { market: string; unpause?: boolean }>(
        io,
        async (ctx, opts, from) => {
          const shared = sharedOpts(ctx);
          const c = content(() =>
            emergencyPauseProposal({
              title: opts.title,
              description: opts.description,
              market: opts.market,
              paused: opts.unpause !== true,
            }),
          );
          await submit(ctx, shared, from, c, shared.deposit);
        },
      ),
    );

  proposalCommand(
    submitCmd,
    'execute',
    'propose msgs that run as the gov module account once it passes (listings: perps/list-market, options/list-series)',
  )
    .requiredOption(
      '--msgs <path>',
      'JSON file: an array of {"type", "value"} (values as the msg takes them; docs/modules/gov.md)',
    )
    .addHelpText(
      'after',
      examples(
        'bulwark tx gov submit-proposal execute alice --msgs listing.json --title "List BTC-USD-2" --description "A second BTC market on its own vault." --deposit 10000000ubwk',
      ),
    )
    .action(
      action<[string], ProposalOpts & { msgs: string }>(io, async (ctx, opts, from) => {
        const shared = sharedOpts(ctx);
        const json = await readJsonFile(opts.msgs, 'msgs file');
        const c = content(() =>
          executeProposal({
            title: opts.title,
            description: opts.description,
            msgs: govMsgsFromJson(json),
          }),
        );
        await submit(ctx, shared, from, c, shared.deposit);
      }),
    );

  txOptions(
    gov
      .command('deposit')
      .description('add to the deposit of a proposal in its deposit period')
      .argument('<from>', FROM_ARG)
      .argument('<id>', 'proposal id', parseProposalId)
      .argument('<amount>', "amount in the proposal's deposit denom, e.g. 5000000ubwk"),
  )
    .addHelpText('after', examples('bulwark tx gov deposit alice 1 5000000ubwk'))
    .action(
      action<[string, number, string], TxOpts>(io, async (ctx, opts, from, id, amountText) => {
        const amount = coinArg(amountText, 'amount');
        await sendMsgs(ctx, opts, from, [depositMsg(id, amount)], (events) => {
          const d = eventsOf(events, 'gov/deposit')[0];
          const voting = eventsOf(events, 'gov/voting-start')[0];
          return [
            ...(d?.total !== undefined ? [['total deposit', d.total] as [string, string]] : []),
            ...(voting !== undefined
              ? [['voting until', time(Number(voting.voting_end_ms))] as [string, string]]
              : []),
          ];
        });
      }),
    );

  txOptions(
    gov
      .command('vote')
      .description('vote on a proposal in its voting period (delegators and operators only)')
      .argument('<from>', FROM_ARG)
      .argument('<id>', 'proposal id', parseProposalId)
      .addArgument(new Argument('<option>', 'your vote').choices([...VOTE_OPTIONS])),
  )
    .addHelpText(
      'after',
      examples('bulwark tx gov vote alice 1 yes', 'bulwark tx gov vote bob 1 veto --no-wait'),
    )
    .action(
      action<[string, number, VoteOption], TxOpts>(io, async (ctx, opts, from, id, option) => {
        await sendMsgs(ctx, opts, from, [voteMsg(id, option)]);
      }),
    );
}

function contentRows(c: ProposalView['content']): [string, Cell][] {
  const rows: [string, Cell][] = [];
  for (const [k, v] of Object.entries(c)) {
    if (k === 'type' || k === 'title' || k === 'description') continue;
    if (k === 'msgs' && Array.isArray(v)) {
      // An execute proposal: one row per msg, its type then its value.
      for (const [i, m] of v.entries()) {
        const { type, value } = (m ?? {}) as { type?: Json; value?: Json };
        rows.push([`msg ${i}`, `${String(type)} ${JSON.stringify(value ?? null)}`]);
      }
      continue;
    }
    rows.push([k, typeof v === 'object' && v !== null ? render(v) : (v as Cell)]);
  }
  return rows;
}

function render(v: Json): string {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'denom' in v && 'amount' in v)
    return `${v.amount}${v.denom}`;
  return JSON.stringify(v);
}

/** `yes 86.7%` style shares of the votes cast. */
function tallyRows(t: TallyView | NonNullable<ProposalView['finalTally']>): [string, Cell][] {
  const voted = BigInt(t.yes) + BigInt(t.no) + BigInt(t.abstain) + BigInt(t.veto);
  const share = (x: string) =>
    voted === 0n
      ? ''
      : ` (${percent(((BigInt(x) * 10n ** 18n) / voted).toString(), { fixed: true })})`;
  const turnout =
    BigInt(t.totalBonded) === 0n
      ? ''
      : ` (${percent(((voted * 10n ** 18n) / BigInt(t.totalBonded)).toString(), { fixed: true })} of bonded)`;
  return [
    ['yes', `${t.yes}${share(t.yes)}`],
    ['no', `${t.no}${share(t.no)}`],
    ['abstain', `${t.abstain}${share(t.abstain)}`],
    ['veto', `${t.veto}${share(t.veto)}`],
    ['voted', `${voted}${turnout}`],
    ['total bonded', t.totalBonded],
  ];
}

const at = (ms: number | null): string | undefined => (ms === null ? undefined : time(ms));

/** `bulwark query gov …`. */
export function registerGovQuery(query: Command, io: Io): void {
  const gov = query
    .command('gov')
    .description('proposals, tallies, votes, deposits and governance parameters');

  gov
    .command('proposals')
    .description('every proposal (or only those with a status)')
    .addOption(new Option('--status <status>', 'only these').choices([...PROPOSAL_STATUSES]))
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      examples('bulwark query gov proposals', 'bulwark query gov proposals --status voting-period'),
    )
    .action(
      action<[], HeightOpt & { status?: string }>(io, async (ctx, opts) => {
        const args = opts.status === undefined ? {} : { status: opts.status };
        await runQuery<ProposalView[]>(ctx, 'gov/proposals', args, opts.height, (ps) =>
          ps.length === 0
            ? 'no proposals'
            : table(
                ['id', 'type', 'title', 'status', 'deposit', 'voting ends'],
                ps.map((p) => [
                  p.id,
                  p.content.type,
                  p.content.title.length > 40
                    ? `${p.content.title.slice(0, 39)}…`
                    : p.content.title,
                  p.status,
                  `${p.totalDeposit.amount}${p.totalDeposit.denom}`,
                  at(p.votingEndTimeMs) ?? '-',
                ]),
              ),
        );
      }),
    );

  gov
    .command('proposal')
    .description('one proposal: content, status, times, deposit and result')
    .argument('<id>', 'proposal id', parseProposalId)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query gov proposal 1'))
    .action(
      action<[number], HeightOpt>(io, async (ctx, opts, id) => {
        await runQuery<ProposalView>(ctx, 'gov/proposal', { id }, opts.height, (p) =>
          kv([
            ['id', p.id],
            ['type', p.content.type],
            ['title', p.content.title],
            ['description', p.content.description],
            ...contentRows(p.content),
            ['status', p.status],
            ['proposer', p.proposer],
            ['submitted', time(p.submitTimeMs)],
            ['deposit', `${p.totalDeposit.amount}${p.totalDeposit.denom} (${p.deposits})`],
            ['deposit ends', p.votingStartTimeMs === null ? time(p.depositEndTimeMs) : undefined],
            ['voting starts', at(p.votingStartTimeMs)],
            ['voting ends', at(p.votingEndTimeMs)],
            ['outcome', p.outcome ?? undefined],
            ...(p.finalTally === null
              ? []
              : tallyRows(p.finalTally).map(([k, v]): [string, Cell] => [`tally ${k}`, v])),
            ['passed', at(p.passTimeMs)],
            ['executes after', at(p.executeAfterMs)],
            ['executed', at(p.executedTimeMs)],
            ['failed because', p.failReason ?? undefined],
          ]),
        );
      }),
    );

  gov
    .command('tally')
    .description("a proposal's tally: live while voting, final after")
    .argument('<id>', 'proposal id', parseProposalId)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query gov tally 1'))
    .action(
      action<[number], HeightOpt>(io, async (ctx, opts, id) => {
        await runQuery<TallyView>(ctx, 'gov/tally', { id }, opts.height, (t) =>
          kv([
            ...tallyRows(t),
            ['outcome', t.live ? `${t.outcome} (if voting ended now)` : t.outcome],
            ['live', t.live],
          ]),
        );
      }),
    );

  gov
    .command('votes')
    .description('the votes cast on a proposal')
    .argument('<id>', 'proposal id', parseProposalId)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query gov votes 1'))
    .action(
      action<[number], HeightOpt>(io, async (ctx, opts, id) => {
        await runQuery<{ voter: string; option: string }[]>(
          ctx,
          'gov/votes',
          { id },
          opts.height,
          (vs) =>
            vs.length === 0
              ? `no votes on proposal ${id}`
              : table(
                  ['voter', 'option'],
                  vs.map((v) => [v.voter, v.option]),
                ),
        );
      }),
    );

  gov
    .command('deposits')
    .description('the deposits made on a proposal')
    .argument('<id>', 'proposal id', parseProposalId)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query gov deposits 1'))
    .action(
      action<[number], HeightOpt>(io, async (ctx, opts, id) => {
        await runQuery<{ depositor: string; amount: CoinJson }[]>(
          ctx,
          'gov/deposits',
          { id },
          opts.height,
          (ds) =>
            ds.length === 0
              ? `no deposits on proposal ${id}`
              : table(
                  ['depositor', 'amount'],
                  ds.map((d) => [d.depositor, `${d.amount.amount}${d.amount.denom}`]),
                ),
        );
      }),
    );

  gov
    .command('params')
    .description('the governance parameters')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query gov params'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Record<string, Json>>(ctx, 'gov/params', {}, opts.height, (p) =>
          kv(
            Object.entries(p).map(([k, v]): [string, Cell] => {
              if (k === 'minDeposit' && typeof v === 'object' && v !== null) return [k, render(v)];
              if (['quorum', 'threshold', 'vetoThreshold'].includes(k))
                return [k, percent(String(v), { fixed: true })];
              if (k.endsWith('Ms') && typeof v === 'number') return [k, `${v} (${duration(v)})`];
              return [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as Cell)];
            }),
          ),
        );
      }),
    );

  gov
    .command('paused-markets')
    .description('markets paused by governance')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query gov paused-markets'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<string[]>(ctx, 'gov/paused-markets', {}, opts.height, (ms) =>
          ms.length === 0 ? 'no paused markets' : ms.join('\n'),
        );
      }),
    );
}
