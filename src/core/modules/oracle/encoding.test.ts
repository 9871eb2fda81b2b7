import { describe, expect, it } from 'vitest';
import { encode } from '../../encoding/canonical.ts';
import { ONE } from '../../math/index.ts';
import { testAccount } from '../../testing/harness.ts';
import { decodeTx, encodeTx, signTx } from '../../tx/tx.ts';
import { decodeEntry, encodeEntry, isOracleEntry } from './entry.ts';
import { checkExtension, encodeExtension } from './extension.ts';
import { marketMap } from './keeper.ts';
import { DEVNET_ORACLE_PARAMS } from './params.ts';

const params = DEVNET_ORACLE_PARAMS;
const markets = marketMap(params);
const check = (height: number, bytes: Uint8Array) => checkExtension(params, markets, height, bytes);
const BTC = 60_000n * ONE;

describe('vote extension', () => {
  it('round-trips a report with and without confidence', () => {
    const ext = encodeExtension(7, [
      { market: 'BTC-USD', price: BTC, confidence: 5n * ONE },
      { market: 'ETH-USD', price: 3_000n * ONE },
    ]);
    const r = check(7, ext);
    expect(typeof r).not.toBe('string');
    expect(r).toEqual(
      new Map([
        ['BTC-USD', { price: BTC, confidence: 5n * ONE }],
        ['ETH-USD', { price: 3_000n * ONE }],
      ]),
    );
    // Three markets with confidences stay within a few hundred bytes.
    const full = encodeExtension(7, [
      { market: 'BTC-USD', price: BTC, confidence: ONE },
      { market: 'ETH-USD', price: 3_000n * ONE, confidence: ONE },
      { market: 'BWK-USD', price: 2n * ONE, confidence: ONE },
    ]);
    expect(full.length).toBeLessThan(200);
  });

  it('refuses another height, an unlisted market, absurd and non-positive prices, oversize', () => {
    const one = (price: bigint, market = 'BTC-USD', confidence?: bigint) =>
      encodeExtension(7, [{ market, price, ...(confidence !== undefined ? { confidence } : {}) }]);
    expect(check(8, one(BTC))).toMatch(/height 7, expected 8/);
    expect(check(7, one(BTC, 'DOGE-USD'))).toMatch(/not listed/);
    expect(check(7, one(0n))).toMatch(/positive/);
    expect(check(7, one(-5n))).toMatch(/positive/);
    expect(check(7, one(10n ** 9n * ONE))).toMatch(/outside/);
    expect(check(7, one(ONE / 2n))).toMatch(/outside/); // below BTC's minPrice of 1
    expect(check(7, one(BTC, 'BTC-USD', BTC + 1n))).toMatch(/confidence/);
    expect(check(7, one(BTC, 'BTC-USD', -1n))).toMatch(/confidence/);
    const big = encode({ height: 7, prices: {}, pad: new Uint8Array(params.maxExtensionBytes) });
    expect(check(7, big)).toMatch(/bytes, expected at most/);
    expect(check(7, encode({ height: 7, prices: {}, extra: 1 }))).toMatch(/map \{height, prices\}/);
    expect(check(7, new Uint8Array([1, 2, 3]))).toMatch(/does not decode/);
    expect(check(7, encode({ height: 7, prices: { 'BTC-USD': '60000' } }))).toMatch(/integer/);
    expect(check(7, encode({ height: 7, prices: {} }))).toEqual(new Map());
  });
});

describe('oracle entry', () => {
  const entry = {
    height: 9,
    votes: [
      {
        validator: 'aa'.repeat(20),
        power: 10n,
        extension: encodeExtension(9, [{ market: 'BTC-USD', price: BTC }]),
        extensionSignature: new Uint8Array(64),
      },
    ],
    prices: { 'BTC-USD': BTC },
  };

  it('round-trips and is recognized by its prefix', () => {
    const bytes = encodeEntry(entry);
    expect(isOracleEntry(bytes)).toBe(true);
    expect(decodeEntry(bytes)).toEqual(entry);
  });

  it('cannot be confused with a user tx, either way', () => {
    const user = testAccount('user');
    const tx = encodeTx(
      signTx(
        {
          chainId: 'c',
          signer: user.pubKey,
          nonce: 0,
          fee: { denom: 'ubwk', amount: 1n },
          msgs: [{ type: 'bank/send', value: {} }],
        },
        user.seed,
      ),
    );
    expect(isOracleEntry(tx)).toBe(false);
    expect(() => decodeTx(encodeEntry(entry))).toThrow();
    expect(isOracleEntry(encode({ oracleUpdatf: 1 }))).toBe(false);
    expect(isOracleEntry(encode({ oracleUpdate: 1, x: 2 }))).toBe(false);
  });

  it('refuses malformed entries with a reason', () => {
    expect(decodeEntry(encode({ oracleUpdate: { height: 1, votes: [] } }))).toMatch(
      /height, votes, prices/,
    );
    expect(decodeEntry(encode({ oracleUpdate: { height: -1, votes: [], prices: {} } }))).toMatch(
      /height/,
    );
    expect(
      decodeEntry(
        encode({ oracleUpdate: { height: 1, votes: [{ validator: 'x', power: 1n }], prices: {} } }),
      ),
    ).toMatch(/vote 0/);
    expect(decodeEntry(new Uint8Array([8, 1]))).toMatch(/does not decode/);
  });
});
