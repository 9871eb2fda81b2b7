import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addressOf } from '../core/crypto/address.ts';
import { fromHex, toHex } from '../core/crypto/hash.ts';
import { publicKeyFromSeed } from '../core/crypto/keys.ts';

/**
 * Account keys on disk, one JSON file per key under `<home>/keys/`. A real keyring encrypts
 * the ed25519 seed with a passphrase (scrypt → AES-256-GCM); devnet keys are stored in the
 * clear and say so in the file (`"unencrypted": "devnet only"`) and in every listing.
 */
export interface KeyInfo {
  name: string;
  address: string;
  pubKey: string;
  encrypted: boolean;
}

export interface UnlockedKey extends KeyInfo {
  seed: Uint8Array;
  pubKeyBytes: Uint8Array;
}

interface KeyFile {
  name: string;
  address: string;
  pubKey: string;
  type: 'ed25519';
  unencrypted?: 'devnet only';
  seed?: string;
  crypto?: {
    kdf: 'scrypt';
    n: number;
    r: number;
    p: number;
    salt: string;
    cipher: 'aes-256-gcm';
    iv: string;
    ciphertext: string;
    tag: string;
  };
}

export const KEY_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/;
const SCRYPT = { n: 1 << 15, r: 8, p: 1 };

export class KeystoreError extends Error {
  override name = 'KeystoreError';
}

export class Keystore {
  constructor(readonly dir: string) {}

  private path(name: string): string {
    if (!KEY_NAME_PATTERN.test(name)) {
      throw new KeystoreError(
        `invalid key name ${JSON.stringify(name)}: use letters, digits, _ and - (max 64)`,
      );
    }
    return join(this.dir, `${name}.json`);
  }

  /**
   * Stores a key (a fresh random seed unless one is given). With `passphrase` the seed is
   * encrypted; without one the key is a devnet key, kept in the clear.
   */
  async add(
    name: string,
    opts: { seed?: Uint8Array; passphrase?: string; overwrite?: boolean } = {},
  ): Promise<KeyInfo> {
    const path = this.path(name);
    if (!opts.overwrite && (await this.exists(name))) {
      throw new KeystoreError(`key ${name} already exists in ${this.dir}`);
    }
    const seed = opts.seed ?? new Uint8Array(randomBytes(32));
    const pub = publicKeyFromSeed(seed);
    const file: KeyFile = { name, address: addressOf(pub), pubKey: toHex(pub), type: 'ed25519' };
    if (opts.passphrase !== undefined) {
      if (opts.passphrase.length < 8)
        throw new KeystoreError('passphrase must be at least 8 characters');
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const key = scryptSync(opts.passphrase, salt, 32, {
        N: SCRYPT.n,
        r: SCRYPT.r,
        p: SCRYPT.p,
        maxmem: 64 * 1024 * 1024,
      });
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(seed), cipher.final()]);
      file.crypto = {
        kdf: 'scrypt',
        ...SCRYPT,
        salt: salt.toString('hex'),
        cipher: 'aes-256-gcm',
        iv: iv.toString('hex'),
        ciphertext: ciphertext.toString('hex'),
        tag: cipher.getAuthTag().toString('hex'),
      };
    } else {
      file.unencrypted = 'devnet only';
      file.seed = toHex(seed);
    }
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    return info(file);
  }

  async exists(name: string): Promise<boolean> {
    try {
      await readFile(this.path(name));
      return true;
    } catch {
      return false;
    }
  }

  async list(): Promise<KeyInfo[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((f) => f.endsWith('.json')).sort();
    } catch {
      return [];
    }
    const out: KeyInfo[] = [];
    for (const f of names) out.push(info(await this.read(f.slice(0, -5))));
    return out;
  }

  async show(name: string): Promise<KeyInfo> {
    return info(await this.read(name));
  }

  /** The key with its seed; encrypted keys need their passphrase. */
  async unlock(name: string, passphrase?: string): Promise<UnlockedKey> {
    const file = await this.read(name);
    let seed: Uint8Array;
    if (file.crypto === undefined) {
      seed = fromHex(file.seed ?? '');
    } else {
      if (passphrase === undefined)
        throw new KeystoreError(`key ${name} is encrypted: a passphrase is needed`);
      const c = file.crypto;
      const key = scryptSync(passphrase, Buffer.from(c.salt, 'hex'), 32, {
        N: c.n,
        r: c.r,
        p: c.p,
        maxmem: 64 * 1024 * 1024,
      });
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(c.iv, 'hex'));
      decipher.setAuthTag(Buffer.from(c.tag, 'hex'));
      try {
        seed = new Uint8Array(
          Buffer.concat([decipher.update(Buffer.from(c.ciphertext, 'hex')), decipher.final()]),
        );
      } catch {
        throw new KeystoreError(`wrong passphrase for key ${name}`);
      }
    }
    const pubKeyBytes = publicKeyFromSeed(seed);
    if (toHex(pubKeyBytes) !== file.pubKey)
      throw new KeystoreError(`key file ${name} is damaged: seed and public key differ`);
    return { ...info(file), seed, pubKeyBytes };
  }

  private async read(name: string): Promise<KeyFile> {
    const path = this.path(name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new KeystoreError(`no key named ${name} in ${this.dir} (see: bulwark keys list)`);
    }
    return JSON.parse(text) as KeyFile;
  }
}

function info(f: KeyFile): KeyInfo {
  return { name: f.name, address: f.address, pubKey: f.pubKey, encrypted: f.crypto !== undefined };
}
