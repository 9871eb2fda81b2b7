import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.ts';
import { createKernelModules } from '../index.ts';
import { send, TEST_CHAIN_ID, TestChain, testAccount, testGenesis } from '../testing/harness.ts';
import { encodeTx, type TxBody } from '../tx/tx.ts';
import { App } from './app.ts';

const alice = testAccount('alice');
const bob = testAccount('bob');

/** A tx from alice carrying 64 zero bytes where its signature should be. */
function unsignedTx(nonce: number): Uint8Array {
  const body: TxBody = {
    chainId: TEST_CHAIN_ID,
    signer: alice.pubKey,
    nonce,
    fee: { denom: 'ubwk', amount: 1000n },
    msgs: [send(bob, 5n)],
  };
  return encodeTx({ body, signature: new Uint8Array(64) });
}

function app(trustSignatures: boolean): App {
  const a = new App({ modules: createKernelModules(), trustSignatures });
  a.initChain(testGenesis([alice, bob]));
  return a;
}

describe('trustSignatures (the simulator switch)', () => {
  it('off (the default): an unsigned tx is refused as unauthorised', () => {
    const r = app(false).checkTx(unsignedTx(0));
    expect(r.code).toBe(ErrorCode.Unauthorized);
  });

  it('on: the unsigned tx is accepted; nonce and fee are still checked', () => {
    const a = app(true);
    expect(a.checkTx(unsignedTx(0)).code).toBe(0);
    expect(a.checkTx(unsignedTx(5)).code).toBe(ErrorCode.InvalidNonce);
  });
});

describe('skipCommitment (the same switch, for the state commitment)', () => {
  it('executes the same blocks to the same state, with a zero app hash and no change set', () => {
    const run = (skipCommitment: boolean) => {
      const chain = new TestChain(testGenesis([alice, bob]), { skipCommitment });
      for (let i = 0; i < 5; i++) chain.block([chain.tx(alice, [send(bob, 7n + BigInt(i))])]);
      return chain;
    };
    const committed = run(false);
    const skipped = run(true);
    expect([...skipped.app.tree.iterate('')]).toEqual([...committed.app.tree.iterate('')]);
    expect(committed.app.appHash).not.toEqual(new Uint8Array(32));
    expect(skipped.app.appHash).toEqual(new Uint8Array(32));
  });
});
