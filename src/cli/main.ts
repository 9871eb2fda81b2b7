import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { registerInit } from './commands/init.ts';
import { registerKeys } from './commands/keys.ts';
import { registerQuery } from './commands/query.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerStart } from './commands/start.ts';
import { registerStatus } from './commands/status.ts';
import { registerTx } from './commands/tx.ts';
import { ExitCode, failureOf } from './errors.ts';
import { type Io, processIo } from './io.ts';

export const VERSION = '0.1.0';

/** The command tree, writing through `io`. */
export function buildProgram(io: Io): Command {
  const program = new Command('bulwark')
    .description('Run a Bulwark node and use it: keys, transactions, queries.')
    .version(VERSION, '-v, --version', 'print the version')
    .addOption(
      new Option(
        '--node <url>',
        'JSON-RPC URL of the node (default: $BULWARK_NODE or http://127.0.0.1:26657)',
      ),
    )
    .addOption(
      new Option(
        '--home <dir>',
        'node home: config, keys, data (default: $BULWARK_HOME or ~/.bulwark)',
      ),
    )
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['text', 'json'])
        .default('text'),
    )
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark start --devnet\n  $ bulwark status\n  $ bulwark tx bank send alice bob 1500000ubwk\n\nExit codes: 0 ok, 1 usage, 2 the chain or node refused, 3 node unreachable.\n',
    );
  registerInit(program, io);
  registerStart(program, io);
  registerStatus(program, io);
  registerKeys(program, io);
  registerTx(program, io);
  registerQuery(program, io);
  registerSimulate(program, io);

  // Every command writes through io, and reports its own errors with a pointer to its help.
  const walk = (cmd: Command): void => {
    cmd.configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(usageLines(s, commandPath(cmd))),
    });
    cmd.exitOverride();
    for (const sub of cmd.commands) walk(sub);
  };
  walk(program);
  return program;
}

/**
 * Runs the CLI on `argv` (the arguments after the script, as in `process.argv.slice(2)`)
 * and resolves with the exit code; never calls process.exit.
 *
 * @example
 * const code = await main(['query', 'bank', 'balance', 'alice'], memoryIo());
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  let current = 'bulwark';
  program.hook('preAction', (_root, cmd) => {
    current = commandPath(cmd);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version end with exit code 0; parse errors were already printed by outputError.
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    const f = failureOf(e, current);
    io.stderr(`Error: ${oneLine(f.message)}\nHint: ${oneLine(f.hint)}\n`);
    return f.exitCode;
  }
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Commander's `error: …` message as our two lines. */
function usageLines(text: string, path: string): string {
  const message = oneLine(text.replace(/^error:\s*/i, ''));
  return `Error: ${message}\nHint: see \`${path} --help\`\n`;
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/**
 * Sets the exit code and exits once stdout and stderr are flushed (open sockets or timers
 * must not keep a finished command alive).
 *
 * @example
 * exitWith(await main(process.argv.slice(2)));
 */
export function exitWith(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) exitWith(await main(process.argv.slice(2)));
