import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { InitOptions, InitResult } from '../node/home.ts';
import type { RunningNode, StartOptions } from '../node/node.ts';

/** The parts of `node/home.ts` the CLI uses. */
export interface HomeModule {
  defaultHome(): string;
  initHome(opts: InitOptions): Promise<InitResult>;
  homeExists(home: string): Promise<boolean>;
}

/** The part of `node/node.ts` the CLI uses. */
export interface NodeModule {
  startNode(opts: StartOptions): Promise<RunningNode>;
}

/**
 * Everything the CLI touches outside itself, so tests can run `main` in-process with
 * captured output, their own environment and a fake node.
 */
export interface Io {
  /** Writes text exactly as given (the CLI adds the newlines). */
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** The first line of stdin, without its newline (passphrases); hidden when stdin is a terminal. */
  readSecret(prompt: string): Promise<string>;
  /** Resolves with the signal's name when the user asks the process to stop (Ctrl-C, SIGTERM). */
  untilStopped(): Promise<string>;
  /** Loaded on demand: most commands never need the node's code. */
  loadHome(): Promise<HomeModule>;
  loadNode(): Promise<NodeModule>;
}

/**
 * The real process: stdout, stderr, stdin, environment and signals.
 *
 * @example
 * const code = await main(process.argv.slice(2), processIo());
 */
export function processIo(): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    readSecret: (prompt) => readFirstLine(prompt),
    untilStopped: () =>
      new Promise((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          // A second Ctrl-C now gets Node's default: exit at once.
          resolve(signal);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      }),
    loadHome: () => import('../node/home.ts'),
    loadNode: () => import('../node/node.ts'),
  };
}

async function readFirstLine(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write(prompt);
    // Echo nothing while the passphrase is typed.
    const muted = new Writable({ write: (_chunk, _enc, cb) => cb() });
    const rl = createInterface({ input: stdin, output: muted, terminal: true });
    const line = await new Promise<string>((resolve) => rl.once('line', resolve));
    rl.close();
    process.stderr.write('\n');
    return line;
  }
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** Output captured by {@link memoryIo}. */
export interface CapturedIo extends Io {
  out: string;
  err: string;
}

/**
 * An Io that records output in memory (tests, embedding). Unset parts fail loudly.
 *
 * @example
 * const io = memoryIo({ env: { BULWARK_NODE: url } });
 * const code = await main(['status'], io);
 * console.log(code, io.out);
 */
export function memoryIo(over: Partial<Io> & { stdin?: string } = {}): CapturedIo {
  const { stdin, ...rest } = over;
  const io: CapturedIo = {
    out: '',
    err: '',
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    env: {},
    readSecret: async () => {
      if (stdin === undefined) throw new Error('no stdin in this test');
      return stdin.split(/\r?\n/)[0] ?? '';
    },
    untilStopped: () => new Promise<string>(() => undefined),
    loadHome: () => Promise.reject(new Error('no node home module in this Io')),
    loadNode: () => Promise.reject(new Error('no node module in this Io')),
    ...rest,
  };
  return io;
}
