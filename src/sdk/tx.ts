import { type Coin, formatCoin, parseCoin } from '../core/coin.ts';
import { addressOf, isAddress } from '../core/crypto/address.ts';
import { toHex } from '../core/crypto/hash.ts';
import { publicKeyFromSeed } from '../core/crypto/keys.ts';
import { toJson } from '../core/encoding/json.ts';
import {
  decodeTx,
  encodeTx,
  MAX_TX_BYTES,
  type Msg,
  signTx,
  type TxBody,
  txHash,
} from '../core/tx/tx.ts';
import { ArgumentError } from './errors.ts';
import { fromBase64 } from './rpc-client.ts';
import type { Json } from './types.ts';

export type { Coin, Msg, TxBody };

/** What signs a tx: the 32-byte ed25519 seed and its public key. */
export interface Signer {
  seed: Uint8Array;
  pubKey: Uint8Array;
}

/**
 * A signer from a 32-byte ed25519 seed.
 *
 * @example
 * const alice = signerFromSeed(seed);
 * addressOfSigner(alice); // 'bwk1…'
 */
export function signerFromSeed(seed: Uint8Array): Signer {
  return { seed, pubKey: publicKeyFromSeed(seed) };
}

/**
 * The bech32 account address (`bwk1…`) of a signer.
 *
 * @example
 * const address = addressOfSigner(signerFromSeed(seed));
 */
export function addressOfSigner(signer: Signer): string {
  return addressOf(signer.pubKey);
}

/**
 * A coin from `"1500ubwk"` or `{ denom, amount }`; throws an ArgumentError when malformed.
 *
 * @example
 * toCoin('1500ubwk'); // { denom: 'ubwk', amount: 1500n }
 */
export function toCoin(coin: Coin | string): Coin {
  if (typeof coin !== 'string') {
    if (coin.amount <= 0n) throw new ArgumentError(`amount must be positive, got ${coin.amount}`);
    return coin;
  }
  try {
    return parseCoin(coin);
  } catch (e) {
    throw new ArgumentError((e as Error).message);
  }
}

/**
 * Checks a bech32 account address and returns it; throws an ArgumentError otherwise.
 *
 * @example
 * requireAddress('bwk1qy…'); // 'bwk1qy…'
 */
export function requireAddress(address: string, what = 'address'): string {
  if (!isAddress(address)) {
    throw new ArgumentError(`${what} ${JSON.stringify(address)} is not a bwk1… account address`);
  }
  return address;
}

/**
 * The `bank/send` message: move `coin` from the signer to `to`.
 *
 * @example
 * const msg = bankSendMsg('bwk1…', '1500ubwk');
 */
export function bankSendMsg(to: string, coin: Coin | string): Msg {
  const { denom, amount } = toCoin(coin);
  return {
    type: 'bank/send',
    value: { to: requireAddress(to, 'recipient'), amount: { denom, amount } },
  };
}

/**
 * Builds, signs and encodes a tx; returns its bytes and hash.
 *
 * @example
 * const { bytes, hash } = buildTx(alice, {
 *   chainId: 'bulwark-devnet', nonce: 0, fee: { denom: 'ubwk', amount: 100n },
 *   msgs: [bankSendMsg(bob, '5ubwk')],
 * });
 */
export function buildTx(
  signer: Signer,
  body: { chainId: string; nonce: number; fee: Coin; msgs: Msg[]; memo?: string | undefined },
): { bytes: Uint8Array; hash: string; body: TxBody } {
  if (body.msgs.length === 0) throw new ArgumentError('a tx carries at least one message');
  const full: TxBody = {
    chainId: body.chainId,
    signer: signer.pubKey,
    nonce: body.nonce,
    fee: body.fee,
    msgs: body.msgs,
    ...(body.memo !== undefined ? { memo: body.memo } : {}),
  };
  const bytes = encodeTx(signTx(full, signer.seed));
  if (bytes.length > MAX_TX_BYTES) {
    throw new ArgumentError(`tx is ${bytes.length} bytes, the limit is ${MAX_TX_BYTES}`);
  }
  return { bytes, hash: txHash(bytes), body: full };
}

/** A tx's content in readable JSON. */
export interface TxView {
  chainId: string;
  sender: string;
  signer: string;
  nonce: number;
  fee: string;
  memo?: string;
  msgs: { type: string; value: Json }[];
}

/**
 * Decodes base64 tx bytes (as `block` and `tx` return them) into readable JSON; throws an
 * ArgumentError when the bytes are not a tx.
 *
 * @example
 * const { sender, msgs } = describeTx((await rpc.tx(hash)).tx);
 */
export function describeTx(base64: string): TxView {
  let tx: ReturnType<typeof decodeTx>;
  try {
    tx = decodeTx(fromBase64(base64));
  } catch (e) {
    throw new ArgumentError((e as Error).message);
  }
  const { body } = tx;
  return {
    chainId: body.chainId,
    sender: addressOf(body.signer),
    signer: toHex(body.signer),
    nonce: body.nonce,
    fee: formatCoin(body.fee),
    ...(body.memo !== undefined ? { memo: body.memo } : {}),
    msgs: body.msgs.map((m) => ({ type: m.type, value: toJson(m.value) })),
  };
}

/**
 * The hash (uppercase hex) of base64 or raw tx bytes.
 *
 * @example
 * hashOfTx(block.block.txs[0]); // '9F86D081…'
 */
export function hashOfTx(tx: string | Uint8Array): string {
  return txHash(typeof tx === 'string' ? fromBase64(tx) : tx);
}
