/**
 * Test support: the brute-force reward model the acceptance property compares the chain
 * with. It recomputes every block's split from the votes and, block by block, credits each
 * delegation its shares × the block's per-share increment (the documented quantisation:
 * floor((R × SCALE + carry) / totalShares), carry kept per validator), and pays
 * floor(credited / SCALE) at every settlement point (delegation change, removal,
 * withdrawal). Alongside, it keeps each delegator's exact rational share of every block
 * (to 10^-60), independent of that quantisation, to bound the rounding loss.
 */
import type { VoteInfo } from '../../app/types.ts';
import { ONE } from '../../math/index.ts';

const SCALE = 10n ** 36n;
export const EXACT_SCALE = 10n ** 60n;

export interface ModelValidator {
  operator: string;
  consAddress: string;
  commissionRate: bigint;
  /** Who its operator's commission is paid to. */
  commissionRecipient: string;
}

const key = (validator: string, delegator: string) => `${validator}|${delegator}`;

export class RewardModel {
  /** Shares per delegation (validator|delegator), mirrored from staking after each change. */
  readonly shares = new Map<string, bigint>();
  /** Σ shares × increment since the delegation's last settlement. */
  readonly credited = new Map<string, bigint>();
  readonly carry = new Map<string, bigint>();
  readonly commission = new Map<string, bigint>();
  /** Paid out, by recipient (withdraw address). */
  readonly paid = new Map<string, bigint>();
  /** Rewards paid out, by delegator. */
  readonly paidRewards = new Map<string, bigint>();
  /** Exact share of delegator rewards (× EXACT_SCALE), by delegator. */
  readonly exact = new Map<string, bigint>();
  /** Settlements per delegator (each may lose < 1 unit to the floor). */
  readonly settlements = new Map<string, number>();
  community = 0n;
  distributed = 0n;

  constructor(
    readonly validators: ModelValidator[],
    readonly communityTax: bigint,
    readonly recipientOf: (delegator: string) => string,
  ) {}

  /** One block: `total` (minted + previous fees) split over the signed votes. */
  block(total: bigint, votes: VoteInfo[]): void {
    this.distributed += total;
    const signers: { v: ModelValidator; power: bigint }[] = [];
    for (const vote of votes) {
      if (!vote.signed || vote.power <= 0n) continue;
      const v = this.validators.find((x) => x.consAddress === vote.address);
      if (v !== undefined) signers.push({ v, power: vote.power });
    }
    const totalPower = signers.reduce((s, x) => s + x.power, 0n);
    if (total === 0n) return;
    if (totalPower === 0n) {
      this.community += total;
      return;
    }
    const forValidators = (total * (ONE - this.communityTax)) / ONE;
    let given = 0n;
    for (const { v, power } of signers) {
      const share = (forValidators * power) / totalPower;
      given += share;
      const commission = (share * v.commissionRate) / ONE;
      this.commission.set(v.operator, (this.commission.get(v.operator) ?? 0n) + commission);
      const forDelegators = share - commission;
      const holders = [...this.shares].filter(([k]) => k.startsWith(`${v.operator}|`));
      const totalShares = holders.reduce((s, [, sh]) => s + sh, 0n);
      if (totalShares === 0n) {
        this.community += forDelegators;
        continue;
      }
      const n = forDelegators * SCALE + (this.carry.get(v.operator) ?? 0n);
      const inc = n / totalShares;
      this.carry.set(v.operator, n % totalShares);
      for (const [k, sh] of holders) {
        this.credited.set(k, (this.credited.get(k) ?? 0n) + sh * inc);
        const d = k.slice(v.operator.length + 1);
        this.exact.set(
          d,
          (this.exact.get(d) ?? 0n) + (forDelegators * sh * EXACT_SCALE) / totalShares,
        );
      }
    }
    this.community += total - given;
  }

  pending(validator: string, delegator: string): bigint {
    return (this.credited.get(key(validator, delegator)) ?? 0n) / SCALE;
  }

  /** A settlement point: pay floor(credited / SCALE), drop the rest (dust). */
  settle(validator: string, delegator: string): void {
    const k = key(validator, delegator);
    if (!this.shares.has(k)) return;
    const p = this.pending(validator, delegator);
    const to = this.recipientOf(delegator);
    this.paid.set(to, (this.paid.get(to) ?? 0n) + p);
    this.paidRewards.set(delegator, (this.paidRewards.get(delegator) ?? 0n) + p);
    this.credited.set(k, 0n);
    this.settlements.set(delegator, (this.settlements.get(delegator) ?? 0) + 1);
  }

  setShares(validator: string, delegator: string, shares: bigint | undefined): void {
    const k = key(validator, delegator);
    if (shares === undefined || shares === 0n) {
      this.shares.delete(k);
      this.credited.delete(k);
    } else {
      this.shares.set(k, shares);
    }
  }

  delegationsOf(delegator: string): string[] {
    return [...this.shares.keys()]
      .filter((k) => k.endsWith(`|${delegator}`))
      .map((k) => k.slice(0, k.indexOf('|')));
  }

  withdrawCommission(v: ModelValidator): bigint {
    const c = this.commission.get(v.operator) ?? 0n;
    this.commission.set(v.operator, 0n);
    this.paid.set(v.commissionRecipient, (this.paid.get(v.commissionRecipient) ?? 0n) + c);
    return c;
  }
}
