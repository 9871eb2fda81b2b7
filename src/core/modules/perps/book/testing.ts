/** Helpers for the book's tests and benchmark: order builders with deterministic ids. */
import { OrderBook } from './book.ts';
import type { BookLimits, Order, PlaceOk, PlaceResult } from './types.ts';

export const TEST_LIMITS: BookLimits = {
  maxPriceTicks: 1_000_000,
  maxSizeQuantums: 1_000_000_000,
  maxOpenOrdersPerOwner: 50,
};

/** Builds orders with increasing seq, ids `o<seq>` and client ids = seq unless given. */
export class OrderFactory {
  private next = 0;

  make(
    fields: Partial<Order> & Pick<Order, 'owner' | 'side' | 'priceTicks' | 'sizeQuantums'>,
  ): Order {
    const seq = fields.seq ?? this.next;
    this.next = seq + 1;
    return {
      id: `o${seq}`,
      clientId: seq,
      type: 'limit',
      timeInForce: 'gtc',
      reduceOnly: false,
      seq,
      ...fields,
    };
  }
}

export function newBook(limits: Partial<BookLimits> = {}): OrderBook {
  return new OrderBook({ ...TEST_LIMITS, ...limits });
}

/** The result of a place that must succeed. */
export function ok(r: PlaceResult): PlaceOk {
  if (!r.ok) throw new Error(`expected the order placed, got ${r.code}: ${r.message}`);
  return r;
}
