import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/hash.ts';
import { fromDecimalString as dec } from '../../math/index.ts';
import type { TestAccount } from '../../testing/harness.ts';
import { StakingKeeper } from '../staking/keeper.ts';
import { StakingModule } from '../staking/module.ts';
import { consKeyOf, TEST_PARAMS } from '../staking/testing.ts';
import {
  type Config,
  configArb,
  DELEGATORS,
  distributionGenesis,
  recipientOf,
  runAgainstModel,
  type StakingDriver,
  stepArb,
  V,
} from './acceptance.ts';
import { DISTRIBUTION_POOL } from './keeper.ts';
import { acct, DistrChain } from './testkit.ts';

/** The distribution module against the real staking module (keeper, messages, hooks). */
function realChain(cfg: Config, operators: TestAccount[], delegators: TestAccount[]) {
  const actors = [...operators, ...delegators];
  return new DistrChain({
    accounts: actors,
    balance: 10_000_000_000n,
    validators: [],
    staking: (bank) => {
      const keeper = new StakingKeeper(bank);
      return { keeper, modules: [new StakingModule(keeper)] };
    },
    genesisValidators: operators.map((op) => ({
      name: op.name,
      pubKey: toHex(consKeyOf(op)),
      power: '1',
    })),
    appGenesis: {
      staking: {
        params: { ...TEST_PARAMS },
        validators: operators.map((op, i) => ({
          operator: op.address,
          consPubKey: toHex(consKeyOf(op)),
          moniker: op.name,
          selfBond: String(cfg.selfBonds[i]),
          commission: { rate: cfg.commissions[i], maxRate: '1', maxChangeRate: '0.01' },
        })),
      },
    },
    distribution: distributionGenesis(
      cfg,
      actors.map((a) => [a.address, recipientOf(a)]),
    ),
  });
}

function realDriver(cfg: Config): StakingDriver {
  const operators = Array.from({ length: V }, (_, i) => acct(`op${i}`));
  const delegators = Array.from({ length: DELEGATORS }, (_, i) => acct(`del${i}`));
  const chain = realChain(cfg, operators, delegators);
  return {
    chain,
    operators,
    delegators,
    mayRefuse: true,
    delegate: (validator, amount) => ({
      type: 'staking/delegate',
      value: { validator, amount: { denom: 'ubwk', amount } },
    }),
    undelegate: (validator, _delegator, shares) => ({
      type: 'staking/undelegate',
      value: { validator, shares },
    }),
    redelegate: (src, dst, shares) => ({
      type: 'staking/redelegate',
      value: { src, dst, shares },
    }),
    slash: (validator, fraction) =>
      chain.run((ctx) => {
        const v = chain.staking.validator(chain.store, validator);
        const power = chain.staking
          .activeSet(chain.store)
          .find((a) => a.operator === validator)?.power;
        if (v === undefined || power === undefined || power === 0n) return;
        chain.staking.slash(ctx, v.consAddress, ctx.block.height, power, fraction);
      }),
  };
}

describe('with the real staking module', () => {
  it('acceptance: lazy rewards equal the per-block recomputation', () => {
    fc.assert(
      fc.property(
        configArb(),
        fc.array(stepArb(), { minLength: 5, maxLength: 60, size: 'max' }),
        (cfg, steps) => {
          runAgainstModel(realDriver(cfg), cfg, steps);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('settles through the hooks on delegate, and a slash leaves the split by shares', () => {
    const cfg: Config = {
      communityTax: '0',
      commissions: ['0', '0', '0'],
      blocksPerYear: 31_557_600,
      inflation: '0',
      selfBonds: [3_000_000n, 3_000_000n, 3_000_000n],
    };
    const operators = Array.from({ length: V }, (_, i) => acct(`op${i}`));
    const alice = acct('del0');
    const c = realChain(cfg, operators, [alice]);
    const op0 = operators[0] as TestAccount;
    const delegate = (amount: bigint) => ({
      type: 'staking/delegate',
      value: { validator: op0.address, amount: { denom: 'ubwk', amount } },
    });
    // alice: 1 BWK to op0 (1/4 of its shares); fee 9000 → the next block gives op0, with power
    // 3 of 9 signed, 3000: alice 750.
    expect(c.block([c.tx(alice, [delegate(1_000_000n)], 9000n)]).txResults[0]?.log).toBe('');
    c.block();
    expect(c.distr.pendingRewards(c.store, alice.address, op0.address).ubwk).toBe(750n);
    // a slash of 50 % changes tokens, not shares: alice still holds 1/4 of op0's shares
    c.run((ctx) =>
      c.staking.slash(
        ctx,
        c.staking.validator(c.store, op0.address)?.consAddress ?? '',
        ctx.block.height,
        4n,
        dec('0.5'),
      ),
    );
    expect(c.staking.validator(c.store, op0.address)?.tokens).toBe(2_000_000n);
    expect(c.distr.pendingRewards(c.store, alice.address, op0.address).ubwk).toBe(750n);
    // delegating more pays the pending 750 out through beforeDelegationSharesModified
    c.block([c.tx(alice, [delegate(1_000_000n)], 100n)]);
    expect(c.balance(recipientOf(alice))).toBe(750n);
    const owed = c.distr.owed(c.store);
    expect(c.balance(DISTRIBUTION_POOL)).toBe(owed.ubwk ?? 0n);
  });
});
