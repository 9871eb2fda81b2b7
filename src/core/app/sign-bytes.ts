import { toHex } from '../crypto/hash.ts';
import { encode } from '../encoding/canonical.ts';

/**
 * The bytes validators sign for consensus messages. They live in the core because the state
 * machine checks such signatures itself (double-sign evidence, oracle vote extensions); the
 * consensus engines import them from here, so both sides sign and check the same bytes.
 */
export type SignedMsgType = 'prevote' | 'precommit' | 'proposal';

/** A vote: bound to chain, height, round, type and block id (lowercase hex). */
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

/** A vote extension (the oracle's price report), bound to chain, height and round. */
export function extensionSignBytes(
  chainId: string,
  height: number,
  round: number,
  extension: Uint8Array,
): Uint8Array {
  return encode({ domain: 'bulwark/vote-extension/v1', chainId, height, round, extension });
}
