import { addressBytes, addressOf } from '../../core/crypto/address.ts';
import { sha256, toHex } from '../../core/crypto/hash.ts';
import { publicKeyFromSeed } from '../../core/crypto/keys.ts';

/**
 * Keys of the simulator's actors, derived from their names (never random), so a scenario
 * builds the same genesis and the same addresses on every machine and every worker.
 */
export interface SimKey {
  name: string;
  seed: Uint8Array;
  pubKey: Uint8Array;
  /** Account address (bech32, `bwk1…`). */
  address: string;
  /** Consensus address (hex of the 20-byte key hash), for validator keys. */
  consAddress: string;
}

const utf8 = new TextEncoder();
const cache = new Map<string, SimKey>();

/** The key of `name` (e.g. `agent/mm-1`, `validator/val3`); cached per process. */
export function simKey(name: string): SimKey {
  let k = cache.get(name);
  if (k === undefined) {
    const seed = sha256(utf8.encode(`bulwark-sim-key/${name}`));
    const pubKey = publicKeyFromSeed(seed);
    k = {
      name,
      seed,
      pubKey,
      address: addressOf(pubKey),
      consAddress: toHex(addressBytes(pubKey)),
    };
    cache.set(name, k);
  }
  return k;
}
