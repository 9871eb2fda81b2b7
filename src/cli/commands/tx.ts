import type { Command } from 'commander';
import { bankSendMsg } from '../../sdk/tx.ts';
import { action } from '../context.ts';
import type { Io } from '../io.ts';
import { coinArg, examples, sendMsgs, type TxOpts, txOptions } from './common.ts';
import { registerDistributionTx } from './distribution.ts';
import { registerGovTx } from './gov.ts';
import { registerOptionsTx } from './options.ts';
import { registerPerpsTx } from './perps.ts';
import { registerSlashingTx } from './slashing.ts';
import { registerStakingTx } from './staking.ts';
import { registerVaultTx } from './vault.ts';

/**
 * `bulwark tx …`: signs with a key of the keyring, broadcasts, waits for the block (bank,
 * staking, slashing, distribution, gov).
 */
export function registerTx(program: Command, io: Io): void {
  const tx = program
    .command('tx')
    .description('sign and broadcast transactions')
    .addHelpText(
      'after',
      examples(
        'bulwark tx bank send alice bob 1500000ubwk',
        'bulwark tx staking delegate alice val0 1000000ubwk',
        'bulwark tx gov vote alice 1 yes',
      ),
    );
  const bank = tx.command('bank').description('bank transactions');

  txOptions(
    bank
      .command('send')
      .description('send coins from a key of the keyring to an account')
      .argument('<from>', 'name of the signing key (see `bulwark keys list`)')
      .argument('<to>', 'recipient: a key name or a bwk1… address')
      .argument('<amount>', 'amount and denom, e.g. 1500ubwk'),
  )
    .addHelpText(
      'after',
      examples(
        'bulwark tx bank send alice bob 1500000ubwk',
        'bulwark tx bank send alice bwk1… 25uusd --fee 200ubwk --memo "rent" --no-wait',
      ),
    )
    .action(
      action<[string, string, string], TxOpts>(io, async (ctx, opts, from, to, amountText) => {
        const amount = coinArg(amountText, 'amount');
        const recipient = await ctx.resolveAddress(to);
        await sendMsgs(ctx, opts, from, [bankSendMsg(recipient, amount)]);
      }),
    );

  registerStakingTx(tx, io);
  registerSlashingTx(tx, io);
  registerDistributionTx(tx, io);
  registerGovTx(tx, io);
  registerVaultTx(tx, io);
  registerPerpsTx(tx, io);
  registerOptionsTx(tx, io);
}
