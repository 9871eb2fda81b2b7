import { clamp, divRound, ONE, Rounding } from '../../../math/index.ts';
import { absBig, NOTIONAL_SCALE } from './units.ts';

/**
 * One premium sample (dYdX v4).
 *
 * Rule: `premium = (max(0, impactBid − index) − max(0, index − impactAsk)) / index`: positive
 * when even the impact bid is above the index (longs pay), negative when the impact ask is
 * below it (shorts pay), 0 when the index lies inside the impact spread. A side whose impact
 * price is missing (the book cannot fill the impact notional) makes the sample 0.
 * Rounding: `Trunc` (toward zero: symmetric for longs and shorts).
 */
export function fundingPremium(
  impactBid: bigint | undefined,
  impactAsk: bigint | undefined,
  index: bigint,
): bigint {
  if (index <= 0n) throw new RangeError('fundingPremium: index must be > 0');
  if (impactBid === undefined || impactAsk === undefined) return 0n;
  const up = impactBid > index ? impactBid - index : 0n;
  const down = index > impactAsk ? index - impactAsk : 0n;
  return divRound((up - down) * ONE, index, Rounding.Trunc);
}

export interface FundingRateParams {
  /** Interest-rate component per funding period (Hyperliquid: 0.01 % per 8 h). */
  interestRate: bigint;
  /**
   * Hyperliquid clamp on `interest − premium` (0.05 % per 8 h). When given:
   * `F = P̄ + clamp(interest − P̄, −c, c)`; when omitted (dYdX v4): `F = P̄ + interest`.
   */
  interestClamp?: bigint;
  /** Absolute cap on the rate: `F` is clamped to `[−cap, cap]` (see fundingRateCap). */
  cap: bigint;
}

/**
 * Funding rate for one period from the premium samples taken during it.
 *
 * Rule: `P̄ = Σ premiums / n` (0 when there are no samples); Hyperliquid form
 * `F = P̄ + clamp(interest − P̄, ±interestClamp)`, or dYdX form `F = P̄ + interest`; then
 * `F = clamp(F, ±cap)`.
 * Rounding: the mean `Trunc` (toward zero); the rest is exact.
 */
export function fundingRate(premiums: readonly bigint[], p: FundingRateParams): bigint {
  if (p.cap < 0n) throw new RangeError('fundingRate: cap must be ≥ 0');
  let sum = 0n;
  for (const x of premiums) sum += x;
  const mean = premiums.length === 0 ? 0n : divRound(sum, BigInt(premiums.length), Rounding.Trunc);
  const f =
    p.interestClamp === undefined
      ? mean + p.interestRate
      : mean + clamp(p.interestRate - mean, -p.interestClamp, p.interestClamp);
  return clamp(f, -p.cap, p.cap);
}

/**
 * Rule (dYdX v4): the funding rate per period is capped at `multiple · (imf − mmf)` (dYdX:
 * 600 % of the margin gap per 8 h), so one period's funding cannot take an account from
 * initial to below maintenance margin by itself when `multiple ≤ 1`.
 * Rounding: `Floor` (a smaller cap).
 */
export function fundingRateCap(imf: bigint, mmf: bigint, multiple: bigint): bigint {
  const gap = imf > mmf ? imf - mmf : 0n;
  return divRound(gap * multiple, ONE, Rounding.Floor);
}

/**
 * Rule: a rate quoted per `fromMs` becomes `rate · toMs / fromMs` per `toMs` (Hyperliquid
 * quotes per 8 h and pays hourly: `F8h / 8`).
 * Rounding: `Trunc` (toward zero).
 */
export function scaleFundingRate(rate: bigint, fromMs: number, toMs: number): bigint {
  if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || fromMs <= 0 || toMs < 0) {
    throw new RangeError('scaleFundingRate: periods must be safe integers, fromMs > 0');
  }
  return divRound(rate * BigInt(toMs), BigInt(fromMs), Rounding.Trunc);
}

/**
 * One position's funding payment, uusd, positive = the position pays.
 *
 * Rule: `payment = size · price · rate / 10^30`: longs pay shorts when the rate is positive,
 * shorts pay longs when it is negative. `price` is the oracle (index) price at settlement.
 * Rounding: `Ceil` (a payer pays at least the exact amount, a receiver gets at most it). For a
 * zero-sum settlement of a whole market use {@link settleFunding}.
 */
export function fundingPayment(size: bigint, rate: bigint, price: bigint): bigint {
  return divRound(size * price * rate, NOTIONAL_SCALE * ONE, Rounding.Ceil);
}

export interface FundingParty {
  owner: string;
  size: bigint;
}

export interface FundingSettlement {
  owner: string;
  /** uusd, positive = pays, negative = receives. */
  payment: bigint;
}

/**
 * Settle one funding period for every position of a market; the payments sum to exactly 0.
 *
 * Rule: each payer (size of the rate's sign) pays `fundingPayment` (rounded up); the total
 * `P` is shared among the receivers pro rata to `|size|`: `floor(P · |s_i| / Σ|s_recv|)`,
 * and the `< n` uusd left over go one each to the receivers with the largest remainders
 * (largest-remainder method), ties by owner (ascending, code-unit order). No receivers, a
 * zero rate or zero price ⇒ nobody pays. Output in input order. Owners must be unique.
 * Rounding: payers `Ceil`; receivers get the exact distribution of what was paid.
 */
export function settleFunding(
  positions: readonly FundingParty[],
  rate: bigint,
  price: bigint,
): FundingSettlement[] {
  const seen = new Set<string>();
  for (const p of positions) {
    if (seen.has(p.owner)) throw new RangeError(`settleFunding: duplicate owner ${p.owner}`);
    seen.add(p.owner);
  }
  const zero = positions.map((p) => ({ owner: p.owner, payment: 0n }));
  if (rate === 0n || price === 0n) return zero;
  const pays = (s: bigint): boolean => (rate > 0n ? s > 0n : s < 0n);
  const receives = (s: bigint): boolean => (rate > 0n ? s < 0n : s > 0n);
  let receiverSize = 0n;
  for (const p of positions) if (receives(p.size)) receiverSize += absBig(p.size);
  if (receiverSize === 0n) return zero;

  const out = zero;
  let paid = 0n;
  positions.forEach((p, i) => {
    if (!pays(p.size)) return;
    const amount = fundingPayment(p.size, rate, price);
    out[i] = { owner: p.owner, payment: amount };
    paid += amount;
  });
  if (paid === 0n) return out;

  const remainders: { index: number; owner: string; rem: bigint }[] = [];
  let distributed = 0n;
  positions.forEach((p, i) => {
    if (!receives(p.size)) return;
    const w = paid * absBig(p.size);
    const share = w / receiverSize;
    out[i] = { owner: p.owner, payment: -share };
    distributed += share;
    remainders.push({ index: i, owner: p.owner, rem: w % receiverSize });
  });
  remainders.sort((a, b) =>
    a.rem !== b.rem ? (a.rem > b.rem ? -1 : 1) : a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0,
  );
  let left = paid - distributed;
  for (const r of remainders) {
    if (left === 0n) break;
    const cur = out[r.index]!;
    out[r.index] = { owner: cur.owner, payment: cur.payment - 1n };
    left--;
  }
  return out;
}
