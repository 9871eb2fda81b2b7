import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

interface Pending {
  pub: Uint8Array;
  msg: Uint8Array;
  sig: Uint8Array;
  resolve: (ok: boolean) => void;
}

/**
 * ed25519 verification on worker threads. Requests are gathered into batches (one message
 * per batch, not per signature) and spread over the workers; with `size: 0` it verifies on
 * the calling thread. Signature checks dominate a node's per-tx cost, so this is where the
 * second core pays.
 */
export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly inflight = new Map<number, Pending[]>();
  /** One queue per worker: a key always goes to the same worker, which imports it once. */
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
        batch?.forEach((p, i) => {
          p.resolve(ok[i] === 1);
        });
      });
      this.workers.push(w);
      this.queues.push([]);
    }
  }

  verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
    return new Promise((resolve) => {
      const w = ((pub[0] ?? 0) ^ (pub[31] ?? 0)) % this.workers.length;
      const queue = this.queues[w] as Pending[];
      queue.push({ pub, msg, sig, resolve });
      if (queue.length >= this.batchSize) this.flushOne(w);
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    for (let w = 0; w < this.workers.length; w++) this.flushOne(w);
  }

  private flushOne(w: number): void {
    const queue = this.queues[w] as Pending[];
    while (queue.length > 0) {
      const batch = queue.splice(0, this.batchSize);
      const id = this.nextId++;
      this.inflight.set(id, batch);
      (this.workers[w] as Worker).postMessage({
        id,
        items: batch.map(({ pub, msg, sig }) => ({ pub, msg, sig })),
      });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
