import type { Context } from '../../app/module.ts';
import type { Params } from '../../app/params.ts';
import type { Coin } from '../../coin.ts';
import { moduleAddress } from '../../crypto/address.ts';
import type { Value } from '../../encoding/canonical.ts';
import { chainErrorOf } from '../../errors.ts';
import { Branch } from '../../store/branch.ts';
import type { ReadStore, Store } from '../../store/store.ts';
import { formatZodError } from '../../tx/tx.ts';
import type { BankKeeper } from '../bank/keeper.ts';
import type { StakingKeeperApi } from '../staking/api.ts';
import { ensureGov, GovError } from './errors.ts';
import { checkGovMsgs, runGovMsgs } from './execute.ts';
import {
  depositKey,
  depositPrefix,
  NEXT_ID_KEY,
  PAUSED_PREFIX,
  PROPOSAL_PREFIX,
  parseQueueKey,
  pausedKey,
  proposalKey,
  type QueueName,
  queueKey,
  queuePrefix,
  voteKey,
  votePrefix,
} from './keys.ts';
import { GOV_EXECUTABLE_MSGS, type GovParams, govParams } from './params.ts';
import { computeTally, tallyOutcome } from './tally.ts';
import type {
  CommunityPoolSpender,
  MsgRouter,
  Outcome,
  ParamChangeContent,
  ParamsRegistry,
  Proposal,
  ProposalContent,
  ProposalStatus,
  TallyResult,
  VoteOption,
} from './types.ts';

/** The account that holds every deposit until it is refunded or burned. */
export const GOV_ADDRESS = moduleAddress('gov');

/** Burn reasons recorded by the bank. */
export const BURN_REASON_VETO = 'gov-veto';
export const BURN_REASON_QUORUM = 'gov-quorum';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/**
 * The gov keeper: proposals, deposits, votes, the tally, timelocked execution and the set of
 * markets paused by governance. The only code that touches `gov/` records.
 */
export class GovKeeper {
  private router: MsgRouter | undefined;
  private executable: readonly string[] = GOV_EXECUTABLE_MSGS;

  constructor(
    private readonly staking: StakingKeeperApi,
    private readonly bank: BankKeeper,
    private readonly registry: ParamsRegistry,
    private readonly spender: CommunityPoolSpender,
  ) {}

  /**
   * Where execute proposals find their msgs' handlers (the app's msg routes, built after
   * this keeper), and which types they may run (default `GOV_EXECUTABLE_MSGS`). Without a
   * router, execute proposals are refused at submission and fail at execution.
   */
  setMsgRouter(router: MsgRouter, executable: readonly string[] = GOV_EXECUTABLE_MSGS): void {
    this.router = router;
    this.executable = executable;
  }

  // ---- reads -----------------------------------------------------------------------------

  params(store: ReadStore): GovParams {
    return govParams.get(store);
  }

  /** The id the next proposal will get. */
  nextId(store: ReadStore): number {
    return (store.get(NEXT_ID_KEY) as number | undefined) ?? 1;
  }

  setNextId(store: Store, id: number): void {
    store.set(NEXT_ID_KEY, id);
  }

  proposal(store: ReadStore, id: number): Proposal | undefined {
    return store.get(proposalKey(id)) as unknown as Proposal | undefined;
  }

  requireProposal(store: ReadStore, id: number): Proposal {
    const p = this.proposal(store, id);
    ensureGov(
      p !== undefined,
      GovError.ProposalNotFound,
      () => `no proposal with id ${id}: expected an id below ${this.nextId(store)}`,
    );
    return p;
  }

  /** Every proposal by id, optionally only those with `status`. */
  proposals(store: ReadStore, status?: ProposalStatus): Proposal[] {
    const out: Proposal[] = [];
    for (const [, v] of store.iterate(PROPOSAL_PREFIX)) {
      const p = v as unknown as Proposal;
      if (status === undefined || p.status === status) out.push(p);
    }
    return out;
  }

  deposits(store: ReadStore, id: number): { depositor: string; amount: Coin }[] {
    const prefix = depositPrefix(id);
    const out: { depositor: string; amount: Coin }[] = [];
    for (const [key, v] of store.iterate(prefix)) {
      out.push({ depositor: key.slice(prefix.length), amount: v as unknown as Coin });
    }
    return out;
  }

  votes(store: ReadStore, id: number): { voter: string; option: VoteOption }[] {
    const prefix = votePrefix(id);
    const out: { voter: string; option: VoteOption }[] = [];
    for (const [key, v] of store.iterate(prefix)) {
      out.push({ voter: key.slice(prefix.length), option: v as VoteOption });
    }
    return out;
  }

  /** Whether governance paused `market` (an emergency-pause proposal); the markets check it. */
  isPaused(store: ReadStore, market: string): boolean {
    return store.get(pausedKey(market)) === true;
  }

  pausedMarkets(store: ReadStore): string[] {
    const out: string[] = [];
    for (const [key] of store.iterate(PAUSED_PREFIX)) out.push(key.slice(PAUSED_PREFIX.length));
    return out;
  }

  setPaused(store: Store, market: string, paused: boolean): void {
    if (paused) store.set(pausedKey(market), true);
    else store.delete(pausedKey(market));
  }

  /** What the gov account holds of `denom` (deposits, and anything sent to it). */
  bankBalance(store: ReadStore, denom: string): bigint {
    return this.bank.balance(store, GOV_ADDRESS, denom);
  }

  /** Someone with a delegation, or a validator operator. */
  isStaker(store: ReadStore, address: string): boolean {
    return (
      this.staking.validator(store, address) !== undefined ||
      this.staking.delegationsOf(store, address).length > 0
    );
  }

  /** The tally of a proposal with the stake as it is now (live during the voting period). */
  currentTally(store: ReadStore, id: number): TallyResult {
    const votes = this.votes(store, id).map((v) => [v.voter, v.option] as const);
    return computeTally(this.staking, store, votes);
  }

  outcomeOf(store: ReadStore, tally: TallyResult): Outcome {
    return tallyOutcome(tally, this.params(store));
  }

  // ---- proposal contents -----------------------------------------------------------------

  /**
   * The module's params with the changes applied (not validated). Throws UnknownParamsModule
   * or UnknownParam.
   */
  mergedParams(
    store: ReadStore,
    content: ParamChangeContent,
  ): { params: Params<unknown>; merged: Record<string, unknown> } {
    const params = this.registry.get(content.module);
    ensureGov(
      params !== undefined,
      GovError.UnknownParamsModule,
      () =>
        `module ${JSON.stringify(content.module)} has no params; known: ${[...this.registry.keys()].sort().join(', ')}`,
    );
    const current = params.get(store);
    ensureGov(isPlainObject(current), GovError.UnknownParamsModule, () => {
      return `params of ${content.module} are not an object`;
    });
    const merged: Record<string, unknown> = { ...current };
    for (const key of Object.keys(content.changes).sort()) {
      ensureGov(
        Object.hasOwn(current, key),
        GovError.UnknownParam,
        () =>
          `${content.module} has no param ${JSON.stringify(key)}; known: ${Object.keys(current).sort().join(', ')}`,
      );
      merged[key] = content.changes[key];
    }
    return { params, merged };
  }

  /**
   * The checks a content must pass at submission: a dry run of a param change; for an
   * execute proposal, every msg allowed, routed and parsing against its msg's schema.
   */
  checkContent(store: ReadStore, content: ProposalContent): void {
    if (content.type === 'execute') checkGovMsgs(this.router, this.executable, content.msgs);
    if (content.type !== 'param-change') return;
    const { params, merged } = this.mergedParams(store, content);
    const parsed = params.schema.safeParse(merged);
    ensureGov(
      parsed.success,
      GovError.ParamOutOfBounds,
      () =>
        `param change out of bounds for ${content.module}: ${parsed.error ? formatZodError(parsed.error) : ''}`,
    );
  }

  /** Applies a passed proposal's content (within a branch the caller discards on a throw). */
  private apply(ctx: Context, content: ProposalContent): void {
    switch (content.type) {
      case 'param-change': {
        const { params, merged } = this.mergedParams(ctx.store, content);
        params.set(ctx.store, merged);
        ctx.emit('gov/param-change', {
          module: content.module,
          changes: Object.keys(content.changes).sort().join(','),
        });
        return;
      }
      case 'text':
        return;
      case 'community-pool-spend':
        this.spender.spendCommunityPool(ctx, content.recipient, content.amount);
        return;
      case 'emergency-pause':
        this.setPaused(ctx.store, content.market, content.paused);
        ctx.emit('gov/market-pause', { market: content.market, paused: String(content.paused) });
        return;
      case 'execute':
        runGovMsgs(ctx, this.router, this.executable, GOV_ADDRESS, content.msgs);
        return;
    }
  }

  // ---- messages --------------------------------------------------------------------------

  submitProposal(
    ctx: Context,
    proposer: string,
    content: ProposalContent,
    initialDeposit: Coin,
  ): number {
    const p = this.params(ctx.store);
    ensureGov(
      initialDeposit.denom === p.minDeposit.denom,
      GovError.WrongDepositDenom,
      () => `wrong deposit denom: expected ${p.minDeposit.denom}, got ${initialDeposit.denom}`,
    );
    this.checkContent(ctx.store, content);
    const id = this.nextId(ctx.store);
    this.setNextId(ctx.store, id + 1);
    this.bank.send(ctx, proposer, GOV_ADDRESS, initialDeposit);
    const now = ctx.block.timeMs;
    const proposal: Proposal = {
      id,
      proposer,
      content,
      status: 'deposit-period',
      submitTimeMs: now,
      depositEndTimeMs: now + p.maxDepositPeriodMs,
      totalDeposit: initialDeposit,
      deposits: 'held',
      votingStartTimeMs: null,
      votingEndTimeMs: null,
      finalTally: null,
      outcome: null,
      passTimeMs: null,
      executeAfterMs: null,
      executedTimeMs: null,
      failReason: null,
    };
    ctx.store.set(depositKey(id, proposer), initialDeposit as unknown as Value);
    ctx.emit('gov/submit-proposal', {
      proposal_id: id,
      proposer,
      content_type: content.type,
      deposit: `${initialDeposit.amount}${initialDeposit.denom}`,
    });
    if (initialDeposit.amount >= p.minDeposit.amount) this.startVoting(ctx, proposal, p);
    else {
      this.save(ctx.store, proposal);
      ctx.store.set(queueKey('deposit', proposal.depositEndTimeMs, id), null);
    }
    return id;
  }

  deposit(ctx: Context, depositor: string, id: number, amount: Coin): void {
    const proposal = this.requireProposal(ctx.store, id);
    ensureGov(
      proposal.status === 'deposit-period' && ctx.block.timeMs < proposal.depositEndTimeMs,
      GovError.NotInDepositPeriod,
      () =>
        `proposal ${id} takes no deposits: expected status deposit-period before ${proposal.depositEndTimeMs}, got ${proposal.status} at ${ctx.block.timeMs}`,
    );
    ensureGov(
      amount.denom === proposal.totalDeposit.denom,
      GovError.WrongDepositDenom,
      () =>
        `wrong deposit denom for proposal ${id}: expected ${proposal.totalDeposit.denom}, got ${amount.denom}`,
    );
    this.bank.send(ctx, depositor, GOV_ADDRESS, amount);
    const key = depositKey(id, depositor);
    const before = (ctx.store.get(key) as unknown as Coin | undefined)?.amount ?? 0n;
    ctx.store.set(key, { denom: amount.denom, amount: before + amount.amount });
    const total: Coin = {
      denom: amount.denom,
      amount: proposal.totalDeposit.amount + amount.amount,
    };
    const updated: Proposal = { ...proposal, totalDeposit: total };
    ctx.emit('gov/deposit', {
      proposal_id: id,
      depositor,
      amount: `${amount.amount}${amount.denom}`,
      total: `${total.amount}${total.denom}`,
    });
    const p = this.params(ctx.store);
    if (total.denom === p.minDeposit.denom && total.amount >= p.minDeposit.amount) {
      ctx.store.delete(queueKey('deposit', proposal.depositEndTimeMs, id));
      this.startVoting(ctx, updated, p);
    } else this.save(ctx.store, updated);
  }

  vote(ctx: Context, voter: string, id: number, option: VoteOption): void {
    const proposal = this.requireProposal(ctx.store, id);
    ensureGov(
      proposal.status === 'voting-period' &&
        proposal.votingEndTimeMs !== null &&
        ctx.block.timeMs < proposal.votingEndTimeMs,
      GovError.NotInVotingPeriod,
      () =>
        `proposal ${id} is not open for votes: expected status voting-period before ${proposal.votingEndTimeMs}, got ${proposal.status} at ${ctx.block.timeMs}`,
    );
    ensureGov(
      this.isStaker(ctx.store, voter),
      GovError.NotAStaker,
      () => `${voter} may not vote: expected a delegation or a validator, got neither`,
    );
    ctx.store.set(voteKey(id, voter), option);
    ctx.emit('gov/vote', { proposal_id: id, voter, option });
  }

  // ---- end block -------------------------------------------------------------------------

  /** Expires deposit periods, tallies ended votings, executes proposals whose timelock ran. */
  endBlock(ctx: Context): void {
    const now = ctx.block.timeMs;
    for (const id of this.due(ctx.store, 'deposit', now)) this.expire(ctx, id);
    for (const id of this.due(ctx.store, 'voting', now)) this.endVoting(ctx, id);
    for (const id of this.due(ctx.store, 'exec', now)) this.execute(ctx, id);
  }

  /** Ids due in `queue` at `now` (their keys removed), in time then id order. */
  private due(store: Store, queue: QueueName, now: number): number[] {
    const keys: string[] = [];
    const ids: number[] = [];
    for (const [key] of store.iterate(queuePrefix(queue))) {
      const { timeMs, id } = parseQueueKey(queue, key);
      if (timeMs > now) break;
      keys.push(key);
      ids.push(id);
    }
    for (const key of keys) store.delete(key);
    return ids;
  }

  private startVoting(ctx: Context, proposal: Proposal, p: GovParams): void {
    const now = ctx.block.timeMs;
    const end = now + p.votingPeriodMs;
    this.save(ctx.store, {
      ...proposal,
      status: 'voting-period',
      votingStartTimeMs: now,
      votingEndTimeMs: end,
    });
    ctx.store.set(queueKey('voting', end, proposal.id), null);
    ctx.emit('gov/voting-start', { proposal_id: proposal.id, voting_end_ms: end });
  }

  private expire(ctx: Context, id: number): void {
    const proposal = this.requireProposal(ctx.store, id);
    this.refund(ctx, proposal);
    this.save(ctx.store, { ...proposal, status: 'expired', deposits: 'refunded' });
    ctx.emit('gov/deposit-expired', { proposal_id: id });
  }

  private endVoting(ctx: Context, id: number): void {
    const proposal = this.requireProposal(ctx.store, id);
    const p = this.params(ctx.store);
    const tally = this.currentTally(ctx.store, id);
    const outcome = tallyOutcome(tally, p);
    const now = ctx.block.timeMs;
    ctx.emit('gov/voting-end', { proposal_id: id });
    ctx.emit('gov/tally', {
      proposal_id: id,
      yes: tally.yes,
      no: tally.no,
      abstain: tally.abstain,
      veto: tally.veto,
      total_bonded: tally.totalBonded,
      outcome,
    });
    const ended: Proposal = { ...proposal, finalTally: tally, outcome };
    if (outcome === 'passed') {
      this.refund(ctx, proposal);
      // A pause is defensive and urgent: it skips the timelock. Lifting a pause waits.
      const urgent = proposal.content.type === 'emergency-pause' && proposal.content.paused;
      const executeAfterMs = urgent ? now : now + p.timelockMs;
      this.save(ctx.store, {
        ...ended,
        status: 'passed',
        deposits: 'refunded',
        passTimeMs: now,
        executeAfterMs,
      });
      ctx.store.set(queueKey('exec', executeAfterMs, id), null);
      return;
    }
    const burn = outcome === 'vetoed' || (outcome === 'no-quorum' && p.burnOnQuorumFail);
    if (burn)
      this.burn(ctx, proposal, outcome === 'vetoed' ? BURN_REASON_VETO : BURN_REASON_QUORUM);
    else this.refund(ctx, proposal);
    this.save(ctx.store, { ...ended, status: 'rejected', deposits: burn ? 'burned' : 'refunded' });
  }

  /** Executes a passed proposal in a branch: all of its effects, or none and `failed`. */
  private execute(ctx: Context, id: number): void {
    const proposal = this.requireProposal(ctx.store, id);
    const branch = new Branch(ctx.store);
    const sub = ctx.with(branch);
    try {
      this.apply(sub, proposal.content);
    } catch (e) {
      const reason = chainErrorOf(e).message;
      this.save(ctx.store, {
        ...proposal,
        status: 'failed',
        executedTimeMs: ctx.block.timeMs,
        failReason: reason,
      });
      ctx.emit('gov/execute', { proposal_id: id, result: 'failed', reason });
      return;
    }
    branch.write();
    ctx.events.push(...sub.events);
    this.save(ctx.store, { ...proposal, status: 'executed', executedTimeMs: ctx.block.timeMs });
    ctx.emit('gov/execute', { proposal_id: id, result: 'executed' });
  }

  private refund(ctx: Context, proposal: Proposal): void {
    for (const { depositor, amount } of this.deposits(ctx.store, proposal.id)) {
      this.bank.send(ctx, GOV_ADDRESS, depositor, amount);
    }
    const t = proposal.totalDeposit;
    ctx.emit('gov/refund-deposits', { proposal_id: proposal.id, amount: `${t.amount}${t.denom}` });
  }

  private burn(ctx: Context, proposal: Proposal, reason: string): void {
    const t = proposal.totalDeposit;
    this.bank.burn(ctx, GOV_ADDRESS, t, reason);
    ctx.emit('gov/burn-deposits', {
      proposal_id: proposal.id,
      amount: `${t.amount}${t.denom}`,
      reason,
    });
  }

  private save(store: Store, proposal: Proposal): void {
    store.set(proposalKey(proposal.id), proposal as unknown as Value);
  }
}
