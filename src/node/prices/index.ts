import type { PriceSourceConfig, PricesConfig } from './config.ts';
import { type PriceFaultsLike, withPriceFaults } from './faults.ts';
import { loadFileSource } from './file.ts';
import { HttpSource, type HttpSourceOptions } from './http.ts';
import { SyntheticSource } from './synthetic.ts';
import type { PriceLogger, PriceSource } from './types.ts';

export * from './config.ts';
export * from './decimal.ts';
export * from './faults.ts';
export * from './file.ts';
export * from './http.ts';
export * from './synthetic.ts';
export type * from './types.ts';

export interface CreatePriceSourceOptions {
  /** Relative `file` paths are resolved against this (the node's home); default: cwd. */
  baseDir?: string;
  logger?: PriceLogger;
  /** For the `http` source; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** The source config a validator uses: its own entry in `validators`, else `default`. */
export function sourceConfigFor(prices: PricesConfig, validator: string): PriceSourceConfig {
  return Object.hasOwn(prices.validators, validator)
    ? (prices.validators[validator] ?? prices.default)
    : prices.default;
}

/**
 * The price source of one validator: its configured kind, wrapped with its oracle faults
 * (`faults[validator].bias` / `.oracleSilent`). Throws only on unusable configuration (a price
 * file that is missing or malformed); the sources themselves never throw from `observe`.
 */
export async function createPriceSource(
  config: {
    readonly prices: PricesConfig;
    readonly faults?: Readonly<Record<string, PriceFaultsLike>> | undefined;
  },
  validator: string,
  opts: CreatePriceSourceOptions = {},
): Promise<PriceSource> {
  const cfg = sourceConfigFor(config.prices, validator);
  let source: PriceSource;
  switch (cfg.kind) {
    case 'synthetic':
      source = new SyntheticSource(cfg, validator);
      break;
    case 'file':
      source = await loadFileSource(cfg, opts.baseDir);
      break;
    case 'http': {
      const httpOpts: HttpSourceOptions = { validator };
      if (opts.logger !== undefined) httpOpts.logger = opts.logger;
      if (opts.fetch !== undefined) httpOpts.fetch = opts.fetch;
      source = new HttpSource(cfg, httpOpts);
      break;
    }
  }
  const faults =
    config.faults !== undefined && Object.hasOwn(config.faults, validator)
      ? config.faults[validator]
      : undefined;
  return withPriceFaults(source, faults);
}
