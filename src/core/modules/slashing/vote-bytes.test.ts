import { describe, expect, it } from 'vitest';
import { voteSignBytes as consensusVoteSignBytes } from '../../../consensus/block.ts';
import { toHex } from '../../crypto/hash.ts';
import { hashOf } from './test-chain.ts';
import { voteSignBytes } from './vote-bytes.ts';

describe('voteSignBytes (core copy)', () => {
  it('is byte-identical to the consensus layer sign bytes', () => {
    for (const type of ['prevote', 'precommit', 'proposal'] as const) {
      for (const [chainId, height, round] of [
        ['bulwark-devnet', 1, 0],
        ['x-1', 123_456_789, 7],
        ['slashing-test', Number.MAX_SAFE_INTEGER, 1_000],
      ] as const) {
        const hash = hashOf(`${type}/${height}`);
        const ours = voteSignBytes({ type, chainId, height, round, blockHash: hash });
        const theirs = consensusVoteSignBytes({
          type,
          chainId,
          height,
          round,
          blockHash: toHex(hash),
        });
        expect(toHex(ours)).toBe(toHex(theirs));
        // Hex strings are accepted as they are.
        expect(toHex(voteSignBytes({ type, chainId, height, round, blockHash: toHex(hash) }))).toBe(
          toHex(theirs),
        );
      }
    }
  });
});
