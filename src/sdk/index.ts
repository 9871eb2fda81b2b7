/**
 * The Bulwark SDK: a typed client for a node's JSON-RPC (HTTP and WebSocket), tx building
 * and signing, and the errors a caller can tell apart. See docs/sdk.md.
 */
export {
  type AuthParamsView,
  BulwarkClient,
  type BulwarkClientOptions,
  type SendTxOptions,
  type SendTxResult,
  websocketUrlOf,
} from './client.ts';
export {
  ArgumentError,
  type ChainErrorData,
  ConnectionError,
  codeName,
  codespaceOf,
  RpcError,
  RpcErrorCode,
  TxError,
  type TxStage,
} from './errors.ts';
export * from './msgs/index.ts';
export { PerpsApi } from './perps.ts';
export type * from './perps-types.ts';
export { RiskApi } from './risk.ts';
export {
  DEFAULT_NODE_URL,
  fromBase64,
  RpcClient,
  type RpcClientOptions,
  toBase64,
} from './rpc-client.ts';
export {
  Subscriber,
  type SubscriberOptions,
  type SubscriberState,
  type Unsubscribe,
} from './subscriber.ts';
export {
  addressOfSigner,
  bankSendMsg,
  buildTx,
  type Coin,
  describeTx,
  hashOfTx,
  type Msg,
  requireAddress,
  type Signer,
  signerFromSeed,
  type TxView,
  toCoin,
} from './tx.ts';
export type * from './types.ts';
export { VaultApi } from './vaults.ts';
