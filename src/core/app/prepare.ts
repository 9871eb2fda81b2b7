import { ChainError, chainErrorOf, ErrorCode } from '../errors.ts';
import { decodeTx, formatZodError, senderOf, type Tx, txHash } from '../tx/tx.ts';
import type { AnyMsgDef } from './module.ts';

/** A tx decoded, its sender derived and every message parsed: all that depends on the bytes alone. */
export interface PreparedTx {
  hash: string;
  tx: Tx;
  sender: string;
  msgs: { def: AnyMsgDef; value: unknown }[];
}

/** What preparing a tx gave: the prepared tx, or the error that refuses it outright. */
export type Prepared =
  | { ok: true; tx: PreparedTx }
  | { ok: false; hash: string; error: ChainError };

/**
 * Decodes tx bytes and parses its messages. The result depends only on the bytes and the
 * message routes, so the app caches it by hash: a tx is decoded once per node, however many
 * times the mempool, rechecks and the block look at it.
 */
export function prepareTx(
  bytes: Uint8Array,
  routes: ReadonlyMap<string, AnyMsgDef>,
  hash = txHash(bytes),
): Prepared {
  try {
    const tx = decodeTx(bytes);
    const msgs = tx.body.msgs.map((m, i) => {
      const def = routes.get(m.type);
      if (def === undefined) {
        throw new ChainError(
          ErrorCode.UnknownMessage,
          `message ${i}: unknown type ${JSON.stringify(m.type)}`,
        );
      }
      const parsed = def.schema.safeParse(m.value);
      if (!parsed.success) {
        throw new ChainError(
          ErrorCode.InvalidRequest,
          `message ${i} (${m.type}): ${formatZodError(parsed.error)}`,
        );
      }
      return { def, value: parsed.data };
    });
    return { ok: true, tx: { hash, tx, sender: senderOf(tx), msgs } };
  } catch (e) {
    return { ok: false, hash, error: chainErrorOf(e) };
  }
}

/** A map that forgets its oldest entries past `limit`. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.limit && !this.map.has(key)) {
      const first = this.map.keys().next();
      if (!first.done) this.map.delete(first.value);
    }
    this.map.set(key, value);
  }
}
