import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/crypto/hash.ts';
import { ErrorCode } from '../../src/core/errors.ts';
import {
  send,
  TEST_CHAIN_ID,
  type TestAccount,
  TestChain,
  testAccount,
  testGenesis,
} from '../../src/core/testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../src/core/tx/tx.ts';

/** mulberry32: a small seeded PRNG, so the run is the same on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] as T,
    big: (max: bigint) => (BigInt(int(0x7fffffff)) * BigInt(int(0x7fffffff))) % (max + 1n),
    bytes: (n: number) => Uint8Array.from({ length: n }, () => int(256)),
  };
}

const BLOCKS = 500;
const SEED = 0xb01a4c;
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => testAccount(`det${i}`));
const STRANGERS = Array.from({ length: 3 }, (_, i) => testAccount(`stranger${i}`));
const GENESIS = testGenesis(ACCOUNTS, 5_000_000n);

const DENOMS = ['ubwk', 'uusd'] as const;

interface Recorded {
  txs: Uint8Array[];
  appHash: string;
  codes: number[];
}

/**
 * Builds one block of random txs against the state of `ref` (balances and nonces are read
 * from it so that most sends are valid): valid sends in both denoms, multi-message sends,
 * and invalid txs of every kind.
 */
function randomBlock(ref: TestChain, rnd: ReturnType<typeof prng>): Uint8Array[] {
  const nonces = new Map<string, number>();
  const nonceOf = (a: TestAccount) => {
    let n = nonces.get(a.address);
    if (n === undefined) {
      n = (ref.app.query('auth/account', { address: a.address }).value as { nonce: number }).nonce;
      nonces.set(a.address, n);
    }
    return n;
  };
  const bal = (a: TestAccount, denom: string) =>
    (ref.app.query('bank/balance', { address: a.address, denom }).value as { amount: bigint })
      .amount;
  const sign = (
    from: TestAccount,
    msgs: Msg[],
    opts: {
      nonce?: number;
      fee?: bigint;
      feeDenom?: string;
      chainId?: string;
      seed?: Uint8Array;
    } = {},
  ) => {
    const tx = signTx(
      {
        chainId: opts.chainId ?? TEST_CHAIN_ID,
        signer: from.pubKey,
        nonce: opts.nonce ?? nonceOf(from),
        fee: { denom: opts.feeDenom ?? 'ubwk', amount: opts.fee ?? BigInt(100 + rnd.int(2000)) },
        msgs,
      },
      opts.seed ?? from.seed,
    );
    return encodeTx(tx);
  };
  /** A tx expected to pass the ante checks: it uses up the sender's nonce. */
  const spend = (from: TestAccount, msgs: Msg[]) => {
    const bytes = sign(from, msgs);
    nonces.set(from.address, nonceOf(from) + 1);
    return bytes;
  };
  const to = () => (rnd.int(10) === 0 ? rnd.pick(STRANGERS) : rnd.pick(ACCOUNTS));

  const txs: Uint8Array[] = [];
  const count = rnd.int(9);
  for (let i = 0; i < count; i++) {
    const from = rnd.pick(ACCOUNTS);
    const denom = rnd.pick(DENOMS);
    const have = bal(from, denom);
    const amount = 1n + rnd.big(have / 20n + 1n);
    const kind = rnd.int(20);
    if (kind < 10) txs.push(spend(from, [send(to(), amount, denom)]));
    else if (kind === 10)
      txs.push(spend(from, [send(to(), amount, 'ubwk'), send(to(), amount, 'uusd')]));
    else if (kind === 11)
      txs.push(spend(from, [send(to(), have + 1n + rnd.big(1000n), denom)])); // overdraft
    else if (kind === 12)
      txs.push(spend(from, [send(to(), amount, 'uxyz')])); // unknown denom
    else if (kind === 13)
      txs.push(sign(from, [send(to(), amount, denom)], { seed: rnd.pick(ACCOUNTS).seed })); // bad sig (or rarely, its own)
    else if (kind === 14)
      txs.push(sign(from, [send(to(), amount, denom)], { nonce: nonceOf(from) + 1 + rnd.int(3) }));
    else if (kind === 15 && nonceOf(from) > 0)
      txs.push(sign(from, [send(to(), amount, denom)], { nonce: rnd.int(nonceOf(from)) }));
    else if (kind === 16) txs.push(rnd.bytes(rnd.int(60)));
    else if (kind === 17)
      txs.push(sign(from, [send(to(), amount, denom)], { fee: BigInt(rnd.int(100)) }));
    else if (kind === 18)
      txs.push(sign(from, [send(to(), amount, denom)], { feeDenom: 'uusd', fee: 1000n }));
    else txs.push(sign(from, [send(to(), amount, denom)], { chainId: 'bulwark-elsewhere' }));
  }
  // Now and then an account empties itself of ubwk, so fees become unpayable later.
  if (rnd.int(25) === 0) {
    const from = rnd.pick(ACCOUNTS);
    const have = bal(from, 'ubwk');
    if (have > 2000n)
      txs.push(spend(from, [send(rnd.pick(ACCOUNTS), have - 1000n - BigInt(rnd.int(900)))]));
  }
  return txs;
}

describe('determinism', () => {
  it(`two apps running the same ${BLOCKS} random blocks agree at every height; a replay reproduces them`, () => {
    const rnd = prng(SEED);
    const a = new TestChain(GENESIS);
    const b = new TestChain(GENESIS, { assertInvariants: false });
    expect(toHex(a.app.appHash)).toBe(toHex(b.app.appHash));
    const genesisHash = toHex(a.app.appHash);
    const recorded: Recorded[] = [];
    const codes = new Map<number, number>();

    for (let h = 1; h <= BLOCKS; h++) {
      const txs = randomBlock(a, rnd);
      // b also sees every tx in its mempool first: checkTx must not change what a block does.
      for (const tx of txs) b.app.checkTx(tx);
      const ra = a.block(txs);
      const rb = b.block(txs);
      const hashA = toHex(ra.appHash);
      expect(toHex(rb.appHash), `app hash at height ${h}`).toBe(hashA);
      expect(rb.txResults).toEqual(ra.txResults);
      const blockCodes = ra.txResults.map((r) => r.code);
      for (const c of blockCodes) codes.set(c, (codes.get(c) ?? 0) + 1);
      recorded.push({ txs, appHash: hashA, codes: blockCodes });
    }
    expect(a.height).toBe(BLOCKS);
    expect(a.app.brokenInvariants()).toEqual([]);
    expect(b.app.brokenInvariants()).toEqual([]);

    // The random mix exercised valid txs and every kind of failure.
    const seen = (code: number) => codes.get(code) ?? 0;
    expect(seen(0)).toBeGreaterThan(600);
    for (const code of [
      ErrorCode.TxDecode,
      ErrorCode.InvalidNonce,
      ErrorCode.Unauthorized,
      ErrorCode.InsufficientFunds,
      ErrorCode.WrongChainId,
      ErrorCode.InsufficientFee,
      ErrorCode.UnknownDenom,
    ]) {
      expect(seen(code), `txs refused with code ${code}`).toBeGreaterThan(10);
    }
    // Every block changes the time, so every hash is new.
    expect(new Set([genesisHash, ...recorded.map((r) => r.appHash)]).size).toBe(BLOCKS + 1);

    // A third app replays the recorded blocks and reproduces every hash and result code.
    const c = new TestChain(GENESIS, { assertInvariants: true });
    expect(toHex(c.app.appHash)).toBe(genesisHash);
    recorded.forEach((block, i) => {
      const r = c.block(block.txs);
      expect(toHex(r.appHash), `replayed app hash at height ${i + 1}`).toBe(block.appHash);
      expect(r.txResults.map((x) => x.code)).toEqual(block.codes);
    });

    // Balances agree account by account too.
    for (const acct of [...ACCOUNTS, ...STRANGERS]) {
      for (const denom of DENOMS) {
        const q = (t: TestChain) =>
          t.app.query('bank/balance', { address: acct.address, denom }).value;
        expect(q(c)).toEqual(q(a));
      }
    }
  });

  it('a different block sequence gives a different hash (the comparison is not vacuous)', () => {
    const x = new TestChain(GENESIS);
    const y = new TestChain(GENESIS);
    const [from, to] = ACCOUNTS as [TestAccount, TestAccount];
    x.block([x.tx(from, [send(to, 1n)])]);
    y.block([y.tx(from, [send(to, 2n)])]);
    expect(toHex(x.app.appHash)).not.toBe(toHex(y.app.appHash));
  });
});
