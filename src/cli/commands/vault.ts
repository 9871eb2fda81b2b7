import type { Command } from 'commander';
import type { Msg } from '../../sdk/tx.ts';
import type { Json } from '../../sdk/types.ts';
import { action, parseHeight } from '../context.ts';
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

const FROM_ARG = 'name of the signing key (see `bulwark keys list`)';
const VAULT_ARG = "the vault's id: its market, e.g. BTC-USD";

/** Shares are 18-decimal fixed point; `12.5` → 12.5 × 10^18. */
function sharesArg(text: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(text);
  if (m === null)
    throw new CliError(
      `invalid shares ${JSON.stringify(text)}`,
      'give a decimal number of shares, e.g. 1000 or 12.5',
    );
  const shares = BigInt(m[1] as string) * 10n ** 18n + BigInt((m[2] ?? '').padEnd(18, '0'));
  if (shares <= 0n)
    throw new CliError('shares must be positive', 'give a number of shares above 0');
  return shares;
}

/** `bulwark tx vault …`: stake uusd in a market's vault, and leave it after the cooldown. */
export function registerVaultTx(tx: Command, io: Io): void {
  const vault = tx
    .command('vault')
    .description(
      "stake uusd in a market's vault (it earns the market's fees and takes its losses first)",
    );

  txOptions(
    vault
      .command('deposit')
      .description("deposit uusd into a vault, for shares at the vault's current equity per share")
      .argument('<from>', FROM_ARG)
      .argument('<vault>', VAULT_ARG)
      .argument('<amount>', 'amount of uusd, e.g. 1000000000uusd'),
  )
    .addHelpText('after', examples('bulwark tx vault deposit alice BTC-USD 1000000000uusd'))
    .action(
      action<[string, string, string], TxOpts>(io, async (ctx, opts, from, id, amountText) => {
        const msg: Msg = {
          type: 'vaults/deposit',
          value: { vault: id, amount: uusdArg(amountText) },
        };
        await sendMsgs(ctx, opts, from, [msg]);
      }),
    );

  txOptions(
    vault
      .command('request-withdraw')
      .description('earmark shares for withdrawal; they can be withdrawn after the cooldown')
      .argument('<from>', FROM_ARG)
      .argument('<vault>', VAULT_ARG)
      .argument('<shares>', 'number of shares (decimal), see `bulwark query vault shares`'),
  )
    .addHelpText('after', examples('bulwark tx vault request-withdraw alice BTC-USD 500'))
    .action(
      action<[string, string, string], TxOpts>(io, async (ctx, opts, from, id, sharesText) => {
        const msg: Msg = {
          type: 'vaults/request-withdraw',
          value: { vault: id, shares: sharesArg(sharesText) },
        };
        await sendMsgs(ctx, opts, from, [msg]);
      }),
    );

  txOptions(
    vault
      .command('cancel-withdraw')
      .description('cancel pending withdrawal requests (all, or one by its number)')
      .argument('<from>', FROM_ARG)
      .argument('<vault>', VAULT_ARG)
      .option(
        '--request <n>',
        'the request number, from `bulwark query vault shares`',
        parseHeight,
      ),
  )
    .addHelpText('after', examples('bulwark tx vault cancel-withdraw alice BTC-USD'))
    .action(
      action<[string, string], TxOpts & { request?: number }>(io, async (ctx, opts, from, id) => {
        const value =
          opts.request === undefined ? { vault: id } : { vault: id, request: opts.request };
        await sendMsgs(ctx, opts, from, [{ type: 'vaults/cancel-withdraw', value }]);
      }),
    );

  txOptions(
    vault
      .command('withdraw')
      .description('withdraw every request whose cooldown is over, at the current share price')
      .argument('<from>', FROM_ARG)
      .argument('<vault>', VAULT_ARG),
  )
    .addHelpText('after', examples('bulwark tx vault withdraw alice BTC-USD'))
    .action(
      action<[string, string], TxOpts>(io, async (ctx, opts, from, id) => {
        await sendMsgs(ctx, opts, from, [{ type: 'vaults/withdraw', value: { vault: id } }]);
      }),
    );
}

/** `bulwark query vault …`. */
export function registerVaultQuery(query: Command, io: Io): void {
  const vault = query
    .command('vault')
    .description("markets' staking vaults: equity, locked capital, shares");

  vault
    .command('list')
    .description('every vault')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query vault list'))
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Record<string, Json>[]>(ctx, 'vaults/list', {}, opts.height, (vs) =>
          table(
            ['vault', 'equity', 'locked', 'free', 'share price'],
            vs.map((v) => [
              String(v.id),
              String(v.equity),
              String(v.locked),
              String(v.free),
              String(v.sharePrice),
            ]),
          ),
        );
      }),
    );

  vault
    .command('info')
    .description("a vault's equity, cash, locked and free capital, shares and share price")
    .argument('<vault>', VAULT_ARG)
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query vault info BTC-USD'))
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, id) => {
        await runQuery<Record<string, Json>>(ctx, 'vaults/info', { vault: id }, opts.height, (v) =>
          kv(flatten(v)),
        );
      }),
    );

  vault
    .command('shares')
    .description("an owner's shares in a vault, their value and pending withdrawal requests")
    .argument('<vault>', VAULT_ARG)
    .argument('<owner>', 'a bwk1… address or a key name')
    .option(...heightOption, parseHeight)
    .addHelpText('after', examples('bulwark query vault shares BTC-USD alice'))
    .action(
      action<[string, string], HeightOpt>(io, async (ctx, opts, id, who) => {
        const owner = await ctx.resolveAddress(who);
        await runQuery<Record<string, Json>>(
          ctx,
          'vaults/shares',
          { vault: id, owner },
          opts.height,
          (v) => kv(flatten(v)),
        );
      }),
    );
}
