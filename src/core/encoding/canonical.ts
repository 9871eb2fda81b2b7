/**
 * Canonical binary encoding of chain values: one value has exactly one encoding, and the
 * decoder accepts only that encoding (no trailing bytes, minimal varints, sorted unique map
 * keys, valid UTF-8). Txs, blocks and state are all encoded with it, so equal values give
 * equal bytes and equal hashes on every machine.
 *
 * Layout: a one-byte tag, then
 *   NULL, FALSE, TRUE           nothing
 *   INT (safe integer number)   zigzag LEB128
 *   BIG (bigint)                zigzag LEB128
 *   STR                         LEB128 byte length, UTF-8 bytes
 *   BYTES                       LEB128 length, bytes
 *   LIST                        LEB128 count, items
 *   MAP (plain object)          LEB128 count, (key as STR body, value) in ascending key order
 * Object properties whose value is `undefined` are omitted, so `{a: undefined}` and `{}`
 * encode alike.
 */

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly Value[]
  | { readonly [key: string]: Value | undefined };

const TAG_NULL = 0;
const TAG_FALSE = 1;
const TAG_TRUE = 2;
const TAG_INT = 3;
const TAG_BIG = 4;
const TAG_STR = 5;
const TAG_BYTES = 6;
const TAG_LIST = 7;
const TAG_MAP = 8;

/** Deepest nesting the decoder accepts: bounds recursion on hostile input. */
export const MAX_DEPTH = 32;

export class EncodingError extends Error {
  override name = 'EncodingError';
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** In a `u` regex a class of surrogates matches only unpaired ones. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** Largest zigzagged bigint the decoder reads back: 41 varint bytes of 7 bits. */
const BIG_LIMIT = 1n << 287n;

/** UTF-8 of a well-formed string. A lone surrogate has no UTF-8 form: TextEncoder would put
 * U+FFFD in its place, so two strings would share one encoding. */
function utf8Of(s: string): Uint8Array {
  if (LONE_SURROGATE.test(s)) throw new EncodingError('string holds a lone surrogate');
  return utf8.encode(s);
}

class Writer {
  len = 0;
  constructor(public buf: Uint8Array) {}

  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  uvarint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      const low = n % 0x80;
      this.buf[this.len++] = low | 0x80;
      n = (n - low) / 0x80; // exact: n is a safe integer and n - low a multiple of 128
    }
    this.buf[this.len++] = n;
  }

  /** Unsigned LEB128 of a non-negative bigint. */
  ubig(n: bigint): void {
    // PERF: most bigints (amounts) fit a safe integer, whose LEB128 is the same bytes and
    // costs no bigint arithmetic.
    if (n <= MAX_SAFE_BIG) {
      this.uvarint(Number(n));
      return;
    }
    while (n >= 0x80n) {
      this.byte(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.byte(Number(n));
  }
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * PERF: every `encode` writes into this one scratch buffer and copies out the result. A fresh
 * 256-byte buffer per call cost ≈ 1 µs (typed arrays over 64 bytes live off V8's heap), and
 * the state commitment, the tx index and the block store encode many small values per tx.
 * Safe because encoding is synchronous; `busy` guards the (theoretical) re-entry through a
 * getter, which then gets a buffer of its own.
 */
const SCRATCH_BYTES = 64 * 1024;
const shared = new Writer(new Uint8Array(SCRATCH_BYTES));
let busy = false;

/** Length-prefixed UTF-8; ASCII (keys, addresses, denoms: nearly every string) is copied directly. */
function writeString(w: Writer, s: string): void {
  const n = s.length;
  // Optimistically ASCII: then the byte length is the string length. Rewind on the first
  // non-ASCII code unit and take the UTF-8 path.
  const start = w.len;
  w.uvarint(n);
  w.ensure(n);
  const buf = w.buf;
  let at = w.len;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) {
      w.len = start;
      const b = utf8Of(s);
      w.uvarint(b.length);
      w.bytes(b);
      return;
    }
    buf[at++] = c;
  }
  w.len = at;
}

function zigzag(n: bigint): bigint {
  return n >= 0n ? n << 1n : (-n << 1n) - 1n;
}

/**
 * The keys of a plain object whose values are not `undefined`, in ascending UTF-16 code unit
 * order (the order of `Array.prototype.sort` without a comparator, and of `<` on strings).
 */
function sortedKeys(obj: { readonly [key: string]: Value | undefined }): string[] {
  const keys = Object.keys(obj);
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (obj[k] !== undefined) keys[count++] = k;
  }
  keys.length = count;
  if (count > 16) return keys.sort();
  // PERF: insertion sort in place; objects here have a handful of keys, and this avoids the
  // filter copy and the generic sort's setup (≈ 2× faster on 4–6 keys).
  for (let i = 1; i < count; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > k) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

function writeValue(w: Writer, v: Value, depth: number): void {
  if (depth > MAX_DEPTH) throw new EncodingError(`value nested deeper than ${MAX_DEPTH}`);
  if (v === null) {
    w.byte(TAG_NULL);
    return;
  }
  switch (typeof v) {
    case 'boolean':
      w.byte(v ? TAG_TRUE : TAG_FALSE);
      return;
    case 'number':
      if (!Number.isSafeInteger(v)) throw new EncodingError(`not a safe integer: ${v}`);
      w.byte(TAG_INT);
      if (v >= 0) {
        w.uvarint(v * 2);
        return;
      }
      w.ubig(zigzag(BigInt(v)));
      return;
    case 'bigint': {
      const z = zigzag(v);
      if (z >= BIG_LIMIT) throw new EncodingError('bigint wider than 286 bits');
      w.byte(TAG_BIG);
      w.ubig(z);
      return;
    }
    case 'string':
      w.byte(TAG_STR);
      writeString(w, v);
      return;
    case 'object': {
      if (v instanceof Uint8Array) {
        w.byte(TAG_BYTES);
        w.uvarint(v.length);
        w.bytes(v);
        return;
      }
      if (Array.isArray(v)) {
        w.byte(TAG_LIST);
        w.uvarint(v.length);
        for (const item of v as readonly Value[]) writeValue(w, item, depth + 1);
        return;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new EncodingError(`cannot encode an instance of ${proto?.constructor?.name}`);
      }
      const obj = v as { readonly [key: string]: Value | undefined };
      const keys = sortedKeys(obj);
      w.byte(TAG_MAP);
      w.uvarint(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        writeString(w, k);
        writeValue(w, obj[k] as Value, depth + 1);
      }
      return;
    }
    default:
      throw new EncodingError(`cannot encode a value of type ${typeof v}`);
  }
}

/** Encodes a value to its one canonical byte string. */
export function encode(v: Value): Uint8Array {
  if (busy) {
    const w = new Writer(new Uint8Array(256));
    writeValue(w, v, 0);
    return w.buf.slice(0, w.len);
  }
  busy = true;
  try {
    shared.len = 0;
    writeValue(shared, v, 0);
    return shared.buf.slice(0, shared.len);
  } finally {
    busy = false;
    // A huge value (a block) grew the scratch buffer: let it go rather than hold it forever.
    if (shared.buf.length > 16 * SCRATCH_BYTES) shared.buf = new Uint8Array(SCRATCH_BYTES);
  }
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  byte(): number {
    const b = this.buf[this.pos];
    if (b === undefined) throw new EncodingError('unexpected end of input');
    this.pos++;
    return b;
  }

  ubig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (b === 0 && shift > 0n) throw new EncodingError('non-minimal varint');
        return result;
      }
      shift += 7n;
      if (shift > 7n * 40n) throw new EncodingError('varint too long');
    }
  }

  /**
   * A varint that fits in 49 bits, as a number (the common case: lengths, counts, small
   * integers); undefined, with nothing consumed, when it is longer.
   */
  small(): number | undefined {
    const start = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) throw new EncodingError('non-minimal varint');
        return result;
      }
      mul *= 128;
    }
    this.pos = start;
    return undefined;
  }

  /** A length or count: a varint that must fit the bytes left. */
  length(): number {
    // PERF: compared as numbers when the varint is small (always, in practice): mixing a
    // number with a bigint in `>` allocated a bigint per string, list and map read.
    const small = this.small();
    if (small !== undefined) {
      if (small > this.buf.length - this.pos) {
        throw new EncodingError(
          `length ${small} exceeds the ${this.buf.length - this.pos} bytes left`,
        );
      }
      return small;
    }
    const n = this.ubig();
    if (n > BigInt(this.buf.length - this.pos)) {
      throw new EncodingError(`length ${n} exceeds the ${this.buf.length - this.pos} bytes left`);
    }
    return Number(n);
  }

  take(n: number): Uint8Array {
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function unzigzag(n: bigint): bigint {
  return (n & 1n) === 0n ? n >> 1n : -((n + 1n) >> 1n);
}

/**
 * PERF: decoded short ASCII strings are looked up in a small direct-mapped table first. The
 * same few strings come back all the time (map keys, denoms, the chain id, the addresses of
 * active accounts); a hit costs a hash and a compare over the bytes, where building the
 * string took a view, an argument copy and a new string (and their garbage). A miss builds
 * the string and takes the slot. The table only saves work: the result is the same string.
 */
const INTERN_SLOTS = 8192; // a power of two
const interned: (string | undefined)[] = new Array(INTERN_SLOTS).fill(undefined);

/** The ASCII string in buf[start, end), or undefined when a byte is not ASCII. */
function asciiString(buf: Uint8Array, start: number, end: number): string | undefined {
  let h = end - start;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b > 0x7f) return undefined;
    h = Math.imul(h ^ b, 0x01000193); // FNV-1a step
  }
  const slot = (h >>> 0) & (INTERN_SLOTS - 1);
  const known = interned[slot];
  if (known !== undefined && known.length === end - start) {
    let same = true;
    for (let i = start; i < end; i++) {
      if (known.charCodeAt(i - start) !== buf[i]) {
        same = false;
        break;
      }
    }
    if (same) return known;
  }
  const s = String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  interned[slot] = s;
  return s;
}

function readString(r: Reader): string {
  const n = r.length();
  const buf = r.buf;
  const start = r.pos;
  const end = start + n;
  r.pos = end;
  if (n <= 64) {
    const s = asciiString(buf, start, end);
    if (s !== undefined) return s;
  }
  try {
    return utf8Strict.decode(buf.subarray(start, end));
  } catch {
    throw new EncodingError('invalid UTF-8 in string');
  }
}

function readValue(r: Reader, depth: number): Value {
  if (depth > MAX_DEPTH) throw new EncodingError(`value nested deeper than ${MAX_DEPTH}`);
  const tag = r.byte();
  switch (tag) {
    case TAG_NULL:
      return null;
    case TAG_FALSE:
      return false;
    case TAG_TRUE:
      return true;
    case TAG_INT: {
      const z = r.small();
      // zigzag: even → non-negative, odd → negative (exact: z < 2^49).
      if (z !== undefined) return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      const n = unzigzag(r.ubig());
      if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new EncodingError('integer outside the safe range');
      }
      return Number(n);
    }
    case TAG_BIG: {
      // PERF: amounts are small; zigzag undone in numbers (exact: z < 2^49), then one BigInt.
      const z = r.small();
      if (z !== undefined) return BigInt(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      return unzigzag(r.ubig());
    }
    case TAG_STR:
      return readString(r);
    case TAG_BYTES:
      return r.take(r.length()).slice();
    case TAG_LIST: {
      const count = r.length();
      const out: Value[] = [];
      for (let i = 0; i < count; i++) out.push(readValue(r, depth + 1));
      return out;
    }
    case TAG_MAP: {
      const count = r.length();
      const out: Record<string, Value> = {};
      let prev: string | undefined;
      for (let i = 0; i < count; i++) {
        const key = readString(r);
        if (prev !== undefined && !(prev < key)) {
          throw new EncodingError('map keys not in strictly ascending order');
        }
        prev = key;
        const value = readValue(r, depth + 1);
        // A plain assignment to `__proto__` would set the prototype instead of a key.
        if (key === '__proto__') {
          Object.defineProperty(out, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else out[key] = value;
      }
      return out;
    }
    default:
      throw new EncodingError(`unknown tag ${tag}`);
  }
}

/** Decodes bytes produced by `encode`; anything else (even a re-ordering) is refused. */
export function decode(bytes: Uint8Array): Value {
  const r = new Reader(bytes);
  const v = readValue(r, 0);
  if (r.pos !== bytes.length) throw new EncodingError(`${bytes.length - r.pos} trailing bytes`);
  return v;
}

/**
 * Fast path for a map whose values are all byte strings under known keys (the tx envelope):
 * the values, in the order of `keys`, when `bytes` is exactly the canonical encoding of such
 * a map (so `decode` would return it); undefined for anything else, and the caller then
 * decodes in full to say what is wrong. The values are views into `bytes`, not copies.
 *
 * It reads with the decoder's own Reader (same varint, length and end-of-input checks), so it
 * accepts nothing `decode` refuses. `keys` must be ASCII and in ascending order.
 */
export function decodeByteFields(
  bytes: Uint8Array,
  keys: readonly string[],
): Uint8Array[] | undefined {
  const r = new Reader(bytes);
  try {
    if (r.byte() !== TAG_MAP || r.length() !== keys.length) return undefined;
    const out: Uint8Array[] = [];
    for (const key of keys) {
      const n = r.length();
      if (n !== key.length) return undefined;
      for (let i = 0; i < n; i++) if (r.byte() !== key.charCodeAt(i)) return undefined;
      if (r.byte() !== TAG_BYTES) return undefined;
      out.push(r.take(r.length()));
    }
    return r.pos === bytes.length ? out : undefined;
  } catch {
    return undefined;
  }
}
