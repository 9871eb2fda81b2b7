/**
 * Message builders of the distribution module (docs/modules/distribution.md): rewards,
 * commission, withdraw address, community pool. Bad arguments throw an ArgumentError.
 */
import type { Coin } from '../../core/coin.ts';
import type { Msg } from '../../core/tx/tx.ts';
import { requireAddress, toCoin } from '../tx.ts';

/**
 * `distribution/withdraw-rewards`: pays the signer's pending rewards from one validator, or
 * from every validator it delegates to when `validator` is omitted.
 *
 * @example
 * await client.sendTx(alice, [withdrawRewardsMsg()]);
 * await client.sendTx(alice, [withdrawRewardsMsg('bwk1…')]);
 */
export function withdrawRewardsMsg(validator?: string): Msg {
  return {
    type: 'distribution/withdraw-rewards',
    value: validator === undefined ? {} : { validator: requireAddress(validator, 'validator') },
  };
}

/**
 * `distribution/withdraw-commission`: pays the signer's validator commission (the signer
 * must be an operator).
 *
 * @example
 * await client.sendTx(operator, [withdrawCommissionMsg()]);
 */
export function withdrawCommissionMsg(): Msg {
  return { type: 'distribution/withdraw-commission', value: {} };
}

/**
 * `distribution/set-withdraw-address`: where the signer's rewards and commission are paid
 * (the signer's own address resets it).
 *
 * @example
 * const msg = setWithdrawAddressMsg('bwk1…');
 */
export function setWithdrawAddressMsg(address: string): Msg {
  return {
    type: 'distribution/set-withdraw-address',
    value: { address: requireAddress(address, 'withdraw address') },
  };
}

/**
 * `distribution/fund-community-pool`: sends coins from the signer into the community pool.
 *
 * @example
 * const msg = fundCommunityPoolMsg('5000000ubwk');
 */
export function fundCommunityPoolMsg(amount: Coin | string): Msg {
  const { denom, amount: n } = toCoin(amount);
  return { type: 'distribution/fund-community-pool', value: { amount: { denom, amount: n } } };
}
