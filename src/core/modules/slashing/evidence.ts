import type { Misbehavior, Vote } from '../../app/types.ts';
import { addressBytes } from '../../crypto/address.ts';
import { bytesEqual, toHex } from '../../crypto/hash.ts';
import { verify } from '../../crypto/keys.ts';
import { ensureSlashing, SlashingError } from './errors.ts';
import { voteSignBytes } from './vote-bytes.ts';

/**
 * Checks that `ev` proves an equivocation by the validator whose consensus key is `pubKey`
 * on chain `chainId` (CometBFT's DuplicateVoteEvidence rules): two votes of the same type,
 * height and round, by that validator, for different block ids, each validly signed over
 * its vote sign bytes (which bind the chain id). Throws a slashing ChainError naming the
 * first rule broken; returns nothing when the evidence holds. Pure: no state, no clock;
 * age, tombstone and "is this a validator" are the keeper's business.
 */
export function verifyDuplicateVoteEvidence(
  ev: Misbehavior,
  chainId: string,
  pubKey: Uint8Array,
): void {
  const { voteA: a, voteB: b } = ev;
  ensureSlashing(
    ev.type === 'duplicate-vote',
    SlashingError.InvalidEvidence,
    `expected evidence type duplicate-vote, got ${JSON.stringify(ev.type)}`,
  );
  ensureSlashing(
    a.height === b.height && a.height === ev.height,
    SlashingError.InvalidEvidence,
    `votes must share the evidence height ${ev.height}, got ${a.height} and ${b.height}`,
  );
  ensureSlashing(
    a.round === b.round,
    SlashingError.InvalidEvidence,
    `votes must share one round, got ${a.round} and ${b.round}`,
  );
  ensureSlashing(
    a.type === b.type,
    SlashingError.InvalidEvidence,
    `votes must share one type, got ${a.type} and ${b.type}`,
  );
  ensureSlashing(
    a.validator === ev.validator && b.validator === ev.validator,
    SlashingError.InvalidEvidence,
    `votes must both be by ${ev.validator}, got ${a.validator} and ${b.validator}`,
  );
  const address = toHex(addressBytes(pubKey));
  ensureSlashing(
    address === ev.validator,
    SlashingError.InvalidEvidence,
    `validator ${ev.validator} does not match the consensus key, whose address is ${address}`,
  );
  ensureSlashing(
    !bytesEqual(a.blockHash, b.blockHash),
    SlashingError.EvidenceSameBlock,
    `both votes are for block ${toHex(a.blockHash)}: expected two different block ids`,
  );
  for (const [name, v] of [
    ['A', a],
    ['B', b],
  ] as const) {
    ensureSlashing(
      v.chainId === chainId,
      SlashingError.EvidenceWrongChain,
      `vote ${name} is for chain ${JSON.stringify(v.chainId)}, expected ${JSON.stringify(chainId)}`,
    );
    ensureSlashing(
      verify(pubKey, signBytesOf(v), v.signature),
      SlashingError.EvidenceBadSignature,
      `vote ${name} signature does not verify for validator ${ev.validator} over its sign bytes`,
    );
  }
}

function signBytesOf(v: Vote): Uint8Array {
  return voteSignBytes({
    type: v.type,
    chainId: v.chainId,
    height: v.height,
    round: v.round,
    blockHash: v.blockHash,
  });
}
