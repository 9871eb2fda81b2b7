import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fromDecimalString as dec } from '../../math/index.ts';
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
import { acct, DistrChain } from './testkit.ts';

function fakeDriver(cfg: Config): StakingDriver {
  const operators = Array.from({ length: V }, (_, i) => acct(`op${i}`));
  const delegators = Array.from({ length: DELEGATORS }, (_, i) => acct(`del${i}`));
  const actors = [...operators, ...delegators];
  const chain = new DistrChain({
    accounts: actors,
    balance: 10_000_000_000n,
    validators: operators.map((account, i) => ({
      account,
      commissionRate: dec(cfg.commissions[i] as string),
      selfBond: cfg.selfBonds[i] as bigint,
    })),
    distribution: distributionGenesis(
      cfg,
      actors.map((a) => [a.address, recipientOf(a)]),
    ),
  });
  return {
    chain,
    operators,
    delegators,
    delegate: (validator, amount) => ({
      type: 'fakestaking/delegate',
      value: { validator, amount },
    }),
    undelegate: (validator, _delegator, shares) => ({
      type: 'fakestaking/undelegate',
      value: { validator, shares },
    }),
    mayRefuse: false,
    slash: (validator, fraction) =>
      chain.run((ctx) =>
        chain.staking.slash(
          ctx,
          chain.staking.validator(chain.store, validator)?.consAddress ?? '',
          ctx.block.height,
          0n,
          fraction,
        ),
      ),
  };
}

describe('acceptance: lazy rewards equal the per-block recomputation (fake staking)', () => {
  it('holds over random sequences', () => {
    fc.assert(
      fc.property(
        configArb(),
        fc.array(stepArb(), { minLength: 5, maxLength: 60, size: 'max' }),
        (cfg, steps) => {
          runAgainstModel(fakeDriver(cfg), cfg, steps);
        },
      ),
      { numRuns: 40 },
    );
  });
});
