import type { z } from 'zod';
import type { Value } from '../encoding/canonical.ts';
import type { ReadStore, Store } from '../store/store.ts';
import type { Params } from './params.ts';
import type {
  BlockInfo,
  Event,
  ExtendedVoteInfo,
  FinalizeBlockRequest,
  ValidatorInfo,
  ValidatorUpdate,
} from './types.ts';

/**
 * The execution context handed to module code: the store to read and write (a branch, so a
 * failure leaves nothing behind), the block being executed and the events emitted so far.
 */
export class Context {
  constructor(
    readonly store: Store,
    readonly block: BlockInfo,
    readonly events: Event[] = [],
  ) {}

  emit(type: string, attributes: Record<string, string | number | bigint>): void {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(attributes)) attrs[k] = String(v);
    this.events.push({ type, attributes: attrs });
  }

  /** A context over another store (a branch) that shares the block and collects events apart. */
  with(store: Store): Context {
    return new Context(store, this.block, []);
  }
}

/** A message a module accepts: its type url, its schema (the edge check), its handler. */
export interface MsgDef<T = unknown> {
  type: string;
  /** Help text for docs and the CLI. */
  summary: string;
  schema: z.ZodType<T>;
  handle(ctx: Context, sender: string, msg: T): void;
}

/** A read-only query: `module/name` with validated args. */
export interface QueryDef<T = unknown> {
  path: string;
  summary: string;
  schema: z.ZodType<T>;
  handle(store: ReadStore, args: T): Value;
}

/** A function over the whole state that must always hold; returns a description when it doesn't. */
export interface Invariant {
  name: string;
  check(store: ReadStore): string | undefined;
}

/** A message or query with its argument type erased, as modules list them. */
export type AnyMsgDef = MsgDef<unknown>;
export type AnyQueryDef = QueryDef<unknown>;

export interface Module<G = unknown> {
  readonly name: string;
  /** The module's governable parameters (gov changes them through this, within its bounds). */
  readonly params?: Params<unknown>;
  readonly msgs: readonly AnyMsgDef[];
  readonly queries: readonly AnyQueryDef[];
  readonly invariants: readonly Invariant[];
  /** Parses this module's part of the genesis file (JSON) into its typed genesis. */
  readonly genesisSchema: z.ZodType<G>;
  /** The genesis this module starts from when the file leaves its part out. */
  defaultGenesis(): G;
  initGenesis(ctx: Context, genesis: G): void;
  exportGenesis(store: ReadStore): Value;
  beginBlock?(ctx: Context, req: FinalizeBlockRequest): void;
  endBlock?(ctx: Context): ValidatorUpdate[] | undefined;
  // ---- vote extensions (the oracle answers these; at most one module may) ----------------
  /** This validator's vote extension for `height`, built from what its node observed. */
  extendVote?(
    store: ReadStore,
    height: number,
    validator: string,
    observations: Readonly<Record<string, bigint>>,
  ): Uint8Array;
  /** Checks another validator's extension (format, height, markets, size, bounds). */
  verifyVoteExtension?(
    store: ReadStore,
    height: number,
    validator: string,
    extension: Uint8Array,
  ): boolean;
  /**
   * The entry the proposer of `height` puts first in the block, from the extensions of the
   * previous height; undefined for none.
   */
  prepareEntry?(
    store: ReadStore,
    height: number,
    chainId: string,
    extensions: ExtendedVoteInfo[],
  ): Uint8Array | undefined;
  /** Whether the bytes are such an entry (not a user tx). */
  isEntry?(bytes: Uint8Array): boolean;
  /**
   * Every validator's check of a proposal's txs: the entry present exactly when due,
   * first, and honest. Returns the reason for a refusal, or undefined when it holds.
   */
  checkProposal?(
    store: ReadStore,
    height: number,
    chainId: string,
    txs: Uint8Array[],
  ): string | undefined;
  /** Applies the entry during finalizeBlock (before the user txs). */
  applyEntry?(ctx: Context, bytes: Uint8Array): void;

  /** The module that owns the consensus validator set (staking) answers these two. */
  validatorSet?(store: ReadStore): ValidatorInfo[];
  /** Consensus address (hex) of the validator expected to propose `height` (the next block). */
  proposerFor?(store: ReadStore, height: number): string | undefined;
}

/** Helper for defining a message with its type inferred from the schema. */
export function defineMsg<T>(def: MsgDef<T>): AnyMsgDef {
  // The schema parses before the handler runs, so the erased argument is always a T.
  return def as unknown as AnyMsgDef;
}

export function defineQuery<T>(def: QueryDef<T>): AnyQueryDef {
  return def as unknown as AnyQueryDef;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of modules erases each one's genesis type (invariant in G).
export type AnyModule = Module<any>;
