import type { App } from '../../core/app/app.ts';
import type { FinalizeBlockResponse } from '../../core/app/types.ts';
import type { TestAccount } from '../../core/testing/harness.ts';
import type { Msg } from '../../core/tx/tx.ts';
import { testRng } from '../prices/testing.ts';
import type { Agent, SimRng, SimView } from '../types.ts';

/** A chain the tests can drive: one of the core's test chains (PerpsChain, StakingChain…). */
export interface DrivableChain {
  readonly app: App;
  tx(from: TestAccount, msgs: Msg[]): Uint8Array;
  block(txs?: Uint8Array[]): FinalizeBlockResponse;
}

/** A SimView over a test chain's committed state (queries throw on a refused query). */
export function testView(chain: DrivableChain, blockTimeMs = 1000): SimView {
  return {
    get height() {
      return chain.app.height;
    },
    get timeMs() {
      return chain.app.height * blockTimeMs;
    },
    blockTimeMs,
    query<T>(path: string, args: Record<string, unknown> = {}): T {
      const r = chain.app.query(path, args);
      if (r.code !== 0) throw new Error(`query ${path}: ${r.log}`);
      return r.value as T;
    },
    truePrice: () => Number.NaN,
  };
}

const streams = new WeakMap<Agent, SimRng>();

export interface Outcome {
  agent: string;
  height: number;
  code: number;
  log: string;
  msgs: Msg[];
}

/**
 * Runs `blocks` blocks: every agent acts on the committed state, its msgs go into one tx
 * signed by its account, all txs go into the next block. Returns every tx's outcome. A
 * refused tx resynchronises the signer's nonce through `resync`.
 */
export function drive(
  chain: DrivableChain,
  actors: [Agent, TestAccount][],
  blocks: number,
  opts: { resync?: (who: TestAccount) => void; view?: SimView; seed?: number } = {},
): Outcome[] {
  const view = opts.view ?? testView(chain);
  actors.forEach(([a, acc], i) => {
    a.address = acc.address;
    // one stream per agent for its whole life, across calls of drive
    if (!streams.has(a)) streams.set(a, testRng((opts.seed ?? 1) * 1000 + i));
  });
  const out: Outcome[] = [];
  for (let b = 0; b < blocks; b++) {
    const sent: { agent: Agent; acc: TestAccount; msgs: Msg[] }[] = [];
    for (const [agent, acc] of actors) {
      const msgs = agent.act({ view, rng: streams.get(agent)! });
      if (msgs.length > 0) sent.push({ agent, acc, msgs });
    }
    const res = chain.block(sent.map((s) => chain.tx(s.acc, s.msgs)));
    sent.forEach((s, i) => {
      const r = res.txResults[i]!;
      out.push({
        agent: s.agent.name,
        height: chain.app.height,
        code: r.code,
        log: r.log,
        msgs: s.msgs,
      });
      if (r.code !== 0) opts.resync?.(s.acc);
    });
  }
  return out;
}

/** The refused txs, formatted for an assertion message. */
export function refusals(out: Outcome[]): string[] {
  return out.filter((o) => o.code !== 0).map((o) => `${o.agent}@${o.height}: ${o.code} ${o.log}`);
}
