/**
 * Message builders of the staking module (docs/modules/staking.md): validators, delegations,
 * undelegations and redelegations. Each returns a {@link Msg} for `BulwarkClient.sendTx`;
 * bad arguments throw an ArgumentError before anything is sent.
 */
import type { Coin } from '../../core/coin.ts';
import type { Msg } from '../../core/tx/tx.ts';
import { ArgumentError } from '../errors.ts';
import { requireAddress, toCoin } from '../tx.ts';
import { fixedOfFraction, requireFraction, toAmount } from './common.ts';

/** Commission rates as decimal strings in [0, 1], e.g. `{ rate: '0.10', maxRate: '0.20', maxChangeRate: '0.01' }`. */
export interface CommissionRates {
  rate: string;
  maxRate: string;
  maxChangeRate: string;
}

export interface CreateValidatorParams {
  /** The ed25519 consensus public key: 64 hex characters (or its 32 bytes). */
  consPubKey: string | Uint8Array;
  /** 1–64 characters. */
  moniker: string;
  /** The operator's first delegation, in the bond denom, e.g. `'1000000ubwk'`. */
  selfBond: Coin | string;
  commission: CommissionRates;
  /** Base units the self-delegation may not fall below (default: the chain's minSelfBond). */
  minSelfDelegation?: bigint | number | string;
}

/** An unbonding or redelegation by share count (18 decimals) instead of by amount. */
export interface ByShares {
  shares: bigint;
}

/**
 * `staking/create-validator`: the signer becomes the operator of a new validator.
 *
 * @example
 * const msg = createValidatorMsg({
 *   consPubKey: '9f0c…', // 64 hex
 *   moniker: 'my-validator',
 *   selfBond: '1000000ubwk',
 *   commission: { rate: '0.10', maxRate: '0.20', maxChangeRate: '0.01' },
 * });
 * await client.sendTx(operator, [msg]);
 */
export function createValidatorMsg(p: CreateValidatorParams): Msg {
  const rate = fixedOfFraction(p.commission.rate, 'commission rate');
  const maxRate = fixedOfFraction(p.commission.maxRate, 'commission max rate');
  const maxChangeRate = fixedOfFraction(p.commission.maxChangeRate, 'commission max change rate');
  if (rate > maxRate) {
    throw new ArgumentError(
      `commission rate ${p.commission.rate} is above the max rate ${p.commission.maxRate}`,
    );
  }
  if (maxChangeRate > maxRate) {
    throw new ArgumentError(
      `commission max change rate ${p.commission.maxChangeRate} is above the max rate ${p.commission.maxRate}`,
    );
  }
  const { denom, amount } = toCoin(p.selfBond);
  return {
    type: 'staking/create-validator',
    value: {
      consPubKey: consPubKeyHex(p.consPubKey),
      moniker: requireMoniker(p.moniker),
      selfBond: { denom, amount },
      commission: {
        rate: p.commission.rate,
        maxRate: p.commission.maxRate,
        maxChangeRate: p.commission.maxChangeRate,
      },
      ...(p.minSelfDelegation !== undefined
        ? { minSelfDelegation: toAmount(p.minSelfDelegation, 'min self delegation') }
        : {}),
    },
  };
}

/**
 * `staking/edit-validator`: a new moniker and/or commission rate for the signer's validator
 * (the rate may change once per 24 h, by at most the max change rate).
 *
 * @example
 * const msg = editValidatorMsg({ commissionRate: '0.08' });
 */
export function editValidatorMsg(p: { moniker?: string; commissionRate?: string }): Msg {
  if (p.moniker === undefined && p.commissionRate === undefined) {
    throw new ArgumentError('give a moniker or a commission rate to change');
  }
  return {
    type: 'staking/edit-validator',
    value: {
      ...(p.moniker !== undefined ? { moniker: requireMoniker(p.moniker) } : {}),
      ...(p.commissionRate !== undefined
        ? { commissionRate: requireFraction(p.commissionRate, 'commission rate') }
        : {}),
    },
  };
}

/**
 * `staking/delegate`: bonds `amount` (in the bond denom) to the validator of operator
 * address `validator`.
 *
 * @example
 * const msg = delegateMsg('bwk1…', '1000000ubwk');
 */
export function delegateMsg(validator: string, amount: Coin | string): Msg {
  const { denom, amount: n } = toCoin(amount);
  return {
    type: 'staking/delegate',
    value: { validator: requireAddress(validator, 'validator'), amount: { denom, amount: n } },
  };
}

/**
 * `staking/undelegate`: starts unbonding `amount` (or a number of shares) from a validator;
 * the tokens are paid out after the unbonding time.
 *
 * @example
 * const msg = undelegateMsg('bwk1…', '500000ubwk');
 * const all = undelegateMsg('bwk1…', { shares: 5000000000000000000000000n });
 */
export function undelegateMsg(validator: string, amount: Coin | string | ByShares): Msg {
  return {
    type: 'staking/undelegate',
    value: { validator: requireAddress(validator, 'validator'), ...howMuch(amount) },
  };
}

/**
 * `staking/redelegate`: moves stake from validator `src` to `dst` at once (it stays
 * slashable for `src`'s faults until the unbonding time has passed).
 *
 * @example
 * const msg = redelegateMsg('bwk1src…', 'bwk1dst…', '500000ubwk');
 */
export function redelegateMsg(src: string, dst: string, amount: Coin | string | ByShares): Msg {
  const from = requireAddress(src, 'source validator');
  const to = requireAddress(dst, 'destination validator');
  if (from === to) throw new ArgumentError('the source and destination validators are the same');
  return { type: 'staking/redelegate', value: { src: from, dst: to, ...howMuch(amount) } };
}

function howMuch(
  amount: Coin | string | ByShares,
): { shares: bigint } | { amount: { denom: string; amount: bigint } } {
  if (typeof amount === 'object' && 'shares' in amount) {
    if (amount.shares <= 0n)
      throw new ArgumentError(`shares must be positive, got ${amount.shares}`);
    return { shares: amount.shares };
  }
  const { denom, amount: n } = toCoin(amount);
  return { amount: { denom, amount: n } };
}

function consPubKeyHex(key: string | Uint8Array): string {
  if (key instanceof Uint8Array) {
    if (key.length !== 32)
      throw new ArgumentError(`consensus public key must be 32 bytes, got ${key.length}`);
    return Buffer.from(key).toString('hex');
  }
  if (!/^[0-9a-fA-F]{64}$/.test(key)) {
    throw new ArgumentError(
      `consensus public key ${JSON.stringify(key)} is not 64 hex characters (a 32-byte ed25519 key)`,
    );
  }
  return key.toLowerCase();
}

function requireMoniker(moniker: string): string {
  if (moniker.length < 1 || moniker.length > 64) {
    throw new ArgumentError(`moniker must be 1–64 characters, got ${moniker.length}`);
  }
  return moniker;
}
