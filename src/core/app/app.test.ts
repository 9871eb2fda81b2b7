import { describe, expect, it } from 'vitest';
import { toHex } from '../crypto/hash.ts';
import { encode } from '../encoding/canonical.ts';
import { ErrorCode } from '../errors.ts';
import { createApp } from '../index.ts';
import { StateTree } from '../store/state-tree.ts';
import {
  send,
  TEST_CHAIN_ID,
  type TestAccount,
  TestChain,
  testAccount,
  testGenesis,
} from '../testing/harness.ts';
import { encodeTx, MAX_TX_BYTES, type Msg, signTx, type TxBody } from '../tx/tx.ts';
import type { GenesisInput } from './genesis.ts';

const alice = testAccount('alice');
const bob = testAccount('bob');
/** Funded with 1500ubwk only. */
const poor = testAccount('poor');
/** Not in the genesis: holds nothing. */
const nobody = testAccount('nobody');

const START = 1_000_000_000n;

function genesis(chainId = TEST_CHAIN_ID): GenesisInput {
  const g = testGenesis([alice, bob]);
  const bank = (g.app as { bank: { balances: unknown[] } }).bank;
  bank.balances.push({ address: poor.address, coins: [{ denom: 'ubwk', amount: '1500' }] });
  return { ...g, chainId };
}

// The kernel alone: these tests read the fee pool and supply, which inflation and fee
// distribution would move every block.
const chain = (chainId = TEST_CHAIN_ID) =>
  new TestChain(genesis(chainId), { assertInvariants: true, kernelOnly: true });

const balance = (c: TestChain, who: TestAccount, denom = 'ubwk') =>
  (c.app.query('bank/balance', { address: who.address, denom }).value as { amount: bigint }).amount;
const nonce = (c: TestChain, who: TestAccount) =>
  (c.app.query('auth/account', { address: who.address }).value as { nonce: number }).nonce;

/** Every balance and nonce of the known accounts, for before/after comparisons. */
function snapshot(c: TestChain) {
  return [alice, bob, poor, nobody].map((a) => ({
    name: a.name,
    ubwk: balance(c, a),
    uusd: balance(c, a, 'uusd'),
    nonce: nonce(c, a),
    supply: c.app.query('bank/supply', {}).value,
  }));
}

/** A tx from a hand-built body, signed by `seed` (by default the signer's own). */
function rawTx(from: TestAccount, over: Partial<TxBody> = {}, seed = from.seed): Uint8Array {
  const body: TxBody = {
    chainId: TEST_CHAIN_ID,
    signer: from.pubKey,
    nonce: 0,
    fee: { denom: 'ubwk', amount: 1000n },
    msgs: [send(bob, 5n)],
    ...over,
  };
  return encodeTx(signTx(body, seed));
}

function flipLastBit(b: Uint8Array): Uint8Array {
  const out = b.slice();
  out[out.length - 1] = (out[out.length - 1] as number) ^ 1;
  return out;
}

/**
 * Txs that fail before their fee is taken, each with its code and what the log must say.
 * Built for a chain where alice has executed exactly one tx (nonce 1).
 */
function invalidTxs(): { name: string; bytes: Uint8Array; code: number; log: RegExp }[] {
  const big: Msg = {
    type: 'bank/send',
    value: {
      to: bob.address,
      amount: { denom: 'ubwk', amount: 1n },
      pad: 'x'.repeat(MAX_TX_BYTES),
    },
  };
  return [
    {
      name: 'garbage bytes',
      bytes: Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
      code: ErrorCode.TxDecode,
      log: /not a canonical tx/,
    },
    {
      name: 'a canonical non-tx',
      bytes: encode({ hello: 'world' }),
      code: ErrorCode.TxDecode,
      log: /malformed tx/,
    },
    {
      name: 'no messages',
      bytes: rawTx(alice, { nonce: 1, msgs: [] }),
      code: ErrorCode.TxDecode,
      log: /at least one message/,
    },
    {
      name: 'the wrong chain id',
      bytes: rawTx(alice, { nonce: 1, chainId: 'other-chain' }),
      code: ErrorCode.WrongChainId,
      log: /tx is for chain "other-chain", this is "bulwark-test"/,
    },
    {
      name: 'a flipped signature bit',
      bytes: flipLastBit(rawTx(alice, { nonce: 1 })),
      code: ErrorCode.Unauthorized,
      log: /signature does not verify/,
    },
    {
      name: "another key's signature",
      bytes: rawTx(alice, { nonce: 1 }, bob.seed),
      code: ErrorCode.Unauthorized,
      log: /signature does not verify/,
    },
    {
      name: 'a stale nonce',
      bytes: rawTx(alice, { nonce: 0, msgs: [send(bob, 7n)] }),
      code: ErrorCode.InvalidNonce,
      log: new RegExp(`stale nonce: account ${alice.address} expects 1, tx has 0`),
    },
    {
      name: 'a future nonce',
      bytes: rawTx(alice, { nonce: 5 }),
      code: ErrorCode.InvalidNonce,
      log: new RegExp(`future nonce: account ${alice.address} expects 1, tx has 5`),
    },
    {
      name: 'an unknown message type',
      bytes: rawTx(alice, { nonce: 1, msgs: [send(bob, 1n), { type: 'bank/mint', value: {} }] }),
      code: ErrorCode.UnknownMessage,
      log: /message 1: unknown type "bank\/mint"/,
    },
    {
      name: 'an oversized tx',
      bytes: rawTx(alice, { nonce: 1, msgs: [big] }),
      code: ErrorCode.TxTooLarge,
      log: /tx is \d+ bytes, the limit is 65536/,
    },
    {
      name: 'too many messages',
      bytes: rawTx(alice, { nonce: 1, msgs: new Array(65).fill(send(bob, 1n)) }),
      code: ErrorCode.TooManyMessages,
      log: /tx has 65 messages, the limit is 64/,
    },
    {
      name: 'a fee below the minimum',
      bytes: rawTx(alice, { nonce: 1, fee: { denom: 'ubwk', amount: 99n } }),
      code: ErrorCode.InsufficientFee,
      log: /fee 99ubwk is below the minimum 100ubwk/,
    },
    {
      name: 'a negative fee',
      bytes: rawTx(alice, { nonce: 1, fee: { denom: 'ubwk', amount: -1000n } }),
      code: ErrorCode.InsufficientFee,
      log: /below the minimum/,
    },
    {
      name: 'a fee in the wrong denom',
      bytes: rawTx(alice, { nonce: 1, fee: { denom: 'uusd', amount: 1000n } }),
      code: ErrorCode.InsufficientFee,
      log: /fee must be paid in ubwk, got uusd/,
    },
    {
      name: 'a fee the signer cannot pay',
      bytes: rawTx(nobody, { nonce: 0 }),
      code: ErrorCode.InsufficientFunds,
      log: new RegExp(`insufficient funds: ${nobody.address} has 0ubwk, needs 1000ubwk`),
    },
    {
      name: 'a fee larger than the balance',
      bytes: rawTx(poor, {
        nonce: 0,
        fee: { denom: 'ubwk', amount: 1501n },
        msgs: [send(bob, 1n)],
      }),
      code: ErrorCode.InsufficientFunds,
      log: /has 1500ubwk, needs 1501ubwk/,
    },
  ];
}

/** A chain where alice has sent once (nonce 1), so stale nonces exist. */
function chainAfterOneSend(chainId = TEST_CHAIN_ID): TestChain {
  const c = chain(chainId);
  const r = c.block([rawTx(alice, { nonce: 0, msgs: [send(bob, 10n)] })]);
  expect(r.txResults[0]?.code).toBe(0);
  return c;
}

describe('checkTx refuses bad txs and never touches committed state', () => {
  for (const bad of invalidTxs()) {
    it(`refuses ${bad.name} with code ${bad.code}`, () => {
      const c = chainAfterOneSend();
      const hash = toHex(c.app.appHash);
      const before = snapshot(c);
      const r = c.app.checkTx(bad.bytes);
      expect(r.code).toBe(bad.code);
      expect(r.codespace).toBe('bulwark');
      expect(r.log).toMatch(bad.log);
      expect(toHex(c.app.appHash)).toBe(hash);
      expect(snapshot(c)).toEqual(before);
      // The mempool view is untouched too: alice's next tx is still nonce 1.
      expect(c.app.checkTx(rawTx(alice, { nonce: 1 })).code).toBe(0);
      expect(toHex(c.app.appHash)).toBe(hash);
    });
  }

  it('refuses an overdraft that only the fee pushes over the balance (InsufficientFunds)', () => {
    const c = chain();
    const hash = toHex(c.app.appHash);
    // poor holds 1500: 1000 fee + 1000 sent is too much, though each alone is not.
    const r = c.app.checkTx(rawTx(poor, { msgs: [send(bob, 1000n)] }));
    expect(r.code).toBe(ErrorCode.InsufficientFunds);
    expect(r.log).toMatch(
      new RegExp(`insufficient funds: ${poor.address} has 500ubwk, needs 1000ubwk`),
    );
    expect(toHex(c.app.appHash)).toBe(hash);
    expect(balance(c, poor)).toBe(1500n);
    // In the mempool a refused tx uses no nonce and pays no fee: the same nonce still works.
    expect(c.app.checkTx(rawTx(poor, { msgs: [send(bob, 500n)] })).code).toBe(0);
    expect(balance(c, poor)).toBe(1500n);
  });

  it('reports sender, nonce and fee for an accepted tx, and tracks the mempool nonce', () => {
    const c = chain();
    const hash = toHex(c.app.appHash);
    const r = c.app.checkTx(rawTx(alice, { nonce: 0, fee: { denom: 'ubwk', amount: 2500n } }));
    expect(r).toMatchObject({ code: 0, sender: alice.address, nonce: 0, fee: 2500n });
    expect(r.hash).toMatch(/^[0-9A-F]{64}$/);
    // The same tx again is now a stale nonce in the mempool's view; nonce 1 is next.
    const again = c.app.checkTx(rawTx(alice, { nonce: 0, fee: { denom: 'ubwk', amount: 2500n } }));
    expect(again.code).toBe(ErrorCode.InvalidNonce);
    expect(c.app.checkTx(rawTx(alice, { nonce: 2 })).code).toBe(ErrorCode.InvalidNonce);
    expect(c.app.checkTx(rawTx(alice, { nonce: 1 })).code).toBe(0);
    // Committed state is untouched by all of it.
    expect(toHex(c.app.appHash)).toBe(hash);
    expect(balance(c, alice)).toBe(START);
    expect(nonce(c, alice)).toBe(0);
    // After a commit the mempool view is the committed state again.
    c.block([]);
    expect(c.app.checkTx(rawTx(alice, { nonce: 0 })).code).toBe(0);
  });

  it('refuses a tx signed for another chain id, even from a funded account', () => {
    const other = chain('bulwark-other');
    const here = chain();
    const forOther = rawTx(alice, { chainId: 'bulwark-other' });
    expect(other.app.checkTx(forOther).code).toBe(0);
    const r = here.app.checkTx(forOther);
    expect(r.code).toBe(ErrorCode.WrongChainId);
    expect(r.log).toMatch(/tx is for chain "bulwark-other", this is "bulwark-test"/);
    // Re-labelling the body with this chain's id breaks the signature.
    const tx = signTx(
      {
        chainId: 'bulwark-other',
        signer: alice.pubKey,
        nonce: 0,
        fee: { denom: 'ubwk', amount: 1000n },
        msgs: [send(bob, 5n)],
      },
      alice.seed,
    );
    const relabelled = encodeTx({
      body: { ...tx.body, chainId: TEST_CHAIN_ID },
      signature: tx.signature,
    });
    const r2 = here.app.checkTx(relabelled);
    expect(r2.code).toBe(ErrorCode.Unauthorized);
    expect(r2.log).toMatch(/signature does not verify/);
  });
});

describe('finalizeBlock with invalid txs', () => {
  it('reports each failure and leaves every balance and nonce as an empty block would', () => {
    const a = chainAfterOneSend();
    const b = chainAfterOneSend();
    expect(toHex(a.app.appHash)).toBe(toHex(b.app.appHash));
    const before = snapshot(a);
    const bad = invalidTxs();
    const res = a.block(bad.map((t) => t.bytes));
    const empty = b.block([]);
    expect(res.txResults.map((r) => r.code)).toEqual(bad.map((t) => t.code));
    res.txResults.forEach((r, i) => {
      expect(r.log).toMatch((bad[i] as { log: RegExp }).log);
      expect(r.events).toEqual([]);
    });
    expect(snapshot(a)).toEqual(before);
    expect(a.height).toBe(b.height);
    expect(toHex(res.appHash)).toBe(toHex(empty.appHash));
    expect(toHex(a.app.appHash)).toBe(toHex(b.app.appHash));
    expect(a.app.brokenInvariants()).toEqual([]);
  });

  it('a valid tx among invalid ones applies alone', () => {
    const a = chainAfterOneSend();
    const b = chainAfterOneSend();
    const good = rawTx(alice, { nonce: 1, msgs: [send(bob, 123n)] });
    const bad = invalidTxs().map((t) => t.bytes);
    const res = a.block([...bad.slice(0, 8), good, ...bad.slice(8)]);
    b.block([good]);
    expect(res.txResults[8]?.code).toBe(0);
    expect(res.txResults.filter((r) => r.code === 0).length).toBe(1);
    expect(toHex(a.app.appHash)).toBe(toHex(b.app.appHash));
    expect(balance(a, bob)).toBe(START + 10n + 123n);
  });

  it('charges the fee and uses the nonce of a tx whose message fails, moving nothing else', () => {
    const c = chain();
    const res = c.block([rawTx(poor, { msgs: [send(bob, 1000n)] })]);
    expect(res.txResults[0]?.code).toBe(ErrorCode.InsufficientFunds);
    expect(res.txResults[0]?.log).toMatch(/has 500ubwk, needs 1000ubwk/);
    expect(balance(c, poor)).toBe(500n);
    expect(balance(c, bob)).toBe(START);
    expect(nonce(c, poor)).toBe(1);
    expect(c.app.brokenInvariants()).toEqual([]);
  });

  it('refuses a replay of an executed tx in a later block and within the same block', () => {
    const c = chain();
    const tx = rawTx(alice, { msgs: [send(bob, 1000n)] });
    expect(c.block([tx, tx]).txResults.map((r) => r.code)).toEqual([0, ErrorCode.InvalidNonce]);
    const after = snapshot(c);
    for (let i = 0; i < 3; i++) {
      const r = c.block([tx]);
      expect(r.txResults[0]?.code).toBe(ErrorCode.InvalidNonce);
      expect(r.txResults[0]?.log).toMatch(/stale nonce: .* expects 1, tx has 0/);
    }
    expect(snapshot(c)).toEqual(after);
    expect(balance(c, bob)).toBe(START + 1000n);
    expect(c.app.checkTx(tx).code).toBe(ErrorCode.InvalidNonce);
  });

  it('refuses in a block a tx signed for another chain', () => {
    const c = chain();
    const before = snapshot(c);
    const r = c.block([rawTx(alice, { chainId: 'bulwark-other' })]);
    expect(r.txResults[0]?.code).toBe(ErrorCode.WrongChainId);
    expect(snapshot(c)).toEqual(before);
  });

  it('refuses a block at the wrong height, and a proposal with undecodable txs', () => {
    const c = chain();
    const block = {
      chainId: TEST_CHAIN_ID,
      height: 5,
      timeMs: 0,
      proposer: '',
      hash: new Uint8Array(32),
    };
    expect(() =>
      c.app.finalizeBlock({ block, txs: [], lastCommit: { round: 0, votes: [] }, misbehavior: [] }),
    ).toThrow(/finalizeBlock at height 5, expected 1/);
    expect(c.app.processProposal([rawTx(alice)])).toBe(true);
    expect(c.app.processProposal([rawTx(alice), Uint8Array.of(0xff)])).toBe(false);
    expect(() => c.app.commit()).toThrow(/commit without finalizeBlock/);
  });
});

describe('queries refuse bad requests', () => {
  it('refuses an unknown path (UnknownQuery), listing the known ones', () => {
    const c = chain();
    const r = c.app.query('bank/nope', {});
    expect(r.code).toBe(ErrorCode.UnknownQuery);
    expect(r.log).toMatch(/unknown query path "bank\/nope"; known: .*bank\/balance/);
    expect(r.value).toBeUndefined();
  });

  it('refuses bad args (InvalidRequest), naming the field', () => {
    const c = chain();
    const cases: [string, unknown, RegExp][] = [
      [
        'bank/balance',
        { address: 'bwk1nope' },
        /bad query args: address: must be a bwk1… bech32 address/,
      ],
      ['bank/balance', {}, /bad query args: address/],
      ['bank/balance', { address: alice.address, denom: 5 }, /denom/],
      ['bank/supply', { extra: 1 }, /bad query args/],
      ['auth/account', 'alice', /bad query args/],
    ];
    for (const [path, args, why] of cases) {
      const r = c.app.query(path, args);
      expect(r.code).toBe(ErrorCode.InvalidRequest);
      expect(r.log).toMatch(why);
    }
    const unknownDenom = c.app.query('bank/balance', { address: alice.address, denom: 'uxyz' });
    expect(unknownDenom.code).toBe(ErrorCode.UnknownDenom);
    expect(unknownDenom.log).toMatch(/unknown denom "uxyz"/);
  });

  it('refuses a height in the future or not an integer (InvalidRequest), a past one without history (PrunedHeight)', () => {
    const c = chain();
    c.block([]);
    for (const h of [2, 99, -1, 1.5]) {
      const r = c.app.query('bank/supply', {}, h);
      expect(r.code).toBe(ErrorCode.InvalidRequest);
      expect(r.log).toMatch(new RegExp(`height ${h} is not in \\[0, 1\\]`));
    }
    expect(c.app.query('bank/supply', {}, 1).code).toBe(0);
    const past = c.app.query('bank/supply', {}, 0);
    expect(past.code).toBe(ErrorCode.PrunedHeight);
    expect(past.log).toMatch(/no state kept for height 0/);
  });

  it('answers a past height from the history provider', () => {
    const snapshots = new Map<number, StateTree>();
    const app = createApp({
      assertInvariants: true,
      history: {
        at: (h) => {
          const s = snapshots.get(h);
          if (s === undefined) throw new Error(`no snapshot ${h}`);
          return s;
        },
      },
    });
    app.initChain(genesis());
    const keep = () => {
      const copy = new StateTree();
      copy.load([...app.tree.iterate('')].map(([k, v]) => [k, encode(v)]));
      snapshots.set(app.height, copy);
    };
    keep();
    app.finalizeBlock({
      block: {
        chainId: TEST_CHAIN_ID,
        height: 1,
        timeMs: 1,
        proposer: '',
        hash: new Uint8Array(32),
      },
      txs: [rawTx(alice, { msgs: [send(bob, 77n)] })],
      lastCommit: { round: 0, votes: [] },
      misbehavior: [],
    });
    app.commit();
    const now = app.query('bank/balance', { address: bob.address, denom: 'ubwk' });
    const then = app.query('bank/balance', { address: bob.address, denom: 'ubwk' }, 0);
    expect(now).toMatchObject({ code: 0, height: 1, value: { amount: START + 77n } });
    expect(then).toMatchObject({ code: 0, height: 0, value: { amount: START } });
  });
});
