/**
 * Vote sign bytes, as the consensus engines sign them (defined once, in
 * src/core/app/sign-bytes.ts, for consensus and the state machine alike).
 */
export { type SignedMsgType, voteSignBytes } from '../../app/sign-bytes.ts';
