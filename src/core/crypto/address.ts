import { bech32 } from '@scure/base';
import { sha256 } from './hash.ts';

/** Human-readable prefix of account addresses. */
export const ADDRESS_PREFIX = 'bwk';
/** Prefix of validator operator addresses. */
export const VALOPER_PREFIX = 'bwkvaloper';
export const ADDRESS_BYTES = 20;

/** The 20-byte account id of a public key: the first 20 bytes of its SHA-256. */
export function addressBytes(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).subarray(0, ADDRESS_BYTES);
}

export function encodeAddress(bytes: Uint8Array, prefix = ADDRESS_PREFIX): string {
  return bech32.encode(prefix, bech32.toWords(bytes));
}

const CACHE_LIMIT = 100_000;
const addressCache = new Map<string, string>();
const validAddresses = new Set<string>();

/** bech32 address of a public key, `bwk1…` (memoized: a pure function on a hot path). */
export function addressOf(publicKey: Uint8Array, prefix = ADDRESS_PREFIX): string {
  const id = `${prefix}:${String.fromCharCode.apply(null, publicKey as unknown as number[])}`;
  let address = addressCache.get(id);
  if (address === undefined) {
    address = encodeAddress(addressBytes(publicKey), prefix);
    if (addressCache.size >= CACHE_LIMIT) addressCache.clear();
    addressCache.set(id, address);
  }
  return address;
}

/** Parses and checks a bech32 address; throws with the reason when it is not one. */
export function decodeAddress(address: string, prefix = ADDRESS_PREFIX): Uint8Array {
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32.decode(address as `${string}1${string}`);
  } catch (e) {
    throw new Error(`invalid bech32 address ${JSON.stringify(address)}: ${(e as Error).message}`);
  }
  if (decoded.prefix !== prefix) {
    throw new Error(`address ${address} has prefix ${decoded.prefix}, expected ${prefix}`);
  }
  const bytes = bech32.fromWords(decoded.words);
  if (bytes.length !== ADDRESS_BYTES) {
    throw new Error(`address ${address} holds ${bytes.length} bytes, expected ${ADDRESS_BYTES}`);
  }
  return bytes;
}

/** Whether `address` is a valid bech32 address with `prefix` (memoized when valid). */
export function isAddress(address: string, prefix = ADDRESS_PREFIX): boolean {
  const id = `${prefix}:${address}`;
  if (validAddresses.has(id)) return true;
  try {
    decodeAddress(address, prefix);
  } catch {
    return false;
  }
  if (validAddresses.size >= CACHE_LIMIT) validAddresses.clear();
  validAddresses.add(id);
  return true;
}

/**
 * The account address of a module (a pool that holds tokens on the module's behalf, e.g.
 * `moduleAddress('staking/bonded')`): the first 20 bytes of sha256("module/" + name). No
 * private key exists for it; only the module's keeper moves its funds.
 */
export function moduleAddress(name: string): string {
  // PERF: vault and market pools are looked up by name on hot paths (every order, every
  // invariant pass); the derivation (a hash and a bech32 encoding) is done once per name.
  let address = moduleAddresses.get(name);
  if (address === undefined) {
    address = encodeAddress(
      sha256(new TextEncoder().encode(`module/${name}`)).subarray(0, ADDRESS_BYTES),
    );
    if (moduleAddresses.size >= CACHE_LIMIT) moduleAddresses.clear();
    moduleAddresses.set(name, address);
  }
  return address;
}

const moduleAddresses = new Map<string, string>();
