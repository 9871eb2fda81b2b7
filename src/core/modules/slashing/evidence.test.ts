import { describe, expect, it } from 'vitest';
import type { Misbehavior } from '../../app/types.ts';
import { ChainError } from '../../errors.ts';
import { SlashingError } from './errors.ts';
import { verifyDuplicateVoteEvidence } from './evidence.ts';
import { testValidator } from './fake-staking.ts';
import { CHAIN_ID, doubleSign, hashOf, signedVote } from './test-chain.ts';

const alice = testValidator('alice');

function codeOf(ev: Misbehavior, chainId = CHAIN_ID, pubKey = alice.consPubKey): number | 'ok' {
  try {
    verifyDuplicateVoteEvidence(ev, chainId, pubKey);
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(ChainError);
    expect((e as ChainError).codespace).toBe('slashing');
    return (e as ChainError).code;
  }
}

const A = hashOf('block A');
const B = hashOf('block B');
const base = (): Misbehavior => doubleSign('alice', 7);

describe('verifyDuplicateVoteEvidence', () => {
  it('accepts two validly signed votes for different blocks at one height/round/type', () => {
    expect(codeOf(base())).toBe('ok');
    const prevotes = {
      ...base(),
      voteA: signedVote('alice', { type: 'prevote', height: 7, round: 2, blockHash: A }),
      voteB: signedVote('alice', { type: 'prevote', height: 7, round: 2, blockHash: B }),
    };
    expect(codeOf(prevotes)).toBe('ok');
  });

  it('refuses a bad signature on either vote', () => {
    const ev = base();
    const forgedA = { ...ev, voteA: signedVote('alice', { height: 7, blockHash: A }, 'mallory') };
    const forgedB = { ...ev, voteB: signedVote('alice', { height: 7, blockHash: B }, 'mallory') };
    expect(codeOf(forgedA)).toBe(SlashingError.EvidenceBadSignature);
    expect(codeOf(forgedB)).toBe(SlashingError.EvidenceBadSignature);
    // A signature over other bytes (another round) does not verify either.
    const otherRound = signedVote('alice', { height: 7, round: 1, blockHash: B });
    expect(codeOf({ ...ev, voteB: { ...ev.voteB, signature: otherRound.signature } })).toBe(
      SlashingError.EvidenceBadSignature,
    );
  });

  it('refuses two votes for the same block id', () => {
    const v = signedVote('alice', { height: 7, blockHash: A });
    expect(codeOf({ ...base(), voteA: v, voteB: v })).toBe(SlashingError.EvidenceSameBlock);
  });

  it('refuses votes for another chain id (validly signed for it)', () => {
    const ev = {
      ...base(),
      voteA: signedVote('alice', { chainId: 'other-chain', height: 7, blockHash: A }),
      voteB: signedVote('alice', { chainId: 'other-chain', height: 7, blockHash: B }),
    };
    expect(codeOf(ev)).toBe(SlashingError.EvidenceWrongChain);
    expect(codeOf(ev, 'other-chain')).toBe('ok');
    // One vote of each chain: still refused.
    expect(codeOf({ ...base(), voteB: ev.voteB })).toBe(SlashingError.EvidenceWrongChain);
  });

  it('refuses different heights, rounds or types', () => {
    const a = signedVote('alice', { height: 7, blockHash: A });
    expect(
      codeOf({ ...base(), voteA: a, voteB: signedVote('alice', { height: 8, blockHash: B }) }),
    ).toBe(SlashingError.InvalidEvidence);
    expect(
      codeOf({
        ...base(),
        voteA: a,
        voteB: signedVote('alice', { height: 7, round: 1, blockHash: B }),
      }),
    ).toBe(SlashingError.InvalidEvidence);
    expect(
      codeOf({
        ...base(),
        voteA: a,
        voteB: signedVote('alice', { height: 7, type: 'prevote', blockHash: B }),
      }),
    ).toBe(SlashingError.InvalidEvidence);
    // The evidence's own height must be the votes'.
    expect(codeOf({ ...base(), height: 6 })).toBe(SlashingError.InvalidEvidence);
  });

  it("refuses votes by another validator or a key that is not the named validator's", () => {
    const bob = signedVote('bob', { height: 7, blockHash: B });
    expect(codeOf({ ...base(), voteB: bob })).toBe(SlashingError.InvalidEvidence);
    expect(codeOf(base(), CHAIN_ID, testValidator('bob').consPubKey)).toBe(
      SlashingError.InvalidEvidence,
    );
  });
});
