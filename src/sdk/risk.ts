import type { BulwarkClient } from './client.ts';
import { requireMarket } from './msgs/perps.ts';
import type { MarketRiskView, RiskSummaryView } from './perps-types.ts';

/**
 * The security budget through a client (`client.risk`): cost of corruption against profit
 * from corruption, in total and per market.
 *
 * @example
 * const { secure, coc, pfcTotal } = await client.risk.summary();
 */
export class RiskApi {
  constructor(private readonly client: BulwarkClient) {}

  /**
   * CoC, total PfC, their ratio, the budget, and whether the chain is within it.
   *
   * @example
   * const s = await client.risk.summary();
   */
  async summary(height?: number): Promise<RiskSummaryView> {
    return this.client.queryValue('risk/summary', {}, height);
  }

  /**
   * One market's open interest, largest manipulable move, PfC, OI caps and margin.
   *
   * @example
   * const { cap } = await client.risk.market('BTC-USD');
   */
  async market(market: string, height?: number): Promise<MarketRiskView> {
    return this.client.queryValue('risk/market', { market: requireMarket(market) }, height);
  }

  /**
   * The risk module's params.
   *
   * @example
   * const p = await client.risk.params();
   */
  async params(height?: number): Promise<Record<string, unknown>> {
    return this.client.queryValue('risk/params', {}, height);
  }
}
