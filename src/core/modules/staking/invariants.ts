import type { Invariant } from '../../app/module.ts';
import type { RedelegationEntry, UnbondingEntry, Validator } from './api.ts';
import { BONDED_POOL, type StakingKeeper, UNBONDING_POOL } from './keeper.ts';
import {
  ALL_DELEGATIONS,
  ALL_REDELEGATIONS,
  ALL_UNBONDINGS,
  segments,
  VALIDATORS_PREFIX,
} from './keys.ts';

/**
 * Staking's invariants: the pools hold exactly what the records say, shares add up, nothing
 * is negative.
 */
export function stakingInvariants(keeper: () => StakingKeeper): Invariant[] {
  return [
    {
      name: 'staking/bonded-pool',
      check: (store) => {
        const k = keeper();
        let sum = 0n;
        for (const v of k.validators(store)) sum += v.tokens;
        const pool = k.bank.balance(store, BONDED_POOL, k.params(store).bondDenom);
        return pool === sum ? undefined : `bonded pool holds ${pool}, Σ validator tokens = ${sum}`;
      },
    },
    {
      name: 'staking/unbonding-pool',
      check: (store) => {
        const k = keeper();
        let sum = 0n;
        for (const [, entries] of store.iterate(ALL_UNBONDINGS)) {
          for (const e of entries as unknown as UnbondingEntry[]) sum += e.balance;
        }
        const pool = k.bank.balance(store, UNBONDING_POOL, k.params(store).bondDenom);
        return pool === sum
          ? undefined
          : `unbonding pool holds ${pool}, Σ unbonding entry balances = ${sum}`;
      },
    },
    {
      name: 'staking/shares',
      check: (store) => {
        const sums = new Map<string, bigint>();
        for (const [key, shares] of store.iterate(ALL_DELEGATIONS)) {
          const [, validator] = segments(key, ALL_DELEGATIONS) as [string, string];
          sums.set(validator, (sums.get(validator) ?? 0n) + (shares as bigint));
        }
        for (const [key, raw] of store.iterate(VALIDATORS_PREFIX)) {
          const v = raw as unknown as Validator;
          const sum = sums.get(v.operator) ?? 0n;
          if (sum !== v.delegatorShares) {
            return `${key}: delegatorShares ${v.delegatorShares} ≠ Σ delegation shares ${sum}`;
          }
          sums.delete(v.operator);
        }
        const orphan = [...sums.keys()][0];
        return orphan === undefined ? undefined : `delegations to unknown validator ${orphan}`;
      },
    },
    {
      name: 'staking/non-negative',
      check: (store) => {
        for (const [key, raw] of store.iterate(VALIDATORS_PREFIX)) {
          const v = raw as unknown as Validator;
          if (v.tokens < 0n || v.delegatorShares < 0n) {
            return `${key}: tokens ${v.tokens}, shares ${v.delegatorShares}`;
          }
          if (v.tokens > 0n && v.delegatorShares === 0n) {
            return `${key}: ${v.tokens} tokens without shares`;
          }
        }
        for (const [key, shares] of store.iterate(ALL_DELEGATIONS)) {
          if ((shares as bigint) <= 0n) return `${key}: shares ${shares}`;
        }
        for (const [key, entries] of store.iterate(ALL_UNBONDINGS)) {
          for (const e of entries as unknown as UnbondingEntry[]) {
            if (e.balance < 0n || e.balance > e.initialBalance) {
              return `${key}: balance ${e.balance} of initial ${e.initialBalance}`;
            }
          }
        }
        for (const [key, entries] of store.iterate(ALL_REDELEGATIONS)) {
          for (const e of entries as unknown as RedelegationEntry[]) {
            if (e.initialBalance <= 0n || e.sharesDst <= 0n) {
              return `${key}: initial ${e.initialBalance}, sharesDst ${e.sharesDst}`;
            }
          }
        }
        return undefined;
      },
    },
  ];
}
