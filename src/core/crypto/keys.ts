import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';

/**
 * ed25519 keys, all through node:crypto (OpenSSL), with imported keys cached because an
 * import costs as much as a verification.
 *
 * PERF: signing used @noble/curves (≈ 1 ms a signature, in JS); OpenSSL signs in ≈ 50 µs.
 * ed25519 signatures are deterministic (RFC 8032), so both give the same bytes (the RFC 8032
 * vectors in crypto.test.ts check it). A solo node signs several votes per block.
 */

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** The 32-byte private seed → public key. */
export function publicKeyFromSeed(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_PREFIX_LENGTH));
}

export function sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(nodeSign(null, message, privateKeyObject(seed)));
}

// DER prefix of an ed25519 PKCS #8 private key (RFC 8410): the 32-byte seed follows.
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const privateKeys = new Map<string, KeyObject>();

function privateKeyObject(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new Error(`expected a 32-byte ed25519 seed, got ${seed.length}`);
  const id = Buffer.from(seed).toString('base64');
  let key = privateKeys.get(id);
  if (key === undefined) {
    const der = new Uint8Array(PKCS8_PREFIX.length + 32);
    der.set(PKCS8_PREFIX);
    der.set(seed, PKCS8_PREFIX.length);
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
    if (privateKeys.size >= KEY_CACHE_LIMIT) privateKeys.clear();
    privateKeys.set(id, key);
  }
  return key;
}

// DER prefix of an ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { algId 1.3.101.112, BIT STRING }.
const SPKI_PREFIX_LENGTH = 12;
const KEY_CACHE_LIMIT = 50_000;
const keyCache = new Map<string, KeyObject>();

/**
 * The public key as a node:crypto key. PERF: imported as a JWK (RFC 8037 `OKP`), which
 * OpenSSL takes as the raw 32 bytes (≈ 25 µs); a DER import goes through OpenSSL 3's
 * generic decoder and costs ≈ 200 µs, as much as a verification. Neither checks the point:
 * that happens in every verification, so both give the same answers.
 */
function keyObject(publicKey: Uint8Array): KeyObject {
  const x = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString(
    'base64url',
  );
  let key = keyCache.get(x);
  if (key === undefined) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(x, key);
  }
  return key;
}

/** True when `signature` is a valid ed25519 signature of `message` by `publicKey`. */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    return nodeVerify(null, message, keyObject(publicKey), signature);
  } catch {
    return false;
  }
}
