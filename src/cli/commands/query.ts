import type { Command } from 'commander';
import { codeName } from '../../sdk/errors.ts';
import { describeTx, hashOfTx } from '../../sdk/tx.ts';
import type { Json } from '../../sdk/types.ts';
import { action, parseHeight } from '../context.ts';
import { CliError } from '../errors.ts';
import { attributes, flatten, kv, table, time } from '../format.ts';
import type { Io } from '../io.ts';
import { type HeightOpt, heightOption, runQuery } from './common.ts';
import { registerDistributionQuery } from './distribution.ts';
import { registerGovQuery } from './gov.ts';
import { registerOptionsQuery } from './options.ts';
import { registerOracleQuery } from './oracle.ts';
import { registerPerpsQuery } from './perps.ts';
import { registerRiskQuery } from './risk.ts';
import { registerSlashingQuery } from './slashing.ts';
import { registerStakingQuery } from './staking.ts';
import { registerVaultQuery } from './vault.ts';

/** `bulwark query …`: chain state, blocks and txs. */
export function registerQuery(program: Command, io: Io): void {
  const query = program
    .command('query')
    .alias('q')
    .description('read chain state, blocks and txs from the node')
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark query bank balance alice\n  $ bulwark query staking validators\n  $ bulwark query tx 9F86D081…\n  $ bulwark query raw auth/params\n',
    );

  const bank = query.command('bank').description('balances, supply and bank parameters');
  bank
    .command('balance')
    .description('balances of an account (every denom, or one with --denom)')
    .argument('<account>', 'a bwk1… address or a key name')
    .option('--denom <denom>', 'only this denom, e.g. ubwk')
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark query bank balance alice\n  $ bulwark query bank balance bwk1… --denom uusd\n',
    )
    .action(
      action<[string], HeightOpt & { denom?: string }>(io, async (ctx, opts, account) => {
        const address = await ctx.resolveAddress(account);
        const args = opts.denom === undefined ? { address } : { address, denom: opts.denom };
        await runQuery<Json>(ctx, 'bank/balance', args, opts.height, (value) => {
          const coins = (Array.isArray(value) ? value : [value]) as {
            denom: string;
            amount: string;
          }[];
          if (coins.length === 0) return `${address} holds nothing`;
          return table(
            ['denom', 'amount'],
            coins.map((c) => [c.denom, c.amount]),
          );
        });
      }),
    );
  bank
    .command('supply')
    .description('minted, burned, fee pool and circulating amounts of every denom')
    .option(...heightOption, parseHeight)
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<
          { denom: string; minted: string; burned: string; feePool: string; circulating: string }[]
        >(ctx, 'bank/supply', {}, opts.height, (rows) =>
          table(
            ['denom', 'minted', 'burned', 'fee pool', 'circulating'],
            rows.map((r) => [r.denom, r.minted, r.burned, r.feePool, r.circulating]),
          ),
        );
      }),
    );
  bank
    .command('params')
    .description('the bank parameters: known denoms, whether sends are enabled')
    .option(...heightOption, parseHeight)
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Json>(ctx, 'bank/params', {}, opts.height, (v) => kv(flatten(v)));
      }),
    );

  const auth = query.command('auth').description('fee and message rules');
  auth
    .command('params')
    .description('fee denom, minimum fee and message limit')
    .option(...heightOption, parseHeight)
    .action(
      action<[], HeightOpt>(io, async (ctx, opts) => {
        await runQuery<Json>(ctx, 'auth/params', {}, opts.height, (v) => kv(flatten(v)));
      }),
    );

  registerStakingQuery(query, io);
  registerSlashingQuery(query, io);
  registerDistributionQuery(query, io);
  registerGovQuery(query, io);
  registerOracleQuery(query, io);
  registerVaultQuery(query, io);
  registerPerpsQuery(query, io);
  registerOptionsQuery(query, io);
  registerRiskQuery(query, io);

  query
    .command('account')
    .description("an account's next nonce")
    .argument('<account>', 'a bwk1… address or a key name')
    .option(...heightOption, parseHeight)
    .action(
      action<[string], HeightOpt>(io, async (ctx, opts, account) => {
        const address = await ctx.resolveAddress(account);
        await runQuery<{ address: string; nonce: number }>(
          ctx,
          'auth/account',
          { address },
          opts.height,
          (v) =>
            kv([
              ['address', v.address],
              ['nonce', v.nonce],
            ]),
        );
      }),
    );

  query
    .command('block')
    .description('a block (the latest when no height is given)')
    .argument('[height]', 'block height', parseHeight)
    .action(
      action<[number?], object>(io, async (ctx, _opts, height) => {
        const b = await ctx.client.rpc.block(height);
        const h = b.block.header;
        ctx.print(b, () =>
          [
            kv([
              ['height', h.height],
              ['hash', b.hash],
              ['time', time(h.timeMs)],
              ['chain id', h.chainId],
              ['proposer', h.proposer],
              ['app hash', h.appHash],
              ['last block', h.lastBlockHash],
              ['txs', b.block.txs.length],
              ['signatures', b.commit.signatures.length],
            ]),
            ...b.block.txs.map((t, i) => `  tx ${i}  ${hashOfTx(t)}`),
          ].join('\n'),
        );
      }),
    );

  query
    .command('block-results')
    .description('what executing a block produced (the latest when no height is given)')
    .argument('[height]', 'block height', parseHeight)
    .action(
      action<[number?], object>(io, async (ctx, _opts, height) => {
        const r = await ctx.client.rpc.blockResults(height);
        ctx.print(r, () =>
          [
            kv([
              ['height', r.height],
              ['app hash', r.appHash],
              ['txs', r.txResults.length],
              ['events', r.events.length],
              ['validator updates', r.validatorUpdates.length],
            ]),
            ...(r.txResults.length > 0
              ? [
                  '',
                  table(
                    ['tx', 'hash', 'code', 'log'],
                    r.txResults.map((t, i) => [i, t.hash, t.code, t.log || '']),
                  ),
                ]
              : []),
          ].join('\n'),
        );
      }),
    );

  query
    .command('tx')
    .description('a committed tx by hash')
    .argument('<hash>', 'tx hash (64 hex characters)')
    .action(
      action<[string], object>(io, async (ctx, _opts, hash) => {
        if (!/^[0-9a-fA-F]{64}$/.test(hash)) {
          throw new CliError(
            `tx hash ${JSON.stringify(hash)} is not 64 hex characters`,
            'copy the hash that `bulwark tx` printed',
          );
        }
        const t = await ctx.client.rpc.tx(hash.toUpperCase());
        ctx.print(t, () => {
          const rows: [string, string | number][] = [
            ['hash', t.hash],
            ['height', t.height],
            ['index', t.index],
            [
              'code',
              t.result.code === 0 ? '0 (OK)' : `${t.result.code} (${codeName(t.result.code)})`,
            ],
          ];
          if (t.result.log !== '') rows.push(['log', t.result.log]);
          try {
            const view = describeTx(t.tx);
            rows.push(['sender', view.sender], ['nonce', view.nonce], ['fee', view.fee]);
            if (view.memo !== undefined) rows.push(['memo', view.memo]);
            for (const [i, m] of view.msgs.entries()) {
              rows.push([`msg ${i}`, `${m.type} ${JSON.stringify(m.value)}`]);
            }
          } catch {
            rows.push(['tx', t.tx]);
          }
          for (const e of t.result.events) rows.push([`event ${e.type}`, attributes(e.attributes)]);
          return kv(rows);
        });
      }),
    );

  query
    .command('raw')
    .description('any module query path (see docs/queries.md)')
    .argument('<path>', 'query path, e.g. bank/balance')
    .option('--args <json>', 'query arguments as a JSON object, e.g. \'{"address":"bwk1…"}\'', '{}')
    .option(...heightOption, parseHeight)
    .addHelpText(
      'after',
      `\nExample:\n  $ bulwark query raw bank/balance --args '{"address":"bwk1…","denom":"ubwk"}'\n`,
    )
    .action(
      action<[string], HeightOpt & { args: string }>(io, async (ctx, opts, path) => {
        let args: unknown;
        try {
          args = JSON.parse(opts.args);
        } catch (e) {
          throw new CliError(
            `--args is not JSON: ${(e as Error).message}`,
            `quote the object for the shell: --args '{"address":"bwk1…"}'`,
          );
        }
        if (typeof args !== 'object' || args === null || Array.isArray(args)) {
          throw new CliError('--args must be a JSON object', `e.g. --args '{"address":"bwk1…"}'`);
        }
        await runQuery<Json>(ctx, path, args, opts.height, (value, res) =>
          kv([['height', res.height], ...flatten(value, 'value')]),
        );
      }),
    );
}
