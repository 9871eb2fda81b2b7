import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_BYTES,
  ADDRESS_PREFIX,
  addressBytes,
  addressOf,
  decodeAddress,
  encodeAddress,
  isAddress,
  VALOPER_PREFIX,
} from './address.ts';
import { bytesEqual, concatBytes, fromHex, sha256, toHex } from './hash.ts';
import { PUBLIC_KEY_BYTES, publicKeyFromSeed, SIGNATURE_BYTES, sign, verify } from './keys.ts';

const utf8 = new TextEncoder();

/** RFC 8032 §7.1, Ed25519 TEST 1, TEST 2 and TEST 3. */
const RFC8032 = [
  {
    name: 'TEST 1 (empty message)',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2 (one byte)',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3 (two bytes)',
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

/** The order of the ed25519 base point. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = b.slice();
  out[bit >> 3] = (out[bit >> 3] as number) ^ (1 << (bit & 7));
  return out;
}

describe('ed25519 (RFC 8032 §7.1 vectors)', () => {
  for (const v of RFC8032) {
    it(`${v.name}: public key, signature and verification`, () => {
      const seed = fromHex(v.secret);
      const message = fromHex(v.message);
      const pub = publicKeyFromSeed(seed);
      expect(toHex(pub)).toBe(v.public);
      const sig = sign(seed, message);
      expect(sig.length).toBe(SIGNATURE_BYTES);
      expect(toHex(sig)).toBe(v.signature);
      expect(verify(pub, message, sig)).toBe(true);
      expect(verify(fromHex(v.public), message, fromHex(v.signature))).toBe(true);
    });
  }

  const [t1, t2, t3] = RFC8032.map((v) => ({
    pub: fromHex(v.public),
    msg: fromHex(v.message),
    sig: fromHex(v.signature),
  })) as [
    { pub: Uint8Array; msg: Uint8Array; sig: Uint8Array },
    { pub: Uint8Array; msg: Uint8Array; sig: Uint8Array },
    { pub: Uint8Array; msg: Uint8Array; sig: Uint8Array },
  ];

  it('rejects a signature with any single bit flipped', () => {
    for (let bit = 0; bit < SIGNATURE_BYTES * 8; bit++) {
      expect(verify(t3.pub, t3.msg, flipBit(t3.sig, bit))).toBe(false);
    }
  });

  it('rejects a message with a bit flipped, or another message', () => {
    for (let bit = 0; bit < t3.msg.length * 8; bit++) {
      expect(verify(t3.pub, flipBit(t3.msg, bit), t3.sig)).toBe(false);
    }
    expect(verify(t1.pub, Uint8Array.of(0), t1.sig)).toBe(false);
    expect(verify(t2.pub, t3.msg, t2.sig)).toBe(false);
  });

  it('rejects the wrong public key', () => {
    expect(verify(t2.pub, t1.msg, t1.sig)).toBe(false);
    expect(verify(t1.pub, t2.msg, t2.sig)).toBe(false);
    expect(verify(flipBit(t3.pub, 0), t3.msg, t3.sig)).toBe(false);
    expect(verify(new Uint8Array(32), t3.msg, t3.sig)).toBe(false);
    // Not a point on the curve: refused without throwing.
    expect(verify(new Uint8Array(32).fill(0xff), t3.msg, t3.sig)).toBe(false);
  });

  it('rejects keys and signatures of the wrong length', () => {
    expect(verify(t1.pub.subarray(0, PUBLIC_KEY_BYTES - 1), t1.msg, t1.sig)).toBe(false);
    expect(verify(concatBytes(t1.pub, Uint8Array.of(0)), t1.msg, t1.sig)).toBe(false);
    expect(verify(t1.pub, t1.msg, t1.sig.subarray(0, SIGNATURE_BYTES - 1))).toBe(false);
    expect(verify(t1.pub, t1.msg, concatBytes(t1.sig, Uint8Array.of(0)))).toBe(false);
    expect(verify(t1.pub, t1.msg, new Uint8Array(0))).toBe(false);
  });

  it('rejects a malleated signature (S + L)', () => {
    const s = BigInt(`0x${toHex(t1.sig.slice(32).reverse())}`) + L;
    const sBytes = fromHex(s.toString(16).padStart(64, '0')).reverse();
    const malleated = concatBytes(t1.sig.subarray(0, 32), sBytes);
    expect(malleated.length).toBe(64);
    expect(verify(t1.pub, t1.msg, malleated)).toBe(false);
  });

  it('refuses seeds that are not 32 bytes', () => {
    expect(() => publicKeyFromSeed(new Uint8Array(31))).toThrow(/32-byte ed25519 seed, got 31/);
    expect(() => publicKeyFromSeed(new Uint8Array(64))).toThrow(/got 64/);
  });

  it('signs deterministically and verifies random messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 200 }),
        (seed, msg) => {
          const pub = publicKeyFromSeed(seed);
          const sig = sign(seed, msg);
          expect(toHex(sign(seed, msg))).toBe(toHex(sig));
          expect(verify(pub, msg, sig)).toBe(true);
          expect(verify(pub, concatBytes(msg, Uint8Array.of(1)), sig)).toBe(false);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('sha256 (FIPS 180-2 vectors)', () => {
  it('hashes "abc"', () => {
    expect(toHex(sha256(utf8.encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
  it('hashes the empty string and the two-block message', () => {
    expect(toHex(sha256(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(
      toHex(sha256(utf8.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
    ).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
  it('hashes only the viewed part of a subarray', () => {
    const buf = utf8.encode('xxabcxx');
    expect(toHex(sha256(buf.subarray(2, 5)))).toBe(toHex(sha256(utf8.encode('abc'))));
  });
});

describe('hex helpers', () => {
  it('round-trips and refuses non-hex', () => {
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
    expect(toHex(fromHex('ABcd'))).toBe('abcd');
    expect(() => fromHex('abc')).toThrow(/not hex/);
    expect(() => fromHex('zz')).toThrow(/not hex/);
    expect(toHex(Uint8Array.of(1, 2, 3).subarray(1))).toBe('0203');
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
  });
});

describe('bech32 addresses', () => {
  const pub = fromHex(RFC8032[0]!.public);

  it('are bwk1… bech32 of the first 20 bytes of sha256(public key)', () => {
    expect(ADDRESS_PREFIX).toBe('bwk');
    const expected = createHash('sha256').update(pub).digest().subarray(0, 20);
    expect(toHex(addressBytes(pub))).toBe(expected.toString('hex'));
    const addr = addressOf(pub);
    expect(addr.startsWith('bwk1')).toBe(true);
    expect(addr).toBe(addr.toLowerCase());
    expect(addr.length).toBe(3 + 1 + 32 + 6);
    expect(toHex(decodeAddress(addr))).toBe(expected.toString('hex'));
    expect(addressOf(pub, VALOPER_PREFIX).startsWith('bwkvaloper1')).toBe(true);
  });

  it('decodes a BIP-173 bech32 test vector (bech32, not bech32m)', () => {
    const bytes = decodeAddress('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw', 'abcdef');
    expect(toHex(bytes)).toBe('00443214c74254b635cf84653a56d7c675be77df');
  });

  it('round-trips any 20 bytes: decode(encode(x)) = x', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: ADDRESS_BYTES, maxLength: ADDRESS_BYTES }), (b) => {
        const addr = encodeAddress(b);
        expect(addr.startsWith('bwk1')).toBe(true);
        expect(isAddress(addr)).toBe(true);
        expect(bytesEqual(decodeAddress(addr), b)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a bad checksum (any one character changed)', () => {
    const addr = addressOf(pub);
    const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
    for (let i = 4; i < addr.length; i++) {
      const c = addr[i] as string;
      const other = alphabet[(alphabet.indexOf(c) + 1) % 32] as string;
      const bad = addr.slice(0, i) + other + addr.slice(i + 1);
      expect(isAddress(bad)).toBe(false);
      expect(() => decodeAddress(bad)).toThrow(/invalid bech32 address/);
    }
  });

  it('refuses the wrong prefix', () => {
    const b = addressBytes(pub);
    const cosmos = encodeAddress(b, 'cosmos');
    expect(() => decodeAddress(cosmos)).toThrow(/has prefix cosmos, expected bwk/);
    expect(isAddress(cosmos)).toBe(false);
    const valoper = encodeAddress(b, VALOPER_PREFIX);
    expect(isAddress(valoper)).toBe(false);
    expect(isAddress(valoper, VALOPER_PREFIX)).toBe(true);
  });

  it('refuses the wrong payload length', () => {
    for (const n of [0, 19, 21, 32]) {
      const addr = encodeAddress(new Uint8Array(n).fill(7));
      expect(() => decodeAddress(addr)).toThrow(new RegExp(`holds ${n} bytes, expected 20`));
      expect(isAddress(addr)).toBe(false);
    }
  });

  it('refuses garbage, mixed case and a missing separator', () => {
    const addr = addressOf(pub);
    const mixed = `${addr.slice(0, 10).toUpperCase()}${addr.slice(10)}`;
    for (const bad of ['', 'bwk', 'bwk1', 'nope', mixed, addr.replace('1', ''), `${addr} `]) {
      expect(isAddress(bad)).toBe(false);
    }
  });
});
