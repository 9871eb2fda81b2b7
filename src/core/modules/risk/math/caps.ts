import { divRound, ONE, Rounding } from '../../../math/index.ts';

/**
 * Rule (Synthetix v3): a market locks `requiredCredit = OI · lockedOiRatio` of its vault
 * (LPs cannot withdraw below it).
 * Rounding: `Ceil`.
 */
export function requiredCredit(oi: bigint, lockedOiRatio: bigint): bigint {
  return divRound(oi * lockedOiRatio, ONE, Rounding.Ceil);
}

/**
 * Rule (Synthetix v3, inverted): the OI a vault can back is `vaultEquity / lockedOiRatio`
 * (uusd notional); 0 when the vault's equity is ≤ 0.
 * Rounding: `Floor`.
 * @throws RangeError when `lockedOiRatio ≤ 0`.
 */
export function oiCapFromVault(vaultEquity: bigint, lockedOiRatio: bigint): bigint {
  if (lockedOiRatio <= 0n) throw new RangeError('oiCapFromVault: lockedOiRatio must be > 0');
  if (vaultEquity <= 0n) return 0n;
  return divRound(vaultEquity * ONE, lockedOiRatio, Rounding.Floor);
}

export interface OiCaps {
  /** `oiCapFromVault` of the market (uusd notional). */
  vault: bigint;
  /** The market's `oiCapsFromSecurityBudget` cap (uusd notional). */
  security: bigint;
}

export type OiCapCheck =
  | { ok: true }
  | { ok: false; cap: 'vault' | 'security'; limit: bigint; excess: bigint };

/**
 * Open-interest admission.
 *
 * Rule: an order that changes the market's OI by `delta` (uusd notional; the caller computes
 * it from the fills: OI rises only when both sides open) is allowed when `delta ≤ 0`
 * (reducing orders are always allowed, even above a cap) or when
 * `currentOi + delta ≤ min(vault, security)`. Otherwise it reports the binding (smaller)
 * cap — `'vault'` on a tie — its limit, and `excess = currentOi + delta − limit`. Exact.
 */
export function checkOiCap(currentOi: bigint, delta: bigint, caps: OiCaps): OiCapCheck {
  if (delta <= 0n) return { ok: true };
  const after = currentOi + delta;
  const cap = caps.vault <= caps.security ? 'vault' : 'security';
  const limit = cap === 'vault' ? caps.vault : caps.security;
  if (after <= limit) return { ok: true };
  return { ok: false, cap, limit, excess: after - limit };
}

/** A message for a refused order: which cap, its limit, and by how much (uusd). */
export function oiCapMessage(market: string, r: Extract<OiCapCheck, { ok: false }>): string {
  return `open interest cap (${r.cap}) of ${market} exceeded: expected at most ${r.limit} uusd, got ${r.limit + r.excess} uusd (excess ${r.excess} uusd)`;
}
