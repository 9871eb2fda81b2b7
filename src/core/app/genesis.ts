import { z } from 'zod';
import { fromHex } from '../crypto/hash.ts';
import { ChainError, ErrorCode } from '../errors.ts';
import { formatZodError } from '../tx/tx.ts';

/**
 * The genesis file: chain identity, the first validator set and each module's initial
 * state (each module parses its own part). JSON, with amounts as decimal strings.
 */
export const CHAIN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,46}[a-z0-9]$/;

export const genesisValidatorSchema = z.strictObject({
  name: z.string().min(1).max(64),
  /** Hex of the 32-byte ed25519 consensus public key. */
  pubKey: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (32 bytes)')
    .transform((h) => fromHex(h)),
  power: z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/, 'must be a positive decimal integer string')
    .transform((s) => BigInt(s)),
});

export const genesisSchema = z.strictObject({
  chainId: z.string().regex(CHAIN_ID_PATTERN, 'chain id: lowercase letters, digits and dashes'),
  /** ISO-8601 UTC time of the first block; read by consensus, never by the state machine. */
  genesisTime: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'ISO-8601 UTC'),
  initialHeight: z.number().int().min(1).default(1),
  /** A fixed validator set for chains without staking validators in `app.staking`. */
  validators: z.array(genesisValidatorSchema).max(1000).default([]),
  app: z.record(z.string(), z.unknown()).default({}),
});

export type Genesis = z.infer<typeof genesisSchema>;
export type GenesisInput = z.input<typeof genesisSchema>;

export function parseGenesis(json: unknown): Genesis {
  const parsed = genesisSchema.safeParse(json);
  if (!parsed.success) {
    throw new ChainError(
      ErrorCode.InvalidGenesis,
      `invalid genesis: ${formatZodError(parsed.error)}`,
    );
  }
  return parsed.data;
}
