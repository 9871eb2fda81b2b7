import { z } from 'zod';
import { decode, EncodingError, encode, type Value } from '../encoding/canonical.ts';
import { addressOf } from '../crypto/address.ts';
import { sha256, toHex } from '../crypto/hash.ts';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, sign, verify } from '../crypto/keys.ts';
import { ChainError, ErrorCode } from '../errors.ts';

/**
 * The tx envelope. The signature covers the canonical encoding of the body under a domain
 * tag; the body carries the chain id and the signer's account nonce, so a signed tx can be
 * neither replayed on another chain nor executed twice on this one.
 */

/** Largest tx accepted anywhere (mempool and blocks). */
export const MAX_TX_BYTES = 64 * 1024;
export const MAX_MSGS_PER_TX = 256;
const SIGN_DOMAIN = 'bulwark/tx/v1';

export interface Msg {
  type: string;
  value: Value;
}

export interface Coin {
  denom: string;
  amount: bigint;
}

export interface TxBody {
  chainId: string;
  /** ed25519 public key of the signer (32 bytes); its address is the sender of every msg. */
  signer: Uint8Array;
  nonce: number;
  fee: Coin;
  msgs: Msg[];
  memo?: string;
}

export interface Tx {
  body: TxBody;
  signature: Uint8Array;
}

const bytesOf = (n: number) =>
  z.instanceof(Uint8Array).refine((b) => b.length === n, { message: `must be ${n} bytes` });

const coinSchema = z.strictObject({ denom: z.string().min(1).max(64), amount: z.bigint() });

const bodySchema = z.strictObject({
  chainId: z.string().min(1).max(64),
  signer: bytesOf(PUBLIC_KEY_BYTES),
  nonce: z.number().int().min(0),
  fee: coinSchema,
  msgs: z
    .array(z.strictObject({ type: z.string().min(1).max(64), value: z.custom<Value>() }))
    .min(1, 'a tx carries at least one message')
    .max(MAX_MSGS_PER_TX),
  memo: z.string().max(256).optional(),
});

const txSchema = z.strictObject({ body: bodySchema, signature: bytesOf(SIGNATURE_BYTES) });

/** The bytes a signer signs: the domain tag and the body, canonically encoded. */
export function signBytes(body: TxBody): Uint8Array {
  return encode({ domain: SIGN_DOMAIN, body: body as unknown as Value });
}

export function encodeTx(tx: Tx): Uint8Array {
  return encode(tx as unknown as Value);
}

export function txHash(bytes: Uint8Array): string {
  return toHex(sha256(bytes)).toUpperCase();
}

/** Decodes and checks the shape of tx bytes; throws a ChainError (TxDecode/TxTooLarge). */
export function decodeTx(bytes: Uint8Array): Tx {
  if (bytes.length > MAX_TX_BYTES) {
    throw new ChainError(
      ErrorCode.TxTooLarge,
      `tx is ${bytes.length} bytes, the limit is ${MAX_TX_BYTES}`,
    );
  }
  let raw: Value;
  try {
    raw = decode(bytes);
  } catch (e) {
    const why = e instanceof EncodingError ? e.message : String(e);
    throw new ChainError(ErrorCode.TxDecode, `tx bytes are not a canonical tx: ${why}`);
  }
  const parsed = txSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ChainError(ErrorCode.TxDecode, `malformed tx: ${formatZodError(parsed.error)}`);
  }
  return parsed.data as Tx;
}

/** Signs a body with a 32-byte ed25519 seed. */
export function signTx(body: TxBody, seed: Uint8Array): Tx {
  return { body, signature: sign(seed, signBytes(body)) };
}

export function verifyTx(tx: Tx): boolean {
  return verify(tx.body.signer, signBytes(tx.body), tx.signature);
}

export function senderOf(tx: Tx): string {
  return addressOf(tx.body.signer);
}

/** One line naming the failing fields: `msgs.0.value.amount: expected bigint`. */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
