import { z } from 'zod';
import { type Context, defineQuery, type Invariant, type Module } from '../../app/module.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError } from '../../errors.ts';
import { toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import {
  marketRiskToValue,
  type RiskDeps,
  RiskKeeper,
  type RiskSummary,
  summaryToValue,
} from './keeper.ts';
import {
  DEFAULT_RISK_PARAMS,
  paramsToJson,
  type RiskParams,
  riskParams,
  riskParamsSchema,
} from './params.ts';

export const riskGenesisSchema = z.strictObject({
  /** The params (fractions as decimal strings); the defaults when absent. */
  params: riskParamsSchema.optional(),
});

export type RiskGenesisInput = z.input<typeof riskGenesisSchema>;
export interface RiskGenesis {
  params?: RiskParams;
}

/**
 * The risk module: no msgs, no records beyond its params. Queries report the security
 * budget (cost vs profit of corruption) and each market's caps and margins, computed from
 * the staking, oracle, perps and vaults keepers; the keeper's `securityCapSource` gives perps
 * its security-budget OI cap. Its end block reports the figures as events (`risk_summary`,
 * one `risk_market` per market), after this block's trades, funding and liquidations: place
 * it after perps, before gov.
 */
export class RiskModule implements Module<RiskGenesis> {
  readonly name = 'risk';
  readonly genesisSchema = riskGenesisSchema as unknown as z.ZodType<RiskGenesis>;
  /** gov finds the params (and their bounds) through this field. */
  readonly params = riskParams as unknown as NonNullable<Module['params']>;
  readonly msgs = [];
  readonly invariants: Invariant[] = [];

  constructor(readonly keeper: RiskKeeper) {}

  readonly queries = [
    defineQuery({
      path: 'risk/market',
      summary:
        "A market's OI, breaker move, profit from corruption, OI caps (vault, security, effective), margin and stake/OI",
      schema: z.strictObject({ market: z.string().min(1).max(64) }),
      handle: (store, args) =>
        marketRiskToValue(this.keeper.marketRisk(store, args.market)) as unknown as Value,
    }),
    defineQuery({
      path: 'risk/summary',
      summary:
        'Cost vs profit of corruption: coc, pfcTotal, ratio, budget = coc/(1+γ), secure, stake, BWK price, markets',
      schema: z.strictObject({}),
      handle: (store) => summaryToValue(this.keeper.summary(store)) as unknown as Value,
    }),
    defineQuery({
      path: 'risk/params',
      summary: "The risk module's params",
      schema: z.strictObject({}),
      handle: (store) => paramsToJson(this.keeper.params(store)) as unknown as Value,
    }),
  ];

  defaultGenesis(): RiskGenesis {
    return {};
  }

  initGenesis(ctx: Context, genesis: RiskGenesis): void {
    riskParams.set(ctx.store, genesis.params ?? DEFAULT_RISK_PARAMS);
  }

  exportGenesis(store: ReadStore): Value {
    return { params: paramsToJson(riskParams.get(store)) } as unknown as Value;
  }

  /**
   * Every block: `risk_summary {coc, pfcTotal, ratio, budget, secure, bondedStake, bwkPrice}`
   * and per market `risk_market {market, oi, pfc, capVault, capSecurity, capEffective, imf,
   * mmf}` (amounts in uusd, fractions as decimal strings; `ratio` and `bwkPrice` are empty
   * when undefined). Figures that cannot be computed (the oracle's breaker does not bound the
   * move) give a `risk_unavailable {reason}` event instead: reporting never halts the chain.
   */
  endBlock(ctx: Context): undefined {
    let s: RiskSummary;
    try {
      s = this.keeper.summary(ctx.store);
    } catch (e) {
      if (!(e instanceof ChainError)) throw e;
      ctx.emit('risk_unavailable', { reason: e.message });
      return undefined;
    }
    const dec = (v: bigint | undefined) => (v === undefined ? '' : toDecimalString(v));
    ctx.emit('risk_summary', {
      coc: s.coc,
      pfcTotal: s.pfcTotal,
      ratio: dec(s.ratio),
      budget: s.budget,
      secure: String(s.secure),
      bondedStake: s.bondedStake,
      bwkPrice: dec(s.bwkPrice),
    });
    for (const m of s.markets) {
      ctx.emit('risk_market', {
        market: m.market,
        oi: m.oi,
        pfc: m.pfc,
        capVault: m.cap.vault,
        capSecurity: m.cap.security,
        capEffective: m.cap.effective,
        imf: toDecimalString(m.margin.imf),
        mmf: toDecimalString(m.margin.mmf),
      });
    }
    return undefined;
  }
}

/**
 * Builds the risk keeper and module. Perps needs `keeper.securityCapSource` at its own
 * construction, so pass `perps` here or later with `keeper.setPerps(perpsKeeper)`.
 */
export function createRisk(deps: RiskDeps): { keeper: RiskKeeper; module: RiskModule } {
  const keeper = new RiskKeeper(deps);
  return { keeper, module: new RiskModule(keeper) };
}
