import { divRound, ONE, pow, Rounding } from '../../../math/index.ts';

/** `x^n` rounded up, or `undefined` when it exceeds the math library's bound (treated as ∞). */
function powCeilOrInfinite(x: bigint, n: bigint): bigint | undefined {
  try {
    return pow(x, n, Rounding.Ceil);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

export interface BreakerBounds {
  /** Oracle `maxMovePerBlock` (Dec). */
  maxMovePerBlock: bigint;
  /** Oracle `maxMovePerWindow` (Dec). */
  maxMovePerWindow: bigint;
  /** Oracle `breakerWindowBlocks`. */
  breakerWindowBlocks: number;
  /** Length of the attack the budget must withstand, in blocks. */
  attackBlocks: number;
}

/**
 * The largest relative move of the published price the circuit breaker lets through over an
 * attack of `A` blocks.
 *
 * Rule: per block the price moves at most `b`, and from the price at the start of each breaker
 * window at most `w`; an attack of `A` blocks touches at most `⌈A/W⌉ + 1` windows, so
 * `move = min((1+b)^A, (1+w)^(⌈A/W⌉+1)) − 1`. That upward bound also bounds the relative
 * downward move (`1 − (1−x)^n ≤ (1+x)^n − 1`), so it serves longs and shorts.
 * Rounding: `Ceil` (a larger move: a larger profit from corruption).
 */
export function maxMoveOverWindow(b: BreakerBounds): bigint {
  for (const [name, v] of [
    ['breakerWindowBlocks', b.breakerWindowBlocks],
    ['attackBlocks', b.attackBlocks],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1) {
      throw new RangeError(`maxMoveOverWindow: ${name} must be a positive safe integer`);
    }
  }
  const windows = BigInt(Math.ceil(b.attackBlocks / b.breakerWindowBlocks) + 1);
  const byBlock = powCeilOrInfinite(ONE + b.maxMovePerBlock, BigInt(b.attackBlocks));
  const byWindow = powCeilOrInfinite(ONE + b.maxMovePerWindow, windows);
  let factor: bigint;
  if (byBlock === undefined && byWindow === undefined) {
    throw new RangeError('maxMoveOverWindow: the breaker does not bound the move');
  } else if (byBlock === undefined) factor = byWindow!;
  else if (byWindow === undefined) factor = byBlock;
  else factor = byBlock < byWindow ? byBlock : byWindow;
  return factor - ONE;
}

/**
 * Rule: profit from corruption of a market `PfC_m = OI_m × maxMove_m` (uusd; OI is one side's
 * notional: an attacker holding all of it gains at most that much from the largest move the
 * breaker allows over the attack window).
 * Rounding: `Ceil`.
 */
export function profitFromCorruption(oi: bigint, maxMove: bigint): bigint {
  return divRound(oi * maxMove, ONE, Rounding.Ceil);
}

export interface CostOfCorruptionInput {
  /** Bonded stake, ubwk. */
  bondedStake: bigint;
  /** Share of bonded stake an attacker must control to move the median (Dec, e.g. ½ or ⅓). */
  thresholdFraction: bigint;
  /** BWK oracle price: USD per BWK = uusd per ubwk (both denoms have exponent 6), Dec. */
  bwkPrice: bigint;
  /** Share of that stake the protocol can take (slash) when the attack is detected (Dec). */
  slashableFraction: bigint;
}

/**
 * Rule (EigenLayer cost of corruption): `CoC = bondedStake × threshold × bwkPrice ×
 * slashableFraction` (uusd): the value of the stake an attacker must control to move the
 * stake-weighted median, times the fraction the protocol can take from it.
 * Rounding: `Floor` (a smaller cost: smaller caps), on the exact product.
 */
export function costOfCorruption(i: CostOfCorruptionInput): bigint {
  return divRound(
    i.bondedStake * i.thresholdFraction * i.bwkPrice * i.slashableFraction,
    ONE * ONE * ONE,
    Rounding.Floor,
  );
}

/**
 * Rule (EigenLayer security condition with a margin γ): the total profit from corruption
 * must stay within `CoC / (1 + γ)`.
 * Rounding: `Floor`.
 */
export function securityBudget(coc: bigint, gamma: bigint): bigint {
  if (gamma < 0n) throw new RangeError('securityBudget: gamma must be ≥ 0');
  if (coc <= 0n) return 0n;
  return divRound(coc * ONE, ONE + gamma, Rounding.Floor);
}

export interface SecurityMarket {
  id: string;
  /** `maxMoveOverWindow` for the market (Dec, > 0). */
  maxMove: bigint;
  /** Share weight of the budget (≥ 0; any scale). */
  weight: bigint;
}

export interface SecurityCap {
  id: string;
  /** The market's share of the budget (uusd of profit from corruption). */
  budget: bigint;
  /** Its open-interest cap (uusd notional): `budget / maxMove`. */
  cap: bigint;
}

/**
 * Split the security budget among markets and turn each share into an OI cap.
 *
 * Rule: `B = CoC / (1+γ)`; market m gets `B_m = B · w_m / Σw` and `cap_m = B_m / maxMove_m`.
 * Then `Σ_m PfC_m(cap_m) ≤ Σ B_m ≤ B`, and because every term is non-negative the condition
 * holds for every set of markets attacked together, not only all of them. Weights let
 * governance favour markets (e.g. by volume); Σw = 0 gives every cap 0.
 * Rounding: `B`, `B_m`, `cap_m` `Floor` (so `profitFromCorruption(cap_m, maxMove_m) ≤ B_m`
 * even with its `Ceil`). Monotone non-decreasing in CoC. Output in input order; ids unique.
 */
export function oiCapsFromSecurityBudget(
  markets: readonly SecurityMarket[],
  coc: bigint,
  gamma: bigint,
): SecurityCap[] {
  const ids = new Set<string>();
  let totalWeight = 0n;
  for (const m of markets) {
    if (ids.has(m.id)) throw new RangeError(`oiCapsFromSecurityBudget: duplicate market ${m.id}`);
    ids.add(m.id);
    if (m.maxMove <= 0n) throw new RangeError(`oiCapsFromSecurityBudget: maxMove of ${m.id} ≤ 0`);
    if (m.weight < 0n) throw new RangeError(`oiCapsFromSecurityBudget: weight of ${m.id} < 0`);
    totalWeight += m.weight;
  }
  const b = securityBudget(coc, gamma);
  return markets.map((m) => {
    const budget = totalWeight === 0n ? 0n : (b * m.weight) / totalWeight;
    return { id: m.id, budget, cap: (budget * ONE) / m.maxMove };
  });
}

/**
 * Rule: the security condition over a set of markets: `Σ PfC_m ≤ CoC / (1+γ)`.
 * Rounding: PfC `Ceil`, budget `Floor` (a strict check).
 */
export function securityCheck(
  markets: readonly { oi: bigint; maxMove: bigint }[],
  coc: bigint,
  gamma: bigint,
): { pfc: bigint; budget: bigint; ok: boolean } {
  let pfc = 0n;
  for (const m of markets) pfc += profitFromCorruption(m.oi, m.maxMove);
  const budget = securityBudget(coc, gamma);
  return { pfc, budget, ok: pfc <= budget };
}

/**
 * Rule: stake-to-open-interest ratio `= stake value / total OI notional` (both uusd): how many
 * dollars of stake stand behind each dollar of open interest. `null` when OI is 0 (infinite).
 * Rounding: `Floor`.
 */
export function stakeToOiRatio(stakeValue: bigint, totalOi: bigint): bigint | null {
  if (totalOi <= 0n) return null;
  return divRound(stakeValue * ONE, totalOi, Rounding.Floor);
}
