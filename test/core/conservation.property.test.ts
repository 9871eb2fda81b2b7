import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_BALANCES } from '../../src/core/modules/bank/keys.ts';
import {
  send,
  TEST_CHAIN_ID,
  type TestAccount,
  TestChain,
  testAccount,
  testGenesis,
} from '../../src/core/testing/harness.ts';
import { encodeTx, type Msg, signTx } from '../../src/core/tx/tx.ts';

const ACCOUNTS = Array.from({ length: 5 }, (_, i) => testAccount(`cons${i}`));
/** Receives but starts with nothing (and so cannot pay fees until it is sent some). */
const STRANGER = testAccount('cons-stranger');
const EVERYONE = [...ACCOUNTS, STRANGER];
const START = 50_000n;
const MIN_FEE = 100n;
const DENOMS = ['ubwk', 'uusd'] as const;
const GENESIS = testGenesis(ACCOUNTS, START);

type Kind =
  | 'send'
  | 'multi'
  | 'overdraft'
  | 'unknownDenom'
  | 'badSig'
  | 'badNonce'
  | 'lowFee'
  | 'garbage';

interface TxSpec {
  kind: Kind;
  from: number;
  to: number;
  to2: number;
  amount: bigint;
  denom: (typeof DENOMS)[number];
  fee: bigint;
  garbage: Uint8Array;
}

const txSpecArb: fc.Arbitrary<TxSpec> = fc.record({
  kind: fc.constantFrom<Kind>(
    'send',
    'send',
    'send',
    'multi',
    'overdraft',
    'unknownDenom',
    'badSig',
    'badNonce',
    'lowFee',
    'garbage',
  ),
  from: fc.nat({ max: EVERYONE.length - 1 }),
  to: fc.nat({ max: EVERYONE.length - 1 }),
  to2: fc.nat({ max: EVERYONE.length - 1 }),
  amount: fc.bigInt({ min: 1n, max: 30_000n }),
  denom: fc.constantFrom(...DENOMS),
  fee: fc.bigInt({ min: MIN_FEE, max: 5_000n }),
  garbage: fc.uint8Array({ maxLength: 40 }),
});

const blocksArb = fc.array(fc.array(txSpecArb, { maxLength: 6 }), { minLength: 1, maxLength: 10 });

/** A reference bank: balances and nonces, with the documented tx rules. */
class Model {
  readonly bal = new Map<string, bigint>();
  readonly nonce = new Map<string, number>();
  feePool = 0n;

  constructor() {
    for (const a of ACCOUNTS) for (const d of DENOMS) this.bal.set(`${a.address}/${d}`, START);
  }

  get(addr: string, denom: string): bigint {
    return this.bal.get(`${addr}/${denom}`) ?? 0n;
  }

  nonceOf(addr: string): number {
    return this.nonce.get(addr) ?? 0;
  }

  /** Applies a tx that passed decoding, signature and nonce checks; returns whether its messages applied. */
  execute(
    from: string,
    fee: bigint,
    sends: { to: string; amount: bigint; denom: string }[],
  ): 'refused' | 'ok' | 'failed' {
    if (fee < MIN_FEE || this.get(from, 'ubwk') < fee) return 'refused';
    this.bal.set(`${from}/ubwk`, this.get(from, 'ubwk') - fee);
    this.feePool += fee;
    this.nonce.set(from, this.nonceOf(from) + 1);
    const draft = new Map(this.bal);
    const at = (a: string, d: string) => draft.get(`${a}/${d}`) ?? 0n;
    for (const s of sends) {
      if (!(DENOMS as readonly string[]).includes(s.denom)) return 'failed';
      if (at(from, s.denom) < s.amount) return 'failed';
      draft.set(`${from}/${s.denom}`, at(from, s.denom) - s.amount);
      draft.set(`${s.to}/${s.denom}`, at(s.to, s.denom) + s.amount);
    }
    for (const [k, v] of draft) this.bal.set(k, v);
    return 'ok';
  }
}

function txBytes(
  spec: TxSpec,
  model: Model,
  pending: Map<string, number>,
): { bytes: Uint8Array; expect: 'refused' | 'ok' | 'failed' } {
  const from = EVERYONE[spec.from] as TestAccount;
  const to = (EVERYONE[spec.to] as TestAccount).address;
  const to2 = (EVERYONE[spec.to2] as TestAccount).address;
  const nonce = pending.get(from.address) ?? model.nonceOf(from.address);
  const make = (msgs: Msg[], opts: { nonce?: number; fee?: bigint; seed?: Uint8Array } = {}) =>
    encodeTx(
      signTx(
        {
          chainId: TEST_CHAIN_ID,
          signer: from.pubKey,
          nonce: opts.nonce ?? nonce,
          fee: { denom: 'ubwk', amount: opts.fee ?? spec.fee },
          msgs,
        },
        opts.seed ?? from.seed,
      ),
    );
  const run = (sends: { to: string; amount: bigint; denom: string }[]) => {
    const bytes = make(sends.map((s) => send(s.to, s.amount, s.denom)));
    const outcome = model.execute(from.address, spec.fee, sends);
    pending.set(from.address, model.nonceOf(from.address));
    return { bytes, expect: outcome };
  };
  switch (spec.kind) {
    case 'send':
      return run([{ to, amount: spec.amount, denom: spec.denom }]);
    case 'multi':
      return run([
        { to, amount: spec.amount, denom: 'ubwk' },
        { to: to2, amount: spec.amount / 2n + 1n, denom: 'uusd' },
      ]);
    case 'overdraft':
      return run([
        { to, amount: model.get(from.address, spec.denom) + spec.amount, denom: spec.denom },
      ]);
    case 'unknownDenom':
      return run([
        { to, amount: 1n, denom: spec.denom },
        { to: to2, amount: spec.amount, denom: 'uxyz' },
      ]);
    case 'badSig': {
      const other = EVERYONE[(spec.from + 1) % EVERYONE.length] as TestAccount;
      return {
        bytes: make([send(to, spec.amount, spec.denom)], { seed: other.seed }),
        expect: 'refused',
      };
    }
    case 'badNonce':
      return {
        bytes: make([send(to, spec.amount, spec.denom)], { nonce: nonce + 1 }),
        expect: 'refused',
      };
    case 'lowFee':
      return {
        bytes: make([send(to, spec.amount, spec.denom)], { fee: spec.fee % MIN_FEE }),
        expect: 'refused',
      };
    case 'garbage':
      return { bytes: spec.garbage, expect: 'refused' };
  }
}

interface SupplyRow {
  denom: string;
  minted: bigint;
  burned: bigint;
  feePool: bigint;
  circulating: bigint;
}

describe('conservation', () => {
  it('minted = Σ balances + fee pool + burned after every block; balances match a reference model', () => {
    fc.assert(
      fc.property(blocksArb, (blocks) => {
        const chain = new TestChain(GENESIS, { assertInvariants: false, kernelOnly: true });
        const model = new Model();
        const genesisSupply = chain.app.query('bank/supply', {}).value as unknown as SupplyRow[];
        for (const specs of blocks) {
          const pending = new Map<string, number>();
          const built = specs.map((s) => txBytes(s, model, pending));
          const res = chain.block(built.map((b) => b.bytes));

          // Each tx did what the model says: refused (no fee), applied, or failed after paying.
          res.txResults.forEach((r, i) => {
            const want = built[i]?.expect;
            if (want === 'ok') expect(r.code, r.log).toBe(0);
            else expect(r.code, `tx ${i} expected ${want}`).not.toBe(0);
            expect(r.events.some((e) => e.type === 'tx')).toBe(want !== 'refused');
          });

          const supply = chain.app.query('bank/supply', {}).value as unknown as SupplyRow[];
          expect(supply.map((s) => s.denom).sort()).toEqual([...DENOMS]);
          // Σ balances straight from the state, independent of the supply query.
          const held = new Map<string, bigint>();
          for (const [key, amount] of chain.app.tree.iterate(ALL_BALANCES)) {
            expect(typeof amount).toBe('bigint');
            expect(amount as bigint, key).toBeGreaterThan(0n);
            const denom = key.slice(key.lastIndexOf('/') + 1);
            held.set(denom, (held.get(denom) ?? 0n) + (amount as bigint));
          }
          for (const row of supply) {
            expect(row.minted).toBe(row.circulating + row.feePool + row.burned);
            expect(row.circulating).toBe(held.get(row.denom) ?? 0n);
            expect(row.burned).toBe(0n);
            // Nothing but the genesis mints in a chain of bank txs.
            expect(row.minted).toBe(genesisSupply.find((g) => g.denom === row.denom)?.minted);
          }
          expect(supply.find((s) => s.denom === 'ubwk')?.feePool).toBe(model.feePool);
          expect(supply.find((s) => s.denom === 'uusd')?.feePool).toBe(0n);

          // Every account's balance and nonce is what the model computed; none is negative.
          for (const a of EVERYONE) {
            for (const denom of DENOMS) {
              const got = (
                chain.app.query('bank/balance', { address: a.address, denom }).value as {
                  amount: bigint;
                }
              ).amount;
              expect(got, `${a.name} ${denom}`).toBe(model.get(a.address, denom));
              expect(got >= 0n).toBe(true);
            }
            const n = (
              chain.app.query('auth/account', { address: a.address }).value as { nonce: number }
            ).nonce;
            expect(n, `${a.name} nonce`).toBe(model.nonceOf(a.address));
          }
          expect(chain.app.brokenInvariants()).toEqual([]);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('the conservation invariant notices tokens created outside the mint', () => {
    const chain = new TestChain(GENESIS, { assertInvariants: false, kernelOnly: true });
    expect(chain.app.brokenInvariants()).toEqual([]);
    const key = `${ALL_BALANCES}${STRANGER.address}/ubwk`;
    chain.app.state.set(key, 5n);
    expect(chain.app.brokenInvariants().join('\n')).toMatch(
      /bank\/conservation: ubwk: minted \d+ ≠ balances/,
    );
    chain.app.state.set(key, -5n);
    expect(chain.app.brokenInvariants().join('\n')).toMatch(/bank\/non-negative/);
  });
});
