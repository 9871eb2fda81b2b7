import { ErrorCode } from '../core/errors.ts';
import { DistributionErrorCode } from '../core/modules/distribution/errors.ts';
import { GovError } from '../core/modules/gov/errors.ts';
import { OptionsError } from '../core/modules/options/errors.ts';
import { OracleError } from '../core/modules/oracle/errors.ts';
import { PerpsError } from '../core/modules/perps/errors.ts';
import { RiskError } from '../core/modules/risk/errors.ts';
import { SlashingError } from '../core/modules/slashing/errors.ts';
import { StakingError } from '../core/modules/staking/errors.ts';
import { VaultError } from '../core/modules/vaults/errors.ts';

/**
 * The errors the SDK throws. Four kinds, so a caller can tell them apart with `instanceof`:
 *
 * - {@link RpcError}: the node answered with a JSON-RPC error (bad params, not found, a
 *   chain error, a timeout);
 * - {@link TxError}: a tx was refused by checkTx or failed when its block executed it;
 * - {@link ConnectionError}: the node could not be reached, or what answered is not a
 *   Bulwark node;
 * - {@link ArgumentError}: a bad argument was caught before anything was sent.
 */

/** JSON-RPC error codes a Bulwark node returns (see docs/rpc.md). */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  ChainError: -32000,
  NotFound: -32001,
  PrunedHeight: -32002,
  Timeout: -32003,
} as const;

/** Core and module codes (docs/errors.md); module codes live in their own ranges. */
const chainCodeNames = new Map<number, string>(
  [
    ErrorCode,
    StakingError,
    SlashingError,
    DistributionErrorCode,
    GovError,
    OracleError,
    VaultError,
    PerpsError,
    RiskError,
    OptionsError,
  ].flatMap((codes) => Object.entries(codes).map(([k, v]): [number, string] => [v, k])),
);

/**
 * The symbolic name of a chain error code, or `code<N>` for a code this SDK does not know.
 *
 * @example
 * codeName(5); // 'InsufficientFunds'
 * codeName(202); // 'UnknownValidator' (staking)
 */
export function codeName(code: number): string {
  if (code === 0) return 'OK';
  return chainCodeNames.get(code) ?? `code${code}`;
}

/**
 * The codespace that owns a chain code, from its range (docs/errors.md).
 *
 * @example
 * codespaceOf(202); // 'staking'
 */
export function codespaceOf(code: number): string {
  if (code >= 200 && code < 300) return 'staking';
  if (code >= 300 && code < 400) return 'slashing';
  if (code >= 400 && code < 500) return 'distribution';
  if (code >= 500 && code < 600) return 'gov';
  if (code >= 600 && code < 700) return 'oracle';
  if (code >= 700 && code < 800) return 'vaults';
  if (code >= 800 && code < 900) return 'perps';
  if (code >= 900 && code < 1000) return 'risk';
  if (code >= 1000 && code < 1100) return 'options';
  return 'bulwark';
}

/** The `data` of a chain error (-32000). */
export interface ChainErrorData {
  code: number;
  codespace: string;
  codeName: string;
}

/**
 * The node answered a JSON-RPC error.
 *
 * @example
 * try {
 *   await rpc.block(10 ** 9);
 * } catch (e) {
 *   if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) console.log('no such block');
 * }
 */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  /** The chain error code when this is a chain error (-32000), else undefined. */
  get chainCode(): number | undefined {
    const d = this.data as Partial<ChainErrorData> | undefined;
    return this.code === RpcErrorCode.ChainError && typeof d?.code === 'number'
      ? d.code
      : undefined;
  }
}

/**
 * The node could not be reached (refused, timed out, DNS), or the answer was not JSON-RPC.
 *
 * @example
 * try {
 *   await rpc.status();
 * } catch (e) {
 *   if (e instanceof ConnectionError) console.log(`is a node running at ${e.url}?`);
 * }
 */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
  constructor(
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where a tx failed: refused by checkTx (nothing happened), or executed in a block with an error (fee and nonce used). */
export type TxStage = 'check' | 'deliver';

/**
 * A tx was refused (`stage: 'check'`: not in the mempool, nothing changed) or failed in its
 * block (`stage: 'deliver'`: the fee was paid and the nonce used, the messages were undone).
 *
 * @example
 * try {
 *   await client.bankSend(alice, bob.address, '1500ubwk');
 * } catch (e) {
 *   if (e instanceof TxError) console.log(e.hash, e.codeName, e.log);
 * }
 */
export class TxError extends Error {
  override name = 'TxError';
  readonly hash: string;
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly stage: TxStage;
  readonly height: number | undefined;
  /** The RPC result as the node returned it. */
  readonly result: unknown;

  constructor(f: {
    hash: string;
    code: number;
    codespace: string;
    log: string;
    stage: TxStage;
    height?: number | undefined;
    result: unknown;
  }) {
    const where = f.stage === 'check' ? 'was refused' : `failed in block ${f.height}`;
    super(`tx ${f.hash} ${where}: ${codeName(f.code)} (code ${f.code}): ${f.log}`);
    this.hash = f.hash;
    this.code = f.code;
    this.codespace = f.codespace;
    this.log = f.log;
    this.stage = f.stage;
    this.height = f.height;
    this.result = f.result;
  }

  /** The symbolic name of the chain code (`InsufficientFunds`). */
  get codeName(): string {
    return codeName(this.code);
  }
}

/**
 * An argument was rejected before anything was sent (a malformed address or coin, …).
 *
 * @example
 * await client.bankSend(alice, 'not-an-address', '5ubwk'); // throws ArgumentError
 */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
}
