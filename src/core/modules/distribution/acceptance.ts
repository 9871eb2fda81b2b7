import fc from 'fast-check';
import { expect } from 'vitest';
import { fromDecimalString as dec } from '../../math/index.ts';
import type { TestAccount } from '../../testing/harness.ts';
import type { Msg } from '../../tx/tx.ts';
import { DistributionErrorCode } from './errors.ts';
import { DISTRIBUTION_POOL } from './keeper.ts';
import { EXACT_SCALE, type ModelValidator, RewardModel } from './model.ts';
import { acct, type DistrChain } from './testkit.ts';

/**
 * Test support for THE acceptance property of the distribution module: over random sequences of delegations,
 * undelegations, slashes, blocks (with random absent signers and fees) and withdrawals,
 * every recipient's withdrawn rewards equal the brute-force per-block recomputation to the
 * last base unit, and nothing is created or lost.
 */

export type Action =
  | { kind: 'delegate'; who: number; v: number; amount: bigint }
  | { kind: 'undelegate'; who: number; v: number; pct: number }
  | { kind: 'slash'; v: number; ppm: number }
  | { kind: 'redelegate'; who: number; v: number; dst: number; pct: number }
  | { kind: 'withdraw'; who: number; v: number | null }
  | { kind: 'commission'; v: number }
  | { kind: 'idle' };

export interface Step {
  action: Action;
  absent: boolean[];
  fee: bigint;
}

export const V = 3;
export const DELEGATORS = 3;
const ACTORS = V + DELEGATORS;

export const stepArb = (): fc.Arbitrary<Step> =>
  fc.record({
    action: fc.oneof(
      fc.record({
        kind: fc.constant('delegate' as const),
        who: fc.nat(ACTORS - 1),
        v: fc.nat(V - 1),
        amount: fc.bigInt(1_000_000n, 40_000_000n),
      }),
      fc.record({
        kind: fc.constant('undelegate' as const),
        who: fc.nat(ACTORS - 1),
        v: fc.nat(V - 1),
        pct: fc.integer({ min: 1, max: 100 }),
      }),
      fc.record({
        kind: fc.constant('redelegate' as const),
        who: fc.nat(ACTORS - 1),
        v: fc.nat(V - 1),
        dst: fc.nat(V - 1),
        pct: fc.integer({ min: 1, max: 100 }),
      }),
      fc.record({
        kind: fc.constant('slash' as const),
        v: fc.nat(V - 1),
        ppm: fc.integer({ min: 1, max: 500_000 }),
      }),
      fc.record({
        kind: fc.constant('withdraw' as const),
        who: fc.nat(ACTORS - 1),
        v: fc.option(fc.nat(V - 1)),
      }),
      fc.record({ kind: fc.constant('commission' as const), v: fc.nat(V - 1) }),
      fc.constant({ kind: 'idle' as const }),
    ),
    absent: fc.array(fc.boolean(), { minLength: V, maxLength: V }),
    fee: fc.bigInt(100n, 200_000n),
  });

export const configArb = () =>
  fc.record({
    communityTax: fc.constantFrom('0', '0.02', '0.1', '0.333333333333333333'),
    commissions: fc.array(fc.constantFrom('0', '0.05', '0.1', '0.333333333333333333', '1'), {
      minLength: V,
      maxLength: V,
    }),
    blocksPerYear: fc.constantFrom(1000, 31_557_600),
    inflation: fc.constantFrom('0', '0.07', '0.13', '0.2'),
    selfBonds: fc.array(fc.bigInt(1_000_000n, 30_000_000n), { minLength: V, maxLength: V }),
  });

export type Config = ReturnType<typeof configArb> extends fc.Arbitrary<infer T> ? T : never;

/** How a staking implementation is driven (the fake here, the real module elsewhere). */
export interface StakingDriver {
  chain: DistrChain;
  operators: TestAccount[];
  delegators: TestAccount[];
  delegate(validator: string, amount: bigint): Msg;
  /** Undelegates `shares` of the delegation (as the staking module's message takes it). */
  undelegate(validator: string, delegator: string, shares: bigint): Msg;
  /** Redelegates `shares` (undefined: the implementation has no redelegation). */
  redelegate?(src: string, dst: string, shares: bigint): Msg;
  slash(validator: string, fraction: bigint): void;
  /** Whether staking may refuse a delegation change (jailed validator, entry limits…). */
  mayRefuse: boolean;
}

export const distributionGenesis = (cfg: Config, recipients: [string, string][]) => ({
  params: {
    communityTax: cfg.communityTax,
    inflationRateChange: '0.13',
    inflationMax: '0.2',
    inflationMin: '0',
    goalBonded: '0.67',
    blocksPerYear: cfg.blocksPerYear,
    bondDenom: 'ubwk',
  },
  inflation: cfg.inflation,
  withdrawAddresses: recipients.map(([delegator, address]) => ({ delegator, address })),
});

export const recipientOf = (a: TestAccount) => acct(`w/${a.name}`).address;

/** Runs `steps` on the driver's chain and the model side by side, then checks everything. */
export function runAgainstModel(driver: StakingDriver, cfg: Config, steps: Step[]): void {
  const { chain: c, operators } = driver;
  const actors = [...operators, ...driver.delegators];
  const recipient = new Map(actors.map((a) => [a.address, recipientOf(a)]));
  const validators: ModelValidator[] = operators.map((op) => {
    const v = c.staking.validator(c.store, op.address);
    if (v === undefined) throw new Error('validator missing');
    return {
      operator: op.address,
      consAddress: v.consAddress,
      commissionRate: v.commission.rate,
      commissionRecipient: recipient.get(op.address) as string,
    };
  });
  const model = new RewardModel(
    validators,
    dec(cfg.communityTax),
    (d) => recipient.get(d) as string,
  );
  const mirror = (validator: string, delegator: string) =>
    model.setShares(
      validator,
      delegator,
      c.staking.delegation(c.store, delegator, validator)?.shares,
    );
  for (const op of operators) for (const a of actors) mirror(op.address, a.address);

  for (const step of steps) {
    const a = step.action;
    let msg: Msg | undefined;
    let expectFail: number | undefined;
    let who = 'who' in a ? (actors[a.who] as TestAccount) : undefined;
    let val = 'v' in a && a.v !== null ? (operators[a.v] as TestAccount).address : undefined;
    // Changes and withdrawals mostly aim at an existing delegation (picked by the drawn
    // indices), so that few of them are refused for want of one.
    const existing = [...model.shares.keys()].sort();
    if (
      (a.kind === 'undelegate' || a.kind === 'redelegate' || a.kind === 'withdraw') &&
      existing.length > 0 &&
      a.who < ACTORS - 1
    ) {
      const [v, d] = (existing[(a.who * V + (a.v ?? 0)) % existing.length] as string).split('|');
      who = actors.find((x) => x.address === d);
      if (val !== undefined) val = v;
    }
    if (a.kind === 'delegate' && who && val) msg = driver.delegate(val, a.amount);
    if (a.kind === 'undelegate' && who && val) {
      const held = c.staking.delegation(c.store, who.address, val)?.shares ?? 0n;
      if (held > 0n) {
        const shares = a.pct === 100 ? held : (held * BigInt(a.pct)) / 100n;
        if (shares > 0n) msg = driver.undelegate(val, who.address, shares);
      }
    }
    const dst = a.kind === 'redelegate' ? (operators[a.dst] as TestAccount).address : undefined;
    if (a.kind === 'redelegate' && who && val && dst && dst !== val && driver.redelegate) {
      const held = c.staking.delegation(c.store, who.address, val)?.shares ?? 0n;
      const shares = a.pct === 100 ? held : (held * BigInt(a.pct)) / 100n;
      if (shares > 0n) msg = driver.redelegate(val, dst, shares);
    }
    if (a.kind === 'withdraw' && who) {
      msg = {
        type: 'distribution/withdraw-rewards',
        value: val === undefined ? {} : { validator: val },
      };
      const has =
        val === undefined
          ? model.delegationsOf(who.address).length > 0
          : model.shares.has(`${val}|${who.address}`);
      if (!has) expectFail = DistributionErrorCode.NoDelegation;
    }
    if (a.kind === 'commission') {
      // whether there is commission depends on this very block's allocation: checked after it
      msg = { type: 'distribution/withdraw-commission', value: {} };
    }
    const signer = a.kind === 'commission' ? (operators[a.v] as TestAccount) : who;
    const feesBefore = c.bank.feePool(c.store, 'ubwk');
    const mintedBefore = c.bank.minted(c.store, 'ubwk');
    const votes = c.votes(operators.filter((_, i) => step.absent[i]).map((o) => o.address));
    const txs = msg !== undefined && signer !== undefined ? [c.tx(signer, [msg], step.fee)] : [];
    const res = c.block(txs, votes);
    model.block(feesBefore + c.bank.minted(c.store, 'ubwk') - mintedBefore, votes);
    const code = res.txResults[0]?.code;
    if (msg === undefined) {
      if (a.kind === 'slash') {
        driver.slash((operators[a.v] as TestAccount).address, BigInt(a.ppm) * 10n ** 12n);
      }
      continue;
    }
    if (a.kind === 'commission') {
      const op = operators[a.v] as TestAccount;
      const owed = model.commission.get(op.address) ?? 0n;
      expect(code).toBe(owed > 0n ? 0 : DistributionErrorCode.NoCommission);
      if (code === 0) model.withdrawCommission(validators[a.v] as ModelValidator);
      continue;
    }
    if (expectFail !== undefined) {
      expect(code).toBe(expectFail);
      continue;
    }
    if (code !== 0) {
      // a refused tx is undone whole (its hook payouts too): the model does nothing
      if (!driver.mayRefuse) expect(res.txResults[0]?.log).toBe('');
      continue;
    }
    if (who === undefined) continue;
    const touched = val === undefined ? model.delegationsOf(who.address) : [val];
    if (dst !== undefined) touched.push(dst);
    for (const v of touched) {
      model.settle(v, who.address);
      mirror(v, who.address);
    }
  }

  // 1. every recipient received exactly what the model paid
  for (const a of actors) {
    const to = recipient.get(a.address) as string;
    expect(c.balance(to), `paid to ${a.name}`).toBe(model.paid.get(to) ?? 0n);
  }
  // 2. pending rewards, commission and the community pool agree
  for (const op of operators) {
    for (const a of actors) {
      expect(c.distr.pendingRewards(c.store, a.address, op.address).ubwk ?? 0n).toBe(
        model.pending(op.address, a.address),
      );
    }
    expect(c.distr.commission(c.store, op.address).ubwk ?? 0n).toBe(
      model.commission.get(op.address) ?? 0n,
    );
  }
  expect(c.distr.communityPool(c.store).ubwk ?? 0n).toBe(model.community);
  // 3. nothing created or lost: distributed = paid + commission + community + outstanding,
  //    and the pool holds exactly what is owed; dust = outstanding − Σ pending ≥ 0.
  const paid = [...model.paid.values()].reduce((s, x) => s + x, 0n);
  const commission = [...model.commission.values()].reduce((s, x) => s + x, 0n);
  let outstanding = 0n;
  let pending = 0n;
  for (const op of operators) {
    outstanding += c.distr.validatorRewards(c.store, op.address).outstanding.ubwk ?? 0n;
    for (const a of actors) pending += model.pending(op.address, a.address);
  }
  expect(paid + commission + model.community + outstanding).toBe(model.distributed);
  expect(c.balance(DISTRIBUTION_POOL)).toBe(commission + model.community + outstanding);
  expect(outstanding).toBeGreaterThanOrEqual(pending);
  // 4. against the exact rational share: each settlement (and each final pending) floors
  //    once, so a delegator is short by less than one unit per settlement; the carry can
  //    move less than one unit the other way.
  for (const a of actors) {
    let got = model.paidRewards.get(a.address) ?? 0n;
    for (const op of operators) got += model.pending(op.address, a.address);
    const exact = model.exact.get(a.address) ?? 0n;
    const floors = BigInt((model.settlements.get(a.address) ?? 0) + operators.length);
    expect(got * EXACT_SCALE <= exact + EXACT_SCALE, `${a.name} over-paid`).toBe(true);
    expect(got * EXACT_SCALE >= exact - floors * EXACT_SCALE, `${a.name} under-paid`).toBe(true);
  }
}
