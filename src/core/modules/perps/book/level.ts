/**
 * One price level: a FIFO queue of resting orders as an intrusive doubly linked list, so that
 * appending, taking the head and removing any order (cancel, expiry) are all O(1).
 */
import type { Order } from './types.ts';

export class OrderNode {
  prev: OrderNode | null = null;
  next: OrderNode | null = null;
  constructor(
    /** The order as last published (its `sizeQuantums` is the open size). */
    public order: Order,
    public readonly level: Level,
  ) {}
}

export class Level {
  head: OrderNode | null = null;
  tail: OrderNode | null = null;
  count = 0;
  constructor(
    readonly priceTicks: number,
    /** Sort key: larger is better (the price for bids, minus the price for asks). */
    readonly key: number,
  ) {}

  append(order: Order): OrderNode {
    const node = new OrderNode(order, this);
    const tail = this.tail;
    if (tail === null) this.head = node;
    else {
      tail.next = node;
      node.prev = tail;
    }
    this.tail = node;
    this.count++;
    return node;
  }

  remove(node: OrderNode): void {
    const { prev, next } = node;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    node.prev = null;
    node.next = null;
    this.count--;
  }
}
