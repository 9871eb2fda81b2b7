import { z } from 'zod';
import { addressOf } from '../crypto/address.ts';
import { sha256Hex } from '../crypto/hash.ts';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, sign, verify } from '../crypto/keys.ts';
import {
  decode,
  decodeByteFields,
  EncodingError,
  encode,
  type Value,
} from '../encoding/canonical.ts';
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
  /** The canonical encoding of `body`, as signed and as carried on the wire. */
  bodyBytes: Uint8Array;
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

/** The wire form: the body as its canonical bytes (signed as they are), and the signature. */
const envelopeSchema = z.strictObject({
  body: z.instanceof(Uint8Array),
  signature: bytesOf(SIGNATURE_BYTES),
});

/** The domain prefix of the sign bytes (exported for the mempool, which packs sign bytes itself). */
export const SIGN_PREFIX = new TextEncoder().encode(`${SIGN_DOMAIN}:`);

/**
 * The bytes a signer signs: a domain prefix, then the canonical body. The prefix cannot
 * begin a canonical value (whose first byte is a tag < 16), so a tx signature can never
 * pass as a consensus vote's or the other way round.
 */
export function signBytesOfBody(bodyBytes: Uint8Array): Uint8Array {
  // (The mempool hands the verifier pool [SIGN_PREFIX, bodyBytes] instead: the same bytes,
  // packed straight into the pool's message buffer without this copy.)
  const out = new Uint8Array(SIGN_PREFIX.length + bodyBytes.length);
  out.set(SIGN_PREFIX);
  out.set(bodyBytes, SIGN_PREFIX.length);
  return out;
}

export function signBytes(body: TxBody): Uint8Array {
  return signBytesOfBody(encode(body as unknown as Value));
}

export function encodeTx(tx: {
  body: TxBody;
  signature: Uint8Array;
  bodyBytes?: Uint8Array;
}): Uint8Array {
  return encode({
    body: tx.bodyBytes ?? encode(tx.body as unknown as Value),
    signature: tx.signature,
  });
}

export function txHash(bytes: Uint8Array): string {
  return sha256Hex(bytes).toUpperCase();
}

/** Decodes and checks the shape of tx bytes; throws a ChainError (TxDecode/TxTooLarge). */
export function decodeTx(bytes: Uint8Array): Tx {
  if (bytes.length > MAX_TX_BYTES) {
    throw new ChainError(
      ErrorCode.TxTooLarge,
      `tx is ${bytes.length} bytes, the limit is ${MAX_TX_BYTES}`,
    );
  }
  return decodeWellFormedTx(bytes) ?? decodeTxChecked(bytes);
}

/** The keys of the wire envelope, in canonical (ascending) order. */
const ENVELOPE_KEYS = ['body', 'signature'] as const;

const isPlainMap = (v: unknown): v is { readonly [key: string]: Value } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

const isString = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;

/**
 * PERF: the common case without zod (≈ 10 µs a tx less on the mempool path). It accepts only
 * what `decodeTxChecked` accepts, field by field the same rules as `bodySchema` and
 * `envelopeSchema` (string lengths in UTF-16 units, as zod counts them; no unknown keys), and
 * returns the same value; on anything else it returns undefined and `decodeTxChecked` decides
 * and explains. Keep the two in step: the tests feed both paths.
 */
function decodeWellFormedTx(bytes: Uint8Array): Tx | undefined {
  const envelope = decodeByteFields(bytes, ENVELOPE_KEYS);
  if (envelope === undefined) return undefined;
  const [body, signature] = envelope as [Uint8Array, Uint8Array];
  if (signature.length !== SIGNATURE_BYTES) return undefined;
  let raw: Value;
  try {
    raw = decode(body);
  } catch {
    return undefined;
  }
  if (!isPlainMap(raw)) return undefined;
  const { chainId, signer, nonce, fee, msgs, memo } = raw;
  if (Object.keys(raw).length !== (memo === undefined ? 5 : 6)) return undefined;
  if (!isString(chainId, 1, 64)) return undefined;
  if (!(signer instanceof Uint8Array) || signer.length !== PUBLIC_KEY_BYTES) return undefined;
  if (typeof nonce !== 'number' || !Number.isSafeInteger(nonce) || nonce < 0) return undefined;
  if (!isPlainMap(fee) || Object.keys(fee).length !== 2) return undefined;
  const { denom, amount } = fee;
  if (!isString(denom, 1, 64) || typeof amount !== 'bigint') return undefined;
  if (!Array.isArray(msgs) || msgs.length < 1 || msgs.length > MAX_MSGS_PER_TX) return undefined;
  const outMsgs: Msg[] = [];
  for (const m of msgs as readonly Value[]) {
    if (!isPlainMap(m) || Object.keys(m).length !== 2) return undefined;
    const { type, value } = m;
    if (!isString(type, 1, 64) || value === undefined) return undefined;
    outMsgs.push({ type, value });
  }
  if (memo !== undefined && !isString(memo, 0, 256)) return undefined;
  const txBody: TxBody = { chainId, signer, nonce, fee: { denom, amount }, msgs: outMsgs };
  if (memo !== undefined) txBody.memo = memo;
  // Own copies, as the full decoder gives: the envelope fields are views into `bytes`.
  return { body: txBody, signature: signature.slice(), bodyBytes: body.slice() };
}

/** The full decode with zod's checks: the reference, and the error messages. */
function decodeTxChecked(bytes: Uint8Array): Tx {
  let envelope: z.infer<typeof envelopeSchema>;
  let raw: Value;
  try {
    const outer = envelopeSchema.safeParse(decode(bytes));
    if (!outer.success) {
      throw new ChainError(ErrorCode.TxDecode, `malformed tx: ${formatZodError(outer.error)}`);
    }
    envelope = outer.data;
    raw = decode(envelope.body);
  } catch (e) {
    if (e instanceof ChainError) throw e;
    const why = e instanceof EncodingError ? e.message : String(e);
    throw new ChainError(ErrorCode.TxDecode, `tx bytes are not a canonical tx: ${why}`);
  }
  const parsed = bodySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ChainError(ErrorCode.TxDecode, `malformed tx: body.${formatZodError(parsed.error)}`);
  }
  return { body: parsed.data as TxBody, signature: envelope.signature, bodyBytes: envelope.body };
}

/** Signs a body with a 32-byte ed25519 seed. */
export function signTx(body: TxBody, seed: Uint8Array): Tx {
  const bodyBytes = encode(body as unknown as Value);
  return { body, signature: sign(seed, signBytesOfBody(bodyBytes)), bodyBytes };
}

export function verifyTx(tx: Tx): boolean {
  return verify(tx.body.signer, signBytesOfBody(tx.bodyBytes), tx.signature);
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

/** @internal The two decode paths, for the test that keeps them in step. */
export const decodePathsForTests = { fast: decodeWellFormedTx, checked: decodeTxChecked };
