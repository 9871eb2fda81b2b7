import { join } from 'node:path';
import type { Command } from 'commander';
import type { KeyInfo } from '../../node/keystore.ts';
import { action } from '../context.ts';
import { CliError } from '../errors.ts';
import { kv, table } from '../format.ts';
import type { Io } from '../io.ts';

const storage = (k: KeyInfo) => (k.encrypted ? 'encrypted' : 'unencrypted (devnet only)');

/** `bulwark keys add|list|show`: the account keys in `<home>/keys`. */
export function registerKeys(program: Command, io: Io): void {
  const keys = program
    .command('keys')
    .description('manage the account keys in <home>/keys')
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark keys list\n  $ BULWARK_PASSPHRASE=… bulwark keys add carol\n',
    );

  keys
    .command('add')
    .description(
      'create a key; its seed is encrypted with a passphrase unless --devnet-unencrypted',
    )
    .argument('<name>', 'key name: letters, digits, _ and -')
    .option(
      '--passphrase-stdin',
      'read the passphrase from the first line of stdin (else $BULWARK_PASSPHRASE)',
    )
    .option('--devnet-unencrypted', 'store the seed in clear (throwaway devnet keys only)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ echo "correct horse battery" | bulwark keys add carol --passphrase-stdin\n  $ bulwark keys add dave --devnet-unencrypted\n',
    )
    .action(
      action<[string], { passphraseStdin?: boolean; devnetUnencrypted?: boolean }>(
        io,
        async (ctx, opts, name) => {
          if (opts.passphraseStdin && opts.devnetUnencrypted) {
            throw new CliError(
              '--passphrase-stdin and --devnet-unencrypted exclude each other',
              'give a passphrase for a real key, or none with --devnet-unencrypted',
            );
          }
          let passphrase: string | undefined;
          if (!opts.devnetUnencrypted) {
            passphrase = await ctx.passphrase(
              opts.passphraseStdin === true,
              `Passphrase for ${name}: `,
            );
            if (passphrase === undefined || passphrase === '') {
              throw new CliError(
                `key ${name} needs a passphrase to encrypt its seed`,
                'pipe it in with --passphrase-stdin, set BULWARK_PASSPHRASE, or use --devnet-unencrypted for a devnet key',
              );
            }
          }
          const keystore = await ctx.keystore();
          const k = await keystore.add(name, passphrase === undefined ? {} : { passphrase });
          const file = join(keystore.dir, `${name}.json`);
          if (!k.encrypted)
            ctx.warn(`${name} is stored unencrypted in ${file}: use it on a devnet only.`);
          ctx.print(k, () =>
            kv([
              ['name', k.name],
              ['address', k.address],
              ['pubkey', k.pubKey],
              ['storage', storage(k)],
              ['file', file],
            ]),
          );
        },
      ),
    );

  keys
    .command('list')
    .description('list the keys')
    .action(
      action<[], object>(io, async (ctx) => {
        const keystore = await ctx.keystore();
        const list = await keystore.list();
        ctx.print(list, () =>
          list.length === 0
            ? `no keys in ${keystore.dir} (add one with \`bulwark keys add NAME\`)`
            : table(
                ['name', 'address', 'storage'],
                list.map((k) => [k.name, k.address, storage(k)]),
              ),
        );
      }),
    );

  keys
    .command('show')
    .description("show a key's address and public key")
    .argument('<name>', 'key name')
    .option('--address', 'print only the address')
    .addHelpText('after', '\nExample:\n  $ bulwark keys show alice --address\n')
    .action(
      action<[string], { address?: boolean }>(io, async (ctx, opts, name) => {
        const k = await (await ctx.keystore()).show(name);
        if (opts.address) {
          io.stdout(`${ctx.output === 'json' ? JSON.stringify(k.address) : k.address}\n`);
          return;
        }
        ctx.print(k, () =>
          kv([
            ['name', k.name],
            ['address', k.address],
            ['pubkey', k.pubKey],
            ['storage', storage(k)],
          ]),
        );
      }),
    );
}
