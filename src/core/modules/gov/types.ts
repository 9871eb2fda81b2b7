import { z } from 'zod';
import type { AnyMsgDef, Context } from '../../app/module.ts';
import type { Params } from '../../app/params.ts';
import { type Coin, coinSchema } from '../../coin.ts';
import { encode, type Value } from '../../encoding/canonical.ts';
import { addressSchema } from '../bank/module.ts';
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_EXECUTE_BYTES,
  MAX_EXECUTE_MSGS,
  MAX_PARAM_CHANGES,
  MAX_TITLE_LENGTH,
} from './params.ts';

/**
 * Where gov finds every module's params: module name → its `Params`. The lead builds it from
 * each module's `params` field; it is read when a proposal is submitted or executed, so a
 * Map filled after the gov module is constructed works.
 */
export type ParamsRegistry = ReadonlyMap<string, Params<unknown>>;

/**
 * How gov finds the handlers of the msgs an execute proposal runs: msg type → its definition
 * (every module's `msgs`, as the app routes them). Set on the keeper after the modules are
 * built (`GovKeeper.setMsgRouter`); gov runs only the types its allowlist names.
 */
export type MsgRouter = ReadonlyMap<string, AnyMsgDef>;

/** The routes of a list of modules' msgs, as the app builds them. */
export function msgRouterOf(modules: readonly { msgs: readonly AnyMsgDef[] }[]): MsgRouter {
  const routes = new Map<string, AnyMsgDef>();
  for (const m of modules) for (const def of m.msgs) routes.set(def.type, def);
  return routes;
}

/** Pays out of the community pool (the distribution module implements it). */
export interface CommunityPoolSpender {
  /** Throws (a ChainError) when the pool cannot pay; must change nothing then. */
  spendCommunityPool(ctx: Context, to: string, coin: Coin): void;
}

export const VOTE_OPTIONS = ['yes', 'no', 'abstain', 'veto'] as const;
export type VoteOption = (typeof VOTE_OPTIONS)[number];

export const PROPOSAL_STATUSES = [
  'deposit-period',
  'voting-period',
  'passed',
  'executed',
  'failed',
  'rejected',
  'expired',
] as const;
/**
 * deposit-period → voting-period (deposit reached minDeposit) or expired (it didn't in time);
 * voting-period → passed (waiting for the timelock) or rejected; passed → executed or failed.
 */
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** Why a voting ended as it did. */
export type Outcome = 'passed' | 'vetoed' | 'no-quorum' | 'below-threshold';

const title = z.string().min(1).max(MAX_TITLE_LENGTH);
const description = z.string().min(1).max(MAX_DESCRIPTION_LENGTH);
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MODULE_NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** A market id as the markets issue will name them (e.g. `BTC-USD-PERP`). */
export const MARKET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const paramChangeSchema = z.strictObject({
  type: z.literal('param-change'),
  title,
  description,
  module: z.string().regex(MODULE_NAME, 'module: a module name, e.g. slashing'),
  /** param name → its new value (as the module's params hold it; see `coerceLike`). */
  changes: z
    .record(z.string().regex(PARAM_NAME, 'param names are identifiers'), z.unknown())
    .refine((c) => Object.keys(c).length >= 1, { message: 'at least one change' })
    .refine((c) => Object.keys(c).length <= MAX_PARAM_CHANGES, {
      message: `at most ${MAX_PARAM_CHANGES} changes`,
    }),
});

export const textSchema = z.strictObject({ type: z.literal('text'), title, description });

export const communityPoolSpendSchema = z.strictObject({
  type: z.literal('community-pool-spend'),
  title,
  description,
  recipient: addressSchema,
  amount: coinSchema,
});

export const emergencyPauseSchema = z.strictObject({
  type: z.literal('emergency-pause'),
  title,
  description,
  market: z.string().regex(MARKET_PATTERN, 'market: letters, digits, . _ - (1–64)'),
  paused: z.boolean(),
});

/** The canonical size of a value, or Infinity when it is not a canonical value. */
function encodedSize(v: unknown): number {
  try {
    return encode(v as Value).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** A msg as a tx carries it; its value is parsed by the msg's own schema (at submission). */
export const govMsgSchema = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9-]{0,31}\/[a-z][a-z0-9-]{0,63}$/, 'type: module/msg-name'),
  value: z.custom<Value>((v) => v !== undefined, 'value: required'),
});

export const executeSchema = z.strictObject({
  type: z.literal('execute'),
  title,
  description,
  /** Run in order, atomically, with the gov module account as the sender. */
  msgs: z
    .array(govMsgSchema)
    .min(1, 'at least one msg')
    .max(MAX_EXECUTE_MSGS, `at most ${MAX_EXECUTE_MSGS} msgs`)
    .refine((ms) => encodedSize(ms) <= MAX_EXECUTE_BYTES, {
      message: `msgs: at most ${MAX_EXECUTE_BYTES} bytes encoded`,
    }),
});

export const contentSchema = z.discriminatedUnion('type', [
  paramChangeSchema,
  textSchema,
  communityPoolSpendSchema,
  emergencyPauseSchema,
  executeSchema,
]);

export type ParamChangeContent = z.infer<typeof paramChangeSchema>;
export type ExecuteContent = z.infer<typeof executeSchema>;
export type GovMsg = z.infer<typeof govMsgSchema>;
export type ProposalContent = z.infer<typeof contentSchema>;

export interface TallyResult {
  yes: bigint;
  no: bigint;
  abstain: bigint;
  veto: bigint;
  /** The staking module's total bonded tokens when tallied (the quorum's base). */
  totalBonded: bigint;
}

/** A proposal as stored (absent times are null, so every record has the same shape). */
export interface Proposal {
  id: number;
  proposer: string;
  content: ProposalContent;
  status: ProposalStatus;
  submitTimeMs: number;
  depositEndTimeMs: number;
  /** Sum of the deposits; its denom is minDeposit's at submission. */
  totalDeposit: Coin;
  /** What became of the deposits. */
  deposits: 'held' | 'refunded' | 'burned';
  votingStartTimeMs: number | null;
  votingEndTimeMs: number | null;
  finalTally: TallyResult | null;
  outcome: Outcome | null;
  /** Block time of the tally that passed it. */
  passTimeMs: number | null;
  /** Executes at the first block with time ≥ this. */
  executeAfterMs: number | null;
  executedTimeMs: number | null;
  /** Why execution failed (status `failed`). */
  failReason: string | null;
}
