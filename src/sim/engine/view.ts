import type { SimView } from '../types.ts';
import type { SimChain } from './chain.ts';

/** The actors' read-only window on the chain: queries at the committed height. */
export class ChainView implements SimView {
  /** True prices of the block being built (set by the engine before actors act). */
  prices: Record<string, number> = {};

  constructor(
    private readonly chain: SimChain,
    readonly blockTimeMs: number,
  ) {}

  get height(): number {
    return this.chain.height;
  }

  get timeMs(): number {
    return this.chain.timeMs;
  }

  query<T = unknown>(path: string, args: Record<string, unknown> = {}): T {
    const r = this.chain.app.query(path, args);
    if (r.code !== 0) throw new Error(`query ${path} failed: ${r.log}`);
    return r.value as T;
  }

  truePrice(asset: string): number {
    const p = this.prices[asset];
    if (p === undefined) throw new Error(`no price process for ${asset}`);
    return p;
  }
}
