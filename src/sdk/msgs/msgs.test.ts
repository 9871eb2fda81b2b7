import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAccount } from '../../core/testing/harness.ts';
import { BulwarkClient } from '../client.ts';
import { ArgumentError, codeName, RpcError, TxError } from '../errors.ts';
import { FakeNode } from '../testing/fake-node.ts';
import { signerFromSeed } from '../tx.ts';
import {
  createValidatorMsg,
  delegateMsg,
  depositMsg,
  editValidatorMsg,
  evidenceFromJson,
  fundCommunityPoolMsg,
  paramChangeProposal,
  paramChangesFromJson,
  proposalContentFromJson,
  redelegateMsg,
  setWithdrawAddressMsg,
  submitEvidenceMsg,
  submitProposalMsg,
  textProposal,
  undelegateMsg,
  unjailMsg,
  voteMsg,
  withdrawCommissionMsg,
  withdrawRewardsMsg,
} from './index.ts';

const val = testAccount('val0').address;
const other = testAccount('val1').address;

describe('message builders', () => {
  it('build the messages of docs/modules/*.md', () => {
    expect(delegateMsg(val, '5ubwk')).toEqual({
      type: 'staking/delegate',
      value: { validator: val, amount: { denom: 'ubwk', amount: 5n } },
    });
    expect(undelegateMsg(val, { shares: 10n ** 18n })).toEqual({
      type: 'staking/undelegate',
      value: { validator: val, shares: 10n ** 18n },
    });
    expect(redelegateMsg(val, other, '7ubwk').value).toEqual({
      src: val,
      dst: other,
      amount: { denom: 'ubwk', amount: 7n },
    });
    expect(
      createValidatorMsg({
        consPubKey: 'AB'.repeat(32),
        moniker: 'v',
        selfBond: '1000000ubwk',
        commission: { rate: '0.10', maxRate: '0.20', maxChangeRate: '0.01' },
        minSelfDelegation: '1000000',
      }).value,
    ).toEqual({
      consPubKey: 'ab'.repeat(32),
      moniker: 'v',
      selfBond: { denom: 'ubwk', amount: 1_000_000n },
      commission: { rate: '0.10', maxRate: '0.20', maxChangeRate: '0.01' },
      minSelfDelegation: 1_000_000n,
    });
    expect(editValidatorMsg({ commissionRate: '0.09' }).value).toEqual({ commissionRate: '0.09' });
    expect(unjailMsg()).toEqual({ type: 'slashing/unjail', value: {} });
    expect(withdrawRewardsMsg()).toEqual({ type: 'distribution/withdraw-rewards', value: {} });
    expect(withdrawRewardsMsg(val).value).toEqual({ validator: val });
    expect(withdrawCommissionMsg().type).toBe('distribution/withdraw-commission');
    expect(setWithdrawAddressMsg(other).value).toEqual({ address: other });
    expect(fundCommunityPoolMsg('3ubwk').value).toEqual({ amount: { denom: 'ubwk', amount: 3n } });
    expect(voteMsg(2, 'veto')).toEqual({
      type: 'gov/vote',
      value: { proposalId: 2, option: 'veto' },
    });
    expect(depositMsg(2, '9ubwk').value).toEqual({
      proposalId: 2,
      amount: { denom: 'ubwk', amount: 9n },
    });
    expect(submitProposalMsg(textProposal('T', 'D'), '10ubwk')).toEqual({
      type: 'gov/submit-proposal',
      value: {
        content: { type: 'text', title: 'T', description: 'D' },
        initialDeposit: { denom: 'ubwk', amount: 10n },
      },
    });
  });

  it('refuse bad arguments with an ArgumentError', () => {
    const commission = { rate: '0.10', maxRate: '0.20', maxChangeRate: '0.01' };
    const cv = (over: object) => () =>
      createValidatorMsg({
        consPubKey: 'ab'.repeat(32),
        moniker: 'v',
        selfBond: '1ubwk',
        commission,
        ...over,
      });
    expect(cv({ commission: { ...commission, rate: '10%' } })).toThrow(ArgumentError);
    expect(cv({ commission: { ...commission, rate: '0.3' } })).toThrow(/above the max rate/);
    expect(cv({ commission: { ...commission, maxRate: '1.01' } })).toThrow(/above 1/);
    expect(cv({ consPubKey: 'xyz' })).toThrow(/64 hex/);
    expect(cv({ moniker: '' })).toThrow(/moniker/);
    expect(() => editValidatorMsg({})).toThrow(ArgumentError);
    expect(() => delegateMsg('bwk1nope', '5ubwk')).toThrow(ArgumentError);
    expect(() => redelegateMsg(val, val, '5ubwk')).toThrow(/same/);
    expect(() => voteMsg(0, 'yes')).toThrow(ArgumentError);
    expect(() => voteMsg(1, 'maybe' as 'yes')).toThrow(/yes, no, abstain, veto/);
    expect(() => textProposal('', 'D')).toThrow(/title/);
  });

  it('read proposals, param changes and evidence from JSON', () => {
    expect(paramChangesFromJson({ a: '0.01', b: '5n', c: 3, d: true })).toEqual({
      a: '0.01',
      b: 5n,
      c: 3,
      d: true,
    });
    expect(() => paramChangesFromJson({ a: 0.5 })).toThrow(/decimal strings/);
    expect(
      proposalContentFromJson({
        type: 'community-pool-spend',
        title: 'T',
        description: 'D',
        recipient: val,
        amount: { denom: 'ubwk', amount: '5' },
      }),
    ).toEqual({
      type: 'community-pool-spend',
      title: 'T',
      description: 'D',
      recipient: val,
      amount: { denom: 'ubwk', amount: 5n },
    });
    expect(
      proposalContentFromJson({
        type: 'param-change',
        title: 'T',
        description: 'D',
        module: 'slashing',
        changes: { slashFractionDowntime: '0.01' },
      }),
    ).toEqual(
      paramChangeProposal({
        title: 'T',
        description: 'D',
        module: 'slashing',
        changes: { slashFractionDowntime: '0.01' },
      }),
    );
    expect(() =>
      proposalContentFromJson({ type: 'text', title: 'T', description: 'D', x: 1 }),
    ).toThrow(/unknown field "x"/);
    const vote = {
      type: 'precommit',
      chainId: 'c',
      height: 5,
      round: 0,
      blockHash: 'AA'.repeat(32),
      validator: '11'.repeat(20),
      signature: '22'.repeat(64),
    };
    const ev = evidenceFromJson({
      type: 'duplicate-vote',
      totalPower: '10',
      timeMs: 1,
      voteA: vote,
      voteB: vote,
    });
    expect(ev.voteA.blockHash).toBe('aa'.repeat(32));
    expect(submitEvidenceMsg(ev).type).toBe('slashing/submit-evidence');
    expect(() => evidenceFromJson({ voteA: vote, voteB: { ...vote, signature: 'zz' } })).toThrow(
      /evidence\.voteB\.signature must be 128 hex/,
    );
  });

  it('names the module error codes', () => {
    expect(codeName(202)).toBe('UnknownValidator');
    expect(codeName(308)).toBe('JailPeriodNotOver');
    expect(codeName(402)).toBe('NoCommission');
    expect(codeName(506)).toBe('NotAStaker');
  });
});

describe('BulwarkClient staking and gov helpers', () => {
  let node: FakeNode;
  let client: BulwarkClient;
  beforeAll(async () => {
    node = await FakeNode.start({ validators: ['val0', 'val1'] });
    client = new BulwarkClient({ url: node.url });
  });
  afterAll(async () => {
    await client.close();
    await node.kill();
  });

  it('delegates, reads rewards, withdraws, undelegates', async () => {
    const alice = signerFromSeed(node.account('alice').seed);
    const aliceAddress = node.account('alice').address;
    const validators = await client.validators('bonded');
    expect(validators.map((v) => v.moniker).sort()).toEqual(['val0', 'val1']);
    const v0 = validators.find((v) => v.moniker === 'val0')?.operator as string;
    const res = await client.delegate(alice, v0, '3000000ubwk');
    expect(res.height).toBe(node.height);
    expect(await client.delegations(aliceAddress)).toEqual([
      expect.objectContaining({ validator: v0, tokens: '3000000' }),
    ]);
    node.produceBlock();
    node.produceBlock();
    const { total } = await client.rewards(aliceAddress);
    expect(BigInt(total[0]?.amount ?? '0')).toBeGreaterThan(0n);
    const w = await client.withdrawRewards(alice);
    expect(w.events.some((e) => e.type === 'withdraw_rewards')).toBe(true);
    await client.undelegate(alice, v0, '1000000ubwk');
    expect((await client.validator(v0)).tokens).toBe(String(100_000_000n + 2_000_000n));
    await expect(client.validator(aliceAddress)).rejects.toThrow(RpcError);
  });

  it('submits a proposal, votes and tallies', async () => {
    const alice = signerFromSeed(node.account('alice').seed);
    const { proposalId } = await client.submitProposal(
      alice,
      textProposal('Hello', 'A signal.'),
      '10000000ubwk',
    );
    expect(proposalId).toBe(1);
    await client.vote(alice, 1, 'yes');
    const tally = await client.tally(1);
    expect(tally.live).toBe(true);
    expect(BigInt(tally.yes)).toBeGreaterThan(0n);
    expect((await client.proposal(1)).status).toBe('voting-period');
    expect((await client.proposals('voting-period')).map((p) => p.id)).toEqual([1]);
    const bob = signerFromSeed(node.account('bob').seed);
    const refused = await client.vote(bob, 1, 'no').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TxError);
    expect((refused as TxError).codeName).toBe('NotAStaker');
  });
});
