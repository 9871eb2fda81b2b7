/**
 * State layout of the distribution module. Every key starts with `distribution/`.
 *
 * Amounts per denom are stored as plain objects `{ [denom]: bigint }` (the canonical encoding
 * sorts their keys), with zero entries left out.
 */
export const PARAMS_KEY = 'distribution/params';
/** `{ inflation: Dec }`: the current annual inflation rate (18 decimals). */
export const MINTER_KEY = 'distribution/minter';
/** Community pool, per denom (tokens held by the distribution pool account). */
export const COMMUNITY_POOL_KEY = 'distribution/community-pool';
/** Withdrawable commission of a validator, per denom. */
export const commissionKey = (operator: string) => `distribution/commission/${operator}`;
export const COMMISSION_PREFIX = 'distribution/commission/';
/** A validator's reward accumulator: cumulative reward per share, carry and outstanding. */
export const validatorKey = (operator: string) => `distribution/validator/${operator}`;
export const VALIDATOR_PREFIX = 'distribution/validator/';
/** The accumulator value a delegation was last settled at. */
export const startKey = (validator: string, delegator: string) =>
  `distribution/start/${validator}/${delegator}`;
export const startPrefix = (validator: string) => `distribution/start/${validator}/`;
export const START_PREFIX = 'distribution/start/';
/** Where a delegator's rewards (and an operator's commission) are paid. */
export const withdrawAddressKey = (delegator: string) =>
  `distribution/withdraw-address/${delegator}`;
export const WITHDRAW_ADDRESS_PREFIX = 'distribution/withdraw-address/';
