import { divRound, isqrt, ONE, Rounding } from '../../../math/index.ts';

/** Ceiling of the square root of a non-negative integer. */
function ceilIsqrt(n: bigint): bigint {
  const s = isqrt(n);
  return s * s === n ? s : s + 1n;
}

export interface DynamicImfInput {
  /** Floor of the fraction (Dec). */
  base: bigint;
  /** Multiplier on the horizon volatility (Dec), e.g. 3 for a 3-σ move. */
  k: bigint;
  /** Annualized EWMA volatility from the oracle (`OracleKeeperApi.volatility`, Dec). */
  sigmaAnnual: bigint;
  /** Liquidation horizon in published price updates (blocks). */
  horizonBlocks: number;
  /** The oracle's `blocksPerYear` (the same number it annualizes with). */
  blocksPerYear: number;
}

/**
 * Volatility-scaled initial-margin fraction.
 *
 * Rule: `imf = min(1, max(base, k · σ_h))` with the horizon volatility
 * `σ_h = σ_annual · √(horizonBlocks / blocksPerYear)` (the oracle annualizes the per-update
 * EWMA variance with `blocksPerYear`, so this is `σ_perBlock · √horizonBlocks`).
 * Rounding: `σ_h` and the product `Ceil` (a requirement rounds up).
 */
export function dynamicImf(i: DynamicImfInput): bigint {
  if (!Number.isSafeInteger(i.horizonBlocks) || i.horizonBlocks < 0) {
    throw new RangeError('dynamicImf: horizonBlocks must be a non-negative safe integer');
  }
  if (!Number.isSafeInteger(i.blocksPerYear) || i.blocksPerYear <= 0) {
    throw new RangeError('dynamicImf: blocksPerYear must be a positive safe integer');
  }
  // σ_h (raw) = √(σ² · h / Y) on raw integers: (σ·10^18)² · h / Y = (σ_h·10^18)².
  const variance = divRound(
    i.sigmaAnnual * i.sigmaAnnual * BigInt(i.horizonBlocks),
    BigInt(i.blocksPerYear),
    Rounding.Ceil,
  );
  const sigmaH = ceilIsqrt(variance);
  const vol = divRound(i.k * sigmaH, ONE, Rounding.Ceil);
  const imf = vol > i.base ? vol : i.base;
  return imf < ONE ? imf : ONE;
}

/**
 * Open-interest-scaled initial-margin fraction (dYdX v4 liquidity tiers).
 *
 * Rule: `imf' = imf + min(1, max(0, (oi − lower) / (upper − lower))) · (1 − imf)`: the base
 * fraction below `lower`, rising linearly to 1 (no leverage) at `upper`. `oi`, `lower` and
 * `upper` share a unit (uusd notional). `lower = upper = 0` disables the scaling (dYdX).
 * Rounding: `Ceil`.
 * @throws RangeError when `upper ≤ lower` (other than the disabled case).
 */
export function oiScaledImf(imf: bigint, oi: bigint, lower: bigint, upper: bigint): bigint {
  if (lower === 0n && upper === 0n) return imf;
  if (upper <= lower) throw new RangeError('oiScaledImf: upper must exceed lower');
  if (oi <= lower) return imf;
  if (oi >= upper || imf >= ONE) return imf > ONE ? imf : ONE;
  return imf + divRound((oi - lower) * (ONE - imf), upper - lower, Rounding.Ceil);
}

/**
 * Rule: `mmf = imf · ratio` (Hyperliquid: maintenance margin is half the initial margin at
 * maximum leverage, ratio = ½; dYdX typical 0.6).
 * Rounding: `Ceil`.
 */
export function maintenanceFraction(imf: bigint, ratio: bigint): bigint {
  return divRound(imf * ratio, ONE, Rounding.Ceil);
}

/**
 * A market's margin fractions in one call: `imf = oiScaledImf(dynamicImf(...), oi, L, U)`,
 * `mmf = maintenanceFraction(imf, ratio)`. Rounding as in the parts.
 */
export function marketMarginFractions(
  dynamic: DynamicImfInput,
  oi: bigint,
  lower: bigint,
  upper: bigint,
  mmfRatio: bigint,
): { imf: bigint; mmf: bigint } {
  const imf = oiScaledImf(dynamicImf(dynamic), oi, lower, upper);
  return { imf, mmf: maintenanceFraction(imf, mmfRatio) };
}

/** The inputs of a market's current margin fractions (`currentMarginFractions`). */
export interface CurrentMarginInput {
  /** The listing's floor imf (Dec). */
  baseImf: bigint;
  /** Multiplier on the horizon volatility (Dec); 0 disables the volatility term. */
  k: bigint;
  /** The oracle's EWMA volatility per block (`OracleKeeperApi.sigmaPerBlock`, Dec). */
  sigmaPerBlock: bigint;
  /** Liquidation horizon in blocks (price updates). */
  horizonBlocks: number;
  /** Open interest now (uusd notional, one side). */
  oi: bigint;
  /** OI scaling bounds (uusd); both 0 disables it. */
  lower: bigint;
  upper: bigint;
  /** mmf = imf · mmfRatio (Dec). */
  mmfRatio: bigint;
}

/**
 * A market's margin fractions from the current state, in per-block units.
 *
 * Rule: `imf = oiScaledImf(max(base, k · σ_block · √horizon), oi, lower, upper)`,
 * `mmf = imf · mmfRatio` (`marketMarginFractions` with one "year" of one block: the oracle's
 * per-block σ needs no annualizing). Rounding as in the parts (up).
 */
export function currentMarginFractions(i: CurrentMarginInput): { imf: bigint; mmf: bigint } {
  return marketMarginFractions(
    {
      base: i.baseImf,
      k: i.k,
      sigmaAnnual: i.sigmaPerBlock,
      horizonBlocks: i.horizonBlocks,
      blocksPerYear: 1,
    },
    i.oi,
    i.lower,
    i.upper,
    i.mmfRatio,
  );
}
