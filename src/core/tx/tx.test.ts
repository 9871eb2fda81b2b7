import { describe, expect, it } from 'vitest';
import { sha256, toHex } from '../crypto/hash.ts';
import { decode, encode, type Value } from '../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../errors.ts';
import { send, testAccount } from '../testing/harness.ts';
import {
  decodeTx,
  encodeTx,
  MAX_MSGS_PER_TX,
  MAX_TX_BYTES,
  senderOf,
  signBytes,
  signTx,
  type Tx,
  type TxBody,
  txHash,
  verifyTx,
} from './tx.ts';

const alice = testAccount('alice');
const bob = testAccount('bob');

function body(over: Partial<TxBody> = {}): TxBody {
  return {
    chainId: 'bulwark-test',
    signer: alice.pubKey,
    nonce: 0,
    fee: { denom: 'ubwk', amount: 1000n },
    msgs: [send(bob, 5n)],
    ...over,
  };
}

/** Expects `decodeTx` to throw a ChainError with `code` and a log matching `why`. */
function refused(bytes: Uint8Array, code: number, why: RegExp): void {
  let err: unknown;
  try {
    decodeTx(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ChainError);
  expect((err as ChainError).code).toBe(code);
  expect((err as ChainError).message).toMatch(why);
}

/** Encodes a raw tx-like value, bypassing the types, to probe the decoder's shape checks. */
const raw = (tx: unknown) => encode(tx as Value);

describe('tx envelope', () => {
  it('round-trips through encodeTx/decodeTx and verifies', () => {
    const tx = signTx(body({ memo: 'hello ✓' }), alice.seed);
    const bytes = encodeTx(tx);
    const back = decodeTx(bytes);
    expect(back).toEqual(tx);
    expect(toHex(encodeTx(back))).toBe(toHex(bytes));
    expect(verifyTx(back)).toBe(true);
    expect(senderOf(back)).toBe(alice.address);
  });

  it('hashes the tx bytes as upper-case sha256 hex', () => {
    const bytes = encodeTx(signTx(body(), alice.seed));
    expect(txHash(bytes)).toBe(toHex(sha256(bytes)).toUpperCase());
    expect(txHash(bytes)).toMatch(/^[0-9A-F]{64}$/);
  });

  it('signs the canonical body bytes under a domain prefix that no canonical value can start', () => {
    const b = body();
    const tx = signTx(b, alice.seed);
    expect(toHex(tx.bodyBytes)).toBe(toHex(encode(b as unknown as Value)));
    const sb = signBytes(b);
    const prefix = new TextEncoder().encode('bulwark/tx/v1:');
    expect(toHex(sb)).toBe(toHex(Uint8Array.from([...prefix, ...tx.bodyBytes])));
    // The first byte is not a canonical tag, so sign bytes never decode as a value.
    expect(() => decode(sb)).toThrow();
    // The wire form carries the body as the very bytes that were signed.
    expect(decode(encodeTx(tx))).toEqual({ body: tx.bodyBytes, signature: tx.signature });
  });

  it('a signature covers every body field', () => {
    const tx = signTx(body(), alice.seed);
    const variants: Partial<TxBody>[] = [
      { chainId: 'bulwark-other' },
      { nonce: 1 },
      { fee: { denom: 'ubwk', amount: 1001n } },
      { msgs: [send(bob, 6n)] },
      { memo: '' },
      { signer: bob.pubKey },
    ];
    for (const v of variants) {
      const changed = { ...tx.body, ...v };
      const forged = {
        body: changed,
        signature: tx.signature,
        bodyBytes: encode(changed as unknown as Value),
      };
      expect(verifyTx(forged)).toBe(false);
      // Through the wire as well.
      expect(verifyTx(decodeTx(encodeTx({ body: changed, signature: tx.signature })))).toBe(false);
    }
    expect(verifyTx(signTx(body({ signer: alice.pubKey }), bob.seed))).toBe(false);
  });
});

describe('decodeTx refuses bad bytes with a stable code', () => {
  const good = signTx(body(), alice.seed);

  it('refuses undecodable bytes (TxDecode)', () => {
    refused(new Uint8Array(0), ErrorCode.TxDecode, /not a canonical tx: unexpected end of input/);
    refused(Uint8Array.of(0xff), ErrorCode.TxDecode, /not a canonical tx: unknown tag 255/);
    const bytes = encodeTx(good);
    refused(
      Uint8Array.from([...bytes, 0]),
      ErrorCode.TxDecode,
      /not a canonical tx: 1 trailing bytes/,
    );
    refused(bytes.subarray(0, bytes.length - 1), ErrorCode.TxDecode, /not a canonical tx/);
  });

  it('refuses an envelope that is not {body: bytes, signature: 64 bytes} (TxDecode, naming the field)', () => {
    const cases: [unknown, RegExp][] = [
      [null, /malformed tx: \(root\)/],
      [{ body: good.bodyBytes }, /malformed tx: signature/],
      [{ body: good.bodyBytes, signature: good.signature, extra: 1 }, /malformed tx: .*extra/],
      [
        { body: good.bodyBytes, signature: good.signature.subarray(0, 63) },
        /malformed tx: signature: must be 64 bytes/,
      ],
      [{ body: good.body, signature: good.signature }, /malformed tx: body/],
    ];
    for (const [tx, why] of cases) refused(raw(tx), ErrorCode.TxDecode, why);
  });

  it('refuses body bytes that are not canonical (TxDecode)', () => {
    const withTrailing = Uint8Array.from([...good.bodyBytes, 0]);
    refused(
      raw({ body: withTrailing, signature: good.signature }),
      ErrorCode.TxDecode,
      /not a canonical tx: 1 trailing bytes/,
    );
    refused(
      raw({ body: Uint8Array.of(0xff), signature: good.signature }),
      ErrorCode.TxDecode,
      /not a canonical tx: unknown tag/,
    );
  });

  it('refuses a body of the wrong shape (TxDecode, naming the field)', () => {
    const b = good.body;
    const cases: [unknown, RegExp][] = [
      [null, /malformed tx: body\./],
      [{ ...b, extra: 1 }, /extra/],
      [{ ...b, signer: new Uint8Array(31) }, /body\.signer: must be 32 bytes/],
      [{ ...b, nonce: -1 }, /body\.nonce/],
      [{ ...b, nonce: 1n }, /body\.nonce/],
      [{ ...b, chainId: '' }, /body\.chainId/],
      [{ ...b, fee: { denom: 'ubwk', amount: 5 } }, /body\.fee\.amount/],
      [{ ...b, msgs: [] }, /body\.msgs: a tx carries at least one message/],
      [{ ...b, msgs: [{ type: '', value: null }] }, /body\.msgs\.0\.type/],
      [{ ...b, memo: 'm'.repeat(257) }, /body\.memo/],
      [{ ...b, msgs: new Array(MAX_MSGS_PER_TX + 1).fill(send(bob, 1n)) }, /body\.msgs/],
    ];
    for (const [bad, why] of cases) {
      refused(
        raw({ body: encode(bad as Value), signature: good.signature }),
        ErrorCode.TxDecode,
        why,
      );
    }
  });

  it(`refuses more than ${MAX_TX_BYTES} bytes (TxTooLarge) before decoding`, () => {
    expect(MAX_TX_BYTES).toBe(65536);
    refused(
      new Uint8Array(MAX_TX_BYTES + 1),
      ErrorCode.TxTooLarge,
      /tx is 65537 bytes, the limit is 65536/,
    );
    // A well-formed tx of exactly the limit is not refused for its size.
    let pad = MAX_TX_BYTES - 300;
    let bytes: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 5; i++) {
      const msgs = [{ type: 'bank/send', value: { pad: 'x'.repeat(pad) } }];
      bytes = encodeTx(signTx(body({ msgs }), alice.seed));
      pad += MAX_TX_BYTES - bytes.length;
    }
    expect(bytes.length).toBe(MAX_TX_BYTES);
    expect(decodeTx(bytes).body.msgs.length).toBe(1);
  });

  it('accepts the largest message count', () => {
    const msgs = new Array(MAX_MSGS_PER_TX).fill(send(bob, 1n));
    const tx = decodeTx(encodeTx(signTx(body({ msgs }), alice.seed))) as Tx;
    expect(tx.body.msgs.length).toBe(MAX_MSGS_PER_TX);
  });
});
