import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/hash.ts';
import { ErrorCode } from '../../errors.ts';
import { send, TestChain, testAccount, testGenesis } from '../../testing/harness.ts';

const alice = testAccount('alice');
const bob = testAccount('bob');

function chain() {
  return new TestChain(testGenesis([alice, bob]));
}

const balance = (c: TestChain, who: string, denom = 'ubwk') =>
  (c.app.query('bank/balance', { address: who, denom }).value as { amount: bigint }).amount;

describe('bank/send', () => {
  it('moves coins and charges the fee into the fee pool', () => {
    const c = chain();
    const res = c.block([c.tx(alice, [send(bob, 500n)], { fee: 1000n })]);
    expect(res.txResults[0]?.code).toBe(0);
    expect(balance(c, alice.address)).toBe(1_000_000_000n - 500n - 1000n);
    expect(balance(c, bob.address)).toBe(1_000_000_000n + 500n);
    const supply = c.app.query('bank/supply', {}).value as { denom: string; feePool: bigint }[];
    expect(supply.find((s) => s.denom === 'ubwk')?.feePool).toBe(1000n);
    expect(res.txResults[0]?.events.some((e) => e.type === 'transfer')).toBe(true);
  });

  it('is atomic: a failing second message undoes the first but the fee is paid', () => {
    const c = chain();
    const res = c.block([c.tx(alice, [send(bob, 10n), send(bob, 10n ** 20n)])]);
    expect(res.txResults[0]?.code).toBe(ErrorCode.InsufficientFunds);
    expect(balance(c, bob.address)).toBe(1_000_000_000n);
    expect(balance(c, alice.address)).toBe(1_000_000_000n - 1000n);
  });

  const bad: [string, unknown, number][] = [
    [
      'zero amount',
      { to: bob.address, amount: { denom: 'ubwk', amount: 0n } },
      ErrorCode.InvalidRequest,
    ],
    [
      'negative amount',
      { to: bob.address, amount: { denom: 'ubwk', amount: -5n } },
      ErrorCode.InvalidRequest,
    ],
    [
      'number instead of bigint amount',
      { to: bob.address, amount: { denom: 'ubwk', amount: 5 } },
      ErrorCode.InvalidRequest,
    ],
    [
      'overflowing amount',
      { to: bob.address, amount: { denom: 'ubwk', amount: 1n << 130n } },
      ErrorCode.InvalidRequest,
    ],
    [
      'unknown denom',
      { to: bob.address, amount: { denom: 'uxyz', amount: 5n } },
      ErrorCode.UnknownDenom,
    ],
    [
      'bad address',
      { to: 'bwk1nope', amount: { denom: 'ubwk', amount: 5n } },
      ErrorCode.InvalidRequest,
    ],
    [
      'extra field',
      { to: bob.address, amount: { denom: 'ubwk', amount: 5n }, x: 1 },
      ErrorCode.InvalidRequest,
    ],
  ];
  for (const [name, value, code] of bad) {
    it(`checkTx refuses ${name} with code ${code} and changes nothing`, () => {
      const c = chain();
      const before = toHex(c.app.appHash);
      const r = c.app.checkTx(c.tx(alice, [{ type: 'bank/send', value: value as never }]));
      expect(r.code).toBe(code);
      expect(r.log.length).toBeGreaterThan(5);
      expect(toHex(c.app.appHash)).toBe(before);
    });
  }
});
