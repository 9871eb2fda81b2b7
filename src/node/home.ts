import { randomBytes } from 'node:crypto';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LocalValidator } from '../consensus/solo/engine.ts';
import type { GenesisInput } from '../core/app/genesis.ts';
import { CHAIN_ID_PATTERN } from '../core/app/genesis.ts';
import { addressBytes } from '../core/crypto/address.ts';
import { fromHex, toHex } from '../core/crypto/hash.ts';
import { publicKeyFromSeed } from '../core/crypto/keys.ts';
import {
  DEVNET_OPTIONS_PARAMS,
  DEVNET_OPTIONS_VAULT,
  devnetSeries,
  MAINNET_OPTIONS_PARAMS,
  paramsToJson as optionsParamsJson,
  seriesToJson,
} from '../core/modules/options/index.ts';
import { configPath, genesisPath, keysDir, nodeConfigSchema, validatorKeyDir } from './config.ts';
import { Keystore } from './keystore.ts';
import { type Preset, presetMarkets, presetParams } from './presets.ts';

/** `$BULWARK_HOME`, or `~/.bulwark`. */
export function defaultHome(): string {
  return process.env.BULWARK_HOME ?? join(homedir(), '.bulwark');
}

export interface InitOptions {
  home: string;
  chainId?: string;
  validators?: number;
  overwrite?: boolean;
  blockIntervalMs?: number;
  /** Parameter preset (default `devnet`). */
  preset?: Preset;
}

export interface InitResult {
  home: string;
  chainId: string;
  validators: { name: string; address: string }[];
  accounts: { name: string; address: string }[];
}

/** Devnet funding: 1,000,000 BWK and 1,000,000 USD each for alice and bob. */
const DEVNET_FUNDS = 1_000_000_000_000n;
/**
 * Each validator operator holds 20,000,000 BWK and bonds 10,000,000 BWK of it (voting power
 * 10,000,000). The stake is sized for the security-budget OI cap (risk module): 4 validators
 * bond 40M BWK; at the devnet's BWK-USD feed (about 2 USD) with threshold ⅓, slashable 5 %,
 * γ ½ and a 56.25 % breaker move over the devnet's 60-block attack, each of the two markets
 * may hold about 790,000 USD of open interest (≈ 13 BTC at 60,000 USD), below its vault cap
 * of 1,000,000 USD. See docs/devnet.md.
 */
const OPERATOR_FUNDS = 20_000_000_000_000n;
export const DEVNET_SELF_BOND = 10_000_000_000_000n;
/** Each market's vault starts with 100,000 USD from alice. */
const VAULT_SEED = 100_000_000_000n;

export async function homeExists(home: string): Promise<boolean> {
  try {
    await access(genesisPath(home));
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates a devnet home: a genesis with N validators (their consensus keys under
 * config/validators, unencrypted: devnet only), funded accounts alice and bob in the
 * keyring, and a node config with devnet defaults.
 */
export async function initHome(opts: InitOptions): Promise<InitResult> {
  const chainId = opts.chainId ?? 'bulwark-devnet';
  if (!CHAIN_ID_PATTERN.test(chainId)) {
    throw new Error(
      `invalid chain id ${JSON.stringify(chainId)}: lowercase letters, digits and dashes`,
    );
  }
  const n = opts.validators ?? 4;
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new Error(`--validators must be an integer in [1, 100], got ${n}`);
  if (await homeExists(opts.home)) {
    if (!opts.overwrite)
      throw new Error(`${opts.home} already holds a chain (use --overwrite to replace it)`);
    await rm(opts.home, { recursive: true, force: true });
  }
  await mkdir(join(opts.home, 'config'), { recursive: true });
  await mkdir(validatorKeyDir(opts.home), { recursive: true, mode: 0o700 });

  const keystore = new Keystore(keysDir(opts.home));
  const validators: { name: string; address: string; pubKey: string; operator: string }[] = [];
  for (let i = 0; i < n; i++) {
    const name = `val${i}`;
    const seed = new Uint8Array(randomBytes(32));
    const pub = publicKeyFromSeed(seed);
    await writeFile(
      join(validatorKeyDir(opts.home), `${name}.json`),
      `${JSON.stringify({ name, pubKey: toHex(pub), seed: toHex(seed), unencrypted: 'devnet only' }, null, 2)}\n`,
      { mode: 0o600 },
    );
    // The operator account (signs edit-validator, unjail, withdraw-commission) is a separate key.
    const operator = await keystore.add(name, { overwrite: true });
    validators.push({
      name,
      address: toHex(addressBytes(pub)),
      pubKey: toHex(pub),
      operator: operator.address,
    });
  }

  const accounts: { name: string; address: string }[] = [];
  for (const name of ['alice', 'bob']) {
    const key = await keystore.add(name, { overwrite: true });
    accounts.push({ name, address: key.address });
  }

  const preset = opts.preset ?? 'devnet';
  const params = presetParams(preset);
  const coins = (amount: bigint) => [
    { denom: 'ubwk', amount: String(amount) },
    { denom: 'uusd', amount: String(amount) },
  ];
  const genesis: GenesisInput = {
    chainId,
    genesisTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    app: {
      bank: {
        balances: [
          ...accounts.map((a) => ({ address: a.address, coins: coins(DEVNET_FUNDS) })),
          ...validators.map((v) => ({ address: v.operator, coins: coins(OPERATOR_FUNDS) })),
        ],
      },
      staking: {
        params: params.staking,
        validators: validators.map((v) => ({
          operator: v.operator,
          consPubKey: v.pubKey,
          moniker: v.name,
          selfBond: String(DEVNET_SELF_BOND),
          commission: { rate: '0.10', maxRate: '0.20', maxChangeRate: '0.01' },
        })),
      },
      slashing: { params: params.slashing },
      distribution: { params: params.distribution },
      perps: { params: params.perps, markets: presetMarkets() },
      risk: { params: params.risk },
      gov: { params: params.gov },
      oracle: { params: params.oracle },
      // One staking vault per market, each seeded by alice with 100,000 USD.
      vaults: {
        params: params.vaults,
        vaults: ['BTC-USD', 'ETH-USD'].map((id) => ({
          id,
          seed: { depositor: accounts[0]!.address, amount: String(VAULT_SEED) },
        })),
      },
    },
  };
  // Binary options: ETH-USD calls and puts around the money, backed by their own vault
  // (seeded by alice like the markets' vaults), apart from every perps vault.
  const app = genesis.app as Record<string, { vaults?: unknown[] } & Record<string, unknown>>;
  app.vaults?.vaults?.push({
    id: DEVNET_OPTIONS_VAULT,
    seed: { depositor: accounts[0]!.address, amount: String(VAULT_SEED) },
  });
  app.options = {
    params: optionsParamsJson(preset === 'devnet' ? DEVNET_OPTIONS_PARAMS : MAINNET_OPTIONS_PARAMS),
    series: devnetSeries(Date.parse(genesis.genesisTime)).map(seriesToJson),
  };
  await writeFile(genesisPath(opts.home), `${JSON.stringify(genesis, null, 2)}\n`);
  const config = nodeConfigSchema.parse({
    moniker: 'devnet',
    ...(opts.blockIntervalMs !== undefined ? { blockIntervalMs: opts.blockIntervalMs } : {}),
  });
  await writeFile(configPath(opts.home), `${JSON.stringify(config, null, 2)}\n`);
  return {
    home: opts.home,
    chainId,
    validators: validators.map(({ name, address }) => ({ name, address })),
    accounts,
  };
}

/** The validator keys this node holds (every `config/validators/*.json`). */
export async function loadValidatorKeys(home: string): Promise<LocalValidator[]> {
  const dir = validatorKeyDir(home);
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: LocalValidator[] = [];
  for (const f of files) {
    const k = JSON.parse(await readFile(join(dir, f), 'utf8')) as {
      name: string;
      seed: string;
      pubKey: string;
    };
    const seed = fromHex(k.seed);
    const pubKey = publicKeyFromSeed(seed);
    if (toHex(pubKey) !== k.pubKey)
      throw new Error(`validator key ${f} is damaged: seed and public key differ`);
    out.push({ name: k.name, seed, pubKey });
  }
  return out;
}
