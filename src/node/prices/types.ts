import type { Observations } from '../../core/modules/oracle/api.ts';

export type { Observations };

/**
 * Where a validator's node gets the prices it reports at a height (its vote extension).
 * `observe` never throws: a market it cannot price is left out of the answer.
 */
export interface PriceSource {
  observe(height: number, timeMs: number): Promise<Observations> | Observations;
  close?(): Promise<void>;
}

/** The part of a pino logger the price sources use. */
export interface PriceLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  info?(obj: Record<string, unknown>, msg: string): void;
  debug?(obj: Record<string, unknown>, msg: string): void;
}
