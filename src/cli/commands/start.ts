import { join } from 'node:path';
import type { Command } from 'commander';
import { Keystore } from '../../node/keystore.ts';
import { action, parsePositiveInt } from '../context.ts';
import { CliError } from '../errors.ts';
import { kv, table } from '../format.ts';
import type { Io } from '../io.ts';

interface StartOpts {
  rpcAddr?: string;
  blockInterval?: number;
  logLevel?: string;
  devnet?: boolean;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** `bulwark start`: runs a node in the foreground until Ctrl-C or SIGTERM. */
export function registerStart(program: Command, io: Io): void {
  program
    .command('start')
    .description('run a node in the foreground; Ctrl-C or SIGTERM stops it cleanly')
    .option(
      '--rpc-addr <host:port>',
      'where to serve JSON-RPC, WebSocket and metrics (default: from the config, 127.0.0.1:26657)',
    )
    .option('--block-interval <ms>', 'time between blocks', parsePositiveInt)
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`)
    .option('--devnet', 'create a devnet home first when there is none')
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark start --devnet\n  $ bulwark start --home /tmp/bulwark --rpc-addr 127.0.0.1:36657\n',
    )
    .action(
      action<[], StartOpts>(io, async (ctx, opts) => {
        if (opts.rpcAddr !== undefined && !/^[^:\s]+:\d{1,5}$/.test(opts.rpcAddr)) {
          throw new CliError(
            `invalid --rpc-addr ${JSON.stringify(opts.rpcAddr)}`,
            'use HOST:PORT, e.g. 127.0.0.1:26657',
          );
        }
        if (opts.logLevel !== undefined && !LOG_LEVELS.includes(opts.logLevel)) {
          throw new CliError(
            `invalid --log-level ${JSON.stringify(opts.logLevel)}`,
            `use one of ${LOG_LEVELS.join(', ')}`,
          );
        }
        const home = await ctx.home();
        const homeMod = await io.loadHome();
        if (!(await homeMod.homeExists(home))) {
          if (!opts.devnet) {
            throw new CliError(
              `no Bulwark home at ${home}`,
              'create one with `bulwark init`, or run `bulwark start --devnet`',
            );
          }
          const r = await homeMod.initHome({
            home,
            ...(opts.blockInterval !== undefined ? { blockIntervalMs: opts.blockInterval } : {}),
          });
          if (ctx.output === 'text')
            io.stdout(`Created a devnet home in ${r.home} (chain ${r.chainId}).\n`);
        }
        const { startNode } = await io.loadNode();
        const node = await startNode({
          home,
          ...(opts.rpcAddr !== undefined ? { rpcAddr: opts.rpcAddr } : {}),
          ...(opts.blockInterval !== undefined ? { blockIntervalMs: opts.blockInterval } : {}),
          ...(opts.logLevel !== undefined ? { logLevel: opts.logLevel } : {}),
        });
        try {
          const devnetKeys = (await new Keystore(join(home, 'keys')).list()).filter(
            (k) => !k.encrypted,
          );
          ctx.print(
            {
              chainId: node.api.chainId,
              home,
              rpcUrl: node.rpcUrl,
              wsUrl: node.wsUrl,
              metricsUrl: node.metricsUrl,
              accounts: devnetKeys.map((k) => ({ name: k.name, address: k.address })),
            },
            () =>
              [
                `Bulwark node running: chain ${node.api.chainId}, home ${home}`,
                kv([
                  ['JSON-RPC', node.rpcUrl],
                  ['WebSocket', node.wsUrl],
                  ['metrics', node.metricsUrl],
                ]),
                ...(devnetKeys.length > 0
                  ? [
                      '',
                      `Devnet accounts (unencrypted keys in ${join(home, 'keys')}: devnet only):`,
                      table(
                        ['name', 'address'],
                        devnetKeys.map((k) => [k.name, k.address]),
                      ),
                    ]
                  : []),
                '',
                'Press Ctrl-C to stop.',
              ].join('\n'),
          );
          const signal = await io.untilStopped();
          if (ctx.output === 'text') io.stdout(`${signal}: stopping…\n`);
        } finally {
          await node.stop();
        }
        if (ctx.output === 'text') io.stdout('Stopped.\n');
      }),
    );
}
