import { readFileSync } from 'node:fs';
import { encodeTx, type Msg, signTx, type TxBody } from '../../core/tx/tx.ts';
import { createPriceProcess, type PriceProcessSpec } from '../prices/index.ts';
import type { RunEvent } from '../report/types.ts';
import { type Scenario, type SweepPoint, withPoint } from '../scenario/load.ts';
import type { Agent, PriceProcess, SimRng, ValidatorBehaviour } from '../types.ts';
import { createActors, hasStats } from './actors.ts';
import { blockEvents, InvariantViolation, SimChain } from './chain.ts';
import { BWK_MARKET, buildGenesis, type Funding } from './genesis.ts';
import { simKey } from './keys.ts';
import { type Sample, Sampler } from './metrics.ts';
import { createRng, deriveSeed } from './rng.ts';
import { priceToUnits } from './units.ts';
import { ChainView } from './view.ts';

/**
 * One Monte Carlo run of a scenario at one sweep point: a fresh chain from the scenario's
 * genesis, its price processes and actors on streams derived from the run's seed, driven
 * block by block; invariants checked, metrics sampled, events recorded. A run that breaks
 * an invariant (or whose actor throws) stops there and says at which block and why.
 */
export interface RunSpec {
  point: SweepPoint;
  /** Index of the run within its point (0-based); the run's seed derives from it. */
  run: number;
}

export interface RunOptions {
  /** The simulator's signature switch (see AppOptions.trustSignatures). */
  trustSignatures: boolean;
  /** Called every `progressEvery` blocks with the blocks done since the last call. */
  onProgress?: (blocks: number) => void;
  progressEvery?: number;
  /** When given, wall milliseconds spent per phase of the block loop are added into it. */
  phases?: PhaseTimes;
}

/** Where a run's time goes, in wall milliseconds (the bench prints it per block). */
export interface PhaseTimes {
  /** Price processes and the actors' decisions, with their queries and tx encoding. */
  actors: number;
  /** The proposer's `prepareProposal` and the validators' votes and vote extensions. */
  proposal: number;
  /** `finalizeBlock` and `commit`: the state machine itself. */
  execute: number;
  /** Every module's invariants. */
  invariants: number;
  /** Metrics samples and event records. */
  metrics: number;
}

export function emptyPhaseTimes(): PhaseTimes {
  return { actors: 0, proposal: 0, execute: 0, invariants: 0, metrics: 0 };
}

export interface RunResult {
  point: string;
  run: number;
  seed: string;
  samples: Sample[];
  events: RunEvent[];
  /** Set when the run stopped early: an invariant broke or an actor failed. */
  failure?: { block: number; message: string };
  blocks: number;
  haltedBlocks: number;
  txs: number;
  txsRefused: number;
  /**
   * Refused txs by actor and reason, `<actor> <codespace>/<code>` → count (actor names
   * without their trailing index, so a population counts as one).
   */
  refusals: Record<string, number>;
  /** Attacker accounts' value (uusd) at the start and the end. */
  attackerStart: bigint;
  attackerEnd: bigint;
  /** Stake of the attacker's validators burned by slashing (ubwk). */
  attackerSlashed: bigint;
  /** Per actor, its own statistics at the end (numbers and bigints as strings). */
  actors: Record<string, Record<string, string>>;
}

/** The seed of run `run` (the same at every sweep point: common random numbers). */
export function runSeed(scenarioSeed: string, run: number): string {
  return deriveSeed(scenarioSeed, `run:${run}`);
}

export function runScenario(scenario: Scenario, spec: RunSpec, opts: RunOptions): RunResult {
  const seed = runSeed(scenario.spec.seed, spec.run);
  const rngFor = (name: string) => createRng(seed, `init:${name}`);
  const actors = createActors(scenario, rngFor);
  const agentRng = new Map<Agent, SimRng>();
  for (const a of actors.agents) {
    a.address = simKey(`agent/${a.name}`).address;
    agentRng.set(a, createRng(seed, `agent:${a.name}`));
  }
  const genesisSpec = withPoint(scenario.genesis, spec.point);
  const funding: Funding[] = actors.agents.map((a) => ({ address: a.address, coins: a.funds }));
  const chain = new SimChain({
    genesis: buildGenesis(genesisSpec, funding),
    validators: genesisSpec.validators.map((v) => v.name),
    blockTimeMs: scenario.blockTimeMs,
    trustSignatures: opts.trustSignatures,
    // processProposal is the other validators' re-check of the proposer's block; when the
    // simulator trusts its own actors, the proposer is one of them.
    checkProposals: !opts.trustSignatures,
    seed,
    invariantsEvery: scenario.spec.invariantsEvery,
    ...(opts.phases === undefined ? {} : { phases: opts.phases }),
  });
  const phases = opts.phases;
  const markets = genesisSpec.markets.map((m) => m.id);
  const processes = priceProcesses(scenario, genesisSpec.markets, genesisSpec.bwkPrice);
  const priceRng = new Map(processes.map((p) => [p, createRng(seed, `price:${p.asset}`)]));
  const view = new ChainView(chain, scenario.blockTimeMs);
  const attackerAccounts = actors.agents
    .filter((a) => actors.attackerAgents.has(a.name))
    .map((a) => a.address);
  const sampler = new Sampler(chain.app, markets, markets, attackerAccounts);
  const fee = BigInt(
    (view.query<{ minFee: string }>('auth/params').minFee as unknown as string) ?? '100',
  );
  const nonces = new Map<Agent, number>();

  const result: RunResult = {
    point: spec.point.label,
    run: spec.run,
    seed,
    samples: [],
    events: [],
    blocks: 0,
    haltedBlocks: 0,
    txs: 0,
    txsRefused: 0,
    refusals: {},
    attackerStart: attackerAccounts.length > 0 ? sampler.accountValue(attackerAccounts) : 0n,
    attackerEnd: 0n,
    attackerSlashed: 0n,
    actors: {},
  };
  // Block 0: the genesis state at the start prices.
  for (const p of [{ id: BWK_MARKET, price: genesisSpec.bwkPrice }, ...genesisSpec.markets]) {
    view.prices[p.id] = p.price;
  }
  result.samples.push(sampler.sample(0, 0, view.prices));
  const dt = scenario.blockTimeMs / 1000;
  const progressEvery = opts.progressEvery ?? 500;
  let sinceProgress = 0;
  let block = 0;
  try {
    for (block = 1; block <= scenario.blocks; block++) {
      const t0 = phases === undefined ? 0 : performance.now();
      const step = { block, tSeconds: block * dt, dtSeconds: dt };
      const observed: Record<string, bigint> = {};
      for (const p of processes) {
        const price = p.next(step, priceRng.get(p) as SimRng);
        view.prices[p.asset] = price;
        observed[p.asset] = priceToUnits(price);
      }
      // Actors see the committed state and this block's true prices.
      const txs: Uint8Array[] = [];
      const senders: Agent[] = [];
      for (const a of actors.agents) {
        const msgs = a.act({ view, rng: agentRng.get(a) as SimRng });
        if (msgs.length === 0) continue;
        txs.push(buildTx(chain.chainId, a, nonces, msgs, fee, opts.trustSignatures));
        senders.push(a);
      }
      const behaviours = new Map<string, ValidatorBehaviour | undefined>();
      const behaviourOf = (name: string) => {
        if (!behaviours.has(name)) behaviours.set(name, mergeBehaviours(actors.faults, name, view));
        return behaviours.get(name);
      };
      if (phases !== undefined) phases.actors += performance.now() - t0;
      const out = chain.step(txs, behaviourOf, (_name, b) =>
        b?.priceBias === undefined ? observed : biased(view.prices, observed, b.priceBias),
      );
      const t1 = phases === undefined ? 0 : performance.now();
      result.blocks = block;
      result.txs += txs.length;
      if (!out.committed || out.response === undefined) {
        result.haltedBlocks++;
        result.events.push({ block, kind: 'halt', subject: 'consensus' });
        // The txs were not included: their nonces are still free.
        for (const a of senders) nonces.set(a, (nonces.get(a) ?? 1) - 1);
      } else {
        const results = out.response.txResults.slice(out.response.txResults.length - txs.length);
        results.forEach((r, i) => {
          if (r.code === 0) return;
          result.txsRefused++;
          const who = (senders[i]?.name ?? '?').replace(/[-_]?\d+$/, '');
          const why = `${who} ${r.codespace}/${r.code}`;
          result.refusals[why] = (result.refusals[why] ?? 0) + 1;
          // Refused before its messages ran (no tx event): the nonce was not used.
          if (r.events.length === 0) resyncNonce(view, senders[i] as Agent, nonces);
        });
        recordEvents(chain, out.response, block, result, actors.attackerValidators);
      }
      if (block % scenario.every === 0 || block === scenario.blocks) {
        result.samples.push(sampler.sample(block, step.tSeconds, view.prices));
      }
      if (phases !== undefined) phases.metrics += performance.now() - t1;
      if (opts.onProgress !== undefined && ++sinceProgress >= progressEvery) {
        opts.onProgress(sinceProgress);
        sinceProgress = 0;
      }
    }
  } catch (e) {
    result.failure =
      e instanceof InvariantViolation
        ? { block: e.block, message: e.message }
        : { block, message: `block ${block}: ${(e as Error).message}` };
  }
  if (opts.onProgress !== undefined && sinceProgress > 0) opts.onProgress(sinceProgress);
  result.attackerEnd = attackerAccounts.length > 0 ? sampler.accountValue(attackerAccounts) : 0n;
  for (const a of actors.agents) {
    if (!hasStats(a)) continue;
    const s: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.stats())) s[k] = String(v);
    result.actors[a.name] = s;
  }
  return result;
}

function priceProcesses(
  scenario: Scenario,
  markets: { id: string; price: number }[],
  bwkPrice: number,
): PriceProcess[] {
  const assets = [{ id: BWK_MARKET, price: bwkPrice }, ...markets];
  return assets.map(({ id, price }) => {
    const spec = scenario.spec.prices[id] as PriceProcessSpec | undefined;
    if (spec === undefined) return { asset: id, next: () => price };
    return createPriceProcess(id, spec, {
      baseDir: scenario.baseDir,
      readCsv: (f) => readFileSync(f, 'utf8'),
    });
  });
}

function buildTx(
  chainId: string,
  a: Agent,
  nonces: Map<Agent, number>,
  msgs: Msg[],
  fee: bigint,
  trust: boolean,
): Uint8Array {
  const nonce = nonces.get(a) ?? 0;
  nonces.set(a, nonce + 1);
  const key = simKey(`agent/${a.name}`);
  const body: TxBody = {
    chainId,
    signer: key.pubKey,
    nonce,
    fee: { denom: 'ubwk', amount: fee },
    msgs,
  };
  return trust
    ? encodeTx({ body, signature: new Uint8Array(64) })
    : encodeTx(signTx(body, key.seed));
}

function resyncNonce(view: ChainView, a: Agent, nonces: Map<Agent, number>): void {
  const acc = view.query<{ nonce: number } | null>('auth/account', { address: a.address });
  nonces.set(a, acc === null || acc === undefined ? 0 : Number(acc.nonce));
}

/** What the faults say a validator does this block (later faults add to earlier ones). */
function mergeBehaviours(
  faults: { behaviour(v: string, view: ChainView): ValidatorBehaviour | undefined }[],
  name: string,
  view: ChainView,
): ValidatorBehaviour | undefined {
  let out: ValidatorBehaviour | undefined;
  for (const f of faults) {
    const b = f.behaviour(name, view);
    if (b === undefined) continue;
    out = {
      ...(out ?? {}),
      ...b,
      ...(out?.priceBias !== undefined || b.priceBias !== undefined
        ? { priceBias: { ...(out?.priceBias ?? {}), ...(b.priceBias ?? {}) } }
        : {}),
    };
  }
  return out;
}

function biased(
  prices: Record<string, number>,
  honest: Record<string, bigint>,
  bias: Record<string, number>,
): Record<string, bigint> {
  const out = { ...honest };
  for (const [asset, b] of Object.entries(bias)) {
    const p = prices[asset];
    if (p !== undefined && p * (1 + b) > 0) out[asset] = priceToUnits(p * (1 + b));
  }
  return out;
}

const EVENT_KINDS: Record<string, string> = {
  perps_liquidation: 'liquidation',
  // The vault takes over a position the book could not close (liquidation by backstop).
  perps_backstop_takeover: 'backstop',
  perps_deleverage: 'adl',
  perps_bad_debt: 'bad-debt',
  circuit_breaker: 'circuit-breaker',
  vault_exhausted: 'vault-exhausted',
};

function recordEvents(
  chain: SimChain,
  response: Parameters<typeof blockEvents>[0],
  block: number,
  result: RunResult,
  attackers: Set<string>,
): void {
  for (const e of blockEvents(response)) {
    const a = e.attributes;
    if (e.type === 'slash' && a.reason !== undefined && a.validator !== undefined) {
      const who = chain.nameOf(a.validator) ?? a.validator;
      const burned = BigInt(a.burned ?? '0');
      if (attackers.has(who)) result.attackerSlashed += burned;
      result.events.push({
        block,
        kind: `slash:${a.reason}`,
        subject: who,
        amount: Number(burned) / 1e6,
      });
    } else if (e.type === 'jail' && a.reason !== undefined && a.validator !== undefined) {
      result.events.push({
        block,
        kind: `jail:${a.reason}`,
        subject: chain.nameOf(a.validator) ?? a.validator,
      });
    } else if (EVENT_KINDS[e.type] !== undefined) {
      const amount = e.type === 'perps_bad_debt' ? Number(a.uncovered ?? 0) / 1e6 : undefined;
      result.events.push({
        block,
        kind: EVENT_KINDS[e.type] as string,
        subject: a.market ?? '',
        ...(amount !== undefined ? { amount } : {}),
      });
    }
  }
}
