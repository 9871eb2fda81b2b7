import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TxResult } from '../../core/app/types.ts';
import { ChainError, ErrorCode } from '../../core/errors.ts';
import { outcomeOf, RpcCode, RpcError, toRpcError } from './errors.ts';
import { matchesFilter } from './subscriptions.ts';

describe('toRpcError', () => {
  const data = (code: number, codeName: string) => ({ code, codespace: 'bulwark', codeName });

  it('maps each kind of exception to its JSON-RPC error', () => {
    expect(toRpcError(new RpcError(RpcCode.NotFound, 'no tx'))).toEqual({
      code: -32001,
      message: 'no tx',
    });
    expect(toRpcError(new ChainError(ErrorCode.InsufficientFunds, 'short'))).toEqual({
      code: -32000,
      message: 'short',
      data: data(5, 'InsufficientFunds'),
    });
    expect(toRpcError(new ChainError(ErrorCode.PrunedHeight, 'gone')).code).toBe(-32002);
    expect(toRpcError(new ChainError(ErrorCode.NotFound, 'none'))).toEqual({
      code: -32001,
      message: 'none',
      data: data(23, 'NotFound'),
    });
    const zod = z.strictObject({ height: z.number() }).safeParse({ height: 'x' });
    expect(toRpcError(zod.error).message).toContain('params.height');
    expect(
      toRpcError(Object.assign(new Error('Request body is too large'), { statusCode: 413 })).code,
    ).toBe(-32600);
    // Unexpected failures do not leak their message.
    expect(toRpcError(new TypeError('secret path /home/x'))).toEqual({
      code: -32603,
      message: 'internal error',
    });
    expect(toRpcError('a string')).toEqual({ code: -32603, message: 'internal error' });
  });

  it('names outcomes for the metrics', () => {
    expect(outcomeOf(undefined)).toBe('ok');
    expect(outcomeOf(-32602)).toBe('invalid_params');
    expect(outcomeOf(-31999)).toBe('error');
  });
});

describe('matchesFilter', () => {
  const r: TxResult = {
    code: 0,
    codespace: '',
    log: '',
    hash: 'AB'.repeat(32),
    events: [
      { type: 'tx', attributes: { hash: 'AB'.repeat(32), sender: 'bwk1a', nonce: '0', code: '0' } },
      { type: 'transfer', attributes: { sender: 'bwk1a', recipient: 'bwk1b', amount: '5ubwk' } },
    ],
  };

  it('needs every attribute, each carried by some event', () => {
    expect(matchesFilter({}, r)).toBe(true);
    expect(matchesFilter({ sender: 'bwk1a' }, r)).toBe(true);
    expect(matchesFilter({ sender: 'bwk1a', recipient: 'bwk1b' }, r)).toBe(true);
    expect(matchesFilter({ nonce: '0', recipient: 'bwk1b' }, r)).toBe(true);
    expect(matchesFilter({ sender: 'bwk1a', recipient: 'bwk1c' }, r)).toBe(false);
    expect(matchesFilter({ toString: 'x' }, r)).toBe(false);
  });

  it('matches the tx hash in either case, even without events', () => {
    expect(matchesFilter({ hash: 'ab'.repeat(32) }, { ...r, events: [] })).toBe(true);
    expect(matchesFilter({ hash: 'cd'.repeat(32) }, r)).toBe(false);
  });
});
