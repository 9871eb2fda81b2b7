import type { Coin } from '../core/coin.ts';
import type { Msg } from '../core/tx/tx.ts';
import { ArgumentError, codeName, codespaceOf, RpcError, RpcErrorCode, TxError } from './errors.ts';
import { withdrawRewardsMsg } from './msgs/distribution.ts';
import { type ProposalContent, submitProposalMsg, type VoteOption, voteMsg } from './msgs/gov.ts';
import { type ByShares, delegateMsg, undelegateMsg } from './msgs/staking.ts';
import { PerpsApi } from './perps.ts';
import { RiskApi } from './risk.ts';
import { DEFAULT_NODE_URL, RpcClient, type RpcClientOptions } from './rpc-client.ts';
import { Subscriber, type SubscriberOptions, type Unsubscribe } from './subscriber.ts';
import { addressOfSigner, bankSendMsg, buildTx, type Signer, toCoin } from './tx.ts';
import type {
  BroadcastCommitResult,
  BroadcastSyncResult,
  DelegationView,
  EventJson,
  Json,
  NotificationOf,
  ProposalView,
  RewardsView,
  SubscriptionQuery,
  TallyView,
  TxResponse,
  ValidatorView,
} from './types.ts';
import { VaultApi } from './vaults.ts';

export interface BulwarkClientOptions {
  /** The node's JSON-RPC URL (default http://127.0.0.1:26657). */
  url?: string;
  /** The WebSocket URL (default: the RPC URL with ws(s):// and path /websocket). */
  wsUrl?: string;
  rpc?: RpcClientOptions;
  subscriber?: SubscriberOptions;
}

export interface SendTxOptions {
  /** Fee, e.g. `'200ubwk'` (default: the chain's minimum fee, from `auth/params`). */
  fee?: Coin | string;
  memo?: string;
  /** Wait until the tx is in a block (default true); otherwise return after checkTx. */
  waitForCommit?: boolean;
  /** How long to wait for the block (default 10 s, at most 60 s). */
  timeoutMs?: number;
  /** Use this nonce instead of the account's next one. */
  nonce?: number;
}

export interface SendTxResult {
  hash: string;
  /** The block that executed the tx; absent with `waitForCommit: false`. */
  height?: number;
  /** Always 0 here: a failing tx throws a TxError. */
  code: number;
  codespace: string;
  log: string;
  /** Events of the executed tx (empty with `waitForCommit: false`). */
  events: EventJson[];
  /** The RPC result as the node returned it. */
  response: BroadcastCommitResult | BroadcastSyncResult;
}

export interface AuthParamsView {
  feeDenom: string;
  minFee: bigint;
  maxMsgsPerTx: number;
}

/**
 * The typed client of a Bulwark node: queries, tx signing and broadcasting, subscriptions.
 * `rpc` exposes every JSON-RPC method; the helpers below cover the common tasks.
 *
 * @example
 * const client = new BulwarkClient({ url: 'http://127.0.0.1:26657' });
 * const res = await client.bankSend(alice, bobAddress, '1500ubwk');
 * console.log(res.hash, res.height);
 * await client.close();
 */
export class BulwarkClient {
  readonly rpc: RpcClient;
  readonly wsUrl: string;
  /** Perpetual markets: queries, fills, funding, orders, subscriptions (src/sdk/perps.ts). */
  readonly perps = new PerpsApi(this);
  /** Markets' staking vaults (src/sdk/vaults.ts). */
  readonly vault = new VaultApi(this);
  /** The security budget (src/sdk/risk.ts). */
  readonly risk = new RiskApi(this);
  private sub: Subscriber | undefined;
  private chainIdCache: Promise<string> | undefined;
  private authParamsCache: Promise<AuthParamsView> | undefined;
  /** Next nonce per address after txs this client sent that may not be committed yet. */
  private readonly nextNonce = new Map<string, number>();
  /** One tx at a time per signer, so nonces do not collide. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: BulwarkClientOptions = {}) {
    const url = opts.url ?? DEFAULT_NODE_URL;
    this.rpc = new RpcClient(url, opts.rpc);
    this.wsUrl = opts.wsUrl ?? websocketUrlOf(url);
  }

  /** The subscriber, created (not yet connected) on first use. */
  get subscriber(): Subscriber {
    this.sub ??= new Subscriber(this.wsUrl, this.opts.subscriber);
    return this.sub;
  }

  /**
   * Subscribes over the WebSocket (reconnects by itself): new blocks, tx results, oracle
   * prices, perps fills or books (docs/rpc.md).
   *
   * @example
   * const stop = await client.subscribe({ event: 'new_block' }, (b) => console.log(b.height));
   */
  subscribe<Q extends SubscriptionQuery>(
    query: Q,
    handler: (notification: NotificationOf<Q>) => void,
  ): Promise<Unsubscribe> {
    return this.subscriber.subscribe(query, handler);
  }

  /**
   * Runs a query and returns its value; a non-zero code throws an RpcError (-32000) whose
   * data carries the chain code.
   *
   * @example
   * const params = await client.queryValue<{ feeDenom: string }>('auth/params');
   */
  async queryValue<T = Json>(path: string, args: object = {}, height?: number): Promise<T> {
    const res = await this.rpc.query<T>(path, args, height);
    if (res.code !== 0) {
      throw new RpcError(RpcErrorCode.ChainError, `query ${path}: ${res.log}`, {
        code: res.code,
        codespace: codespaceOf(res.code),
        codeName: codeName(res.code),
      });
    }
    return res.value as T;
  }

  /**
   * The balance of one denom (a bigint), or of every denom the account holds.
   *
   * @example
   * const ubwk = await client.balance('bwk1…', 'ubwk'); // 1000000000n
   * const all = await client.balance('bwk1…'); // [{ denom: 'ubwk', amount: 1000000000n }, …]
   */
  balance(address: string, denom: string): Promise<bigint>;
  balance(address: string): Promise<Coin[]>;
  async balance(address: string, denom?: string): Promise<bigint | Coin[]> {
    if (denom !== undefined) {
      const v = await this.queryValue<{ amount: string }>('bank/balance', { address, denom });
      return BigInt(v.amount);
    }
    const v = await this.queryValue<{ denom: string; amount: string }[]>('bank/balance', {
      address,
    });
    return v.map((c) => ({ denom: c.denom, amount: BigInt(c.amount) }));
  }

  /**
   * The nonce the account's next tx must carry (committed state).
   *
   * @example
   * const n = await client.nonce('bwk1…');
   */
  async nonce(address: string): Promise<number> {
    const v = await this.queryValue<{ nonce: number }>('auth/account', { address });
    return Number(v.nonce);
  }

  /**
   * The chain id (asked once, then remembered).
   *
   * @example
   * const id = await client.chainId(); // 'bulwark-devnet'
   */
  chainId(): Promise<string> {
    this.chainIdCache ??= this.rpc.status().then((s) => s.chainId);
    this.chainIdCache.catch(() => {
      this.chainIdCache = undefined;
    });
    return this.chainIdCache;
  }

  /**
   * Fee denom, minimum fee and message limit (asked once, then remembered).
   *
   * @example
   * const { feeDenom, minFee } = await client.authParams();
   */
  authParams(): Promise<AuthParamsView> {
    this.authParamsCache ??= this.queryValue<{
      feeDenom: string;
      minFee: string;
      maxMsgsPerTx: number;
    }>('auth/params').then((p) => ({
      feeDenom: p.feeDenom,
      minFee: BigInt(p.minFee),
      maxMsgsPerTx: p.maxMsgsPerTx,
    }));
    this.authParamsCache.catch(() => {
      this.authParamsCache = undefined;
    });
    return this.authParamsCache;
  }

  /**
   * Fetches the nonce, builds and signs the tx, broadcasts it and (by default) waits for
   * its block. Throws a TxError when the tx is refused or fails in its block.
   *
   * @example
   * const res = await client.sendTx(alice, [bankSendMsg(bob, '1500ubwk')], { memo: 'rent' });
   */
  async sendTx(signer: Signer, msgs: Msg[], opts: SendTxOptions = {}): Promise<SendTxResult> {
    const address = addressOfSigner(signer);
    const previous = this.queues.get(address) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => this.sendNow(signer, address, msgs, opts));
    const tail = run.catch(() => undefined);
    this.queues.set(address, tail);
    void tail.then(() => {
      if (this.queues.get(address) === tail) this.queues.delete(address);
    });
    return run;
  }

  private async sendNow(
    signer: Signer,
    address: string,
    msgs: Msg[],
    opts: SendTxOptions,
  ): Promise<SendTxResult> {
    const [chainId, params, chainNonce] = await Promise.all([
      this.chainId(),
      this.authParams(),
      opts.nonce === undefined ? this.nonce(address) : Promise.resolve(opts.nonce),
    ]);
    if (msgs.length > params.maxMsgsPerTx) {
      throw new ArgumentError(
        `a tx may carry at most ${params.maxMsgsPerTx} messages, got ${msgs.length}`,
      );
    }
    const fee =
      opts.fee === undefined ? { denom: params.feeDenom, amount: params.minFee } : toCoin(opts.fee);
    const nonce = opts.nonce ?? Math.max(chainNonce, this.nextNonce.get(address) ?? 0);
    const { bytes, hash } = buildTx(signer, { chainId, nonce, fee, msgs, memo: opts.memo });
    try {
      if (opts.waitForCommit === false) {
        const res = await this.rpc.broadcastTxSync(bytes);
        if (res.code !== 0)
          throw new TxError({ ...res, hash: res.hash || hash, stage: 'check', result: res });
        this.nextNonce.set(address, nonce + 1);
        return { hash, code: 0, codespace: res.codespace, log: res.log, events: [], response: res };
      }
      const res = await this.rpc.broadcastTxCommit(bytes, opts.timeoutMs);
      const check = res.checkTx;
      if (check.code !== 0)
        throw new TxError({ ...check, hash: check.hash || hash, stage: 'check', result: res });
      this.nextNonce.set(address, nonce + 1);
      if (res.txResult === null || res.height === null) {
        throw new RpcError(
          RpcErrorCode.Timeout,
          `tx ${hash} was accepted but not committed before the timeout; look it up later with getTx`,
          { hash },
        );
      }
      const r = res.txResult;
      if (r.code !== 0) {
        throw new TxError({ ...r, hash, stage: 'deliver', height: res.height, result: res });
      }
      return {
        hash,
        height: res.height,
        code: 0,
        codespace: r.codespace,
        log: r.log,
        events: r.events,
        response: res,
      };
    } catch (e) {
      // Unless the tx surely took its nonce, ask the chain next time.
      const tookNonce =
        (e instanceof TxError && e.stage === 'deliver') ||
        (e instanceof RpcError && e.code === RpcErrorCode.Timeout);
      if (!tookNonce) this.nextNonce.delete(address);
      throw e;
    }
  }

  /**
   * Sends `coin` (`'1500ubwk'` or `{ denom, amount }`) from the signer to `to`.
   *
   * @example
   * const { hash, height } = await client.bankSend(alice, 'bwk1…', '1500ubwk');
   */
  async bankSend(
    signer: Signer,
    to: string,
    coin: Coin | string,
    opts: SendTxOptions = {},
  ): Promise<SendTxResult> {
    return this.sendTx(signer, [bankSendMsg(to, coin)], opts);
  }

  /**
   * Delegates `amount` (bond denom) to the validator of operator address `validator`.
   *
   * @example
   * await client.delegate(alice, 'bwk1…', '1000000ubwk');
   */
  async delegate(
    signer: Signer,
    validator: string,
    amount: Coin | string,
    opts: SendTxOptions = {},
  ): Promise<SendTxResult> {
    return this.sendTx(signer, [delegateMsg(validator, amount)], opts);
  }

  /**
   * Starts unbonding `amount` (or `{ shares }`) from a validator; paid after the unbonding time.
   *
   * @example
   * await client.undelegate(alice, 'bwk1…', '500000ubwk');
   */
  async undelegate(
    signer: Signer,
    validator: string,
    amount: Coin | string | ByShares,
    opts: SendTxOptions = {},
  ): Promise<SendTxResult> {
    return this.sendTx(signer, [undelegateMsg(validator, amount)], opts);
  }

  /**
   * Withdraws the signer's pending rewards from one validator, or from all when omitted.
   *
   * @example
   * await client.withdrawRewards(alice);
   */
  async withdrawRewards(
    signer: Signer,
    validator?: string,
    opts: SendTxOptions = {},
  ): Promise<SendTxResult> {
    return this.sendTx(signer, [withdrawRewardsMsg(validator)], opts);
  }

  /**
   * Votes on a proposal in its voting period (stakers only).
   *
   * @example
   * await client.vote(alice, 3, 'yes');
   */
  async vote(
    signer: Signer,
    proposalId: number,
    option: VoteOption,
    opts: SendTxOptions = {},
  ): Promise<SendTxResult> {
    return this.sendTx(signer, [voteMsg(proposalId, option)], opts);
  }

  /**
   * Submits a proposal with an initial deposit; resolves with the new proposal's id too
   * (undefined with `waitForCommit: false`).
   *
   * @example
   * const { proposalId } = await client.submitProposal(
   *   alice, textProposal('Hello', 'A signal.'), '10000000ubwk',
   * );
   */
  async submitProposal(
    signer: Signer,
    content: ProposalContent,
    initialDeposit: Coin | string,
    opts: SendTxOptions = {},
  ): Promise<SendTxResult & { proposalId: number | undefined }> {
    const res = await this.sendTx(signer, [submitProposalMsg(content, initialDeposit)], opts);
    const id = res.events.find((e) => e.type === 'gov/submit-proposal')?.attributes.proposal_id;
    return { ...res, proposalId: id === undefined ? undefined : Number(id) };
  }

  /**
   * Every validator (or only `bonded` / `unbonded` ones), by operator address.
   *
   * @example
   * const bonded = await client.validators('bonded');
   */
  validators(status?: 'bonded' | 'unbonded'): Promise<ValidatorView[]> {
    return this.queryValue('staking/validators', status === undefined ? {} : { status });
  }

  /**
   * One validator by operator address (an RpcError with chain code 202 when unknown).
   *
   * @example
   * const { moniker, tokens } = await client.validator('bwk1…');
   */
  validator(operator: string): Promise<ValidatorView> {
    return this.queryValue('staking/validator', { operator });
  }

  /**
   * A delegator's delegations with their token value.
   *
   * @example
   * for (const d of await client.delegations('bwk1…')) console.log(d.validator, d.tokens);
   */
  delegations(delegator: string): Promise<DelegationView[]> {
    return this.queryValue('staking/delegations', { delegator });
  }

  /**
   * Pending rewards of a delegator, per validator and in total.
   *
   * @example
   * const { total } = await client.rewards('bwk1…'); // [{ denom: 'ubwk', amount: '1234' }]
   */
  rewards(delegator: string, validator?: string): Promise<RewardsView> {
    return this.queryValue(
      'distribution/rewards',
      validator === undefined ? { delegator } : { delegator, validator },
    );
  }

  /**
   * Every proposal (or only those with a status), by id.
   *
   * @example
   * const open = await client.proposals('voting-period');
   */
  proposals(status?: string): Promise<ProposalView[]> {
    return this.queryValue('gov/proposals', status === undefined ? {} : { status });
  }

  /**
   * One proposal.
   *
   * @example
   * const { status, votingEndTimeMs } = await client.proposal(3);
   */
  proposal(id: number): Promise<ProposalView> {
    return this.queryValue('gov/proposal', { id });
  }

  /**
   * The tally of a proposal: live while voting, final after.
   *
   * @example
   * const { yes, no, outcome } = await client.tally(3);
   */
  tally(id: number): Promise<TallyView> {
    return this.queryValue('gov/tally', { id });
  }

  /**
   * A committed tx by hash, or undefined when the node does not know it.
   *
   * @example
   * const tx = await client.getTx(hash);
   * if (tx) console.log(tx.height, tx.result.code);
   */
  async getTx(hash: string): Promise<TxResponse | undefined> {
    if (!/^[0-9a-fA-F]{64}$/.test(hash))
      throw new ArgumentError(`tx hash ${JSON.stringify(hash)} is not 64 hex characters`);
    try {
      return await this.rpc.tx(hash.toUpperCase());
    } catch (e) {
      if (e instanceof RpcError && e.code === RpcErrorCode.NotFound) return undefined;
      throw e;
    }
  }

  /**
   * Resolves with the latest height once the chain has reached `height` (polls `status`).
   *
   * @example
   * await client.waitForHeight(20, { timeoutMs: 30_000 });
   */
  async waitForHeight(
    height: number,
    opts: { timeoutMs?: number; pollMs?: number } = {},
  ): Promise<number> {
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const pollMs = opts.pollMs ?? 250;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { latestHeight } = await this.rpc.status();
      if (latestHeight >= height) return latestHeight;
      if (Date.now() + pollMs > deadline) {
        throw new RpcError(
          RpcErrorCode.Timeout,
          `height ${height} not reached within ${timeoutMs} ms (at ${latestHeight})`,
        );
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /**
   * Closes the WebSocket, if one was opened. HTTP calls need no closing.
   *
   * @example
   * await client.close();
   */
  async close(): Promise<void> {
    await this.sub?.close();
    this.sub = undefined;
  }
}

/**
 * The WebSocket URL of a node from its RPC URL: `http://h:p` → `ws://h:p/websocket`.
 *
 * @example
 * websocketUrlOf('https://node.example:443'); // 'wss://node.example/websocket'
 */
export function websocketUrlOf(rpcUrl: string): string {
  const u = new URL(rpcUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/websocket`;
  return u.toString();
}
