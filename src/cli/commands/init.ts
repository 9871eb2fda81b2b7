import type { Command } from 'commander';
import { action, parsePositiveInt } from '../context.ts';
import { CliError } from '../errors.ts';
import { kv, table } from '../format.ts';
import type { Io } from '../io.ts';

interface InitOpts {
  chainId?: string;
  validators?: number;
  overwrite?: boolean;
  blockInterval?: number;
  preset?: string;
}

const PRESETS = ['devnet', 'mainnet-like'] as const;

/** `bulwark init`: a devnet home with a genesis, validator keys and the accounts alice and bob. */
export function registerInit(program: Command, io: Io): void {
  program
    .command('init')
    .description(
      'create a node home: config, genesis, validator keys, devnet accounts alice and bob',
    )
    .option('--chain-id <id>', 'chain id (default: bulwark-devnet)')
    .option('--validators <n>', 'number of validators (default: 4)', parsePositiveInt)
    .option('--block-interval <ms>', 'time between blocks, written to the config', parsePositiveInt)
    .option('--overwrite', 'replace an existing home (its chain data is deleted)')
    .option(
      '--preset <name>',
      'parameter preset: devnet (minutes-long periods) or mainnet-like (21-day unbonding, week-long votes)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark init --home /tmp/bulwark --chain-id bulwark-local --validators 1\n  $ bulwark init --home /tmp/bulwark-ml --preset mainnet-like\n',
    )
    .action(
      action<[], InitOpts>(io, async (ctx, opts) => {
        if (opts.preset !== undefined && !(PRESETS as readonly string[]).includes(opts.preset)) {
          throw new CliError(
            `unknown --preset ${JSON.stringify(opts.preset)}`,
            `use one of ${PRESETS.join(', ')}`,
          );
        }
        const home = await ctx.home();
        const mod = await io.loadHome();
        if (!opts.overwrite && (await mod.homeExists(home))) {
          throw new CliError(
            `${home} already holds a chain`,
            'start it with `bulwark start`, pick another --home, or replace it with --overwrite',
          );
        }
        const r = await mod.initHome({
          home,
          ...(opts.chainId !== undefined ? { chainId: opts.chainId } : {}),
          ...(opts.validators !== undefined ? { validators: opts.validators } : {}),
          ...(opts.blockInterval !== undefined ? { blockIntervalMs: opts.blockInterval } : {}),
          ...(opts.overwrite ? { overwrite: true } : {}),
          ...(opts.preset !== undefined ? { preset: opts.preset as (typeof PRESETS)[number] } : {}),
        });
        ctx.print(r, () =>
          [
            kv([
              ['home', r.home],
              ['chain id', r.chainId],
            ]),
            '',
            table(
              ['validator', 'address'],
              r.validators.map((v) => [v.name, v.address]),
            ),
            '',
            table(
              ['account', 'address'],
              r.accounts.map((a) => [a.name, a.address]),
            ),
            '',
            'The accounts are devnet keys, stored unencrypted. Start the node with `bulwark start`.',
          ].join('\n'),
        );
      }),
    );
}
