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
/** The length that marks an item the worker must refuse (a key or signature of a wrong size). */
const MALFORMED = 0xffffffff;

/**
 * ed25519 verification on worker threads. Requests are gathered into batches (one message
 * per batch, not per signature), each sent to the worker with the fewest signatures in
 * flight. (Keys used to be pinned to a worker so each was imported once; since a key import
 * costs ≈ 25 µs against ≈ 200 µs per verification, balancing the work matters more: pinned,
 * one worker idled at the end of every burst while the other finished its share.)
 *
 * PERF: a batch travels as one transferred ArrayBuffer (see ITEM_HEAD) and comes back as one
 * byte per item. Posting 64 `{pub, msg, sig}` objects structured-cloned 192 small typed
 * arrays per batch (≈ 6 µs a tx on the main thread, plus their garbage on both sides).
 */
export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly inflight = new Map<number, { worker: number; batch: Pending[] }>();
  /** Signatures sent to each worker and not answered yet. */
  private readonly load: number[] = [];
  private queue: Pending[] = [];
  private nextId = 0;
  private scheduled = false;

  constructor(
    size = Math.max(1, availableParallelism()),
    private readonly batchSize = 64,
  ) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./worker.js', import.meta.url));
      w.on('message', ({ id, ok }: { id: number; ok: Uint8Array }) => {
        const sent = this.inflight.get(id);
        this.inflight.delete(id);
        if (sent === undefined) return;
        const { worker, batch } = sent;
        this.load[worker] = (this.load[worker] as number) - batch.length;
        for (let j = 0; j < batch.length; j++) (batch[j] as Pending).done(ok[j] === 1);
      });
      this.workers.push(w);
      this.load.push(0);
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
    this.queue.push({ pub, msg, msgLength, sig, done });
    if (this.queue.length >= this.batchSize) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (let i = 0; i < queue.length; i += this.batchSize) {
      this.send(
        i === 0 && queue.length <= this.batchSize ? queue : queue.slice(i, i + this.batchSize),
      );
    }
  }

  private send(batch: Pending[]): void {
    // A key or signature of the wrong size cannot verify: such an item is sent as a bare
    // MALFORMED head, which the worker refuses.
    const wellSized = (p: Pending) => p.pub.length === 32 && p.sig.length === 64;
    let size = 0;
    for (const p of batch) size += ITEM_HEAD + (wellSized(p) ? p.msgLength : 0);
    const buf = new Uint8Array(size);
    const view = new DataView(buf.buffer);
    let at = 0;
    for (const p of batch) {
      if (!wellSized(p)) {
        view.setUint32(at, MALFORMED, true);
        at += ITEM_HEAD;
        continue;
      }
      view.setUint32(at, p.msgLength, true);
      buf.set(p.pub, at + 4);
      buf.set(p.sig, at + 36);
      at += ITEM_HEAD;
      for (const part of p.msg) {
        buf.set(part, at);
        at += part.length;
      }
    }
    let worker = 0;
    for (let w = 1; w < this.workers.length; w++) {
      if ((this.load[w] as number) < (this.load[worker] as number)) worker = w;
    }
    this.load[worker] = (this.load[worker] as number) + batch.length;
    const id = this.nextId++;
    this.inflight.set(id, { worker, batch });
    (this.workers[worker] as Worker).postMessage({ id, count: batch.length, buf: buf.buffer }, [
      buf.buffer,
    ]);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
