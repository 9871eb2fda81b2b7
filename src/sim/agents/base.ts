import { z } from 'zod';
import type { Msg } from '../../core/tx/tx.ts';
import { fundsSchema } from '../prices/spec-units.ts';
import type { ActContext, Agent, SimRng, SimView } from '../types.ts';
import { perpsDeposit, RunClock, type Subaccount, subaccount } from './chain.ts';

/**
 * What an actor reports at the end of a run (and may be sampled during it): named numbers
 * such as `pnlUusd`, `txs`, `ordersPlaced`. Amounts are bigint base units; the metric names
 * say their unit.
 */
export type ActorStats = Record<string, number | bigint | string>;

/** An agent that reports statistics (every agent of `agents/` and `adversaries/` does). */
export interface AgentWithStats extends Agent {
  stats(): ActorStats;
}

export function hasStats(a: Agent): a is AgentWithStats {
  return typeof (a as Partial<AgentWithStats>).stats === 'function';
}

/** Streams of randomness by actor name (the engine's `rngFor`). */
export type RngFor = (name: string) => SimRng;

/** A name prefix: lower-case letters, digits and dashes. */
export const actorNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'expected lower-case letters, digits and dashes (≤ 32)');

/** Fields every population spec has: how many, what each holds at genesis, a name prefix. */
export const populationFields = {
  /** How many agents of this kind (each with the funds below). */
  count: z.number().int().min(1).max(10_000).default(1),
  /** Agents are named `<name>-<i>` (default: the type). */
  name: actorNameSchema.optional(),
  /** Genesis balances of each agent in base units, e.g. `{ uusd: '10_000_000_000' }`. */
  funds: fundsSchema,
};

/** Fees are paid in ubwk: an agent given none gets this much (1 000 BWK) for its fees. */
export const DEFAULT_FEE_FUNDS = 1_000_000_000n;

export function withFeeFunds(funds: Record<string, bigint>): Record<string, bigint> {
  return funds.ubwk === undefined ? { ...funds, ubwk: DEFAULT_FEE_FUNDS } : { ...funds };
}

export function agentNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

/** Shared bookkeeping: name, funds, address, the count of txs proposed, client ids. */
export abstract class BaseAgent implements AgentWithStats {
  address = '';
  readonly funds: Record<string, bigint>;
  protected txs = 0;
  private clientSeq = 0;
  private readonly clock = new RunClock();

  constructor(
    readonly name: string,
    funds: Record<string, bigint>,
  ) {
    this.funds = withFeeFunds(funds);
  }

  act(ctx: ActContext): Msg[] {
    const msgs = this.decide(ctx);
    if (msgs.length > 0) this.txs += 1;
    return msgs;
  }

  protected abstract decide(ctx: ActContext): Msg[];

  stats(): ActorStats {
    return { txs: this.txs };
  }

  /** Seconds since genesis at the start of the block being built (see RunClock). */
  protected now(view: SimView): number {
    return this.clock.seconds(view);
  }

  /** A fresh client id (open orders of one owner must have distinct ones). */
  protected nextClientId(): number {
    this.clientSeq = (this.clientSeq + 1) % 2_000_000_000;
    return this.clientSeq;
  }
}

/**
 * An agent trading one perps market from an isolated subaccount: it deposits `collateral`
 * on its first turn (and again if that deposit did not land within 3 blocks); once funded,
 * it never tops up, so a trader that loses everything stays out.
 */
export abstract class PerpsTrader extends BaseAgent {
  private funded = false;
  private depositSentAt: number | undefined;

  constructor(
    name: string,
    funds: Record<string, bigint>,
    readonly market: string,
    readonly collateral: bigint,
  ) {
    super(name, funds);
    if (collateral <= 0n) throw new RangeError(`${name}: collateral must be positive`);
  }

  /** Not yet seen funded on chain (it must look at its subaccount this turn). */
  protected get unfunded(): boolean {
    return !this.funded;
  }

  /** The subaccount now, and the deposit msg to send first if it is not funded yet. */
  protected account(view: SimView): { sub: Subaccount; fund: Msg[]; equityUusd: bigint } {
    const sub = subaccount(view, this.market, this.address);
    if (sub.collateral > 0n || sub.size !== 0) this.funded = true;
    if (this.funded) return { sub, fund: [], equityUusd: sub.equity };
    if (this.depositSentAt !== undefined && view.height - this.depositSentAt < 3) {
      return { sub, fund: [], equityUusd: 0n };
    }
    this.depositSentAt = view.height;
    return { sub, fund: [perpsDeposit(this.market, this.collateral)], equityUusd: this.collateral };
  }
}
