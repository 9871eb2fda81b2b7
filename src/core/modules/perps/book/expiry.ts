/**
 * Index of good-til-block orders by expiry height: a binary min-heap of heights and, per
 * height, the ids expiring there. Expiring at height h pops heights < h in ascending order:
 * O(k log H) for k heights, nothing for orders that live on. A bucket emptied by fills or
 * cancels stays (empty) until its height is popped, so each height is in the heap once. The
 * caller bounds `goodTilBlock` (a horizon param), which bounds the heap.
 *
 * Order within a height is the bucket's insertion order (placement order): deterministic.
 */
export class ExpiryIndex {
  private readonly heap: number[] = [];
  private readonly buckets = new Map<number, Set<string>>();

  add(height: number, id: string): void {
    let bucket = this.buckets.get(height);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(height, bucket);
      this.push(height);
    }
    bucket.add(id);
  }

  delete(height: number, id: string): void {
    const bucket = this.buckets.get(height);
    if (bucket === undefined) return;
    bucket.delete(id);
  }

  /** Removes and returns, lowest height first, the ids of every height < `height`. */
  takeBelow(height: number): string[] {
    const out: string[] = [];
    const heap = this.heap;
    while (heap.length > 0 && heap[0]! < height) {
      const h = this.pop();
      const bucket = this.buckets.get(h);
      if (bucket === undefined) continue;
      this.buckets.delete(h);
      for (const id of bucket) out.push(id);
    }
    return out;
  }

  private push(h: number): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(h);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= h) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = h;
  }

  private pop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && heap[r]! < heap[l]! ? r : l;
        if (heap[c]! >= last) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
