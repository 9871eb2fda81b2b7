import type { z } from 'zod';
import type { Value } from '../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../errors.ts';
import type { ReadStore, Store } from '../store/store.ts';
import { formatZodError } from '../tx/tx.ts';

/**
 * A module's parameters: data in state, their bounds in a schema. They are checked when set
 * (genesis, governance), so code that reads them can trust them.
 */
export class Params<T> {
  private readonly key: string;
  constructor(
    module: string,
    readonly schema: z.ZodType<T>,
  ) {
    this.key = `${module}/params`;
  }

  get(store: ReadStore): T {
    const v = store.get(this.key);
    if (v === undefined) throw new ChainError(ErrorCode.Internal, `${this.key} not set`);
    return v as unknown as T;
  }

  /** Validates against the bounds and stores; a value out of bounds changes nothing. */
  set(store: Store, value: unknown): T {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      throw new ChainError(
        ErrorCode.InvalidParams,
        `invalid ${this.key}: ${formatZodError(parsed.error)}`,
      );
    }
    store.set(this.key, parsed.data as unknown as Value);
    return parsed.data;
  }
}
