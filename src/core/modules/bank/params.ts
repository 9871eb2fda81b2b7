import { z } from 'zod';
import { Params } from '../../app/params.ts';
import { DENOM_PATTERN } from '../../coin.ts';

export const denomMetadataSchema = z.strictObject({
  denom: z.string().regex(DENOM_PATTERN),
  /** Display unit and its exponent: 1 BWK = 10^6 ubwk. */
  display: z.string().min(1).max(16),
  exponent: z.number().int().min(0).max(18),
});

export const bankParamsSchema = z.strictObject({
  /** Denoms the chain knows; anything else is refused with UnknownDenom. */
  denoms: z.array(denomMetadataSchema).min(1).max(64),
  sendEnabled: z.boolean(),
});

export type BankParams = z.infer<typeof bankParamsSchema>;

export const bankParams = new Params('bank', bankParamsSchema);

export const DEFAULT_BANK_PARAMS: BankParams = {
  denoms: [
    { denom: 'ubwk', display: 'BWK', exponent: 6 },
    { denom: 'uusd', display: 'USD', exponent: 6 },
  ],
  sendEnabled: true,
};
