import { z } from 'zod';
import { type Context, defineQuery, type Invariant, type Module } from '../../app/module.ts';
import type { ExtendedVoteInfo } from '../../app/types.ts';
import { decode, type Value } from '../../encoding/canonical.ts';
import { toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { StakingKeeperApi } from '../staking/api.ts';
import { isOracleEntry } from './entry.ts';
import { ensureOracle, OracleError } from './errors.ts';
import {
  exportOracleGenesis,
  initOracleGenesis,
  type OracleGenesis,
  oracleGenesisSchema,
} from './genesis.ts';
import { OracleKeeper, type OracleSlashingApi } from './keeper.ts';
import { HEIGHT_KEY } from './keys.ts';
import { DEFAULT_ORACLE_PARAMS, marketIdSchema, oracleParams, paramsToJson } from './params.ts';

/**
 * The oracle module: validators' price reports travel in vote extensions, the proposer puts
 * them first in the block (the oracle entry), every validator re-checks it, and finalizeBlock
 * publishes the stake-weighted median per market (quorum, circuit breaker, staleness,
 * volatility) and punishes validators whose reports stray. No msgs: its input is the entry.
 * Constructed with the staking and slashing keepers; place it after staking and slashing.
 */
export class OracleModule implements Module<OracleGenesis> {
  readonly name = 'oracle';
  readonly params = oracleParams as unknown as NonNullable<Module['params']>;
  readonly genesisSchema = oracleGenesisSchema as unknown as z.ZodType<OracleGenesis>;
  readonly keeper: OracleKeeper;
  readonly msgs = [];

  constructor(staking: StakingKeeperApi, slashing: OracleSlashingApi, trustSignatures = false) {
    this.keeper = new OracleKeeper(staking, slashing, trustSignatures);
  }

  // ---- ABCI++ hooks ----------------------------------------------------------------------

  extendVote(
    store: ReadStore,
    height: number,
    _validator: string,
    observations: Readonly<Record<string, bigint>>,
  ): Uint8Array {
    return this.keeper.extendVote(store, height, observations);
  }

  verifyVoteExtension(
    store: ReadStore,
    height: number,
    _validator: string,
    extension: Uint8Array,
  ): boolean {
    return this.keeper.verifyVoteExtension(store, height, extension);
  }

  prepareEntry(
    store: ReadStore,
    height: number,
    chainId: string,
    extensions: ExtendedVoteInfo[],
  ): Uint8Array | undefined {
    return this.keeper.prepareEntry(store, height, chainId, extensions);
  }

  isEntry(bytes: Uint8Array): boolean {
    return isOracleEntry(bytes);
  }

  checkProposal(
    store: ReadStore,
    height: number,
    chainId: string,
    txs: Uint8Array[],
  ): string | undefined {
    return this.keeper.checkProposal(store, height, chainId, txs);
  }

  applyEntry(ctx: Context, bytes: Uint8Array): void {
    this.keeper.applyEntry(ctx, bytes);
  }

  beginBlock(ctx: Context): void {
    ctx.store.set(HEIGHT_KEY, ctx.block.height);
  }

  // ---- queries ---------------------------------------------------------------------------

  readonly queries = [
    defineQuery({
      path: 'oracle/prices',
      summary: 'Every listed market: price, height, stale, reduce-only, volatility',
      schema: z.strictObject({}),
      handle: (store) => this.keeper.markets(store).map((m) => this.priceView(store, m)),
    }),
    defineQuery({
      path: 'oracle/price',
      summary: "One market's price, height, stale, reduce-only, volatility",
      schema: z.strictObject({ market: marketIdSchema }),
      handle: (store, args) => {
        this.requireListed(store, args.market);
        return this.priceView(store, args.market);
      },
    }),
    defineQuery({
      path: 'oracle/reports',
      summary: 'The reports of one market at one height (the last reportsKept heights)',
      schema: z.strictObject({ market: marketIdSchema, height: z.number().int().min(0) }),
      handle: (store, args) => {
        this.requireListed(store, args.market);
        const r = this.keeper.storedReports(store, args.height);
        const m = r?.markets[args.market];
        ensureOracle(
          r !== undefined && m !== undefined,
          OracleError.NoReports,
          `no reports kept for height ${args.height} (the last ${this.keeper.params(store).reportsKept} heights are kept)`,
        );
        const reports: Value[] = [];
        r.validators.forEach((validator, i) => {
          const cell = reportCell(r.extensions[i], args.market);
          if (cell === undefined) return;
          reports.push({
            validator,
            power: r.powers[i] as bigint,
            price: toDecimalString(cell.price),
            ...(cell.confidence !== undefined
              ? { confidence: toDecimalString(cell.confidence) }
              : {}),
          });
        });
        return {
          market: args.market,
          height: args.height,
          median: m.median === null ? null : toDecimalString(m.median),
          quorum: m.quorum,
          reports,
        };
      },
    }),
    defineQuery({
      path: 'oracle/misses',
      summary: "A validator's deviation record (by consensus address or operator address)",
      schema: z.strictObject({ validator: z.string().min(1).max(128) }),
      handle: (store, args) => {
        const cons = this.resolveConsAddress(store, args.validator);
        const params = this.keeper.params(store);
        const rec = this.keeper.missRecord(store, cons);
        const height = this.currentHeight(store);
        const expired = rec === undefined || height - rec.windowStart >= params.oracleWindow;
        return {
          consAddress: cons,
          misses: expired ? 0 : rec.misses,
          windowStart: rec === undefined ? null : rec.windowStart,
          lastMissHeight: rec?.lastMissHeight ?? 0,
          totalMisses: rec?.totalMisses ?? 0,
          slashes: rec?.slashes ?? 0,
          oracleWindow: params.oracleWindow,
          maxMissesPerWindow: params.maxMissesPerWindow,
        };
      },
    }),
    defineQuery({
      path: 'oracle/params',
      summary: 'The oracle module parameters (decimals as strings)',
      schema: z.strictObject({}),
      handle: (store) => paramsToJson(this.keeper.params(store)) as unknown as Value,
    }),
  ];

  readonly invariants: Invariant[] = [
    {
      name: 'oracle/market-records',
      check: (store) => {
        for (const s of this.keeper.marketStates(store)) {
          if (s.price <= 0n) return `${s.market} has a non-positive price ${s.price}`;
          if (s.variance < 0n) return `${s.market} has a negative variance ${s.variance}`;
          if (s.windowStartHeight > s.height) {
            return `${s.market}: breaker window starts at ${s.windowStartHeight}, after the price height ${s.height}`;
          }
        }
        return undefined;
      },
    },
    {
      name: 'oracle/miss-records',
      check: (store) => {
        // (Not bounded by maxMissesPerWindow: governance may lower it below a live count.)
        for (const r of this.keeper.missRecords(store)) {
          if (r.misses > r.totalMisses || r.windowStart < 0) {
            return `${r.consAddress}: ${r.misses} misses in its window but ${r.totalMisses} in all`;
          }
        }
        return undefined;
      },
    },
  ];

  // ---- genesis ---------------------------------------------------------------------------

  defaultGenesis(): OracleGenesis {
    return { params: DEFAULT_ORACLE_PARAMS, markets: [], misses: [] };
  }

  initGenesis(ctx: Context, genesis: OracleGenesis): void {
    initOracleGenesis(ctx, genesis);
  }

  exportGenesis(store: ReadStore): Value {
    return exportOracleGenesis(store, this.keeper);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private currentHeight(store: ReadStore): number {
    return (store.get(HEIGHT_KEY) as number | undefined) ?? this.keeper.initialHeight(store) - 1;
  }

  private priceView(store: ReadStore, market: string): Value {
    const s = this.keeper.marketState(store, market);
    const height = this.currentHeight(store);
    return {
      market,
      price: s === undefined ? null : toDecimalString(s.price),
      height: s?.height ?? 0,
      median: s === undefined ? null : toDecimalString(s.median),
      stale: s === undefined || s.height < height,
      reduceOnly: this.keeper.isReduceOnly(store, market, height),
      volatility: toDecimalString(this.keeper.volatility(store, market)),
      breakerTrips: s?.breakerTrips ?? 0,
    };
  }

  private requireListed(store: ReadStore, market: string): void {
    ensureOracle(
      this.keeper.market(store, market) !== undefined,
      OracleError.UnknownMarket,
      `market ${market} is not listed; listed: ${this.keeper.markets(store).join(', ')}`,
    );
  }

  /** Hex consensus address as is; an operator address → its validator's consensus address. */
  private resolveConsAddress(store: ReadStore, address: string): string {
    if (/^[0-9a-fA-F]{40}$/.test(address)) return address.toLowerCase();
    const v = this.keeper.staking.validator(store, address);
    ensureOracle(v !== undefined, OracleError.UnknownValidator, `${address} operates no validator`);
    return v.consAddress;
  }
}

/** The oracle's keeper and module, wired to staking and slashing. */
export function createOracle(
  staking: StakingKeeperApi,
  slashing: OracleSlashingApi,
  opts: { trustSignatures?: boolean } = {},
): { keeper: OracleKeeper; module: OracleModule } {
  const module = new OracleModule(staking, slashing, opts.trustSignatures ?? false);
  return { keeper: module.keeper, module };
}

/** One market's report in a stored extension (already checked when it was applied). */
function reportCell(
  extension: Uint8Array | undefined,
  market: string,
): { price: bigint; confidence?: bigint } | undefined {
  if (extension === undefined) return undefined;
  const v = decode(extension) as { prices?: Record<string, Value> };
  const cell = v.prices?.[market];
  if (typeof cell === 'bigint') return { price: cell };
  if (Array.isArray(cell)) return { price: cell[0] as bigint, confidence: cell[1] as bigint };
  return undefined;
}
