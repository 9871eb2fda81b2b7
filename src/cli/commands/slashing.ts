import type { Command } from 'commander';
import { ArgumentError } from '../../sdk/errors.ts';
import { evidenceFromJson, submitEvidenceMsg, unjailMsg } from '../../sdk/msgs/slashing.ts';
import type { Msg } from '../../sdk/tx.ts';
import type { Json, SigningInfoView } from '../../sdk/types.ts';
import { action, parseHeight } from '../context.ts';
import { CliError } from '../errors.ts';
import { flatten, kv, percent, table, time } from '../format.ts';
import type { Io } from '../io.ts';
import {
  eventsOf,
  examples,
  type HeightOpt,
  heightOption,
  readJsonFile,
  resolveValidator,
  runQuery,
  sendMsgs,
  type TxOpts,
  txOptions,
  validatorList,
} from './common.ts';

const FRACTIONS = ['minSignedPerWindow', 'slashFractionDoubleSign', 'slashFractionDowntime'];

/**
 * The evidence in a file: one evidence object, `{ "evidence": … }` (a msg), a list of them,
 * or a block as `bulwark query block -o json` prints it (its `block.evidence`).
 */
export function evidenceItems(json: unknown): unknown[] {
  const o = json as { evidence?: unknown; block?: { evidence?: unknown } } | null;
  if (Array.isArray(json)) return json;
  if (o !== null && typeof o === 'object') {
    if (o.block !== undefined && typeof o.block === 'object' && o.block !== null)
      return Array.isArray(o.block.evidence) ? o.block.evidence : [];
    if (Array.isArray(o.evidence)) return o.evidence;
    if (o.evidence !== undefined && !('voteA' in o)) return [o.evidence];
  }
  return [json];
}

/** "forever", "-" (never jailed) or the time. */
function jailedUntil(ms: number): string {
  if (ms >= Number.MAX_SAFE_INTEGER) return 'forever (tombstoned)';
  return ms === 0 ? '-' : time(ms);
}

/** `bulwark tx slashing …`. */
export function registerSlashingTx(tx: Command, io: Io): void {
  const slashing = tx.command('slashing').description('unjail a validator, report double signing');

  txOptions(
    slashing
      .command('unjail')
      .description("release the --from key's validator once its jail time is over")
      .requiredOption('--from <key>', 'name of the operator key'),
  )
    .addHelpText('after', examples('bulwark tx slashing unjail --from val0'))
    .action(
      action<[], TxOpts & { from: string }>(io, async (ctx, opts) => {
        await sendMsgs(ctx, opts, opts.from, [unjailMsg()]);
      }),
    );

  txOptions(
    slashing
      .command('submit-evidence')
      .description('submit proof that a validator signed two blocks at one height and round')
      .requiredOption('--from <key>', 'name of the signing key (anyone may submit)')
      .requiredOption(
        '--file <path>',
        'JSON: an evidence object (docs/modules/slashing.md), a list of them, or a block from `bulwark query block -o json`',
      ),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx slashing submit-evidence --from alice --file evidence.json',
        'bulwark query block 120 -o json > block.json && bulwark tx slashing submit-evidence --from alice --file block.json',
      ),
    )
    .action(
      action<[], TxOpts & { from: string; file: string }>(io, async (ctx, opts) => {
        const items = evidenceItems(await readJsonFile(opts.file, 'evidence file'));
        if (items.length === 0) {
          throw new CliError(
            `${opts.file} holds no evidence`,
            'a block without misbehavior has `"evidence": []`; see docs/modules/slashing.md for the format',
          );
        }
        let msgs: Msg[];
        try {
          msgs = items.map((e) => submitEvidenceMsg(evidenceFromJson(e)));
        } catch (e) {
          if (e instanceof ArgumentError) {
            throw new CliError(
              `bad evidence in ${opts.file}: ${e.message}`,
              'the format is in docs/modules/slashing.md (two votes: type, chainId, height, round, blockHash, validator, signature)',
            );
          }
          throw e;
        }
        await sendMsgs(ctx, opts, opts.from, msgs, (events) =>
          eventsOf(events, 'tombstone').map((a): [string, string] => [
            'tombstoned',
            a.validator ?? '',
          ]),
        );
      }),
    );
}

/** `bulwark query slashing …`. */
export function registerSlashingQuery(query: Command, io: Io): void {
  const slashing = query
    .command('slashing')
    .description('liveness records, jail times, tombstones and slashing parameters');

  slashing
    .command('signing-info')
    .description("a validator's liveness record, jail time and tombstone")
    .argument(
      '<validator>',
      'consensus address (40 hex), operator address (bwk1…), moniker, or name of the operator key',
    )
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      examples(
        'bulwark query slashing signing-info val0',
        'bulwark query slashing signing-info 1514ef00f155a36f6b9e4b6848262f2ddcb016ce',
      ),
    )
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, v) => {
        const args = /^[0-9a-fA-F]{40}$/.test(v)
          ? { consAddress: v.toLowerCase() }
          : { operator: await resolveValidator(ctx, v) };
        await runQuery<SigningInfoView>(ctx, 'slashing/signing-info', args, opts.height, (i) =>
          kv([
            ['consensus address', i.consAddress],
            ['start height', i.startHeight],
            ['missed blocks', `${i.missedBlocksCounter} of the last ${i.window}`],
            ['index offset', i.indexOffset],
            ['jailed until', jailedUntil(i.jailedUntilMs)],
            ['tombstoned', i.tombstoned],
            ['last height', i.lastHeight],
            ['power', i.power],
            [
              'missed slots',
              i.missedSlots === undefined || i.missedSlots.length === 0
                ? 'none'
                : i.missedSlots.join(' '),
            ],
          ]),
        );
      }),
    );

  slashing
    .command('signing-infos')
    .description('the signing info of every validator that has been in a commit')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query slashing signing-infos'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<SigningInfoView[]>(
          ctx,
          'slashing/signing-infos',
          {},
          opts.height,
          async (is) => {
            if (is.length === 0) return 'no signing infos yet';
            let monikers = new Map<string, string>();
            try {
              monikers = new Map((await validatorList(ctx)).map((v) => [v.consAddress, v.moniker]));
            } catch {
              // Without monikers, addresses alone.
            }
            return table(
              ['validator', 'consensus address', 'start', 'missed', 'jailed until', 'tombstoned'],
              is.map((i) => [
                monikers.get(i.consAddress) ?? '-',
                i.consAddress,
                i.startHeight,
                `${i.missedBlocksCounter}/${i.window}`,
                jailedUntil(i.jailedUntilMs),
                i.tombstoned,
              ]),
            );
          },
        );
      }),
    );

  slashing
    .command('params')
    .description('the slashing parameters (fractions as decimal strings)')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query slashing params'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Record<string, Json>>(ctx, 'slashing/params', {}, opts.height, (p) =>
          kv(flatten(p).map(([k, v]) => [k, FRACTIONS.includes(k) ? `${v} (${percent(v)})` : v])),
        );
      }),
    );
}
