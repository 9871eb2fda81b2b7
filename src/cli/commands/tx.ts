import type { Command } from 'commander';
import { TxError } from '../../sdk/errors.ts';
import { type Coin, toCoin } from '../../sdk/tx.ts';
import { action, parsePositiveInt } from '../context.ts';
import { CliError } from '../errors.ts';
import { kv } from '../format.ts';
import type { Io } from '../io.ts';

interface SendOpts {
  fee?: string;
  memo?: string;
  wait: boolean;
  timeout?: number;
  passphraseStdin?: boolean;
}

const COIN_HINT =
  'write an amount as an integer of base units followed by the denom, e.g. 1500ubwk';

function coinArg(text: string, what: string): Coin {
  try {
    return toCoin(text);
  } catch (e) {
    throw new CliError(`bad ${what}: ${(e as Error).message}`, COIN_HINT);
  }
}

/** `bulwark tx bank send`: signs with a key of the keyring, broadcasts, waits for the block. */
export function registerTx(program: Command, io: Io): void {
  const tx = program.command('tx').description('sign and broadcast transactions');
  const bank = tx.command('bank').description('bank transactions');

  bank
    .command('send')
    .description('send coins from a key of the keyring to an account')
    .argument('<from>', 'name of the signing key (see `bulwark keys list`)')
    .argument('<to>', 'recipient: a key name or a bwk1… address')
    .argument('<amount>', 'amount and denom, e.g. 1500ubwk')
    .option('--fee <coin>', 'fee, e.g. 200ubwk (default: the minimum fee of `auth/params`)')
    .option('--memo <text>', 'a note stored with the tx (up to 256 characters)')
    .option('--no-wait', 'return once the node accepted the tx, without waiting for its block')
    .option(
      '--timeout <ms>',
      'how long to wait for the block (default 10000, at most 60000)',
      parsePositiveInt,
    )
    .option('--passphrase-stdin', "read the key's passphrase from stdin (else $BULWARK_PASSPHRASE)")
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark tx bank send alice bob 1500000ubwk\n  $ bulwark tx bank send alice bwk1… 25uusd --fee 200ubwk --memo "rent" --no-wait\n',
    )
    .action(
      action<[string, string, string], SendOpts>(io, async (ctx, opts, from, to, amountText) => {
        const amount = coinArg(amountText, 'amount');
        const fee = opts.fee === undefined ? undefined : coinArg(opts.fee, '--fee');
        if (opts.memo !== undefined && opts.memo.length > 256) {
          throw new CliError(
            `--memo is ${opts.memo.length} characters, the limit is 256`,
            'shorten the memo',
          );
        }
        if (opts.timeout !== undefined && opts.timeout > 60_000) {
          throw new CliError(`--timeout ${opts.timeout} is above 60000 ms`, 'use at most 60000');
        }
        const recipient = await ctx.resolveAddress(to);
        const signer = await ctx.signer(from, opts.passphraseStdin === true);
        try {
          const res = await ctx.client.bankSend(signer, recipient, amount, {
            ...(fee !== undefined ? { fee } : {}),
            ...(opts.memo !== undefined ? { memo: opts.memo } : {}),
            ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
            waitForCommit: opts.wait,
          });
          ctx.print(res.response, () =>
            kv([
              ['hash', res.hash],
              ['height', res.height ?? 'pending (in the mempool)'],
              ['code', res.code],
            ]),
          );
        } catch (e) {
          if (e instanceof TxError) {
            ctx.print(e.result, () =>
              kv([
                ['hash', e.hash],
                ['height', e.height ?? '- (refused, not in a block)'],
                ['code', `${e.code} (${e.codeName})`],
                ['log', e.log],
              ]),
            );
          }
          throw e;
        }
      }),
    );
}
