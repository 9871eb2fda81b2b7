import { divRound, ONE, Rounding, toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { OracleParams } from '../oracle/params.ts';
import type { SecurityCapSource } from '../perps/api.ts';
import type { MarketSpec } from '../perps/params.ts';
import { POWER_REDUCTION } from '../staking/api.ts';
import { ensureRisk, RiskError, riskError } from './errors.ts';
import {
  costOfCorruption,
  maxMoveOverWindow,
  oiCapFromVault,
  oiCapsFromSecurityBudget,
  profitFromCorruption,
  securityBudget,
  stakeToOiRatio,
} from './math/index.ts';
import { BWK_MARKET, DEFAULT_WEIGHT, type RiskParams, riskParams } from './params.ts';

// ---- what risk reads from the other modules (their keepers satisfy these) --------------------

/** StakingKeeper satisfies it. */
export interface RiskStaking {
  /** The active set with each member's power as of the current epoch (the median's weights). */
  activeSet(store: ReadStore): readonly { operator: string; power: bigint }[];
  /** A validator's current record (its tokens now, and whether it is jailed). */
  validator(store: ReadStore, operator: string): { tokens: bigint; jailed: boolean } | undefined;
}

/**
 * The stake that secures the oracle median (ubwk): Σ over the active set's members that are
 * not jailed of `min(epoch power · POWER_REDUCTION, current tokens)`. The median weighs the
 * reports by epoch power, so new stake counts from the epoch it gains power; stake leaving
 * (undelegated or slashed) stops counting at once; a jailed member does not report. Floor of
 * both directions: the figure only ever under-states what an attacker must hold.
 */
export function securingStake(staking: RiskStaking, store: ReadStore): bigint {
  let total = 0n;
  for (const a of staking.activeSet(store)) {
    const v = staking.validator(store, a.operator);
    if (v === undefined || v.jailed) continue;
    const epochTokens = a.power * POWER_REDUCTION;
    total += epochTokens < v.tokens ? epochTokens : v.tokens;
  }
  return total;
}

/** OracleKeeper satisfies it (OracleKeeperApi plus its params, for the circuit breaker). */
export interface RiskOracle {
  price(store: ReadStore, market: string): { price: bigint; height: number } | undefined;
  volatility(store: ReadStore, market: string): bigint;
  params(
    store: ReadStore,
  ): Pick<OracleParams, 'maxMovePerBlock' | 'maxMovePerWindow' | 'breakerWindowBlocks'>;
}

/** The parts of a perps market listing risk reads. */
export type RiskMarketSpec = Pick<
  MarketSpec,
  'id' | 'oracleMarket' | 'vault' | 'lockedOiRatio' | 'baseImf' | 'mmfRatio'
>;

/** PerpsKeeper satisfies it. */
export interface RiskPerps {
  /** Listed markets, in key order. */
  markets(store: ReadStore): RiskMarketSpec[];
  /** Open interest (one side) as uusd notional at the mark; 0 without a price. */
  openInterest(store: ReadStore, spec: RiskMarketSpec): bigint;
  /** The market's current (dynamic) margin fractions. */
  marginFractions(store: ReadStore, spec: RiskMarketSpec): { imf: bigint; mmf: bigint };
}

/**
 * OptionsKeeper satisfies it. Options exposure in the security budget: an attacker who moves
 * the oracle can make every open binary option pay in full (a binary's payoff jumps for any
 * move across its strike, so the breaker's bound does not shrink it): the options' profit
 * from corruption is their worst-case payout.
 */
export interface RiskOptions {
  /** Σ over options vaults of their worst-case payout (uusd). */
  exposure(store: ReadStore): bigint;
}

/** VaultsKeeper satisfies it. */
export interface RiskVaults {
  equity(store: ReadStore, id: string): bigint;
}

export interface RiskDeps {
  staking: RiskStaking;
  oracle: RiskOracle;
  vaults: RiskVaults;
  /** May be set later with `setPerps` (perps takes `securityCapSource` at construction). */
  perps?: RiskPerps;
}

// ---- results -----------------------------------------------------------------------------------

/** The chain-wide quantities every market's figures derive from. */
export interface RiskBasis {
  params: RiskParams;
  /** The stake securing the median (`securingStake`), ubwk. */
  bondedStake: bigint;
  /** USD per BWK (Dec), undefined while the oracle has no BWK price (then CoC = 0). */
  bwkPrice: bigint | undefined;
  /** Bonded stake value, uusd (`bondedStake · bwkPrice`, Floor). */
  stakeValue: bigint;
  /** Cost of corruption, uusd. */
  coc: bigint;
  /** `coc / (1 + γ)`, uusd. */
  budget: bigint;
  /** `maxMoveOverWindow` of the oracle breaker over `attackBlocks` (Dec; same for all markets). */
  maxMove: bigint;
  /** Security-budget OI cap per market id (uusd notional). */
  securityCaps: Map<string, { budget: bigint; cap: bigint }>;
}

export interface MarketRisk {
  market: string;
  /** uusd notional (one side). */
  oi: bigint;
  /** Dec. */
  maxMove: bigint;
  /** Profit from corruption, uusd. */
  pfc: bigint;
  cap: { vault: bigint; security: bigint; effective: bigint };
  margin: { imf: bigint; mmf: bigint; sigmaAnnual: bigint };
  /** Stake value / OI (Dec), undefined when OI = 0. */
  stakeToOi: bigint | undefined;
}

export interface RiskSummary {
  coc: bigint;
  pfcTotal: bigint;
  /** coc / pfcTotal (Dec), undefined when pfcTotal = 0. */
  ratio: bigint | undefined;
  budget: bigint;
  secure: boolean;
  bondedStake: bigint;
  bwkPrice: bigint | undefined;
  maxMove: bigint;
  markets: MarketRisk[];
  /** Options: worst-case payout of every options vault, counted in full in pfcTotal (uusd). */
  options: { pfc: bigint };
}

/**
 * The risk keeper: no records beyond its params; every figure is computed from the staking,
 * oracle, perps and vaults keepers at the time of the call.
 *
 * - CoC = securingStake × thresholdFraction × bwkPrice × slashableFraction (uusd).
 * - maxMove = `maxMoveOverWindow` of the oracle's breaker over `attackBlocks`.
 * - PfC_m = OI_m × maxMove; the security condition is `Σ PfC_m ≤ CoC / (1 + γ)`.
 * - Security cap_m = (budget · w_m / Σw) / maxMove (`oiCapsFromSecurityBudget`).
 */
export class RiskKeeper {
  readonly staking: RiskStaking;
  readonly oracle: RiskOracle;
  readonly vaults: RiskVaults;
  private perpsKeeper: RiskPerps | undefined;
  private optionsKeeper: RiskOptions | undefined;

  constructor(deps: RiskDeps) {
    this.staking = deps.staking;
    this.oracle = deps.oracle;
    this.vaults = deps.vaults;
    this.perpsKeeper = deps.perps;
  }

  /** Sets the perps keeper once (it is built after risk, with `securityCapSource`). */
  setPerps(perps: RiskPerps): void {
    if (this.perpsKeeper !== undefined && this.perpsKeeper !== perps) {
      throw new Error('risk: perps keeper already set');
    }
    this.perpsKeeper = perps;
  }

  /** Sets the options keeper once: its exposure joins the profit from corruption. */
  setOptions(options: RiskOptions): void {
    if (this.optionsKeeper !== undefined && this.optionsKeeper !== options) {
      throw new Error('risk: options keeper already set');
    }
    this.optionsKeeper = options;
  }

  /** The options' profit from corruption (0 without an options module). */
  optionsPfc(store: ReadStore): bigint {
    return this.optionsKeeper?.exposure(store) ?? 0n;
  }

  get perps(): RiskPerps {
    if (this.perpsKeeper === undefined) throw new Error('risk: perps keeper not set');
    return this.perpsKeeper;
  }

  params(store: ReadStore): RiskParams {
    return riskParams.get(store);
  }

  /** The oracle's BWK price (Dec), undefined when none was published. */
  bwkPrice(store: ReadStore): bigint | undefined {
    return this.oracle.price(store, BWK_MARKET)?.price;
  }

  /** The largest relative price move the oracle's breaker lets through over `attackBlocks`. */
  maxMove(store: ReadStore, params = this.params(store)): bigint {
    const o = this.oracle.params(store);
    try {
      return maxMoveOverWindow({
        maxMovePerBlock: o.maxMovePerBlock,
        maxMovePerWindow: o.maxMovePerWindow,
        breakerWindowBlocks: o.breakerWindowBlocks,
        attackBlocks: params.attackBlocks,
      });
    } catch (e) {
      if (e instanceof RangeError) {
        throw riskError(
          RiskError.UnboundedMove,
          `the oracle breaker does not bound the move over ${params.attackBlocks} blocks: ${e.message}`,
        );
      }
      throw e;
    }
  }

  weight(params: RiskParams, market: string): bigint {
    return params.weights.find((w) => w.market === market)?.weight ?? DEFAULT_WEIGHT;
  }

  basis(store: ReadStore): RiskBasis {
    const params = this.params(store);
    const bondedStake = securingStake(this.staking, store);
    const bwkPrice = this.bwkPrice(store);
    const price = bwkPrice ?? 0n;
    const coc = costOfCorruption({
      bondedStake,
      thresholdFraction: params.thresholdFraction,
      bwkPrice: price,
      slashableFraction: params.slashableFraction,
    });
    const maxMove = this.maxMove(store, params);
    const markets = this.perps.markets(store);
    const caps = oiCapsFromSecurityBudget(
      markets.map((m) => ({ id: m.id, maxMove, weight: this.weight(params, m.id) })),
      coc,
      params.gamma,
    );
    const securityCaps = new Map<string, { budget: bigint; cap: bigint }>();
    for (const c of caps) securityCaps.set(c.id, { budget: c.budget, cap: c.cap });
    return {
      params,
      bondedStake,
      bwkPrice,
      stakeValue: divRound(bondedStake * price, ONE, Rounding.Floor),
      coc,
      budget: securityBudget(coc, params.gamma),
      maxMove,
      securityCaps,
    };
  }

  /** The security-budget OI cap of a market (uusd notional); undefined for an unknown market. */
  securityCap(store: ReadStore, market: string): bigint | undefined {
    if (!this.perps.markets(store).some((m) => m.id === market)) return undefined;
    return this.basis(store).securityCaps.get(market)?.cap;
  }

  /** For `createPerps(..., securityCap)`: perps refuses OI growth beyond this cap. */
  readonly securityCapSource: SecurityCapSource = (store, market) =>
    this.securityCap(store, market);

  marketRisk(store: ReadStore, market: string, basis = this.basis(store)): MarketRisk {
    const spec = this.perps.markets(store).find((m) => m.id === market);
    ensureRisk(spec !== undefined, RiskError.UnknownMarket, () => {
      const known = this.perps.markets(store).map((m) => m.id);
      return `unknown market ${market}: expected one of [${known.join(', ')}]`;
    });
    return this.specRisk(store, spec, basis);
  }

  private specRisk(store: ReadStore, spec: RiskMarketSpec, basis: RiskBasis): MarketRisk {
    const oi = this.perps.openInterest(store, spec);
    const vault = oiCapFromVault(this.vaults.equity(store, spec.vault), spec.lockedOiRatio);
    const security = basis.securityCaps.get(spec.id)?.cap ?? 0n;
    return {
      market: spec.id,
      oi,
      maxMove: basis.maxMove,
      pfc: profitFromCorruption(oi, basis.maxMove),
      cap: { vault, security, effective: vault < security ? vault : security },
      margin: {
        ...this.perps.marginFractions(store, spec),
        sigmaAnnual: this.oracle.volatility(store, spec.oracleMarket),
      },
      stakeToOi: stakeToOiRatio(basis.stakeValue, oi) ?? undefined,
    };
  }

  summary(store: ReadStore): RiskSummary {
    const basis = this.basis(store);
    const markets = this.perps.markets(store).map((m) => this.specRisk(store, m, basis));
    let pfcTotal = 0n;
    for (const m of markets) pfcTotal += m.pfc;
    const optionsPfc = this.optionsPfc(store);
    pfcTotal += optionsPfc;
    return {
      coc: basis.coc,
      pfcTotal,
      ratio: pfcTotal === 0n ? undefined : divRound(basis.coc * ONE, pfcTotal, Rounding.Floor),
      budget: basis.budget,
      secure: pfcTotal <= basis.budget,
      bondedStake: basis.bondedStake,
      bwkPrice: basis.bwkPrice,
      maxMove: basis.maxMove,
      markets,
      options: { pfc: optionsPfc },
    };
  }
}

const decOrNull = (v: bigint | undefined) => (v === undefined ? null : toDecimalString(v));

/** A market's figures as a query answer (fractions as decimal strings, amounts as bigints). */
export function marketRiskToValue(m: MarketRisk) {
  return {
    market: m.market,
    oi: m.oi,
    maxMove: toDecimalString(m.maxMove),
    pfc: m.pfc,
    cap: { vault: m.cap.vault, security: m.cap.security, effective: m.cap.effective },
    margin: {
      imf: toDecimalString(m.margin.imf),
      mmf: toDecimalString(m.margin.mmf),
      sigmaAnnual: toDecimalString(m.margin.sigmaAnnual),
    },
    stakeToOi: decOrNull(m.stakeToOi),
  };
}

export function summaryToValue(s: RiskSummary) {
  return {
    coc: s.coc,
    pfcTotal: s.pfcTotal,
    ratio: decOrNull(s.ratio),
    budget: s.budget,
    secure: s.secure,
    bondedStake: s.bondedStake,
    bwkPrice: decOrNull(s.bwkPrice),
    maxMove: toDecimalString(s.maxMove),
    markets: s.markets.map(marketRiskToValue),
    options: { pfc: s.options.pfc },
  };
}
