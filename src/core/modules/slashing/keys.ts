/**
 * State layout of the slashing module. Every key starts with `slashing/`. Heights in keys
 * are zero-padded to 16 digits so that the store's sorted iteration is height order.
 */
const pad = (n: number) => String(n).padStart(16, '0');

export const PARAMS_KEY = 'slashing/params';

/** Signing info (liveness record, jail time, tombstone) of a validator by consensus address. */
export const signingInfoKey = (consAddress: string) => `slashing/info/${consAddress}`;
export const SIGNING_INFO_PREFIX = 'slashing/info/';

/**
 * Missed-block bit array, one key per chunk of {@link MISSED_CHUNK_BITS} window slots (a
 * bigint bitmask). An absent chunk is all zeros, so a validator that always signs writes none.
 */
export const MISSED_CHUNK_BITS = 64;
export const missedChunkKey = (consAddress: string, chunk: number) =>
  `slashing/missed/${consAddress}/${pad(chunk)}`;
export const missedPrefix = (consAddress: string) => `slashing/missed/${consAddress}/`;
export const ALL_MISSED_PREFIX = 'slashing/missed/';

/**
 * Voting power of a validator from `height` on (as seen in the commits), written only when it
 * changes: the power at an evidence height is the newest record at or below it.
 */
export const powerKey = (consAddress: string, height: number) =>
  `slashing/power/${consAddress}/${pad(height)}`;
export const powerPrefix = (consAddress: string) => `slashing/power/${consAddress}/`;
export const ALL_POWER_PREFIX = 'slashing/power/';

/** Block time checkpoints every {@link TIME_CHECKPOINT_BLOCKS} blocks (evidence age by time). */
export const TIME_CHECKPOINT_BLOCKS = 64;
export const timeKey = (height: number) => `slashing/time/${pad(height)}`;
export const TIME_PREFIX = 'slashing/time/';

/** Power slashed per fault kind at a block height, within the correlation window. */
export const correlationKey = (kind: string, height: number, consAddress: string) =>
  `slashing/corr/${kind}/${pad(height)}/${consAddress}`;
export const correlationPrefix = (kind: string) => `slashing/corr/${kind}/`;
export const ALL_CORRELATION_PREFIX = 'slashing/corr/';

/** The height in a key that ends with `/<padded height>` or has it after `prefix`. */
export function heightAfter(key: string, prefix: string): number {
  return Number(key.slice(prefix.length, prefix.length + 16));
}
