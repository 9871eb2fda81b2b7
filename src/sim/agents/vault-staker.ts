import { z } from 'zod';
import type { Msg } from '../../core/tx/tx.ts';
import {
  amountSchema,
  boundedFraction,
  durationSchema,
  SECONDS_PER_YEAR,
} from '../prices/spec-units.ts';
import type { ActContext, SimView } from '../types.ts';
import { agentNames, BaseAgent, populationFields } from './base.ts';
import { balance, big, float, vaultDeposit, vaultRequestWithdraw, vaultWithdraw } from './chain.ts';

/**
 * A vault staker: provides capital to a market's vault and follows its yield. On its first
 * turn it deposits `chunk` uusd. Every `checkEvery` it measures the vault's annualised
 * yield from its share price over the last `lookback` (simple annualisation) and
 *
 * - deposits another `chunk` (while its wallet has it) when the yield is ≥ `enterYield`;
 * - requests the withdrawal of `withdrawFraction` of its free shares when the yield is
 *   < `exitYield` (a loss-making vault, e.g. after absorbing bad debt);
 * - withdraws whatever requests are past their cooldown (`ready`).
 *
 * The run of deposits and withdrawals against the yield is what shows whether a vault keeps
 * its capital through a crash.
 */
export const vaultStakerSpec = z.strictObject({
  type: z.literal('vault-staker'),
  ...populationFields,
  vault: z.string().min(1),
  /** uusd per deposit (default: a quarter of the uusd in `funds`). */
  chunk: amountSchema.optional(),
  checkEvery: durationSchema.refine((s) => s > 0, { message: 'expected > 0' }).default(3600),
  lookback: durationSchema.refine((s) => s > 0, { message: 'expected > 0' }).default(86_400),
  enterYield: boundedFraction(-10, 10).default(0.05),
  exitYield: boundedFraction(-10, 10).default(0),
  withdrawFraction: boundedFraction(0.000001, 1).default(0.5),
});
export type VaultStakerSpec = z.output<typeof vaultStakerSpec>;

interface SharesAnswer {
  shares: unknown;
  pending: { shares: unknown; status?: string }[];
}

export class VaultStaker extends BaseAgent {
  /** (seconds, share price) samples, oldest first, trimmed to the lookback. */
  private readonly history: [number, number][] = [];
  private lastCheck = Number.NEGATIVE_INFINITY;
  private deposits = 0;
  private requests = 0;
  private withdrawals = 0;
  private lastYield: number | undefined;
  private readonly chunk: bigint;

  constructor(
    name: string,
    readonly spec: VaultStakerSpec,
  ) {
    super(name, spec.funds);
    this.chunk = spec.chunk ?? (spec.funds.uusd ?? 0n) / 4n;
    if (this.chunk <= 0n) throw new RangeError(`${name}: needs uusd in funds or a chunk > 0`);
  }

  protected decide({ view }: ActContext): Msg[] {
    const s = this.spec;
    const now = this.now(view);
    if (this.deposits === 0) {
      this.deposits = 1;
      this.lastCheck = now;
      this.sample(view, now);
      return [vaultDeposit(s.vault, this.chunk)];
    }
    if (now - this.lastCheck < s.checkEvery) return [];
    this.lastCheck = now;
    const price = this.sample(view, now);
    const oldest = this.history[0]!;
    const span = now - oldest[0];
    const msgs: Msg[] = [];
    const mine = view.query<SharesAnswer>('vaults/shares', { vault: s.vault, owner: this.address });
    if (mine.pending.some((r) => r.status === 'ready')) {
      msgs.push(vaultWithdraw(s.vault));
      this.withdrawals += 1;
    }
    if (span <= 0 || oldest[1] <= 0) return msgs;
    const yearly = (price / oldest[1] - 1) * (SECONDS_PER_YEAR / span);
    this.lastYield = yearly;
    if (yearly >= s.enterYield && balance(view, this.address, 'uusd') >= this.chunk) {
      msgs.push(vaultDeposit(s.vault, this.chunk));
      this.deposits += 1;
    } else if (yearly < s.exitYield) {
      const pending = mine.pending.reduce((a, r) => a + big(r.shares, 'shares'), 0n);
      const free = big(mine.shares, 'shares') - pending;
      const amount = (free * BigInt(Math.round(s.withdrawFraction * 1e6))) / 1_000_000n;
      if (amount > 0n) {
        msgs.push(vaultRequestWithdraw(s.vault, amount));
        this.requests += 1;
      }
    }
    return msgs;
  }

  /** Records the vault's share price now and drops samples older than the lookback. */
  private sample(view: SimView, now: number): number {
    const info = view.query<{ sharePrice: unknown }>('vaults/info', { vault: this.spec.vault });
    const price = float(info.sharePrice);
    this.history.push([now, price]);
    while (this.history.length > 1 && now - this.history[1]![0] >= this.spec.lookback) {
      this.history.shift();
    }
    return price;
  }

  override stats() {
    return {
      ...super.stats(),
      deposits: this.deposits,
      withdrawRequests: this.requests,
      withdrawals: this.withdrawals,
      lastYield: this.lastYield ?? 0,
    };
  }
}

export function createVaultStakers(spec: VaultStakerSpec): VaultStaker[] {
  return agentNames(spec.name ?? spec.type, spec.count).map((n) => new VaultStaker(n, spec));
}
