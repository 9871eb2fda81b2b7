import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Called with the outcome of one verification. */
export type VerifyCallback = (ok: boolean) => void;

interface Pending {
  pub: Uint8Array;
  /** The signed message, possibly in parts (the tx domain prefix, then the body). */
  msg: readonly Uint8Array[];
  msgLength: number;
  sig: Uint8Array;
  done: VerifyCallback;
}

/** Per item in a batch buffer: u32 message length (LE), public key, signature, message. */
const ITEM_HEAD = 4 + 32 + 64;

/**
 * ed25519 verification on worker threads. Requests are gathered into batches (one message
 * per batch, not per signature) and spread over the workers; a key always goes to the same
 * worker, which imports it once.
 *
 * PERF: a batch travels as one transferred ArrayBuffer (see ITEM_HEAD) and comes back as one
 * byte per item. Posting 64 `{pub, msg, sig}` objects structured-cloned 192 small typed
 * arrays per batch (≈ 6 µs a tx on the main thread, plus their garbage on both sides).
 */
export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly inflight = new Map<number, Pending[]>();
  private queues: Pending[][] = [];
  private nextId = 0;
  private scheduled = false;

  constructor(
    size = Math.max(1, availableParallelism()),
    private readonly batchSize = 64,
  ) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./worker.js', import.meta.url));
      w.on('message', ({ id, ok }: { id: number; ok: Uint8Array }) => {
        const batch = this.inflight.get(id);
        this.inflight.delete(id);
        if (batch === undefined) return;
        for (let j = 0; j < batch.length; j++) (batch[j] as Pending).done(ok[j] === 1);
      });
      this.workers.push(w);
      this.queues.push([]);
    }
  }

  verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
    return new Promise((resolve) => this.verifyThen(pub, [msg], sig, resolve));
  }

  /**
   * Verifies `sig` over the concatenation of `msg`'s parts and calls `done` with the outcome
   * (no promise: the mempool verifies thousands a second and orders the results itself).
   */
  verifyThen(
    pub: Uint8Array,
    msg: readonly Uint8Array[],
    sig: Uint8Array,
    done: VerifyCallback,
  ): void {
    let msgLength = 0;
    for (const part of msg) msgLength += part.length;
    const w = ((pub[0] ?? 0) ^ (pub[31] ?? 0)) % this.workers.length;
    const queue = this.queues[w] as Pending[];
    queue.push({ pub, msg, msgLength, sig, done });
    if (queue.length >= this.batchSize) this.flushOne(w);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    for (let w = 0; w < this.workers.length; w++) this.flushOne(w);
  }

  private flushOne(w: number): void {
    const queue = this.queues[w] as Pending[];
    while (queue.length > 0) {
      const batch =
        queue.length <= this.batchSize ? queue.splice(0) : queue.splice(0, this.batchSize);
      let size = 0;
      for (const p of batch) size += ITEM_HEAD + p.msgLength;
      const buf = new Uint8Array(size);
      const view = new DataView(buf.buffer);
      let at = 0;
      for (const p of batch) {
        // A key or signature of the wrong size cannot verify: send zeros, which do not.
        const sizesOk = p.pub.length === 32 && p.sig.length === 64;
        view.setUint32(at, sizesOk ? p.msgLength : 0xffffffff, true);
        if (sizesOk) {
          buf.set(p.pub, at + 4);
          buf.set(p.sig, at + 36);
        }
        at += ITEM_HEAD;
        for (const part of p.msg) {
          buf.set(part, at);
          at += part.length;
        }
      }
      const id = this.nextId++;
      this.inflight.set(id, batch);
      (this.workers[w] as Worker).postMessage({ id, count: batch.length, buf: buf.buffer }, [
        buf.buffer,
      ]);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
