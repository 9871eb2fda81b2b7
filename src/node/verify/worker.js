// Verifies batches of ed25519 signatures off the main thread. Plain JavaScript on purpose:
// a worker starts with none of the parent's loaders, so it must run under bare Node.
import { createPublicKey, verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();

function keyOf(pub) {
  const id = Buffer.from(pub).toString('base64');
  let key = keys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
    if (keys.size > 50000) keys.clear();
    keys.set(id, key);
  }
  return key;
}

parentPort.on('message', ({ id, items }) => {
  const ok = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const { pub, msg, sig } = items[i];
    try {
      ok[i] = pub.length === 32 && sig.length === 64 && verify(null, msg, keyOf(pub), sig) ? 1 : 0;
    } catch {
      ok[i] = 0;
    }
  }
  parentPort.postMessage({ id, ok });
});
