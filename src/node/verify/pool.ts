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
  private queue: Pending[] = [];
  private nextId = 0;
  private next = 0;
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
    }
  }

  verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
    return new Promise((resolve) => {
      this.queue.push({ pub, msg, sig, resolve });
      if (this.queue.length >= this.batchSize) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      const id = this.nextId++;
      this.inflight.set(id, batch);
      const worker = this.workers[this.next++ % this.workers.length] as Worker;
      worker.postMessage({ id, items: batch.map(({ pub, msg, sig }) => ({ pub, msg, sig })) });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
