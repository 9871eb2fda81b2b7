import type { App } from '../core/app/app.ts';
import type { CheckTxResponse } from '../core/app/types.ts';
import { ChainError, ErrorCode } from '../core/errors.ts';
import { SIGN_PREFIX, txHash } from '../core/tx/tx.ts';
import type { VerifyPool } from './verify/pool.ts';

export interface MempoolOptions {
  /** Most txs held at once. */
  maxTxs: number;
  /** Most bytes held at once. */
  maxBytes: number;
  /** A tx not included within this many blocks is dropped. */
  ttlBlocks: number;
}

export const DEFAULT_MEMPOOL: MempoolOptions = {
  maxTxs: 50_000,
  maxBytes: 64 * 1024 * 1024,
  ttlBlocks: 100,
};

interface Entry {
  bytes: Uint8Array;
  hash: string;
  sender: string;
  nonce: number;
  fee: bigint;
  /** Height at which the tx entered the mempool (for ttlBlocks). */
  height: number;
  /** Height of the committed state the tx was last checked against. */
  checkedAt: number;
}

/** A tx handed to `add`, waiting for its signature check and its turn to be checked. */
interface Arrival {
  bytes: Uint8Array;
  hash: string;
  /** Its signature was verified (or needs no pre-verification): it may be checked. */
  ready: boolean;
  resolve: (res: CheckTxResponse) => void;
  reject: (e: unknown) => void;
}

/**
 * Txs waiting for a block. Each is checked by the app against the mempool's view of the
 * state (which advances with every accepted tx), so an account's txs are accepted only in
 * nonce order and reaped in that order. After each block the remaining txs are re-checked
 * against the new state and those no longer valid are dropped.
 */
export class Mempool {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** Arrivals in order; those before `head` are done. Checked strictly in this order. */
  private arrivals: (Arrival | undefined)[] = [];
  private head = 0;

  constructor(
    private readonly app: App,
    private readonly opts: MempoolOptions = DEFAULT_MEMPOOL,
    private readonly verifier?: VerifyPool,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(hash: string): boolean {
    return this.entries.has(hash);
  }

  /** Checks a tx and holds it if valid; the response says why not otherwise. */
  add(bytes: Uint8Array): Promise<CheckTxResponse> {
    return new Promise((resolve, reject) => this.arrive(bytes, resolve, reject));
  }

  /** `add` for many txs at once (in this order); one response per tx, in the same order. */
  addMany(txs: readonly Uint8Array[]): Promise<CheckTxResponse[]> {
    return Promise.all(txs.map((tx) => this.add(tx)));
  }

  /**
   * Signatures are verified off-thread, concurrently; checkTx then runs strictly in arrival
   * order (an account's nonces must arrive in order) and finds the hash in the cache.
   *
   * PERF: arrivals wait in one ordered queue that is drained as verifications come back,
   * rather than each `add` awaiting its own verification promise and then the previous
   * add's promise: that chain cost ≈ 4 promises and a closure per tx, and its garbage.
   */
  private arrive(
    bytes: Uint8Array,
    resolve: (res: CheckTxResponse) => void,
    reject: (e: unknown) => void,
  ): void {
    let hash: string;
    try {
      hash = txHash(bytes);
    } catch (e) {
      reject(e);
      return;
    }
    if (this.entries.has(hash)) {
      resolve(refusal(hash, ErrorCode.TxInMempool, `tx ${hash} is already in the mempool`));
      return;
    }
    if (this.entries.size >= this.opts.maxTxs || this.bytes + bytes.length > this.opts.maxBytes) {
      resolve(
        refusal(
          hash,
          ErrorCode.MempoolFull,
          `mempool is full (${this.entries.size} txs, ${this.bytes} bytes); retry later`,
        ),
      );
      return;
    }
    const arrival: Arrival = { bytes, hash, ready: true, resolve, reject };
    this.arrivals.push(arrival);
    const { verifier } = this;
    if (verifier !== undefined && !this.app.signatureCache.has(hash)) {
      const prepared = this.app.prepare(bytes, hash);
      // A tx that does not decode is refused by checkTx with the right code: nothing to verify.
      if (prepared.ok) {
        const { tx } = prepared.tx;
        arrival.ready = false;
        verifier.verifyThen(tx.body.signer, [SIGN_PREFIX, tx.bodyBytes], tx.signature, (ok) => {
          if (ok) this.app.signatureCache.add(hash);
          arrival.ready = true;
          this.drain();
        });
      }
    }
    this.drain();
  }

  /** Checks the arrivals at the head of the queue whose signatures are settled, in order. */
  private drain(): void {
    const queue = this.arrivals;
    while (this.head < queue.length) {
      const a = queue[this.head] as Arrival;
      if (!a.ready) return;
      queue[this.head++] = undefined;
      let res: CheckTxResponse;
      try {
        res = this.check(a.bytes, a.hash);
      } catch (e) {
        a.reject(e);
        continue;
      }
      a.resolve(res);
    }
    this.arrivals = [];
    this.head = 0;
  }

  private check(bytes: Uint8Array, hash: string): CheckTxResponse {
    if (this.entries.has(hash))
      return refusal(hash, ErrorCode.TxInMempool, `tx ${hash} is already in the mempool`);
    if (this.entries.size >= this.opts.maxTxs || this.bytes + bytes.length > this.opts.maxBytes) {
      return refusal(
        hash,
        ErrorCode.MempoolFull,
        `mempool is full (${this.entries.size} txs, ${this.bytes} bytes); retry later`,
      );
    }
    const res = this.app.checkTx(bytes);
    if (res.code === 0) {
      this.entries.set(hash, {
        bytes,
        hash,
        sender: res.sender ?? '',
        nonce: res.nonce ?? 0,
        fee: res.fee ?? 0n,
        height: this.app.height,
        checkedAt: this.app.height,
      });
      this.bytes += bytes.length;
    }
    return res;
  }

  /** Txs for the next block, in acceptance order, within the limits. */
  reap(maxBytes: number, maxTxs: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let size = 0;
    for (const e of this.entries.values()) {
      if (out.length >= maxTxs || size + e.bytes.length > maxBytes) break;
      out.push(e.bytes);
      size += e.bytes.length;
    }
    return out;
  }

  /**
   * After a commit: drops the included txs, then re-checks the rest against the new state
   * (in order) and drops those that fail or outlived `ttlBlocks`.
   */
  update(included: string[]): string[] {
    for (const hash of included) this.remove(hash);
    const dropped: string[] = [];
    // Txs that arrived after the commit were checked against the new state already (the
    // app reset its mempool view at commit); when all of them did, there is nothing to redo.
    const stale = [...this.entries.values()].some(
      (e) => e.checkedAt !== this.app.height || this.app.height - e.height > this.opts.ttlBlocks,
    );
    if (!stale) return dropped;
    this.app.resetCheckState();
    for (const e of [...this.entries.values()]) {
      const expired = this.app.height - e.height > this.opts.ttlBlocks;
      if (expired || this.app.checkTx(e.bytes).code !== 0) {
        this.remove(e.hash);
        dropped.push(e.hash);
      } else e.checkedAt = this.app.height;
    }
    return dropped;
  }

  private remove(hash: string): void {
    const e = this.entries.get(hash);
    if (e === undefined) return;
    this.entries.delete(hash);
    this.bytes -= e.bytes.length;
  }
}

function refusal(hash: string, code: number, log: string): CheckTxResponse {
  const err = new ChainError(code, log);
  return { code: err.code, codespace: err.codespace, log: err.message, hash };
}
