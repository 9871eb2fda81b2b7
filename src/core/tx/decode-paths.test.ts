import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode, type Value } from '../encoding/canonical.ts';
import { testAccount } from '../testing/harness.ts';
import { decodePathsForTests, encodeTx, signTx, type TxBody } from './tx.ts';

const { fast, checked } = decodePathsForTests;
const alice = testAccount('alice');
const bob = testAccount('bob');

function sample(memo?: string, msgs = 1): Uint8Array {
  const body: TxBody = {
    chainId: 'bulwark-test',
    signer: alice.pubKey,
    nonce: 7,
    fee: { denom: 'ubwk', amount: 1000n },
    msgs: Array.from({ length: msgs }, () => ({
      type: 'bank/send',
      value: { to: bob.address, amount: { denom: 'ubwk', amount: 5n } },
    })),
    ...(memo !== undefined ? { memo } : {}),
  };
  return encodeTx(signTx(body, alice.seed));
}

/** The checked path's answer: the tx, or its error message. */
function reference(bytes: Uint8Array): unknown {
  try {
    return checked(bytes);
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the fast tx decoder agrees with the zod-checked one', () => {
  it('takes the fast path for well-formed txs and gives the same value', () => {
    for (const bytes of [sample(), sample('hello'), sample(undefined, 3)]) {
      const f = fast(bytes);
      expect(f).toBeDefined();
      expect(f).toEqual(checked(bytes));
    }
  });

  it('never accepts what the checked path refuses, nor returns another value (mutated bytes)', () => {
    const base = sample('memo');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const bytes = base.slice();
          for (const [i, b] of edits) bytes[i] = b;
          const f = fast(bytes);
          if (f !== undefined) expect(f).toEqual(reference(bytes));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees on hand-built odd shapes', () => {
    const body = (b: Record<string, Value>) =>
      encode({ body: encode(b), signature: new Uint8Array(64) });
    const good = {
      chainId: 'c',
      signer: new Uint8Array(32),
      nonce: 0,
      fee: { denom: 'ubwk', amount: 1n },
      msgs: [{ type: 't', value: null }],
    };
    const shapes = [
      body(good),
      body({ ...good, extra: 1 }),
      body({ ...good, nonce: -1 }),
      body({ ...good, chainId: '' }),
      body({ ...good, msgs: [] }),
      body({ ...good, fee: { denom: 'ubwk', amount: 1 } }),
      body({ ...good, memo: 'x'.repeat(257) }),
      body({ ...good, signer: new Uint8Array(31) }),
      encode({ body: encode(good), signature: new Uint8Array(63) }),
      encode({ body: encode(good), signature: new Uint8Array(64), x: 1 }),
    ];
    for (const bytes of shapes) {
      const f = fast(bytes);
      if (f !== undefined) expect(f).toEqual(reference(bytes));
    }
    expect(fast(shapes[0]!)).toBeDefined();
  });
});
