import { z } from 'zod';
import { decimalParam, integerParam } from '../../app/param-schemas.ts';
import { Params } from '../../app/params.ts';
import { DENOM_PATTERN } from '../../coin.ts';
import { ONE, toDecimalString } from '../../math/index.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const BWK = 1_000_000n;

/** Fractions: the shared 18-decimal param schema (a bigint or a decimal string, within bounds). */
const fraction = decimalParam;
/** An amount of base units: a bigint, or a decimal integer string. */
const amount = integerParam;
const ms = (lo: number, hi: number) => z.number().int().min(lo).max(hi);

export const govParamsSchema = z.strictObject({
  /** Deposit that moves a proposal into its voting period: 1 to 10^9 BWK. */
  minDeposit: z.strictObject({
    denom: z.string().regex(DENOM_PATTERN),
    amount: amount(1n, 1_000_000_000n * BWK),
  }),
  /** How long a proposal may collect deposits: 10 s to 60 days. */
  maxDepositPeriodMs: ms(10 * SECOND, 60 * DAY),
  /** How long the voting lasts: 10 s to 60 days. */
  votingPeriodMs: ms(10 * SECOND, 60 * DAY),
  /** Share of the total bonded tokens that must vote: 1 % to 100 %. */
  quorum: fraction(ONE / 100n, ONE),
  /** yes / (yes + no + veto) must exceed it: 50 % to 100 %. */
  threshold: fraction(ONE / 2n, ONE),
  /** veto / all voted power above it rejects and burns: 1 % to 100 %. */
  vetoThreshold: fraction(ONE / 100n, ONE),
  /** Delay between passing and execution: 0 to 30 days. */
  timelockMs: ms(0, 30 * DAY),
  /** Burn the deposits of a proposal that misses the quorum (else refund them). */
  burnOnQuorumFail: z.boolean(),
});

export type GovParams = z.output<typeof govParamsSchema>;

export const govParams = new Params<GovParams>('gov', govParamsSchema);

/** The params as JSON (genesis export): fractions as decimal strings, amounts as strings. */
export function govParamsToJson(p: GovParams) {
  return {
    minDeposit: { denom: p.minDeposit.denom, amount: String(p.minDeposit.amount) },
    maxDepositPeriodMs: p.maxDepositPeriodMs,
    votingPeriodMs: p.votingPeriodMs,
    quorum: toDecimalString(p.quorum),
    threshold: toDecimalString(p.threshold),
    vetoThreshold: toDecimalString(p.vetoThreshold),
    timelockMs: p.timelockMs,
    burnOnQuorumFail: p.burnOnQuorumFail,
  };
}

/** 33.4 % as 18-decimal fixed point. */
const PCT_33_4 = (ONE * 334n) / 1000n;

/** Mainnet-like: 14 days of deposits, 7 days of voting, 2 days of timelock, 10000 BWK. */
export const MAINNET_GOV_PARAMS: GovParams = {
  minDeposit: { denom: 'ubwk', amount: 10_000n * BWK },
  maxDepositPeriodMs: 14 * DAY,
  votingPeriodMs: 7 * DAY,
  quorum: PCT_33_4,
  threshold: ONE / 2n,
  vetoThreshold: PCT_33_4,
  timelockMs: 2 * DAY,
  burnOnQuorumFail: true,
};

/** Devnet: minutes instead of days, 10 BWK deposits, no burn when nobody turns up. */
export const DEVNET_GOV_PARAMS: GovParams = {
  minDeposit: { denom: 'ubwk', amount: 10n * BWK },
  maxDepositPeriodMs: 2 * MINUTE,
  votingPeriodMs: 2 * MINUTE,
  quorum: PCT_33_4,
  threshold: ONE / 2n,
  vetoThreshold: PCT_33_4,
  timelockMs: 10 * SECOND,
  burnOnQuorumFail: false,
};

export const DEFAULT_GOV_PARAMS: GovParams = MAINNET_GOV_PARAMS;

/** Title and description limits of every proposal content (characters). */
export const MAX_TITLE_LENGTH = 140;
export const MAX_DESCRIPTION_LENGTH = 5000;
/** Most params one param-change proposal may change. */
export const MAX_PARAM_CHANGES = 32;
/** Most msgs one execute proposal may carry, and the most bytes they may take (canonical). */
export const MAX_EXECUTE_MSGS = 16;
export const MAX_EXECUTE_BYTES = 32 * 1024;
/**
 * The msg types an execute proposal may run (as the gov module account). A fixed allowlist,
 * not a param: only msgs whose handlers refuse any sender but the gov account, so governance
 * gains no power over anyone's funds; widening it is a code change reviewed as such.
 */
export const GOV_EXECUTABLE_MSGS: readonly string[] = ['options/list-series', 'perps/list-market'];
