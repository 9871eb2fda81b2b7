import type { Msg } from '../core/tx/tx.ts';

/**
 * The contracts between the simulator's engine (`engine/`), its price processes
 * (`prices/`) and its actors (`agents/`, `adversaries/`). The engine owns the chain and the
 * block loop; processes and actors are small, pure-ish policies that read and propose.
 *
 * Randomness: every run gets a seed; the engine derives one independent stream per process
 * and per actor from it (by name), so adding an actor never changes another's draws.
 * Floats are allowed here (outside `src/core`): a price or size is turned into the chain's
 * fixed-point units by `toUnits` before it reaches the state machine.
 */

/** A seeded random stream (deterministic for a seed and a name). */
export interface SimRng {
  /** Uniform in [0, 1). */
  float(): number;
  /** Standard normal. */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** The step a process takes: block `block` (1-based) lasting `dtSeconds`. */
export interface PriceStep {
  block: number;
  /** Seconds since the start of the run at the end of this block. */
  tSeconds: number;
  dtSeconds: number;
}

/** A price path generator for one asset, advanced once per block. */
export interface PriceProcess {
  readonly asset: string;
  /** The reference ("true") price after this step, in display units (e.g. USD). */
  next(step: PriceStep, rng: SimRng): number;
}

/** A read-only view of the chain at the current height (queries run on committed state). */
export interface SimView {
  readonly height: number;
  readonly timeMs: number;
  readonly blockTimeMs: number;
  /** A module query, as the RPC `query` method answers it (JSON-shaped value). */
  query<T = unknown>(path: string, args?: Record<string, unknown>): T;
  /** The reference price of an asset this block (what honest validators observe). */
  truePrice(asset: string): number;
}

export interface ActContext {
  view: SimView;
  rng: SimRng;
}

/**
 * An account-holding actor (market maker, noise trader, vault staker, delegator, a pumping
 * attacker…). The engine funds it at genesis, signs its messages with its key (or skips
 * signatures behind the simulator's explicit switch), tracks its nonce, and puts its tx in
 * the next block. A tx the chain refuses is counted, never fatal.
 */
export interface Agent {
  readonly name: string;
  /** Genesis balances it needs, in base units by denom (e.g. `{ uusd: 10_000_000_000n }`). */
  readonly funds: Record<string, bigint>;
  /** The engine sets it once keys are derived, before the first block. */
  address: string;
  /** Messages for the next block (an empty list skips). At most one tx per agent per block. */
  act(ctx: ActContext): Msg[];
}

/** What a validator does this block, decided by the faults and adversaries of a scenario. */
export interface ValidatorBehaviour {
  /** Misses this block entirely (no precommit, no vote extension). */
  offline?: boolean;
  /** Signs two conflicting precommits at this height (the chain turns it into evidence). */
  doubleSign?: boolean;
  /** Reports `truePrice × (1 + bias)` for these assets instead of the true price. */
  priceBias?: Record<string, number>;
  /** Sends no prices (but still votes). */
  silentOracle?: boolean;
}

/** A scenario's fault or attack on validators, asked once per validator per block. */
export interface ValidatorFault {
  readonly name: string;
  behaviour(validator: string, view: SimView): ValidatorBehaviour | undefined;
}
