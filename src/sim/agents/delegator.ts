import { z } from 'zod';
import type { Msg } from '../../core/tx/tx.ts';
import { amountSchema, boundedFraction, durationSchema } from '../prices/spec-units.ts';
import type { ActContext, SimView } from '../types.ts';
import { agentNames, BaseAgent, populationFields } from './base.ts';
import { big, cachedQuery, delegate, float, redelegateShares } from './chain.ts';

/**
 * A delegator chasing staking yield. On its first turn it delegates `amount` ubwk to the
 * validator with the best APR; every `checkEvery` it compares the APR of each validator it
 * delegates to with the best one and redelegates (all of that delegation's shares) when the
 * best is at least `minGain` higher. A jailed or unbonded validator earns nothing, so its
 * delegators leave it: stake flows away from faulty validators as it would on a live chain.
 *
 * APRs come from `distribution/apr` (inflation net of commission, per validator). On a chain
 * without the distribution module the delegator ranks by `staking/validators` instead:
 * (1 − commission) for bonded, unjailed validators, 0 otherwise. Ties go to the validator
 * with less stake (delegators spread out), then by address.
 */
export const delegatorSpec = z.strictObject({
  type: z.literal('delegator'),
  ...populationFields,
  /** ubwk to delegate (default: 90 % of the ubwk in `funds`, the rest pays fees). */
  amount: amountSchema.optional(),
  checkEvery: durationSchema.refine((s) => s > 0, { message: 'expected > 0' }).default(3600),
  /** APR difference (absolute, e.g. 1% = 0.01) that makes it move. */
  minGain: boundedFraction(0, 10).default(0.01),
});
export type DelegatorSpec = z.output<typeof delegatorSpec>;

interface Ranked {
  operator: string;
  apr: number;
  tokens: bigint;
}

interface ValidatorAnswer {
  operator: string;
  tokens: unknown;
  jailed: boolean;
  status: string;
  commission: { rate: unknown };
}

/** Every validator with its APR, best first. */
export function rankValidators(view: SimView): Ranked[] {
  const vals = cachedQuery<ValidatorAnswer[]>(view, 'staking/validators');
  const tokens = new Map(vals.map((v) => [v.operator, big(v.tokens, 'tokens')]));
  let aprs: Map<string, number>;
  try {
    const a = cachedQuery<{ validators: { operator: string; apr: unknown }[] }>(
      view,
      'distribution/apr',
    );
    aprs = new Map(a.validators.map((v) => [v.operator, float(v.apr)]));
  } catch {
    // no distribution module: rank by what a delegator keeps of a unit of reward
    aprs = new Map(
      vals.map((v) => {
        const rate = commissionRate(v.commission.rate);
        return [v.operator, v.status === 'bonded' && !v.jailed ? 1 - rate : 0];
      }),
    );
  }
  return vals
    .map((v) => ({
      operator: v.operator,
      apr: aprs.get(v.operator) ?? 0,
      tokens: tokens.get(v.operator) ?? 0n,
    }))
    .sort(
      (a, b) =>
        b.apr - a.apr ||
        (a.tokens < b.tokens ? -1 : a.tokens > b.tokens ? 1 : 0) ||
        (a.operator < b.operator ? -1 : 1),
    );
}

/** Commission rate: an 18-decimal bigint in state, a decimal string over RPC. */
function commissionRate(v: unknown): number {
  if (typeof v === 'bigint') return Number(v) / 1e18;
  return float(v);
}

export class Delegator extends BaseAgent {
  private lastCheck = Number.NEGATIVE_INFINITY;
  private delegated = false;
  private moves = 0;
  private readonly amount: bigint;

  constructor(
    name: string,
    readonly spec: DelegatorSpec,
  ) {
    super(name, spec.funds);
    this.amount = spec.amount ?? ((spec.funds.ubwk ?? 0n) * 9n) / 10n;
    if (this.amount <= 0n) throw new RangeError(`${name}: needs ubwk in funds or an amount > 0`);
  }

  protected decide({ view }: ActContext): Msg[] {
    const now = this.now(view);
    if (!this.delegated) {
      const best = rankValidators(view)[0];
      if (best === undefined) return [];
      this.delegated = true;
      this.lastCheck = now;
      return [delegate(best.operator, 'ubwk', this.amount)];
    }
    if (now - this.lastCheck < this.spec.checkEvery) return [];
    this.lastCheck = now;
    const ranked = rankValidators(view);
    const best = ranked[0];
    if (best === undefined) return [];
    const apr = new Map(ranked.map((r) => [r.operator, r.apr]));
    const mine = view.query<{ validator: string; shares: unknown }[]>('staking/delegations', {
      delegator: this.address,
    });
    // the chain keeps at most maxEntries maturing redelegations per (source, destination)
    const maxEntries = Number(
      cachedQuery<{ maxEntries: unknown }>(view, 'staking/params').maxEntries,
    );
    const pending = view.query<{ src: string; dst: string; entries: unknown[] }[]>(
      'staking/redelegations',
      { delegator: this.address },
    );
    const entries = (src: string) =>
      pending.find((r) => r.src === src && r.dst === best.operator)?.entries.length ?? 0;
    const msgs: Msg[] = [];
    for (const d of mine) {
      if (d.validator === best.operator) continue;
      if ((apr.get(d.validator) ?? 0) + this.spec.minGain > best.apr) continue;
      if (entries(d.validator) >= maxEntries) continue;
      msgs.push(redelegateShares(d.validator, best.operator, big(d.shares, 'shares')));
    }
    this.moves += msgs.length;
    return msgs;
  }

  override stats() {
    return { ...super.stats(), redelegations: this.moves };
  }
}

export function createDelegators(spec: DelegatorSpec): Delegator[] {
  return agentNames(spec.name ?? spec.type, spec.count).map((n) => new Delegator(n, spec));
}
