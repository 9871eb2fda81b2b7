import { ChainError, chainErrorOf, ErrorCode } from '../errors.ts';
import { type AuthKeeper, authParams } from '../modules/auth/module.ts';
import type { BankKeeper } from '../modules/bank/keeper.ts';
import { Branch } from '../store/branch.ts';
import type { Store } from '../store/store.ts';
import { verifyTx } from '../tx/tx.ts';
import type { App } from './app.ts';
import { Context } from './module.ts';
import type { BlockInfo, Event } from './types.ts';

/** `check`: the mempool (any failure undoes everything); `deliver`: a block. */
export type TxMode = 'check' | 'deliver';

export interface ExecResult {
  code: number;
  codespace: string;
  log: string;
  hash: string;
  events: Event[];
  sender?: string;
  nonce?: number;
  fee?: bigint;
}

interface Keepers {
  auth: AuthKeeper;
  bank: BankKeeper;
}

const keeperCache = new WeakMap<App, Keepers>();

function keepersOf(app: App): Keepers {
  const cached = keeperCache.get(app);
  if (cached !== undefined) return cached;
  const auth = app.module('auth') as unknown as { keeper: AuthKeeper } | undefined;
  const bank = app.module('bank') as unknown as { keeper: BankKeeper } | undefined;
  if (auth === undefined || bank === undefined)
    throw new Error('the auth and bank modules are required');
  const keepers = { auth: auth.keeper, bank: bank.keeper };
  keeperCache.set(app, keepers);
  return keepers;
}

/**
 * Runs one tx:
 *  1. decode and check every message's shape (a failure here rejects the tx outright);
 *  2. the ante step: chain id, signature, nonce, fee (a failure rejects the tx outright);
 *  3. the messages, all in one branch: all apply or none. In a block, a tx whose messages
 *     fail still pays its fee and uses its nonce (it took block space); in the mempool it is
 *     simply refused.
 */
export function executeTx(
  app: App,
  store: Store,
  block: BlockInfo,
  bytes: Uint8Array,
  mode: TxMode,
): ExecResult {
  // PERF: no closures in here (a `fail` helper and a forEach callback were created per tx,
  // each with tsx's keep-names wrapper: ≈ 3 µs a tx); see `failure`.
  const prepared = app.prepare(bytes);
  if (!prepared.ok) return failure(prepared.hash, prepared.error);
  const { hash, tx, sender, msgs } = prepared.tx;
  const { body } = tx;
  const nonce = body.nonce;
  const fee = body.fee.amount;
  const keepers = keepersOf(app);
  const txBranch = new Branch(store);
  const ctx = new Context(txBranch, block);
  try {
    const params = authParams.get(store);
    if (body.msgs.length > params.maxMsgsPerTx) {
      throw new ChainError(
        ErrorCode.TooManyMessages,
        `tx has ${body.msgs.length} messages, the limit is ${params.maxMsgsPerTx}`,
      );
    }
    // Ante.
    if (body.chainId !== block.chainId) {
      throw new ChainError(
        ErrorCode.WrongChainId,
        `tx is for chain ${JSON.stringify(body.chainId)}, this is ${JSON.stringify(block.chainId)}`,
      );
    }
    if (!app.signatureCache.has(hash)) {
      if (!verifyTx(tx))
        throw new ChainError(
          ErrorCode.Unauthorized,
          'signature does not verify for the signer key and sign bytes',
        );
      app.signatureCache.add(hash);
    }
    const expected = keepers.auth.nonce(txBranch, sender);
    if (body.nonce !== expected) {
      throw new ChainError(
        ErrorCode.InvalidNonce,
        `${body.nonce < expected ? 'stale' : 'future'} nonce: account ${sender} expects ${expected}, tx has ${body.nonce}`,
      );
    }
    if (body.fee.denom !== params.feeDenom) {
      throw new ChainError(
        ErrorCode.InsufficientFee,
        `fee must be paid in ${params.feeDenom}, got ${body.fee.denom}`,
      );
    }
    if (body.fee.amount < params.minFee || body.fee.amount < 0n) {
      throw new ChainError(
        ErrorCode.InsufficientFee,
        `fee ${body.fee.amount}${body.fee.denom} is below the minimum ${params.minFee}${params.feeDenom}`,
      );
    }
    keepers.bank.collectFee(ctx, sender, body.fee);
    keepers.auth.incrementNonce(txBranch, sender);
  } catch (e) {
    return failure(hash, e);
  }
  // Messages.
  const msgBranch = new Branch(txBranch);
  const msgCtx = ctx.with(msgBranch);
  try {
    for (let i = 0; i < msgs.length; i++) {
      const { def, value } = msgs[i] as (typeof msgs)[number];
      def.handle(msgCtx, sender, value);
    }
  } catch (e) {
    if (mode === 'check') return failure(hash, e, { sender, nonce, fee });
    txBranch.write();
    const err = chainErrorOf(e);
    return {
      code: err.code,
      codespace: err.codespace,
      log: err.message,
      hash,
      events: txEvents(hash, sender, nonce, err.code),
      sender,
      nonce,
      fee,
    };
  }
  msgBranch.write();
  txBranch.write();
  const events = txEvents(hash, sender, nonce, 0);
  for (const e of msgCtx.events) events.push(e);
  return { code: 0, codespace: '', log: '', hash, events, sender, nonce, fee };
}

/** The result of a tx refused outright (or, in the mempool, whose messages failed). */
function failure(
  hash: string,
  e: unknown,
  who?: { sender: string; nonce: number; fee: bigint },
): ExecResult {
  const err = chainErrorOf(e);
  return { code: err.code, codespace: err.codespace, log: err.message, hash, events: [], ...who };
}

function txEvents(hash: string, sender: string, nonce: number, code: number): Event[] {
  return [{ type: 'tx', attributes: { hash, sender, nonce: String(nonce), code: String(code) } }];
}
