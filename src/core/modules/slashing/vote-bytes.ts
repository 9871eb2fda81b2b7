import { toHex } from '../../crypto/hash.ts';
import { encode } from '../../encoding/canonical.ts';

/** The kinds of signed consensus messages (`proposal` shares the vote's sign bytes). */
export type SignedMsgType = 'prevote' | 'precommit' | 'proposal';

/**
 * The bytes a validator signs for a consensus vote: the canonical encoding of
 * `{ domain: 'bulwark/vote/v1', type, chainId, height, round, blockHash }` with `blockHash`
 * the lowercase hex of the block id. Byte-identical to `voteSignBytes` in
 * src/consensus/block.ts (core may not import consensus; a test pins the two together).
 */
export function voteSignBytes(vote: {
  type: SignedMsgType;
  chainId: string;
  height: number;
  round: number;
  blockHash: Uint8Array | string;
}): Uint8Array {
  const blockHash = typeof vote.blockHash === 'string' ? vote.blockHash : toHex(vote.blockHash);
  return encode({
    domain: 'bulwark/vote/v1',
    type: vote.type,
    chainId: vote.chainId,
    height: vote.height,
    round: vote.round,
    blockHash,
  });
}
