/**
 * State layout of the staking module. Every key starts with `staking/`. Addresses are bech32
 * (`bwk1…`, no `/`), consensus addresses lower-case hex; times are zero-padded to 16 digits so
 * that the key order is the time order.
 */
export const PARAMS_KEY = 'staking/params';

/** Validator record by operator address. */
export const validatorKey = (operator: string) => `staking/val/${operator}`;
export const VALIDATORS_PREFIX = 'staking/val/';
/** consAddress → operator. */
export const consIndexKey = (consAddress: string) => `staking/valcons/${consAddress}`;

/** Delegation shares by delegator then validator. */
export const delegationKey = (delegator: string, validator: string) =>
  `staking/del/${delegator}/${validator}`;
export const delegationsOfPrefix = (delegator: string) => `staking/del/${delegator}/`;
export const ALL_DELEGATIONS = 'staking/del/';
/** Index: validator → delegators (value `true`). */
export const delegationByValKey = (validator: string, delegator: string) =>
  `staking/delval/${validator}/${delegator}`;
export const delegationsToPrefix = (validator: string) => `staking/delval/${validator}/`;

/** Unbonding entries (a list) of a delegator–validator pair. */
export const unbondingKey = (delegator: string, validator: string) =>
  `staking/ubd/${delegator}/${validator}`;
export const unbondingsOfPrefix = (delegator: string) => `staking/ubd/${delegator}/`;
export const ALL_UNBONDINGS = 'staking/ubd/';
/** Index: validator → delegators with unbonding entries from it (slashing walks it). */
export const unbondingByValKey = (validator: string, delegator: string) =>
  `staking/ubdval/${validator}/${delegator}`;
export const unbondingsFromPrefix = (validator: string) => `staking/ubdval/${validator}/`;
/** Maturity queue: completion time, then the pair (value `true`). */
export const unbondingQueueKey = (timeMs: number, delegator: string, validator: string) =>
  `staking/ubdq/${padTime(timeMs)}/${delegator}/${validator}`;
export const UNBONDING_QUEUE = 'staking/ubdq/';

/** Redelegation entries (a list) of a delegator from `src` to `dst`. */
export const redelegationKey = (delegator: string, src: string, dst: string) =>
  `staking/red/${delegator}/${src}/${dst}`;
export const redelegationsOfPrefix = (delegator: string) => `staking/red/${delegator}/`;
export const ALL_REDELEGATIONS = 'staking/red/';
/** Index: source validator → (delegator, dst) (slashing walks it). */
export const redelegationBySrcKey = (src: string, delegator: string, dst: string) =>
  `staking/redsrc/${src}/${delegator}/${dst}`;
export const redelegationsFromPrefix = (src: string) => `staking/redsrc/${src}/`;
export const redelegationQueueKey = (timeMs: number, delegator: string, src: string, dst: string) =>
  `staking/redq/${padTime(timeMs)}/${delegator}/${src}/${dst}`;
export const REDELEGATION_QUEUE = 'staking/redq/';

/** The active set of the current epoch (ActiveValidator[], power desc then consAddress). */
export const ACTIVE_SET_KEY = 'staking/active';
/** Proposer priorities of the active set ({address, power, priority}[] by address). */
export const PRIORITIES_KEY = 'staking/priorities';
/** Epoch snapshots by the first height they apply to: {epoch, startHeight, startTimeMs, set}. */
export const epochKey = (startHeight: number) => `staking/epoch/${padTime(startHeight)}`;
export const EPOCHS_PREFIX = 'staking/epoch/';

export function padTime(n: number): string {
  return String(n).padStart(16, '0');
}

/** Splits the part of `key` after `prefix` into its `/`-separated segments. */
export function segments(key: string, prefix: string): string[] {
  return key.slice(prefix.length).split('/');
}
