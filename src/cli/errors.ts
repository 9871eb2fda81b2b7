import { ErrorCode } from '../core/errors.ts';
import { KeystoreError } from '../node/keystore.ts';
import { ArgumentError, ConnectionError, RpcError, RpcErrorCode, TxError } from '../sdk/errors.ts';

/** Exit codes: 0 ok, 1 usage (bad arguments, keys, home), 2 the chain or node said no, 3 no node to talk to. */
export const ExitCode = {
  Ok: 0,
  Usage: 1,
  Chain: 2,
  Connection: 3,
} as const;

/** An error the CLI itself raises, with what to do about it. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly hint: string,
    readonly exitCode: number = ExitCode.Usage,
  ) {
    super(message);
  }
}

export interface Failure {
  message: string;
  hint: string;
  exitCode: number;
}

export const START_HINT =
  'is a node running? Start one with `npm start` (or `bulwark start --devnet`), or point --node / BULWARK_NODE at a running node';

/** Turns anything a command (`bulwark tx bank send`) threw into the two lines and the exit code the user sees. */
export function failureOf(e: unknown, command: string): Failure {
  const help = `see \`${command} --help\``;
  if (e instanceof CliError) return { message: e.message, hint: e.hint, exitCode: e.exitCode };
  if (e instanceof ConnectionError)
    return { message: e.message, hint: START_HINT, exitCode: ExitCode.Connection };
  if (e instanceof TxError)
    return { message: e.message, hint: txHint(e), exitCode: ExitCode.Chain };
  if (e instanceof RpcError)
    return { message: e.message, hint: rpcHint(e, help), exitCode: ExitCode.Chain };
  if (e instanceof ArgumentError)
    return { message: e.message, hint: help, exitCode: ExitCode.Usage };
  if (e instanceof KeystoreError)
    return { message: e.message, hint: keystoreHint(e.message), exitCode: ExitCode.Usage };
  const err = e as { code?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  if (err?.code === 'EADDRINUSE' || /EADDRINUSE/.test(message)) {
    return {
      message,
      hint: 'another process listens on that address: stop it or pick another with --rpc-addr',
      exitCode: ExitCode.Usage,
    };
  }
  if (err?.code === 'EACCES' || err?.code === 'EPERM') {
    return {
      message,
      hint: 'check the permissions of the home folder (--home)',
      exitCode: ExitCode.Usage,
    };
  }
  return {
    message,
    hint: `${help}; if this looks like a bug, report it with the command you ran`,
    exitCode: ExitCode.Usage,
  };
}

function txHint(e: TxError): string {
  switch (e.code) {
    case ErrorCode.InsufficientFunds:
      return 'check the balance with `bulwark query bank balance <from>`; the fee is paid too';
    case ErrorCode.InsufficientFee:
      return 'raise --fee; `bulwark query auth params` shows the fee denom and the minimum fee';
    case ErrorCode.InvalidNonce:
      return 'another tx from this account is pending or was just committed: wait a block and retry';
    case ErrorCode.UnknownDenom:
      return '`bulwark query bank params` lists the denoms this chain knows';
    case ErrorCode.WrongChainId:
      return 'the node serves another chain: check --node';
    case ErrorCode.TxInMempool:
      return 'the same tx is already waiting in the mempool: wait for its block';
    case ErrorCode.MempoolFull:
      return 'the node is busy: retry in a few seconds';
    default:
      return e.stage === 'deliver'
        ? `the fee was paid and the nonce used; inspect it with \`bulwark query tx ${e.hash}\``
        : 'nothing was changed; fix the tx and send it again';
  }
}

function rpcHint(e: RpcError, help: string): string {
  switch (e.code) {
    case RpcErrorCode.NotFound:
      return 'check the hash or height; `bulwark status` shows the latest height';
    case RpcErrorCode.PrunedHeight:
      return '`bulwark status` shows the earliest and latest heights this node can answer for';
    case RpcErrorCode.Timeout:
      return 'the tx may still be committed: look it up later with `bulwark query tx <hash>`';
    case RpcErrorCode.MethodNotFound:
      return 'the node does not serve this method: is it a Bulwark node of the same version?';
    case RpcErrorCode.InvalidParams:
    case RpcErrorCode.InvalidRequest:
      return help;
    default:
      break;
  }
  if (e.chainCode === ErrorCode.UnknownQuery) return 'docs/queries.md lists the query paths';
  if (e.chainCode === ErrorCode.InvalidRequest) return `check the query arguments; ${help}`;
  if (e.chainCode === ErrorCode.UnknownDenom)
    return '`bulwark query bank params` lists the denoms this chain knows';
  return 'docs/errors.md explains every code';
}

function keystoreHint(message: string): string {
  if (message.startsWith('no key named')) {
    return 'list your keys with `bulwark keys list`, or add one with `bulwark keys add NAME` (check --home)';
  }
  if (message.includes('passphrase is needed')) {
    return 'set BULWARK_PASSPHRASE, or pipe the passphrase in with --passphrase-stdin';
  }
  if (message.startsWith('wrong passphrase'))
    return 'check the passphrase (BULWARK_PASSPHRASE or --passphrase-stdin)';
  if (message.includes('already exists'))
    return 'pick another name, or see it with `bulwark keys show NAME`';
  if (message.startsWith('passphrase must be')) return 'choose a longer passphrase';
  if (message.startsWith('invalid key name'))
    return 'key names are letters, digits, _ and -, up to 64 characters';
  return 'see `bulwark keys --help`';
}
