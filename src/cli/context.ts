import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Keystore } from '../node/keystore.ts';
import { BulwarkClient } from '../sdk/client.ts';
import { DEFAULT_NODE_URL } from '../sdk/rpc-client.ts';
import { requireAddress, type Signer } from '../sdk/tx.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';

export type OutputFormat = 'text' | 'json';

/** The global options, as commander parsed them. */
export interface GlobalOptions {
  node?: string;
  home?: string;
  output: OutputFormat;
}

/**
 * What a command runs with: the resolved global options, output, and lazily made clients.
 * Commands stay thin: parse, call the SDK through this, format.
 */
export class Ctx {
  private clientCache: BulwarkClient | undefined;
  private homeCache: string | undefined;
  private readonly memos = new Map<string, Promise<unknown>>();

  constructor(
    readonly io: Io,
    readonly opts: GlobalOptions,
  ) {}

  get output(): OutputFormat {
    return this.opts.output;
  }

  /** --node, else $BULWARK_NODE, else http://127.0.0.1:26657. */
  get nodeUrl(): string {
    return this.opts.node ?? this.io.env.BULWARK_NODE ?? DEFAULT_NODE_URL;
  }

  get client(): BulwarkClient {
    if (this.clientCache === undefined) {
      let url: URL;
      try {
        url = new URL(this.nodeUrl);
      } catch {
        throw new CliError(
          `invalid node URL ${JSON.stringify(this.nodeUrl)}`,
          'use --node http://HOST:PORT',
        );
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new CliError(
          `invalid node URL ${this.nodeUrl}: expected http:// or https://`,
          'use --node http://HOST:PORT',
        );
      }
      this.clientCache = new BulwarkClient({ url: this.nodeUrl });
    }
    return this.clientCache;
  }

  /** --home, else $BULWARK_HOME, else ~/.bulwark. */
  async home(): Promise<string> {
    this.homeCache ??=
      this.opts.home ?? this.io.env.BULWARK_HOME ?? (await this.io.loadHome()).defaultHome();
    return this.homeCache;
  }

  async keystore(): Promise<Keystore> {
    return new Keystore(join(await this.home(), 'keys'));
  }

  /** A bwk1… address as is, or the address of a key in the keyring. */
  async resolveAddress(nameOrAddress: string): Promise<string> {
    if (nameOrAddress.startsWith('bwk1')) return requireAddress(nameOrAddress);
    return (await (await this.keystore()).show(nameOrAddress)).address;
  }

  /** Unlocks a key to sign with: encrypted keys take BULWARK_PASSPHRASE or a line of stdin. */
  async signer(name: string, passphraseStdin: boolean): Promise<Signer> {
    const keystore = await this.keystore();
    const info = await keystore.show(name);
    let passphrase: string | undefined;
    if (info.encrypted)
      passphrase = await this.passphrase(passphraseStdin, `Passphrase for ${name}: `);
    const key = await keystore.unlock(name, passphrase);
    return { seed: key.seed, pubKey: key.pubKeyBytes };
  }

  /** --passphrase-stdin reads a line of stdin; otherwise $BULWARK_PASSPHRASE (undefined when unset). */
  async passphrase(fromStdin: boolean, prompt: string): Promise<string | undefined> {
    if (fromStdin) return this.io.readSecret(prompt);
    return this.io.env.BULWARK_PASSPHRASE;
  }

  /** `make()` once per command run: lookups several arguments share (the validator list). */
  memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (p === undefined) {
      p = make();
      this.memos.set(key, p);
    }
    return p;
  }

  /** Prints the RPC JSON with `--output json`, else the text. */
  print(json: unknown, text: () => string): void {
    if (this.output === 'json') this.io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    else this.io.stdout(`${text()}\n`);
  }

  warn(text: string): void {
    this.io.stderr(`Warning: ${text}\n`);
  }

  async close(): Promise<void> {
    await this.clientCache?.close();
  }
}

/**
 * Wraps a command's action: gives it a Ctx from the global options and the command's own
 * options, then closes what it opened.
 */
export function action<A extends unknown[], O extends object>(
  io: Io,
  fn: (ctx: Ctx, opts: O, ...args: A) => Promise<void>,
): (...all: unknown[]) => Promise<void> {
  return async (...all: unknown[]) => {
    const cmd = all[all.length - 1] as Command;
    const args = all.slice(0, -2) as A;
    const ctx = new Ctx(io, cmd.optsWithGlobals<GlobalOptions>());
    try {
      await fn(ctx, cmd.opts<O>(), ...args);
    } finally {
      await ctx.close();
    }
  };
}

/** Parses a block height (a non-negative integer) for commander. */
export function parseHeight(value: string): number {
  if (!/^[0-9]{1,15}$/.test(value))
    throw new InvalidArgumentError('a height is a non-negative integer.');
  return Number(value);
}

/** Parses a positive integer option for commander. */
export function parsePositiveInt(value: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(value))
    throw new InvalidArgumentError('expected a positive integer.');
  return Number(value);
}
