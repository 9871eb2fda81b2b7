import { z } from 'zod';
import { decimalParam, integerParam } from '../../app/param-schemas.ts';
import { Params } from '../../app/params.ts';
import { MAX_AMOUNT } from '../../coin.ts';
import { fromDecimalString, ONE, toDecimalString } from '../../math/index.ts';

const DAY_MS = 86_400_000;

/** The one denom vaults hold, take and pay. */
export const VAULT_DENOM = 'uusd';

/**
 * A vault id: letters, digits and dashes, starting with a letter or digit (`BTC-USD`,
 * `options-ETH`); never a `/`, so it is one key segment.
 */
export const VAULT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/;
export const vaultIdSchema = z
  .string()
  .regex(VAULT_ID_PATTERN, 'must be letters, digits and dashes (≤ 48), like BTC-USD');

/** An 18-decimal fraction in [0, 1] (the shared param schema). */
const fractionSchema = decimalParam(0n, ONE);

/** An amount of base units: a bigint, or a decimal integer string. */
const amountParamSchema = integerParam(1n, MAX_AMOUNT);

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);

export const vaultsParamsSchema = z.strictObject({
  /** Time between `request-withdraw` and the first moment `withdraw` may pay it (ms). */
  cooldownMs: int(1_000, 90 * DAY_MS),
  /** After the cooldown, how long a request stays withdrawable before it expires (ms). */
  withdrawWindowMs: int(1_000, 30 * DAY_MS),
  /** Most pending withdrawal requests one owner may hold in one vault. */
  maxPendingPerOwner: int(1, 32),
  /**
   * Share of a market's trading fees that goes to its vault (18-decimal fraction). The
   * product modules read it (or their own market params); the vault takes whatever it is paid.
   */
  feeShareToVault: fractionSchema,
  /** Smallest deposit, in uusd base units. */
  minDeposit: amountParamSchema,
});

export type VaultsParams = z.output<typeof vaultsParamsSchema>;
export type VaultsParamsInput = z.input<typeof vaultsParamsSchema>;

export const vaultsParams = new Params<VaultsParams>('vaults', vaultsParamsSchema);

/** Realistic values: a 7-day cooldown, then 2 days to withdraw. */
export const MAINNET_VAULTS_PARAMS: VaultsParams = {
  cooldownMs: 7 * DAY_MS,
  withdrawWindowMs: 2 * DAY_MS,
  maxPendingPerOwner: 4,
  feeShareToVault: fromDecimalString('0.5'),
  minDeposit: 10_000_000n,
};

/** Short periods for a devnet: a 60 s cooldown, then 5 minutes to withdraw. */
export const DEVNET_VAULTS_PARAMS: VaultsParams = {
  ...MAINNET_VAULTS_PARAMS,
  cooldownMs: 60_000,
  withdrawWindowMs: 300_000,
  minDeposit: 1_000_000n,
};

export const DEFAULT_VAULTS_PARAMS = MAINNET_VAULTS_PARAMS;

/** The params as JSON (fraction as decimal string, amount as integer string). */
export function paramsToJson(p: VaultsParams) {
  return {
    ...p,
    feeShareToVault: toDecimalString(p.feeShareToVault),
    minDeposit: String(p.minDeposit),
  };
}
