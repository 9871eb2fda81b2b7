import { beforeEach, describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/hash.ts';
import { ErrorCode } from '../../errors.ts';
import { ONE } from '../../math/index.ts';
import type { Msg } from '../../tx/tx.ts';
import { GovError } from './errors.ts';
import { GOV_ADDRESS } from './keeper.ts';
import type { GovParams } from './params.ts';
import {
  alice,
  bob,
  carol,
  dave,
  FAKE_POOL,
  GovChain,
  outsider,
  type TestParams,
} from './testing.ts';
import type { Proposal } from './types.ts';

const BWK = 1_000_000n;
/** The devnet preset as genesis JSON: 10 BWK, 2 min deposit & voting, 10 s timelock. */
const DEVNET_GENESIS = {
  params: {
    minDeposit: { denom: 'ubwk', amount: String(10n * BWK) },
    maxDepositPeriodMs: 120_000,
    votingPeriodMs: 120_000,
    timelockMs: 10_000,
    burnOnQuorumFail: false,
  },
};
const VOTING_MS = 120_000;
const TIMELOCK_MS = 10_000;

const submit = (content: Record<string, unknown>, amount: bigint): Msg => ({
  type: 'gov/submit-proposal',
  value: { content, initialDeposit: { denom: 'ubwk', amount } } as never,
});
const deposit = (proposalId: number, amount: bigint, denom = 'ubwk'): Msg => ({
  type: 'gov/deposit',
  value: { proposalId, amount: { denom, amount } },
});
const vote = (proposalId: number, option: string): Msg => ({
  type: 'gov/vote',
  value: { proposalId, option },
});
const paramChange = (changes: Record<string, unknown>, module = 'testmod') => ({
  type: 'param-change',
  title: 'Raise the downtime slash',
  description: 'Validators that miss blocks should pay more.',
  module,
  changes,
});
const text = { type: 'text', title: 'Hello', description: 'A signal.' };

/** Validators alice (600 BWK) and bob (300 BWK); carol delegates 100 to alice, dave 50 to bob. */
function chain(genesis: Record<string, unknown> = DEVNET_GENESIS): GovChain {
  const c = new GovChain(genesis);
  c.staking.addValidator(alice.address, 600n * BWK);
  c.staking.addValidator(bob.address, 300n * BWK);
  c.staking.delegate(carol.address, alice.address, 100n * BWK);
  c.staking.delegate(dave.address, bob.address, 50n * BWK);
  return c;
}

const proposal = (c: GovChain, id: number) => c.query<Proposal>('gov/proposal', { id });
const testmod = (c: GovChain) => c.query<TestParams>('testmod/params');
const eventTypes = (events: { type: string }[]) => events.map((e) => e.type);

/** Submits with a full deposit (voting starts at once); returns the proposal id. */
function submitted(c: GovChain, content: Record<string, unknown>, amount = 10n * BWK): number {
  const r = c.send(alice, submit(content, amount));
  expect(r.code, r.log).toBe(0);
  return c.query<Proposal[]>('gov/proposals').length;
}

/** Moves past the voting end of a proposal (one block) and returns the block. */
function endVoting(c: GovChain, id: number) {
  const p = proposal(c, id);
  return c.block([], (p.votingEndTimeMs as number) - c.timeMs);
}

describe('gov: the whole flow of a param change (slashFractionDowntime 1 % → 5 %)', () => {
  it('submit → deposit → vote → pass → timelock → executed', () => {
    const c = chain();
    const aliceStart = c.balance(alice.address);
    // Submit with 4 BWK: below minDeposit, so the deposit period starts.
    const sub = c.send(alice, submit(paramChange({ slashFractionDowntime: ONE / 20n }), 4n * BWK));
    expect(sub.code, sub.log).toBe(0);
    expect(eventTypes(sub.events)).toContain('gov/submit-proposal');
    let p = proposal(c, 1);
    expect(p.status).toBe('deposit-period');
    expect(p.totalDeposit).toEqual({ denom: 'ubwk', amount: 4n * BWK });
    expect(c.balance(GOV_ADDRESS)).toBe(4n * BWK);
    expect(c.query<Proposal[]>('gov/proposals', { status: 'voting-period' })).toHaveLength(0);

    // A stakeholder cannot vote before the voting period.
    expect(c.send(bob, vote(1, 'yes')).code).toBe(GovError.NotInVotingPeriod);

    // Bob's 6 BWK completes the deposit: voting starts.
    const dep = c.send(bob, deposit(1, 6n * BWK));
    expect(dep.code, dep.log).toBe(0);
    expect(eventTypes(dep.events)).toEqual(
      expect.arrayContaining(['gov/deposit', 'gov/voting-start']),
    );
    p = proposal(c, 1);
    expect(p.status).toBe('voting-period');
    expect(p.votingEndTimeMs).toBe(c.timeMs + VOTING_MS);
    expect(c.query('gov/deposits', { id: 1 })).toEqual([
      { depositor: alice.address, amount: { denom: 'ubwk', amount: 4n * BWK } },
      { depositor: bob.address, amount: { denom: 'ubwk', amount: 6n * BWK } },
    ]);

    // Both validators vote yes; their delegators inherit.
    const v = c.send(alice, vote(1, 'yes'));
    expect(v.code, v.log).toBe(0);
    expect(eventTypes(v.events)).toContain('gov/vote');
    expect(c.send(bob, vote(1, 'yes')).code).toBe(0);
    expect(c.query('gov/tally', { id: 1 })).toMatchObject({
      yes: 1050n * BWK,
      no: 0n,
      totalBonded: 1050n * BWK,
      outcome: 'passed',
      live: true,
    });

    // Voting ends: passed, deposits refunded, the param not yet changed.
    const end = endVoting(c, 1);
    expect(eventTypes(end.events)).toEqual(
      expect.arrayContaining(['gov/voting-end', 'gov/tally', 'gov/refund-deposits']),
    );
    p = proposal(c, 1);
    expect(p.status).toBe('passed');
    expect(p.outcome).toBe('passed');
    expect(p.deposits).toBe('refunded');
    expect(p.executeAfterMs).toBe(c.timeMs + TIMELOCK_MS);
    expect(c.balance(GOV_ADDRESS)).toBe(0n);
    // Alice paid only her 4 tx fees.
    expect(c.balance(alice.address)).toBe(aliceStart - 2n * 1000n);
    expect(testmod(c).slashFractionDowntime).toBe(ONE / 100n);

    // Not before the timelock…
    c.block([], TIMELOCK_MS - 1);
    expect(proposal(c, 1).status).toBe('passed');
    expect(testmod(c).slashFractionDowntime).toBe(ONE / 100n);
    // …but at the first block with time ≥ passTime + timelock.
    const exec = c.block([], 1);
    expect(eventTypes(exec.events)).toEqual(
      expect.arrayContaining(['gov/execute', 'gov/param-change']),
    );
    p = proposal(c, 1);
    expect(p.status).toBe('executed');
    expect(p.executedTimeMs).toBe(c.timeMs);
    expect(testmod(c).slashFractionDowntime).toBe(ONE / 20n);
    expect(c.query('gov/tally', { id: 1 })).toMatchObject({ yes: 1050n * BWK, live: false });
  });

  it('changes gov’s own params', () => {
    const c = chain();
    // A fraction as a decimal string: gov's schema reads it (as JSON tools write it).
    const id = submitted(c, paramChange({ quorum: '0.5', votingPeriodMs: 60_000 }, 'gov'));
    c.send(alice, vote(id, 'yes'));
    endVoting(c, id);
    c.block([], TIMELOCK_MS);
    const params = c.query<GovParams>('gov/params');
    expect(params.quorum).toBe(ONE / 2n);
    expect(params.votingPeriodMs).toBe(60_000);
  });
});

describe('gov: param changes refused at submission, failing at execution', () => {
  const refused: [string, Record<string, unknown>, number][] = [
    [
      'a value above its bound',
      paramChange({ slashFractionDowntime: ONE / 5n }),
      GovError.ParamOutOfBounds,
    ],
    [
      'a value of the wrong type',
      paramChange({ signedBlocksWindow: 'x' }),
      GovError.ParamOutOfBounds,
    ],
    ['an unknown param', paramChange({ slashFractionDoubleSign: 1n }), GovError.UnknownParam],
    ['an unknown module', paramChange({ a: 1 }, 'nosuch'), GovError.UnknownParamsModule],
    [
      'gov params out of bounds',
      paramChange({ threshold: ONE / 4n }, 'gov'),
      GovError.ParamOutOfBounds,
    ],
    ['no change at all', paramChange({}), ErrorCode.InvalidRequest],
    [
      'a title too long',
      { ...paramChange({ slashFractionDowntime: 1n }), title: 'x'.repeat(141) },
      ErrorCode.InvalidRequest,
    ],
    [
      'an unknown content type',
      { type: 'upgrade', title: 't', description: 'd' },
      ErrorCode.InvalidRequest,
    ],
  ];
  for (const [name, content, code] of refused) {
    it(`refuses ${name} with code ${code} and changes nothing`, () => {
      const c = chain();
      const before = toHex(c.app.appHash);
      const check = c.app.checkTx(c.tx(alice, [submit(content, 10n * BWK)], true));
      expect(check.code, check.log).toBe(code);
      expect(check.log.length).toBeGreaterThan(10);
      expect(toHex(c.app.appHash)).toBe(before);
      // In a block: only the fee is taken (none for a malformed tx, refused outright).
      const bal = c.balance(alice.address);
      const r = c.send(alice, submit(content, 10n * BWK));
      expect(r.code).toBe(code);
      const fee = code === ErrorCode.InvalidRequest ? 0n : 1000n;
      expect(c.balance(alice.address)).toBe(bal - fee);
      expect(c.balance(GOV_ADDRESS)).toBe(0n);
      expect(c.query<Proposal[]>('gov/proposals')).toHaveLength(0);
    });
  }

  it('refuses a deposit in another denom', () => {
    const c = chain();
    const r = c.send(alice, {
      type: 'gov/submit-proposal',
      value: { content: text, initialDeposit: { denom: 'uusd', amount: 10n * BWK } },
    });
    expect(r.code).toBe(GovError.WrongDepositDenom);
    expect(r.log).toContain('expected');
  });

  it('marks a passed change failed when its value went out of bounds before execution', () => {
    const c = chain();
    // #1 lowers maxSlashFraction to 5 % (in bounds: the downtime fraction is 1 %).
    const lower = submitted(c, paramChange({ maxSlashFraction: ONE / 20n }));
    // #2 raises slashFractionDowntime to 8 % (in bounds now: ≤ maxSlashFraction 10 %).
    const raise = submitted(c, paramChange({ slashFractionDowntime: (ONE * 8n) / 100n }));
    c.send(alice, vote(lower, 'yes'));
    c.send(alice, vote(raise, 'yes'));
    endVoting(c, lower);
    endVoting(c, raise);
    expect(proposal(c, lower).status).toBe('passed');
    expect(proposal(c, raise).status).toBe('passed');
    const hashBefore = testmod(c);
    // Both timelocks run out in this block; the queue runs in time order: #1 then #2.
    const res = c.block([], TIMELOCK_MS);
    expect(proposal(c, lower).status).toBe('executed');
    const failed = proposal(c, raise);
    expect(failed.status).toBe('failed');
    expect(failed.failReason).toContain('slashFractionDowntime must be ≤ maxSlashFraction');
    expect(testmod(c)).toEqual({ ...hashBefore, maxSlashFraction: ONE / 20n });
    expect(
      res.events.filter((e) => e.type === 'gov/execute').map((e) => e.attributes.result),
    ).toEqual(['executed', 'failed']);
  });
});

describe('gov: tally outcomes and deposits', () => {
  it('a vetoed proposal burns its deposit: supply’s burned grows by exactly the deposit', () => {
    const c = chain();
    const id = submitted(c, text, 12n * BWK);
    // veto: bob 300 + dave 50 (inherited) + carol 100 (her own) = 450 of 1050 voted
    // = 42.9 % > 33.4 %; yes: alice 600 (carol's 100 deducted).
    c.send(alice, vote(id, 'yes'));
    c.send(bob, vote(id, 'veto'));
    c.send(carol, vote(id, 'veto'));
    expect(c.query('gov/tally', { id })).toMatchObject({
      yes: 600n * BWK,
      veto: 450n * BWK,
      outcome: 'vetoed',
    });
    const burned = c.burned();
    const res = endVoting(c, id);
    expect(c.burned() - burned).toBe(12n * BWK);
    expect(c.balance(GOV_ADDRESS)).toBe(0n);
    const p = proposal(c, id);
    expect(p).toMatchObject({ status: 'rejected', outcome: 'vetoed', deposits: 'burned' });
    const burn = res.events.find((e) => e.type === 'burn');
    expect(burn?.attributes).toMatchObject({ reason: 'gov-veto', amount: `${12n * BWK}ubwk` });
    expect(eventTypes(res.events)).toContain('gov/burn-deposits');
  });

  it('a veto of exactly the threshold does not veto (strictly above is needed)', () => {
    // 334 veto of 1000 voted = 33.4 % exactly.
    const c = new GovChain(DEVNET_GENESIS);
    c.staking.addValidator(alice.address, 666n * BWK);
    c.staking.addValidator(bob.address, 334n * BWK);
    const id = submitted(c, text);
    c.send(alice, vote(id, 'yes'));
    c.send(bob, vote(id, 'veto'));
    expect(c.query('gov/tally', { id })).toMatchObject({ outcome: 'passed' });
  });

  it('quorum failure refunds by default (burnOnQuorumFail false)', () => {
    const c = chain();
    const id = submitted(c, text);
    // dave alone: 50 of 1050 = 4.8 % < 33.4 %.
    c.send(dave, vote(id, 'yes'));
    const before = c.balance(alice.address);
    const burned = c.burned();
    endVoting(c, id);
    expect(proposal(c, id)).toMatchObject({
      status: 'rejected',
      outcome: 'no-quorum',
      deposits: 'refunded',
    });
    expect(c.balance(alice.address)).toBe(before + 10n * BWK);
    expect(c.burned()).toBe(burned);
  });

  it('quorum failure burns with burnOnQuorumFail (reason gov-quorum)', () => {
    const c = chain({ params: { ...DEVNET_GENESIS.params, burnOnQuorumFail: true } });
    const id = submitted(c, text);
    const burned = c.burned();
    const res = endVoting(c, id);
    expect(proposal(c, id)).toMatchObject({ outcome: 'no-quorum', deposits: 'burned' });
    expect(c.burned() - burned).toBe(10n * BWK);
    expect(res.events.find((e) => e.type === 'burn')?.attributes.reason).toBe('gov-quorum');
  });

  it('below the threshold: rejected and refunded', () => {
    const c = chain();
    const id = submitted(c, text);
    c.send(alice, vote(id, 'no'));
    c.send(bob, vote(id, 'yes'));
    endVoting(c, id);
    expect(proposal(c, id)).toMatchObject({
      status: 'rejected',
      outcome: 'below-threshold',
      deposits: 'refunded',
    });
    expect(c.balance(GOV_ADDRESS)).toBe(0n);
  });

  it('a deposit period that ends short of minDeposit expires and refunds', () => {
    const c = chain();
    c.send(alice, submit(text, 3n * BWK));
    c.send(bob, deposit(1, 2n * BWK));
    const aliceBal = c.balance(alice.address);
    const bobBal = c.balance(bob.address);
    const p = proposal(c, 1);
    const res = c.block([], p.depositEndTimeMs - c.timeMs);
    expect(eventTypes(res.events)).toContain('gov/deposit-expired');
    expect(proposal(c, 1)).toMatchObject({ status: 'expired', deposits: 'refunded' });
    expect(c.balance(alice.address)).toBe(aliceBal + 3n * BWK);
    expect(c.balance(bob.address)).toBe(bobBal + 2n * BWK);
    // No deposits once the period is over.
    expect(c.send(bob, deposit(1, 10n * BWK)).code).toBe(GovError.NotInDepositPeriod);
    expect(c.send(bob, deposit(9, 10n * BWK)).code).toBe(GovError.ProposalNotFound);
  });
});

describe('gov: votes', () => {
  let c: GovChain;
  let id: number;
  beforeEach(() => {
    // alice: 100 self + carol 30 + dave 20 = 150 BWK; bob: 50 self + dave 10 = 60 BWK.
    c = new GovChain(DEVNET_GENESIS);
    c.staking.addValidator(alice.address, 100n * BWK);
    c.staking.addValidator(bob.address, 50n * BWK);
    c.staking.delegate(carol.address, alice.address, 30n * BWK);
    c.staking.delegate(dave.address, alice.address, 20n * BWK);
    c.staking.delegate(dave.address, bob.address, 10n * BWK);
    // A slash of 50 BWK on alice: 150 BWK of shares now hold 100 BWK of tokens.
    c.staking.burnTokens(alice.address, 50n * BWK);
    id = submitted(c, text);
  });

  it('a delegator overriding its validator’s vote changes the tally as computed by hand', () => {
    c.send(alice, vote(id, 'yes'));
    // Alice carries all of her 100 BWK of tokens; bob did not vote: his 60 count nothing.
    expect(c.query('gov/tally', { id })).toMatchObject({
      yes: 100_000_000n,
      no: 0n,
      totalBonded: 160_000_000n,
    });
    c.send(dave, vote(id, 'yes'));
    c.send(dave, vote(id, 'no')); // re-voting replaces the vote
    expect(c.query('gov/votes', { id })).toEqual([
      { voter: alice.address, option: 'yes' },
      { voter: dave.address, option: 'no' },
    ]);
    // dave at alice: 20e24 shares × 100e6 tokens / 150e24 shares = 13_333_333.33 → 13_333_333;
    // dave at bob: 10 BWK (rate 1). yes = 100_000_000 − 13_333_333 = 86_666_667;
    // no = 13_333_333 + 10_000_000 = 23_333_333.
    expect(c.query('gov/tally', { id })).toMatchObject({
      yes: 86_666_667n,
      no: 23_333_333n,
      abstain: 0n,
      veto: 0n,
      voted: 110_000_000n,
    });
    // carol abstains: 30e24 × 100e6 / 150e24 = 20_000_000 moves from yes to abstain.
    c.send(carol, vote(id, 'abstain'));
    const live = { yes: 66_666_667n, no: 23_333_333n, abstain: 20_000_000n, veto: 0n };
    expect(c.query('gov/tally', { id })).toMatchObject({ ...live, outcome: 'passed' });
    // quorum 110/160 = 68.75 % ≥ 33.4 %; yes / (yes + no) = 74 % > 50 %.
    endVoting(c, id);
    expect(proposal(c, id)).toMatchObject({
      status: 'passed',
      finalTally: { ...live, totalBonded: 160_000_000n },
    });
  });

  it('refuses a vote by a non-staker, after the period, and on a bad option', () => {
    const bad = c.send(outsider, vote(id, 'yes'));
    expect(bad.code).toBe(GovError.NotAStaker);
    expect(bad.log).toContain('expected a delegation or a validator');
    const p = proposal(c, id);
    // A block at exactly the voting end: too late (the vote closes at votingEndTimeMs).
    const late = c.send(alice, vote(id, 'yes'), (p.votingEndTimeMs as number) - c.timeMs);
    expect(late.code).toBe(GovError.NotInVotingPeriod);
    expect(late.log).toContain('expected status voting-period');
    expect(c.send(alice, vote(id, 'yes')).code).toBe(GovError.NotInVotingPeriod);
    expect(c.send(alice, vote(id, 'maybe')).code).toBe(ErrorCode.InvalidRequest);
    expect(c.send(alice, vote(99, 'yes')).code).toBe(GovError.ProposalNotFound);
    expect(c.query('gov/votes', { id })).toEqual([]);
  });

  it('counts nothing for an unbonded validator or delegations to it', () => {
    c.staking.addValidator(outsider.address, 500n * BWK, 'unbonded');
    c.send(outsider, vote(id, 'no')); // a validator operator may vote…
    c.send(alice, vote(id, 'yes'));
    // …but its tokens are not bonded: not counted, and not in the total.
    expect(c.query('gov/tally', { id })).toMatchObject({
      yes: 100_000_000n,
      no: 0n,
      totalBonded: 160_000_000n,
    });
  });
});

describe('gov: community-pool spend and emergency pause', () => {
  const spend = (amount: bigint) => ({
    type: 'community-pool-spend',
    title: 'Grant',
    description: 'Pay for an audit.',
    recipient: outsider.address,
    amount: { denom: 'ubwk', amount },
  });

  it('pays the recipient from the community pool after the timelock', () => {
    const c = chain();
    const id = submitted(c, spend(2n * BWK));
    c.send(alice, vote(id, 'yes'));
    endVoting(c, id);
    const before = c.balance(outsider.address);
    c.block([], TIMELOCK_MS);
    expect(proposal(c, id).status).toBe('executed');
    expect(c.balance(outsider.address)).toBe(before + 2n * BWK);
    expect(c.balance(FAKE_POOL)).toBe(3n * BWK);
    expect(c.spender.paid).toEqual([
      { to: outsider.address, coin: { denom: 'ubwk', amount: 2n * BWK } },
    ]);
  });

  it('fails with the reason, changing nothing, when the pool cannot pay', () => {
    const c = chain();
    const id = submitted(c, spend(6n * BWK));
    c.send(alice, vote(id, 'yes'));
    endVoting(c, id);
    c.block([], TIMELOCK_MS);
    const p = proposal(c, id);
    expect(p.status).toBe('failed');
    expect(p.failReason).toContain('insufficient funds');
    expect(c.balance(FAKE_POOL)).toBe(5n * BWK);
  });

  it('pauses a market at once (no timelock) and lifts the pause after the timelock', () => {
    const c = chain();
    const pause = (paused: boolean) => ({
      type: 'emergency-pause',
      title: paused ? 'Pause' : 'Resume',
      description: 'Oracle incident.',
      market: 'BTC-USD-PERP',
      paused,
    });
    const id = submitted(c, pause(true));
    c.send(alice, vote(id, 'yes'));
    expect(c.gov.isPaused(c.store, 'BTC-USD-PERP')).toBe(false);
    endVoting(c, id);
    expect(proposal(c, id).status).toBe('executed');
    expect(c.gov.isPaused(c.store, 'BTC-USD-PERP')).toBe(true);
    expect(c.gov.isPaused(c.store, 'ETH-USD-PERP')).toBe(false);
    expect(c.query('gov/paused-markets')).toEqual(['BTC-USD-PERP']);

    const lift = submitted(c, pause(false));
    c.send(alice, vote(lift, 'yes'));
    endVoting(c, lift);
    expect(proposal(c, lift).status).toBe('passed');
    expect(c.gov.isPaused(c.store, 'BTC-USD-PERP')).toBe(true);
    c.block([], TIMELOCK_MS);
    expect(proposal(c, lift).status).toBe('executed');
    expect(c.gov.isPaused(c.store, 'BTC-USD-PERP')).toBe(false);
    expect(c.query('gov/paused-markets')).toEqual([]);
  });
});

describe('gov: queries and genesis', () => {
  it('lists proposals by status and refuses unknown ids', () => {
    const c = chain();
    submitted(c, text);
    c.send(alice, submit(text, 1n * BWK));
    expect(c.query<Proposal[]>('gov/proposals').map((p) => p.id)).toEqual([1, 2]);
    expect(
      c.query<Proposal[]>('gov/proposals', { status: 'deposit-period' }).map((p) => p.id),
    ).toEqual([2]);
    expect(c.app.query('gov/proposal', { id: 3 }).code).toBe(GovError.ProposalNotFound);
    expect(c.app.query('gov/tally', { id: 2 }).code).toBe(ErrorCode.NotFound);
    expect(c.app.query('gov/proposals', { status: 'nope' }).code).toBe(ErrorCode.InvalidRequest);
  });

  it('exports a genesis that imports back to the same params, next id and paused markets', () => {
    const c = chain();
    submitted(c, text);
    const exported = c.app.module('gov')?.exportGenesis(c.store);
    const d = new GovChain(
      JSON.parse(JSON.stringify({ ...(exported as object), pausedMarkets: ['ETH-USD'] })),
    );
    expect(d.query('gov/params')).toEqual(c.query('gov/params'));
    expect(d.gov.nextId(d.store)).toBe(2);
    expect(d.gov.isPaused(d.store, 'ETH-USD')).toBe(true);
    expect(d.query<GovParams>('gov/params').votingPeriodMs).toBe(120_000);
  });

  it('refuses a genesis with params out of bounds', () => {
    expect(() => new GovChain({ params: { quorum: '0' } })).toThrow(
      /quorum: must be at least 0.01/,
    );
    expect(() => new GovChain({ params: { quorum: '2' } })).toThrow(/invalid genesis app.gov/);
    expect(() => new GovChain({ params: { timelockMs: -1 } })).toThrow(/timelockMs/);
  });
});
