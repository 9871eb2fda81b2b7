// Verifies batches of ed25519 signatures off the main thread. Plain JavaScript on purpose:
// a worker starts with none of the parent's loaders, so it must run under bare Node.
//
// A batch is one buffer of items, each: u32 message length (LE; 0xffffffff = malformed,
// refuse), 32-byte public key, 64-byte signature, the message (see pool.ts). The answer is
// one byte per item, 1 when the signature verifies.
import { createPublicKey, verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const MALFORMED = 0xffffffff;
const keys = new Map();

// Imported as a JWK: OpenSSL takes the raw 32 bytes (≈ 25 µs) where a DER import costs about
// a verification (≈ 200 µs); see keyObject in src/core/crypto/keys.ts.
function keyOf(pub) {
  const x = pub.toString('base64url');
  let key = keys.get(x);
  if (key === undefined) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    if (keys.size > 50000) keys.clear();
    keys.set(x, key);
  }
  return key;
}

parentPort.on('message', ({ id, count, buf }) => {
  const bytes = Buffer.from(buf);
  const ok = new Uint8Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const len = bytes.readUInt32LE(at);
    if (len === MALFORMED) {
      at += 100;
      continue;
    }
    const pub = bytes.subarray(at + 4, at + 36);
    const sig = bytes.subarray(at + 36, at + 100);
    const msg = bytes.subarray(at + 100, at + 100 + len);
    at += 100 + len;
    try {
      ok[i] = verify(null, msg, keyOf(pub), sig) ? 1 : 0;
    } catch {
      ok[i] = 0;
    }
  }
  parentPort.postMessage({ id, ok });
});
