import { ZodError } from 'zod';
import type { Json } from '../../core/encoding/json.ts';
import { ChainError, ErrorCode } from '../../core/errors.ts';

/** JSON-RPC error codes served by the node (docs/rpc.md, "Errors"). */
export const RpcCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  Chain: -32000,
  NotFound: -32001,
  HeightUnavailable: -32002,
  Timeout: -32003,
} as const;

export type RpcCodeValue = (typeof RpcCode)[keyof typeof RpcCode];

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: Json;
}

/** An error the RPC layer raises itself, already carrying its JSON-RPC code. */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: RpcCodeValue,
    message: string,
    readonly data?: Json,
  ) {
    super(message);
  }
}

/** Chain codes that have a JSON-RPC code of their own rather than the generic -32000. */
const chainCodeToRpc = new Map<number, RpcCodeValue>([
  [ErrorCode.PrunedHeight, RpcCode.HeightUnavailable],
  [ErrorCode.NotFound, RpcCode.NotFound],
]);

/**
 * The one place where an exception becomes a JSON-RPC error object:
 *  - RpcError: as raised;
 *  - ChainError: -32002 for PrunedHeight, -32001 for NotFound, else -32000; `data` carries
 *    `{ code, codespace, codeName }`;
 *  - ZodError (params that slipped past a handler's schema): -32602;
 *  - an HTTP-layer error with a 4xx `statusCode` (body too large, bad content type): -32600;
 *  - anything else: -32603 with a generic message (the caller logs the details).
 */
export function toRpcError(e: unknown): RpcErrorObject {
  if (e instanceof RpcError) {
    return e.data === undefined
      ? { code: e.code, message: e.message }
      : { code: e.code, message: e.message, data: e.data };
  }
  if (e instanceof ChainError) {
    return {
      code: chainCodeToRpc.get(e.code) ?? RpcCode.Chain,
      message: e.message,
      data: { code: e.code, codespace: e.codespace, codeName: e.codeName },
    };
  }
  if (e instanceof ZodError) {
    return { code: RpcCode.InvalidParams, message: `invalid params: ${formatIssues(e)}` };
  }
  const status = httpStatusOf(e);
  if (status === 413) {
    return { code: RpcCode.InvalidRequest, message: 'invalid request: the body is too large' };
  }
  if (status < 500) {
    return { code: RpcCode.InvalidRequest, message: `invalid request: ${(e as Error).message}` };
  }
  return { code: RpcCode.Internal, message: 'internal error' };
}

/** The HTTP status for an error raised by the HTTP layer (fastify's `statusCode`), else 500. */
export function httpStatusOf(e: unknown): number {
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** Whether `toRpcError` hides the cause, which should then be logged. */
export function isUnexpected(e: unknown): boolean {
  if (e instanceof RpcError || e instanceof ChainError || e instanceof ZodError) return false;
  return httpStatusOf(e) >= 500;
}

/** `params.height: Invalid input: expected number, received string` (first 3 issues). */
export function formatIssues(error: ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${['params', ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
}

const outcomeNames = new Map<number, string>([
  [RpcCode.ParseError, 'parse_error'],
  [RpcCode.InvalidRequest, 'invalid_request'],
  [RpcCode.MethodNotFound, 'method_not_found'],
  [RpcCode.InvalidParams, 'invalid_params'],
  [RpcCode.Internal, 'internal_error'],
  [RpcCode.Chain, 'chain_error'],
  [RpcCode.NotFound, 'not_found'],
  [RpcCode.HeightUnavailable, 'height_unavailable'],
  [RpcCode.Timeout, 'timeout'],
]);

/** The `outcome` label of `bulwark_rpc_requests_total` for an error code (`ok` when none). */
export function outcomeOf(code: number | undefined): string {
  if (code === undefined) return 'ok';
  return outcomeNames.get(code) ?? 'error';
}
