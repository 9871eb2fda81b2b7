import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { faultSchema } from '../consensus/solo/faults.ts';
import { formatZodError } from '../core/tx/tx.ts';
import { priceFaultShape, pricesSchema } from './prices/index.ts';

/** `<home>/config/config.json`: how this node runs (not consensus rules; those are genesis). */
export const nodeConfigSchema = z.strictObject({
  moniker: z.string().min(1).max(64).default('bulwark'),
  rpcAddr: z
    .string()
    .regex(/^[^:]+:\d{1,5}$/, 'HOST:PORT')
    .default('127.0.0.1:26657'),
  blockIntervalMs: z.number().int().min(10).max(60_000).default(1000),
  maxBlockBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  maxBlockTxs: z.number().int().min(1).max(100_000).default(20_000),
  /** Past heights whose state stays queryable. */
  keepRecent: z.number().int().min(1).max(1_000_000).default(1000),
  /** fsync every block (default); off only for benchmarks. */
  syncWrites: z.boolean().default(true),
  mempool: z
    .strictObject({
      maxTxs: z.number().int().min(1).default(50_000),
      maxBytes: z
        .number()
        .int()
        .min(1024)
        .default(64 * 1024 * 1024),
      ttlBlocks: z.number().int().min(1).default(100),
    })
    .default({ maxTxs: 50_000, maxBytes: 64 * 1024 * 1024, ttlBlocks: 100 }),
  /** Worker threads verifying signatures (0: on the main thread). */
  verifyWorkers: z.number().int().min(0).max(64).default(2),
  /** Check every module invariant after every block and stop on a violation (tests, devnets). */
  assertInvariants: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Devnet/test fault injection per validator name (see docs/devnet.md and docs/prices.md). */
  faults: z.record(z.string(), faultSchema.extend(priceFaultShape)).default({}),
  /** Where each local validator's oracle observes prices (docs/prices.md). */
  prices: pricesSchema,
});

export type NodeConfig = z.infer<typeof nodeConfigSchema>;

export const configPath = (home: string) => join(home, 'config', 'config.json');
export const genesisPath = (home: string) => join(home, 'config', 'genesis.json');
export const validatorKeyDir = (home: string) => join(home, 'config', 'validators');
export const dataDir = (home: string) => join(home, 'data');
export const keysDir = (home: string) => join(home, 'keys');

export async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`cannot read the ${what} at ${path} (run \`bulwark init\` first?)`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`the ${what} at ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** What a config file (or an override) may say: every field optional, defaults filled in. */
export type NodeConfigInput = z.input<typeof nodeConfigSchema>;

/** The home's config.json with `overrides` on top (each top-level field replaced whole). */
export async function loadConfig(
  home: string,
  overrides: Partial<NodeConfigInput> = {},
): Promise<NodeConfig> {
  const file = (await readJson(configPath(home), 'node config')) as Record<string, unknown>;
  const parsed = nodeConfigSchema.safeParse({ ...file, ...overrides });
  if (!parsed.success)
    throw new Error(`invalid ${configPath(home)}: ${formatZodError(parsed.error)}`);
  return parsed.data;
}
