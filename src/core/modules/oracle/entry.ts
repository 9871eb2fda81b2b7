import type { ExtendedVoteInfo } from '../../app/types.ts';
import { decode, encode, type Value } from '../../encoding/canonical.ts';
import type { OracleUpdateEntry } from './api.ts';

/**
 * The oracle-update entry: the first "tx" of a block, put there by the proposer.
 *
 *   encode({ oracleUpdate: { height, votes: [{ validator, power, extension,
 *                                              extensionSignature }], prices: { [market]: median } } })
 *
 * A one-key map whose key is `oracleUpdate`: a user tx is the map {body, signature}, so the
 * two can never be confused, and the tx decoder refuses an entry. `votes` are sorted by
 * validator address (strictly: one vote per validator); `prices` holds the weighted median of
 * every market that reached quorum (the aggregate every validator recomputes).
 */
export interface OracleEntry extends OracleUpdateEntry {
  /** market → weighted median, for the markets with quorum. */
  prices: Record<string, bigint>;
}

const KEY = 'oracleUpdate';
/** TAG_MAP, one entry, key length 12, then the key's bytes: the entry's first 15 bytes. */
const PREFIX = Uint8Array.from([8, 1, KEY.length, ...new TextEncoder().encode(KEY)]);

/** Whether the bytes are an oracle entry (a prefix check: cheap, decodes nothing). */
export function isOracleEntry(bytes: Uint8Array): boolean {
  if (bytes.length <= PREFIX.length) return false;
  for (let i = 0; i < PREFIX.length; i++) if (bytes[i] !== PREFIX[i]) return false;
  return true;
}

export function encodeEntry(e: OracleEntry): Uint8Array {
  return encode({
    [KEY]: {
      height: e.height,
      votes: e.votes.map((v) => ({
        validator: v.validator,
        power: v.power,
        extension: v.extension,
        extensionSignature: v.extensionSignature,
      })),
      prices: e.prices,
    },
  });
}

const isPlainMap = (v: unknown): v is { readonly [key: string]: Value } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const keysAre = (m: object, keys: string[]) => {
  const k = Object.keys(m);
  return k.length === keys.length && keys.every((x) => x in m);
};
const HEX40 = /^[0-9a-f]{40}$/;

/** Decodes an entry, checking its shape; the reason of a refusal otherwise. */
export function decodeEntry(bytes: Uint8Array): OracleEntry | string {
  let v: Value;
  try {
    v = decode(bytes);
  } catch (e) {
    return `oracle entry does not decode: ${(e as Error).message}`;
  }
  if (!isPlainMap(v) || !keysAre(v, [KEY])) return 'not an oracle entry';
  const u = v[KEY];
  if (!isPlainMap(u) || !keysAre(u, ['height', 'votes', 'prices'])) {
    return 'oracle entry must be {height, votes, prices}';
  }
  const { height, votes, prices } = u;
  if (typeof height !== 'number' || !Number.isSafeInteger(height) || height < 0) {
    return 'oracle entry height must be a non-negative integer';
  }
  if (!Array.isArray(votes)) return 'oracle entry votes must be a list';
  if (!isPlainMap(prices)) return 'oracle entry prices must be a map';
  const outPrices: Record<string, bigint> = {};
  for (const [market, p] of Object.entries(prices)) {
    if (typeof p !== 'bigint') return `oracle entry price of ${market} must be an integer`;
    outPrices[market] = p;
  }
  const outVotes: ExtendedVoteInfo[] = [];
  for (let i = 0; i < votes.length; i++) {
    const vote = votes[i] as Value;
    if (
      !isPlainMap(vote) ||
      !keysAre(vote, ['validator', 'power', 'extension', 'extensionSignature'])
    ) {
      return `vote ${i} must be {validator, power, extension, extensionSignature}`;
    }
    const { validator, power, extension, extensionSignature } = vote;
    if (typeof validator !== 'string' || !HEX40.test(validator)) {
      return `vote ${i}: validator must be 40 lowercase hex characters`;
    }
    if (typeof power !== 'bigint') return `vote ${i}: power must be an integer`;
    if (!(extension instanceof Uint8Array) || !(extensionSignature instanceof Uint8Array)) {
      return `vote ${i}: extension and extensionSignature must be bytes`;
    }
    outVotes.push({ validator, power, extension, extensionSignature });
  }
  return { height, votes: outVotes, prices: outPrices };
}
