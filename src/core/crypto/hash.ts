import { hash } from 'node:crypto';

/**
 * SHA-256, the chain's one hash function (tx ids, block ids, the state commitment).
 *
 * PERF: the digest is taken as a latin1 ('binary') string and copied into a 32-byte array. Asking
 * node:crypto for a Buffer costs ≈ 2.5 µs a call, almost all of it allocating the Buffer's
 * off-heap store; the string round trip costs ≈ 0.7 µs and a 32-byte Uint8Array lives on
 * V8's heap (typed arrays ≤ 64 bytes do), so it is nearly free to allocate and collect.
 * Hashing is the state commitment's main cost, so this alone is worth ≈ 10 µs per bank send.
 */
export function sha256(data: Uint8Array): Uint8Array {
  const s = hash('sha256', data, 'binary');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** SHA-256 as lowercase hex (no intermediate bytes: node:crypto writes the hex directly). */
export function sha256Hex(data: Uint8Array): string {
  return hash('sha256', data, 'hex');
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Value of each hex digit's char code, −1 for a non-digit. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[65 + i] = 10 + i;
  HEX_VALUE[97 + i] = 10 + i;
}

export function fromHex(s: string): Uint8Array {
  const n = s.length;
  if (n % 2 !== 0) throw new Error(`not hex: ${s.slice(0, 20)}`);
  // PERF: one pass that checks and converts (no regex, no Buffer): block producers call
  // this for every tx hash of a block.
  const out = new Uint8Array(n / 2);
  for (let i = 0; i < n; i += 2) {
    const hi = HEX_VALUE[s.charCodeAt(i)] ?? -1;
    const lo = HEX_VALUE[s.charCodeAt(i + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new Error(`not hex: ${s.slice(0, 20)}`);
    out[i / 2] = (hi << 4) | lo;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
