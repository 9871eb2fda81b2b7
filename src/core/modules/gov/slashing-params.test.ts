/**
 * The acceptance of the issue, on the real slashing module's params: a governance proposal
 * raises slashFractionDowntime through the whole flow; one out of bounds is refused; one
 * vetoed burns its deposit. (Staking is the gov test fake; slashing sees no votes here.)
 */
import { describe, expect, it } from 'vitest';
import { fromDecimalString } from '../../math/index.ts';
import type { Msg } from '../../tx/tx.ts';
import { SlashingModule } from '../slashing/module.ts';
import { slashingParams } from '../slashing/params.ts';
import { GovError } from './errors.ts';
import { alice, bob, carol, FakeStaking, GovChain } from './testing.ts';
import type { Proposal } from './types.ts';

const BWK = 1_000_000n;
const GENESIS = {
  params: {
    minDeposit: { denom: 'ubwk', amount: String(10n * BWK) },
    maxDepositPeriodMs: 120_000,
    votingPeriodMs: 120_000,
    timelockMs: 10_000,
  },
};

const raise = (value: unknown): Msg => ({
  type: 'gov/submit-proposal',
  value: {
    content: {
      type: 'param-change',
      title: 'Raise the downtime slash',
      description: 'From 0.01 % to 1 %.',
      module: 'slashing',
      changes: { slashFractionDowntime: value },
    },
    initialDeposit: { denom: 'ubwk', amount: 10n * BWK },
  } as never,
});

function chain(): GovChain {
  const staking = new FakeStaking();
  const c = new GovChain(GENESIS, [new SlashingModule(staking)], staking);
  staking.addValidator(alice.address, 700n * BWK);
  staking.addValidator(bob.address, 300n * BWK);
  staking.delegate(carol.address, bob.address, 100n * BWK);
  return c;
}

const downtime = (c: GovChain) => slashingParams.get(c.store).slashFractionDowntime;

describe('gov × slashing params', () => {
  it('raises slashFractionDowntime through the whole flow', () => {
    const c = chain();
    const before = downtime(c);
    expect(before).toBe(fromDecimalString('0.0001'));
    const r = c.send(alice, raise('0.01'));
    expect(r.code, r.log).toBe(0);
    c.send(alice, { type: 'gov/vote', value: { proposalId: 1, option: 'yes' } });
    c.send(carol, { type: 'gov/vote', value: { proposalId: 1, option: 'no' } });
    const p = c.query<Proposal>('gov/proposal', { id: 1 });
    c.block([], (p.votingEndTimeMs as number) - c.timeMs);
    expect(c.query<Proposal>('gov/proposal', { id: 1 })).toMatchObject({
      status: 'passed',
      finalTally: { yes: 700n * BWK, no: 100n * BWK, abstain: 0n, veto: 0n },
    });
    expect(downtime(c)).toBe(before);
    c.block([], 10_000);
    expect(c.query<Proposal>('gov/proposal', { id: 1 }).status).toBe('executed');
    expect(downtime(c)).toBe(fromDecimalString('0.01'));
    // The other slashing params are untouched.
    expect(slashingParams.get(c.store).slashFractionDoubleSign).toBe(fromDecimalString('0.05'));
  });

  it('refuses a value out of bounds at submission (slashFractionDowntime ≤ 0.1)', () => {
    const c = chain();
    const r = c.send(alice, raise('0.2'));
    expect(r.code).toBe(GovError.ParamOutOfBounds);
    expect(r.log).toContain('slashFractionDowntime');
    expect(c.query<Proposal[]>('gov/proposals')).toHaveLength(0);
  });

  it('burns the deposit of a vetoed proposal', () => {
    const c = chain();
    c.send(alice, raise(fromDecimalString('0.05')));
    c.send(alice, { type: 'gov/vote', value: { proposalId: 1, option: 'yes' } });
    c.send(bob, { type: 'gov/vote', value: { proposalId: 1, option: 'veto' } });
    const burned = c.burned();
    const p = c.query<Proposal>('gov/proposal', { id: 1 });
    c.block([], (p.votingEndTimeMs as number) - c.timeMs);
    // veto 400 of 1100 = 36.4 % > 33.4 %.
    expect(c.query<Proposal>('gov/proposal', { id: 1 })).toMatchObject({
      status: 'rejected',
      outcome: 'vetoed',
      deposits: 'burned',
    });
    expect(c.burned() - burned).toBe(10n * BWK);
    expect(downtime(c)).toBe(fromDecimalString('0.0001'));
  });
});
