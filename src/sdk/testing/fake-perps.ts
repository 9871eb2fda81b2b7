import type { WebSocket } from 'ws';
import type { ZodType } from 'zod';
import type { BlockResults } from '../../consensus/block.ts';
import type { App } from '../../core/app/app.ts';
import { extensionSignBytes } from '../../core/app/sign-bytes.ts';
import type { ExtendedVoteInfo } from '../../core/app/types.ts';
import { toHex } from '../../core/crypto/hash.ts';
import { sign } from '../../core/crypto/keys.ts';
import { toJson } from '../../core/encoding/json.ts';
import { fromDecimalString } from '../../core/math/index.ts';
import { DEVNET_MARKETS, marketToJson } from '../../core/modules/perps/index.ts';
import { type TestAccount, testAccount } from '../../core/testing/harness.ts';
import type { NodeApi } from '../../node/api.ts';
import { presetParams } from '../../node/presets.ts';
import { toRpcError } from '../../node/rpc/errors.ts';
import type { MethodDef } from '../../node/rpc/methods.ts';
import { bookMarketsChanged, fillsOf, matchesFill } from '../../node/rpc/perps-events.ts';
import { bookSubscription, fillsSubscription, perpsMethods } from '../../node/rpc/perps-methods.ts';
import type { BlockResultsResult } from '../types.ts';

/**
 * The perps side of the SDK's fake node: oracle prices published through real vote
 * extensions (so orders have a mark), the `perps_fills` / `perps_funding` methods served by
 * the node's own handlers, and the `fills` / `book` subscriptions.
 */

/**
 * The BWK-USD price the fake node's validators should report with perps genesis: the risk
 * module values the bonded stake at it, and without it the security budget (and so every
 * market's OI cap) is 0.
 */
export const FAKE_BWK_PRICE = { 'BWK-USD': '100' } as const;

/**
 * Genesis of the devnet markets: vaults and perps as `bulwark init` writes them. The fake
 * node bonds far less than a devnet, so the risk params let the whole stake count (threshold
 * and slashable fraction 1, γ = 0): with {@link FAKE_BWK_PRICE} a few thousand USD of OI
 * fit under the security cap. The cap itself is tested in test/perps/cap.test.ts.
 */
export function perpsAppGenesis(vaultSeeder: TestAccount, seed = 100_000_000_000n) {
  const params = presetParams('devnet');
  return {
    oracle: { params: params.oracle },
    risk: {
      params: {
        ...(params.risk as Record<string, unknown>),
        thresholdFraction: '1',
        slashableFraction: '1',
        gamma: '0',
      },
    },
    vaults: {
      params: params.vaults,
      vaults: DEVNET_MARKETS.map((m) => ({
        id: m.vault,
        seed: { depositor: vaultSeeder.address, amount: String(seed) },
      })),
    },
    perps: { params: params.perps, markets: DEVNET_MARKETS.map(marketToJson) },
  };
}

/**
 * What every validator observes after each block: fixed prices (decimal USD by market). It
 * extends its vote with them, signed with its consensus key (`cons/<name>`), and the next
 * proposal carries the oracle entry built from those extensions, as a node's engine does.
 */
export class OracleFeed {
  private extensions: ExtendedVoteInfo[] = [];
  readonly prices = new Map<string, bigint>();

  constructor(
    prices: Record<string, string>,
    private readonly consKey: (name: string) => TestAccount = (n) => testAccount(`cons/${n}`),
  ) {
    for (const [m, p] of Object.entries(prices)) this.prices.set(m, fromDecimalString(p));
  }

  /** The block's txs: the oracle entry (once extensions exist) first, then `txs`. */
  propose(app: App, txs: Uint8Array[]): Uint8Array[] {
    return app.prepareProposal(txs, this.extensions, 4 * 1024 * 1024);
  }

  /** After a commit at `height`: every validator's signed extension for the next proposal. */
  extend(app: App, height: number): void {
    const observations = Object.fromEntries(this.prices);
    this.extensions = app.validators().flatMap((v) => {
      const key = this.consKey(v.name);
      if (toHex(key.pubKey) !== toHex(v.pubKey)) return [];
      const extension = app.extendVote(height, v.address, observations);
      const extensionSignature = sign(
        key.seed,
        extensionSignBytes(app.chainId, height, 0, extension),
      );
      return [{ validator: v.address, power: v.power, extension, extensionSignature }];
    });
  }
}

export type PerpsSubscription =
  | { event: 'fills'; market?: string | undefined; account?: string | undefined }
  | { event: 'book'; market: string; levels: number };

export class FakeMethodError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

function asFakeError(e: unknown): FakeMethodError {
  const r = toRpcError(e);
  return new FakeMethodError(r.code, r.message, r.data);
}

/** A NodeApi over the fake node's chain and stored results: enough for the perps handlers. */
function nodeApiOf(app: App, results: (h: number) => BlockResultsResult | undefined): NodeApi {
  return {
    status: () => ({ latestHeight: app.height, earliestQueryableHeight: 1 }),
    getBlockResults: async (h?: number) =>
      results(h ?? app.height) as unknown as BlockResults | undefined,
    query: async (path: string, args: unknown, height?: number) => app.query(path, args, height),
  } as unknown as NodeApi;
}

/** Serves `perps_fills` or `perps_funding` with the node's handlers; undefined for other methods. */
export async function perpsMethod(
  method: string,
  params: unknown,
  app: App,
  results: (h: number) => BlockResultsResult | undefined,
): Promise<unknown> {
  const def = (perpsMethods as Record<string, MethodDef>)[method];
  if (def === undefined) return undefined;
  try {
    const parsed = (def.params as ZodType).parse(params);
    return await def.handler(parsed, {
      api: nodeApiOf(app, results),
      transport: 'http',
      session: undefined,
      afterReply: () => undefined,
    });
  } catch (e) {
    throw asFakeError(e);
  }
}

/** Checks `fills` / `book` subscribe params as the node does (market listed, account valid). */
export function perpsSubscription(app: App, params: unknown): PerpsSubscription {
  try {
    const p =
      (params as { event?: unknown }).event === 'book'
        ? bookSubscription.parse(params)
        : fillsSubscription.parse(params);
    if (p.market !== undefined) {
      const r = app.query('perps/book', { market: p.market, levels: 1 });
      if (r.code !== 0) throw new FakeMethodError(-32000, r.log, { code: r.code });
    }
    return p;
  } catch (e) {
    throw e instanceof FakeMethodError ? e : asFakeError(e);
  }
}

/** Sends a block's notifications to `fills` and `book` subscriptions. */
export function notifyPerps(
  app: App,
  results: BlockResultsResult,
  subs: Iterable<[string, { ws: WebSocket; query: PerpsSubscription }]>,
  notify: (ws: WebSocket, id: string, result: unknown) => void,
): void {
  const r = results as unknown as BlockResults;
  const fills = fillsOf(r);
  const touched = new Set(bookMarketsChanged(r));
  for (const [id, { ws, query }] of subs) {
    if (query.event === 'fills') {
      const mine = fills.filter((f) => matchesFill(query, f));
      if (mine.length > 0) notify(ws, id, { height: results.height, fills: mine });
    } else if (touched.has(query.market)) {
      const q = app.query('perps/book', { market: query.market, levels: query.levels });
      const depth = toJson(q.value) as { bids: unknown[]; asks: unknown[] };
      notify(ws, id, { height: results.height, market: query.market, ...depth });
    }
  }
}
