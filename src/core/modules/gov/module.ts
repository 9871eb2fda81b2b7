import { z } from 'zod';
import {
  type Context,
  defineMsg,
  defineQuery,
  type Invariant,
  type Module,
} from '../../app/module.ts';
import type { Params } from '../../app/params.ts';
import { coinSchema } from '../../coin.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, chainErrorOf, ErrorCode } from '../../errors.ts';
import type { ReadStore } from '../../store/store.ts';
import { GOV_ADDRESS, type GovKeeper } from './keeper.ts';
import { DEFAULT_GOV_PARAMS, govParams, govParamsSchema, govParamsToJson } from './params.ts';
import {
  contentSchema,
  MARKET_PATTERN,
  PROPOSAL_STATUSES,
  type TallyResult,
  VOTE_OPTIONS,
} from './types.ts';

const proposalId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/**
 * Genesis params: the params schema (fractions as decimal strings, amounts as decimal
 * integer strings); the ones left out take the defaults.
 */
const genesisParamsSchema = govParamsSchema.partial();

const genesisSchema = z.strictObject({
  params: genesisParamsSchema.default({}),
  /** The id of the next proposal (a chain restarted from an export keeps counting). */
  startingProposalId: proposalId.default(1),
  pausedMarkets: z.array(z.string().regex(MARKET_PATTERN)).max(10_000).default([]),
});

export type GovGenesis = z.infer<typeof genesisSchema>;

export const submitProposalMsgSchema = z.strictObject({
  content: contentSchema,
  initialDeposit: coinSchema,
});
export const depositMsgSchema = z.strictObject({ proposalId, amount: coinSchema });
export const voteMsgSchema = z.strictObject({ proposalId, option: z.enum(VOTE_OPTIONS) });

/** Governance: proposals, deposits, stake-weighted votes, tally, timelocked execution. */
export class GovModule implements Module<GovGenesis> {
  readonly name = 'gov';
  readonly genesisSchema = genesisSchema;
  readonly params = govParams as unknown as Params<unknown>;

  constructor(readonly keeper: GovKeeper) {}

  readonly msgs = [
    defineMsg({
      type: 'gov/submit-proposal',
      summary:
        'Submit a proposal (param-change, text, community-pool-spend, emergency-pause, execute)',
      schema: submitProposalMsgSchema,
      handle: (ctx, sender, msg) => {
        this.keeper.submitProposal(ctx, sender, msg.content, msg.initialDeposit);
      },
    }),
    defineMsg({
      type: 'gov/deposit',
      summary: 'Add to the deposit of a proposal in its deposit period',
      schema: depositMsgSchema,
      handle: (ctx, sender, msg) => this.keeper.deposit(ctx, sender, msg.proposalId, msg.amount),
    }),
    defineMsg({
      type: 'gov/vote',
      summary: 'Vote yes, no, abstain or veto on a proposal in its voting period (stakers only)',
      schema: voteMsgSchema,
      handle: (ctx, sender, msg) => this.keeper.vote(ctx, sender, msg.proposalId, msg.option),
    }),
  ];

  readonly queries = [
    defineQuery({
      path: 'gov/proposals',
      summary: 'Every proposal by id, optionally only those with a status',
      schema: z.strictObject({ status: z.enum(PROPOSAL_STATUSES).optional() }),
      handle: (store, args) => this.keeper.proposals(store, args.status) as unknown as Value,
    }),
    defineQuery({
      path: 'gov/proposal',
      summary: 'One proposal',
      schema: z.strictObject({ id: proposalId }),
      handle: (store, args) => this.keeper.requireProposal(store, args.id) as unknown as Value,
    }),
    defineQuery({
      path: 'gov/tally',
      summary: 'Tally of a proposal: live during its voting period, final after it',
      schema: z.strictObject({ id: proposalId }),
      handle: (store, args) => {
        const p = this.keeper.requireProposal(store, args.id);
        if (p.status === 'voting-period') {
          const tally = this.keeper.currentTally(store, args.id);
          return tallyValue(tally, this.keeper.outcomeOf(store, tally), true);
        }
        if (p.finalTally === null) {
          throw new ChainError(ErrorCode.NotFound, `proposal ${args.id} never reached a vote`);
        }
        return tallyValue(p.finalTally, p.outcome, false);
      },
    }),
    defineQuery({
      path: 'gov/votes',
      summary: 'The votes cast on a proposal, by voter',
      schema: z.strictObject({ id: proposalId }),
      handle: (store, args) => {
        this.keeper.requireProposal(store, args.id);
        return this.keeper.votes(store, args.id) as unknown as Value;
      },
    }),
    defineQuery({
      path: 'gov/deposits',
      summary: 'The deposits made on a proposal, by depositor',
      schema: z.strictObject({ id: proposalId }),
      handle: (store, args) => {
        this.keeper.requireProposal(store, args.id);
        return this.keeper.deposits(store, args.id) as unknown as Value;
      },
    }),
    defineQuery({
      path: 'gov/params',
      summary: 'The gov module parameters',
      schema: z.strictObject({}),
      handle: (store) => this.keeper.params(store) as unknown as Value,
    }),
    defineQuery({
      path: 'gov/paused-markets',
      summary: 'Markets paused by governance',
      schema: z.strictObject({}),
      handle: (store) => this.keeper.pausedMarkets(store),
    }),
  ];

  readonly invariants: Invariant[] = [
    {
      name: 'gov/deposits-held',
      check: (store) => {
        const held = new Map<string, bigint>();
        for (const p of this.keeper.proposals(store)) {
          if (p.deposits !== 'held') continue;
          let sum = 0n;
          for (const d of this.keeper.deposits(store, p.id)) sum += d.amount.amount;
          if (sum !== p.totalDeposit.amount) {
            return `proposal ${p.id}: Σ deposits ${sum} ≠ totalDeposit ${p.totalDeposit.amount}`;
          }
          const denom = p.totalDeposit.denom;
          held.set(denom, (held.get(denom) ?? 0n) + sum);
        }
        for (const [denom, amount] of held) {
          const balance = this.keeper.bankBalance(store, denom);
          // ≥, not =: anyone may send tokens to the module account with bank/send.
          if (balance < amount) {
            return `${denom}: gov account holds ${balance} < deposits held ${amount}`;
          }
        }
        return undefined;
      },
    },
  ];

  defaultGenesis(): GovGenesis {
    return { params: {}, startingProposalId: 1, pausedMarkets: [] };
  }

  initGenesis(ctx: Context, genesis: GovGenesis): void {
    const given = Object.fromEntries(
      Object.entries(genesis.params).filter(([, v]) => v !== undefined),
    );
    const params = { ...DEFAULT_GOV_PARAMS, ...given };
    try {
      govParams.set(ctx.store, params);
    } catch (e) {
      throw new ChainError(
        ErrorCode.InvalidGenesis,
        `invalid genesis app.gov: ${chainErrorOf(e).message}`,
      );
    }
    this.keeper.setNextId(ctx.store, genesis.startingProposalId);
    for (const market of genesis.pausedMarkets) this.keeper.setPaused(ctx.store, market, true);
  }

  /**
   * Params, the next id and the paused markets. Proposals in flight are not exported: a
   * chain restarted from an export starts with none (their deposits stay in the gov account).
   */
  exportGenesis(store: ReadStore): Value {
    return {
      params: govParamsToJson(this.keeper.params(store)),
      startingProposalId: this.keeper.nextId(store),
      pausedMarkets: this.keeper.pausedMarkets(store),
    };
  }

  endBlock(ctx: Context): undefined {
    this.keeper.endBlock(ctx);
    return undefined;
  }
}

function tallyValue(t: TallyResult, outcome: string | null, live: boolean): Value {
  return {
    yes: t.yes,
    no: t.no,
    abstain: t.abstain,
    veto: t.veto,
    totalBonded: t.totalBonded,
    voted: t.yes + t.no + t.abstain + t.veto,
    outcome,
    live,
  };
}

export { GOV_ADDRESS };
