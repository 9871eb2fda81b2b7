import type { Command } from 'commander';
import { action } from '../context.ts';
import { kv, table, time } from '../format.ts';
import type { Io } from '../io.ts';

/** `bulwark status`: the node's chain, height and validators. */
export function registerStatus(program: Command, io: Io): void {
  program
    .command('status')
    .description("show the node's chain id, latest block and validators")
    .addHelpText('after', '\nExample:\n  $ bulwark status --node http://127.0.0.1:26657\n')
    .action(
      action<[], object>(io, async (ctx) => {
        const s = await ctx.client.rpc.status();
        ctx.print(s, () =>
          [
            kv([
              ['chain id', s.chainId],
              ['moniker', s.moniker],
              ['version', s.version],
              ['latest height', s.latestHeight],
              ['latest block', s.latestBlockHash],
              ['app hash', s.latestAppHash],
              ['block time', time(s.latestBlockTimeMs)],
              ['earliest height', s.earliestQueryableHeight],
              ['mempool', `${s.mempoolSize} txs`],
              ['catching up', s.catchingUp],
              [
                'local validators',
                s.localValidators.length > 0 ? s.localValidators.join(', ') : 'none',
              ],
            ]),
            '',
            table(
              ['validator', 'address', 'power'],
              s.validators.map((v) => [v.name, v.address, v.power]),
            ),
          ].join('\n'),
        );
      }),
    );
}
