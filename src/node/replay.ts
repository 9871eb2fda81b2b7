import { commitInfoOf } from '../consensus/solo/engine.ts';
import type { App } from '../core/app/app.ts';
import { fromHex, toHex } from '../core/crypto/hash.ts';
import { createApp } from '../core/index.ts';
import type { ChainStore } from './storage/chain-store.ts';

export interface ReplayReport {
  /** App hash after each replayed height, hex. */
  appHashes: Map<number, string>;
  /** First height whose recomputed app hash differs from the stored results, if any. */
  mismatchAt?: number;
  app: App;
}

/**
 * Re-executes every stored block on a fresh app from genesis and compares each height's
 * app hash with the one the node recorded: the check that the store alone reproduces the
 * chain (and that execution is deterministic).
 */
export async function replayFromStore(
  store: ChainStore,
  genesisJson: unknown,
  toHeight?: number,
): Promise<ReplayReport> {
  const app = createApp({ assertInvariants: true });
  app.initChain(genesisJson);
  const appHashes = new Map<number, string>();
  const meta = await store.meta();
  const last = toHeight ?? meta?.height ?? 0;
  for (let h = app.height + 1; h <= last; h++) {
    const [block, results, commit] = await Promise.all([
      store.block(h),
      store.results(h),
      store.commit(h),
    ]);
    if (block === undefined || results === undefined || commit === undefined) {
      throw new Error(`the store has no block ${h}`);
    }
    const res = app.finalizeBlock({
      block: {
        chainId: block.header.chainId,
        height: h,
        timeMs: block.header.timeMs,
        proposer: block.header.proposer,
        hash: fromHex(commit.blockHash),
      },
      txs: block.txs,
      lastCommit: commitInfoOf(app.validators(), block.lastCommit),
      misbehavior: block.evidence,
    });
    app.commit();
    const hash = toHex(res.appHash);
    appHashes.set(h, hash);
    if (hash !== results.appHash) return { appHashes, mismatchAt: h, app };
  }
  return { appHashes, app };
}
