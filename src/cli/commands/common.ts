/**
 * What the tx and query commands share: running a query, the tx options and broadcasting,
 * and turning command-line words (coins, rates, validators, files) into values.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { codeName, codespaceOf, RpcError, RpcErrorCode, TxError } from '../../sdk/errors.ts';
import { fixedOfFraction } from '../../sdk/msgs/common.ts';
import { type Coin, type Msg, requireAddress, toCoin } from '../../sdk/tx.ts';
import type { EventJson, QueryResult, ValidatorView } from '../../sdk/types.ts';
import { type Ctx, parsePositiveInt } from '../context.ts';
import { CliError, ExitCode } from '../errors.ts';
import { kv } from '../format.ts';

// ---- queries ---------------------------------------------------------------------------

/**
 * Runs a module query. With `--output json` the RPC result is printed as is (also when its
 * code is not 0); a non-zero code then fails the command with exit code 2.
 */
export async function runQuery<T>(
  ctx: Ctx,
  path: string,
  args: object,
  height: number | undefined,
  text: (value: T, res: QueryResult<T>) => string | Promise<string>,
): Promise<void> {
  const res = await ctx.client.rpc.query<T>(path, args, height);
  if (res.code !== 0) {
    if (ctx.output === 'json') ctx.print(res, () => '');
    throw new RpcError(
      RpcErrorCode.ChainError,
      `query ${path} failed: ${codeName(res.code)} (code ${res.code}): ${res.log}`,
      { code: res.code, codespace: codespaceOf(res.code), codeName: codeName(res.code) },
    );
  }
  // Text output may need more from the node (monikers, the bond denom): only then ask.
  const shown = ctx.output === 'json' ? '' : await text(res.value as T, res);
  ctx.print(res, () => shown);
}

/** The value of a query, or a thrown RpcError (for lookups a command needs). */
export async function queryValue<T>(ctx: Ctx, path: string, args: object = {}): Promise<T> {
  return ctx.client.queryValue<T>(path, args);
}

export interface HeightOpt {
  height?: number;
}

export const heightOption = [
  '--height <h>',
  'read the state as of this block height (default: latest)',
] as const;

/** `Examples:` help text from command lines (without the `$ `). */
export function examples(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

// ---- arguments ---------------------------------------------------------------------------

export const COIN_HINT =
  'write an amount as an integer of base units followed by the denom, e.g. 1500ubwk';

/** A coin argument, or a usage error naming it. */
export function coinArg(text: string, what: string): Coin {
  try {
    return toCoin(text);
  } catch (e) {
    throw new CliError(`bad ${what}: ${(e as Error).message}`, COIN_HINT);
  }
}

/** A decimal fraction argument in [0, 1] (`0.10`), or a usage error naming it. */
export function fractionArg(text: string, what: string): string {
  try {
    fixedOfFraction(text, what);
  } catch (e) {
    throw new CliError(
      `bad ${what}: ${(e as Error).message}`,
      'write a rate as a decimal fraction, e.g. 0.10 for 10 %',
    );
  }
  return text;
}

/** A proposal id (positive integer), for commander. */
export const parseProposalId = parsePositiveInt;

/** Reads and parses a JSON file, or a usage error saying what is wrong with it. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(
      `cannot read ${what} ${path}${code !== undefined ? ` (${code})` : ''}`,
      'check the path given with --file',
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(
      `${what} ${path} is not JSON: ${(e as Error).message}`,
      'check the file with a JSON linter',
    );
  }
}

// ---- validators --------------------------------------------------------------------------

const VALIDATORS_HINT =
  '`bulwark query staking validators` lists the validators (operator address and moniker)';

/**
 * A validator's operator address from a `bwk1…` address (as is), the name of a key of the
 * keyring that operates a validator, or a validator's moniker. An unknown name is the
 * chain's answer (no such validator): exit code 2.
 */
export async function resolveValidator(ctx: Ctx, text: string): Promise<string> {
  if (text.startsWith('bwk1')) return requireAddress(text, 'validator');
  const validators = await validatorList(ctx);
  let keyAddress: string | undefined;
  try {
    keyAddress = (await (await ctx.keystore()).show(text)).address;
  } catch {
    keyAddress = undefined;
  }
  if (keyAddress !== undefined && validators.some((v) => v.operator === keyAddress))
    return keyAddress;
  const byMoniker = validators.filter((v) => v.moniker === text);
  if (byMoniker.length === 1) return (byMoniker[0] as ValidatorView).operator;
  if (byMoniker.length > 1) {
    throw new CliError(
      `${byMoniker.length} validators have the moniker ${JSON.stringify(text)}: ${byMoniker.map((v) => v.operator).join(', ')}`,
      'give the operator address (bwk1…) instead',
    );
  }
  throw new CliError(
    keyAddress !== undefined
      ? `key ${text} (${keyAddress}) operates no validator, and no validator has the moniker ${JSON.stringify(text)}`
      : `no validator with the moniker ${JSON.stringify(text)}, and no key of that name`,
    VALIDATORS_HINT,
    ExitCode.Chain,
  );
}

/** Every validator (asked once per command). */
export function validatorList(ctx: Ctx): Promise<ValidatorView[]> {
  return ctx.memo('staking/validators', () =>
    queryValue<ValidatorView[]>(ctx, 'staking/validators'),
  );
}

/** `moniker (bwk1…)` for an operator address; the address alone when the moniker is unknown. */
export async function validatorNames(ctx: Ctx): Promise<(operator: string) => string> {
  let list: ValidatorView[] = [];
  try {
    list = await validatorList(ctx);
  } catch {
    // Names are a nicety: without them, addresses.
  }
  const byOperator = new Map(list.map((v) => [v.operator, v.moniker]));
  return (operator) => byOperator.get(operator) ?? operator;
}

/** The staking bond denom (for text output of token amounts). */
export async function bondDenom(ctx: Ctx): Promise<string> {
  try {
    return (
      await ctx.memo('staking/params', () =>
        queryValue<{ bondDenom: string }>(ctx, 'staking/params'),
      )
    ).bondDenom;
  } catch {
    return '';
  }
}

// ---- transactions ------------------------------------------------------------------------

export interface TxOpts {
  fee?: string;
  memo?: string;
  wait: boolean;
  timeout?: number;
  passphraseStdin?: boolean;
}

/** Adds the options every tx command takes: --fee, --memo, --no-wait, --timeout, --passphrase-stdin. */
export function txOptions(cmd: Command): Command {
  return cmd
    .option('--fee <coin>', 'fee, e.g. 200ubwk (default: the minimum fee of `auth/params`)')
    .option('--memo <text>', 'a note stored with the tx (up to 256 characters)')
    .option('--no-wait', 'return once the node accepted the tx, without waiting for its block')
    .option(
      '--timeout <ms>',
      'how long to wait for the block (default 10000, at most 60000)',
      parsePositiveInt,
    )
    .option(
      '--passphrase-stdin',
      "read the key's passphrase from stdin (else $BULWARK_PASSPHRASE)",
    );
}

/** Checks the tx options before anything is signed. */
export function checkTxOpts(opts: TxOpts): Coin | undefined {
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
  return fee;
}

/**
 * Signs `msgs` with key `from`, broadcasts them and prints hash, height and code (plus
 * `details` of the tx's events); a refused or failed tx prints its result and throws.
 */
export async function sendMsgs(
  ctx: Ctx,
  opts: TxOpts,
  from: string,
  msgs: Msg[],
  details: (events: EventJson[]) => [string, string | number][] = () => [],
): Promise<void> {
  const fee = checkTxOpts(opts);
  const signer = await ctx.signer(from, opts.passphraseStdin === true);
  try {
    const res = await ctx.client.sendTx(signer, msgs, {
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
        ...details(res.events),
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
}

/** The attributes of every event of a type. */
export function eventsOf(events: EventJson[], type: string): Record<string, string>[] {
  return events.filter((e) => e.type === type).map((e) => e.attributes);
}

/** An amount of uusd (`1000000000uusd`): vaults and markets hold and settle in uusd only. */
export function uusdArg(text: string): bigint {
  const coin = coinArg(text, 'amount');
  if (coin.denom !== 'uusd') {
    throw new CliError(
      `expected an amount in uusd, got ${coin.denom}`,
      'give the amount in uusd, e.g. 1000000000uusd',
    );
  }
  return coin.amount;
}
