/**
 * Errors of the state machine: a stable numeric code (grouped in ranges per module, never
 * renumbered), the codespace that owns it, and a message that carries the values
 * (`expected …, got …`). The node maps them to JSON-RPC and tx results in one place.
 */

export const ErrorCode = {
  // core 1–99
  Internal: 1,
  TxDecode: 2,
  InvalidNonce: 3,
  Unauthorized: 4,
  InsufficientFunds: 5,
  UnknownRequest: 6,
  InvalidAddress: 7,
  InvalidAmount: 8,
  UnknownMessage: 9,
  WrongChainId: 10,
  TxTooLarge: 11,
  InsufficientFee: 12,
  InvalidRequest: 13,
  MempoolFull: 14,
  TxInMempool: 15,
  PrunedHeight: 16,
  UnknownDenom: 17,
  Overflow: 18,
  InvalidGenesis: 19,
  InvalidParams: 20,
  InvalidProposal: 21,
  UnknownQuery: 22,
  NotFound: 23,
  TooManyMessages: 24,
  // bank 100–199
  BankSendDisabled: 100,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;

const nameOfCode = new Map<number, ErrorCodeName>(
  Object.entries(ErrorCode).map(([k, v]) => [v, k as ErrorCodeName]),
);

export class ChainError extends Error {
  override name = 'ChainError';
  constructor(
    readonly code: number,
    message: string,
    readonly codespace = 'bulwark',
  ) {
    super(message);
  }

  /** The symbolic name of the code (`InsufficientFunds`), for logs and clients. */
  get codeName(): string {
    return nameOfCode.get(this.code) ?? `code${this.code}`;
  }
}

/** Throws a ChainError with `code` unless `cond` holds. */
export function ensure(
  cond: unknown,
  code: number,
  message: string | (() => string),
): asserts cond {
  if (!cond) throw new ChainError(code, typeof message === 'string' ? message : message());
}

export function chainErrorOf(e: unknown): ChainError {
  if (e instanceof ChainError) return e;
  return new ChainError(ErrorCode.Internal, e instanceof Error ? e.message : String(e));
}
