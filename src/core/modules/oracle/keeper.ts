import type { Context } from '../../app/module.ts';
import { extensionSignBytes } from '../../app/sign-bytes.ts';
import type { ExtendedVoteInfo } from '../../app/types.ts';
import { verify } from '../../crypto/keys.ts';
import type { Value } from '../../encoding/canonical.ts';
import { mul, mulDiv, ONE, Rounding, toDecimalString } from '../../math/index.ts';
import { Branch } from '../../store/branch.ts';
import type { ReadStore, Store } from '../../store/store.ts';
import type { SlashingKeeper } from '../slashing/keeper.ts';
import type { StakingKeeperApi } from '../staking/api.ts';
import type { Observations, OracleKeeperApi, PriceReport } from './api.ts';
import { applyBreaker } from './breaker.ts';
import { decodeEntry, encodeEntry, isOracleEntry, type OracleEntry } from './entry.ts';
import { checkExtensionCached, type ExtensionPrices, encodeExtension } from './extension.ts';
import {
  heightOfReportsKey,
  INITIAL_HEIGHT_KEY,
  MARKET_PREFIX,
  MISS_PREFIX,
  marketKey,
  missKey,
  REPORTS_PREFIX,
  reportsKey,
} from './keys.ts';
import { aggregateMarket, type MarketAggregate, type WeightedReport } from './median.ts';
import { type MarketParams, type OracleParams, oracleParams } from './params.ts';
import {
  annualized,
  ewmaVariance,
  logReturn,
  sigmaPerBlock,
  varianceOfAnnual,
} from './volatility.ts';

/** What the oracle needs of slashing: the correlated slash, and the jail time record. */
export type OracleSlashingApi = Pick<
  SlashingKeeper,
  'slashWithCorrelation' | 'signingInfo' | 'setSigningInfo'
>;

/** A market's published state: one record, one write per block. */
export interface MarketState {
  market: string;
  /** Last published price (18 decimals). */
  price: bigint;
  /** Block height it was published at. */
  height: number;
  /** Height of the reports it came from (height − 1). */
  reportHeight: number;
  /** The weighted median of those reports (before the circuit breaker). */
  median: bigint;
  /** EWMA of squared log returns per block (18 decimals). */
  variance: bigint;
  /** Start of the current breaker window and the published price then. */
  windowStartHeight: number;
  windowRef: bigint;
  /** How many times the breaker clamped this market's price, and when last. */
  breakerTrips: number;
  lastBreakerHeight: number;
}

/** A validator's deviation record (written only on a miss). */
export interface MissRecord {
  consAddress: string;
  /** Block height the current window started at. */
  windowStart: number;
  /** Misses in the current window. */
  misses: number;
  lastMissHeight: number;
  totalMisses: number;
  /** Oracle slashes suffered. */
  slashes: number;
}

/**
 * The reports of one applied entry (all markets), kept `reportsKept` heights: the counted
 * validators in address order, their powers and their extensions as signed (decoded by the
 * query: storing the bytes costs a copy, re-encoding every price would cost more), and per
 * market the aggregate.
 */
export interface StoredReports {
  height: number;
  validators: string[];
  powers: bigint[];
  extensions: Uint8Array[];
  markets: Record<string, { median: bigint | null; quorum: boolean }>;
}

/** A member of the oracle's validator set: the active set (from state) with jail status. */
interface Member {
  consAddress: string;
  pubKey: Uint8Array;
  power: bigint;
  jailed: boolean;
}

interface OracleSet {
  members: Map<string, Member>;
  /** Σ power of the active set (jailed members included): the quorum's denominator. */
  bonded: bigint;
  /** Members in consensus-address order. */
  ordered: Member[];
}

/** Votes checked (membership, extension) with their decoded prices. */
interface CheckedVote {
  vote: ExtendedVoteInfo;
  member: Member;
  prices: ExtensionPrices;
}

/**
 * The oracle keeper: the only code touching `oracle/…` records. Pure math lives in median.ts,
 * breaker.ts, volatility.ts; encodings in extension.ts and entry.ts.
 */
export class OracleKeeper implements OracleKeeperApi {
  constructor(
    readonly staking: StakingKeeperApi,
    readonly slashing: OracleSlashingApi,
    /**
     * Skip the extension signature checks (the simulator's explicit switch: it signs
     * nothing, since it trusts its own validators). Never set by a node.
     */
    readonly trustSignatures = false,
  ) {}

  /** Whether an extension's signature is the member's over its sign bytes (or trusted). */
  private signatureOk(
    member: Member,
    chainId: string,
    height: number,
    ext: ExtendedVoteInfo,
  ): boolean {
    if (this.trustSignatures) return true;
    const msg = extensionSignBytes(chainId, height, 0, ext.extension);
    return verify(member.pubKey, msg, ext.extensionSignature);
  }

  // ---- reads ---------------------------------------------------------------------------

  params(store: ReadStore): OracleParams {
    return oracleParams.get(store);
  }

  markets(store: ReadStore): string[] {
    return this.params(store).markets.map((m) => m.id);
  }

  market(store: ReadStore, market: string): MarketParams | undefined {
    return this.params(store).markets.find((m) => m.id === market);
  }

  marketState(store: ReadStore, market: string): MarketState | undefined {
    return store.get(marketKey(market)) as unknown as MarketState | undefined;
  }

  marketStates(store: ReadStore): MarketState[] {
    const out: MarketState[] = [];
    for (const [, v] of store.iterate(MARKET_PREFIX)) out.push(v as unknown as MarketState);
    return out;
  }

  price(store: ReadStore, market: string): { price: bigint; height: number } | undefined {
    const s = this.marketState(store, market);
    return s === undefined ? undefined : { price: s.price, height: s.height };
  }

  /** True when the market has no price or its price is older than maxStaleBlocks at `height`. */
  isReduceOnly(store: ReadStore, market: string, height: number): boolean {
    const s = this.marketState(store, market);
    if (s === undefined) return true;
    return height - s.height > this.params(store).maxStaleBlocks;
  }

  /** Per-block variance of a market (its record's, else the listed initial volatility's). */
  variance(store: ReadStore, market: string, params = this.params(store)): bigint {
    const s = this.marketState(store, market);
    if (s !== undefined) return s.variance;
    const m = params.markets.find((x) => x.id === market);
    return varianceOfAnnual(m?.initialVolatility ?? 0n, params.blocksPerYear);
  }

  /** Realized volatility, annualized (18 decimals). */
  volatility(store: ReadStore, market: string): bigint {
    const params = this.params(store);
    return annualized(this.variance(store, market, params), params.blocksPerYear);
  }

  /** Realized volatility per block, relative (18 decimals): σ of the deviation band. */
  sigmaPerBlock(store: ReadStore, market: string): bigint {
    return sigmaPerBlock(this.variance(store, market));
  }

  /** Times the circuit breaker clamped the market's price (for the risk module). */
  breakerTrips(store: ReadStore, market: string): number {
    return this.marketState(store, market)?.breakerTrips ?? 0;
  }

  missRecord(store: ReadStore, consAddress: string): MissRecord | undefined {
    return store.get(missKey(consAddress)) as unknown as MissRecord | undefined;
  }

  missRecords(store: ReadStore): MissRecord[] {
    const out: MissRecord[] = [];
    for (const [, v] of store.iterate(MISS_PREFIX)) out.push(v as unknown as MissRecord);
    return out;
  }

  storedReports(store: ReadStore, height: number): StoredReports | undefined {
    return store.get(reportsKey(height)) as unknown as StoredReports | undefined;
  }

  /** The chain's first height (the entry is due from initialHeight + 2). */
  initialHeight(store: ReadStore): number {
    return (store.get(INITIAL_HEIGHT_KEY) as number | undefined) ?? 1;
  }

  // ---- vote extensions -----------------------------------------------------------------

  /**
   * This validator's extension for `height`: every listed market it observed at a price
   * within the market's bounds (others are left out: a validator never signs a report its
   * peers would refuse).
   */
  extendVote(store: ReadStore, height: number, observations: Observations): Uint8Array {
    const reports: PriceReport[] = [];
    for (const m of this.params(store).markets) {
      const price = observations[m.id];
      if (price === undefined || price < m.minPrice || price > m.maxPrice) continue;
      reports.push({ market: m.id, price });
    }
    return encodeExtension(height, reports);
  }

  verifyVoteExtension(store: ReadStore, height: number, extension: Uint8Array): boolean {
    const params = this.params(store);
    return typeof checkExtensionCached(params, marketMap(params), height, extension) !== 'string';
  }

  // ---- the entry -----------------------------------------------------------------------

  /**
   * The entry the proposer of `height` puts first: the valid extensions of height − 1 (member
   * of the active set, signature by its consensus key, extension valid), one per validator,
   * sorted by validator, power from state, with the aggregate. Undefined when none is due
   * (the first block, an empty active set) or, at the first block that may carry one, when
   * there is nothing to carry.
   */
  prepareEntry(
    store: ReadStore,
    height: number,
    chainId: string,
    extensions: ExtendedVoteInfo[],
  ): Uint8Array | undefined {
    const initial = this.initialHeight(store);
    if (height <= initial) return undefined;
    const set = this.oracleSet(store);
    if (set.ordered.length === 0) return undefined;
    const params = this.params(store);
    const markets = marketMap(params);
    const reportHeight = height - 1;
    const chosen = new Map<string, ExtendedVoteInfo>();
    for (const ext of extensions) {
      const member = set.members.get(ext.validator);
      if (member === undefined || chosen.has(ext.validator)) continue;
      if (typeof checkExtensionCached(params, markets, reportHeight, ext.extension) === 'string') {
        continue;
      }
      if (!this.signatureOk(member, chainId, reportHeight, ext)) continue;
      chosen.set(ext.validator, {
        validator: ext.validator,
        power: member.power,
        extension: ext.extension,
        extensionSignature: ext.extensionSignature,
      });
    }
    if (chosen.size === 0 && height === initial + 1) return undefined;
    const votes = [...chosen.values()].sort((a, b) => compare(a.validator, b.validator));
    const checked = votes.map((vote) => {
      const member = set.members.get(vote.validator)!;
      const prices = checkExtensionCached(params, markets, reportHeight, vote.extension);
      return { vote, member, prices: prices as ExtensionPrices };
    });
    const aggregates = aggregateAll(params, set, checked);
    return encodeEntry({ height: reportHeight, votes, prices: quorumPrices(aggregates) });
  }

  /**
   * Every validator's check of a proposal (processProposal). Refuses (returns the reason):
   * an entry elsewhere than first; a missing entry when one is due (height > initialHeight + 1
   * and a non-empty active set: the engine always gathers the previous height's extensions);
   * an entry when none may be; an entry that does not decode, is for another height, has
   * votes out of validator order or duplicated, a vote from outside the active set, with a
   * power other than the state's, an invalid extension or a bad signature; an aggregate that
   * differs from the one recomputed from the votes and the state's powers.
   */
  checkProposal(
    store: ReadStore,
    height: number,
    chainId: string,
    txs: Uint8Array[],
  ): string | undefined {
    for (let i = 1; i < txs.length; i++) {
      if (isOracleEntry(txs[i] as Uint8Array)) return `oracle entry at position ${i}, not first`;
    }
    const first = txs[0];
    const hasEntry = first !== undefined && isOracleEntry(first);
    const initial = this.initialHeight(store);
    const set = this.oracleSet(store);
    const due = height > initial + 1 && set.ordered.length > 0;
    if (!hasEntry) return due ? `missing oracle entry at height ${height}` : undefined;
    if (height <= initial || set.ordered.length === 0) {
      return `unexpected oracle entry at height ${height} (initial height ${initial}, ${set.ordered.length} validators)`;
    }
    const entry = decodeEntry(first);
    if (typeof entry === 'string') return entry;
    if (entry.height !== height - 1) {
      return `oracle entry is for height ${entry.height}, expected ${height - 1}`;
    }
    const params = this.params(store);
    const markets = marketMap(params);
    const checked: CheckedVote[] = [];
    let prev = '';
    for (let i = 0; i < entry.votes.length; i++) {
      const vote = entry.votes[i] as ExtendedVoteInfo;
      if (vote.validator === prev) return `vote ${i}: duplicate vote of ${vote.validator}`;
      if (vote.validator < prev) return `vote ${i}: votes not sorted by validator address`;
      prev = vote.validator;
      const member = set.members.get(vote.validator);
      if (member === undefined) return `vote ${i}: ${vote.validator} is not in the active set`;
      if (vote.power !== member.power) {
        return `vote ${i}: power of ${vote.validator} is ${vote.power}, state has ${member.power}`;
      }
      const prices = checkExtensionCached(params, markets, entry.height, vote.extension);
      if (typeof prices === 'string') return `vote ${i}: invalid extension: ${prices}`;
      if (!this.signatureOk(member, chainId, entry.height, vote)) {
        return `vote ${i}: bad extension signature for ${vote.validator}`;
      }
      checked.push({ vote, member, prices });
    }
    const expected = quorumPrices(aggregateAll(params, set, checked));
    const got = entry.prices;
    const ek = Object.keys(expected);
    const gk = Object.keys(got);
    if (ek.length !== gk.length || ek.some((k) => got[k] !== expected[k])) {
      return `oracle aggregate does not match the votes: expected ${showPrices(expected)}, got ${showPrices(got)}`;
    }
    return undefined;
  }

  /**
   * Applies the entry (finalizeBlock, before the user txs): per market the weighted median,
   * quorum, circuit breaker, staleness and volatility; per validator hits and misses, slash and
   * jail past the limit; the reports kept for queries. The entry was checked by
   * processProposal (signatures included); here it is re-read against the state without the
   * signature check, and anything malformed is skipped (a block never fails on it).
   */
  applyEntry(ctx: Context, bytes: Uint8Array): void {
    const { store } = ctx;
    const height = ctx.block.height;
    const entry = decodeEntry(bytes);
    if (typeof entry === 'string' || entry.height !== height - 1) {
      ctx.emit('oracle_entry_ignored', {
        height,
        reason: typeof entry === 'string' ? entry : `for height ${entry.height}`,
      });
      return;
    }
    const params = this.params(store);
    const markets = marketMap(params);
    const set = this.oracleSet(store);
    const checked: CheckedVote[] = [];
    const seen = new Set<string>();
    for (const vote of entry.votes) {
      const member = set.members.get(vote.validator);
      if (member === undefined || seen.has(vote.validator)) continue;
      seen.add(vote.validator);
      const prices = checkExtensionCached(params, markets, entry.height, vote.extension);
      if (typeof prices === 'string') continue;
      checked.push({ vote, member, prices });
    }
    checked.sort((a, b) => compare(a.member.consAddress, b.member.consAddress));
    const aggregates = aggregateAll(params, set, checked);
    const bands = new Map<string, bigint>();
    for (const m of params.markets) {
      const agg = aggregates.get(m.id) as MarketAggregate;
      const prev = this.marketState(store, m.id);
      const variance =
        prev?.variance ?? varianceOfAnnual(m.initialVolatility ?? 0n, params.blocksPerYear);
      if (agg.quorum && agg.median !== undefined) {
        bands.set(m.id, band(params, variance));
        this.publish(ctx, params, m, prev, variance, agg, entry.height, set.bonded);
      } else {
        const last = prev?.height ?? 0;
        ctx.emit('oracle_stale', {
          market: m.id,
          reporters: agg.reporters,
          power: agg.reportingPower,
          bonded: set.bonded,
          lastHeight: last,
          reduceOnly: String(prev === undefined || height - last > params.maxStaleBlocks),
        });
      }
    }
    this.account(ctx, params, set, checked, aggregates, bands, entry.height);
    this.keepReports(store, params, checked, aggregates, entry.height);
  }

  // ---- internals ------------------------------------------------------------------------

  /** The active set from state, with each member's jail status. */
  oracleSet(store: ReadStore): OracleSet {
    const members = new Map<string, Member>();
    let bonded = 0n;
    for (const a of this.staking.activeSet(store)) {
      const v = this.staking.validator(store, a.operator);
      const m: Member = {
        consAddress: a.consAddress,
        pubKey: a.consPubKey,
        power: a.power,
        jailed: v?.jailed ?? false,
      };
      members.set(a.consAddress, m);
      bonded += a.power;
    }
    const ordered = [...members.values()].sort((a, b) => compare(a.consAddress, b.consAddress));
    return { members, bonded, ordered };
  }

  private publish(
    ctx: Context,
    params: OracleParams,
    m: MarketParams,
    prev: MarketState | undefined,
    variance: bigint,
    agg: MarketAggregate,
    reportHeight: number,
    bonded: bigint,
  ): void {
    const height = ctx.block.height;
    const median = agg.median as bigint;
    let next: MarketState;
    if (prev === undefined) {
      next = {
        market: m.id,
        price: median,
        height,
        reportHeight,
        median,
        variance,
        windowStartHeight: height,
        windowRef: median,
        breakerTrips: 0,
        lastBreakerHeight: 0,
      };
    } else {
      let { windowStartHeight, windowRef } = prev;
      if (height - windowStartHeight >= params.breakerWindowBlocks) {
        windowStartHeight = height;
        windowRef = prev.price;
      }
      const b = applyBreaker({
        median,
        last: prev.price,
        windowRef,
        maxMovePerBlock: params.maxMovePerBlock,
        maxMovePerWindow: params.maxMovePerWindow,
      });
      const r = logReturn(b.price, prev.price);
      next = {
        market: m.id,
        price: b.price,
        height,
        reportHeight,
        median,
        variance: ewmaVariance(prev.variance, r, params.ewmaLambda),
        windowStartHeight,
        windowRef,
        breakerTrips: prev.breakerTrips + (b.clamped !== undefined ? 1 : 0),
        lastBreakerHeight: b.clamped !== undefined ? height : prev.lastBreakerHeight,
      };
      if (b.clamped !== undefined) {
        ctx.emit('circuit_breaker', {
          market: m.id,
          median: toDecimalString(median),
          price: toDecimalString(b.price),
          last: toDecimalString(prev.price),
          bound: b.clamped,
          trips: next.breakerTrips,
        });
      }
    }
    ctx.store.set(marketKey(m.id), next as unknown as Value);
    ctx.emit('oracle_price', {
      market: m.id,
      price: toDecimalString(next.price),
      median: toDecimalString(median),
      reporters: agg.reporters,
      power: agg.reportingPower,
      bonded,
    });
  }

  /**
   * Deviation accounting: each non-jailed member is hit or miss for the reports of
   * `reportHeight` — a miss when its vote is absent, or when for a market that reached quorum
   * its price is missing or outside the band around the median. A member that was not in the
   * set at `reportHeight` (joined at an epoch boundary) is not counted absent.
   */
  private account(
    ctx: Context,
    params: OracleParams,
    set: OracleSet,
    checked: CheckedVote[],
    aggregates: Map<string, MarketAggregate>,
    bands: Map<string, bigint>,
    reportHeight: number,
  ): void {
    const byValidator = new Map<string, CheckedVote>();
    for (const c of checked) byValidator.set(c.member.consAddress, c);
    for (const member of set.ordered) {
      if (member.jailed) continue;
      const c = byValidator.get(member.consAddress);
      let reason: string | undefined;
      const off: string[] = [];
      if (c === undefined) {
        if (this.staking.powerAt?.(ctx.store, member.consAddress, reportHeight) === 0n) continue;
        reason = 'absent';
      } else {
        for (const [market, eps] of bands) {
          const median = aggregates.get(market)?.median as bigint;
          const r = c.prices.get(market);
          if (r === undefined) {
            off.push(market);
            reason = reason ?? 'missing';
            continue;
          }
          const dist = r.price > median ? r.price - median : median - r.price;
          // Outside the band: |p − m| > ε·m (ε relative, 18 decimals).
          if (dist * ONE > eps * median) {
            off.push(market);
            reason = 'deviation';
          }
        }
      }
      if (reason !== undefined) this.miss(ctx, params, member, reason, off, reportHeight);
    }
  }

  private miss(
    ctx: Context,
    params: OracleParams,
    member: Member,
    reason: string,
    markets: string[],
    reportHeight: number,
  ): void {
    const { store } = ctx;
    const height = ctx.block.height;
    const prev = this.missRecord(store, member.consAddress);
    let rec: MissRecord = prev ?? {
      consAddress: member.consAddress,
      windowStart: height,
      misses: 0,
      lastMissHeight: 0,
      totalMisses: 0,
      slashes: 0,
    };
    if (height - rec.windowStart >= params.oracleWindow)
      rec = { ...rec, windowStart: height, misses: 0 };
    rec = {
      ...rec,
      misses: rec.misses + 1,
      lastMissHeight: height,
      totalMisses: rec.totalMisses + 1,
    };
    ctx.emit('oracle_miss', {
      validator: member.consAddress,
      reason,
      markets: markets.join(','),
      misses: rec.misses,
      windowStart: rec.windowStart,
    });
    if (rec.misses > params.maxMissesPerWindow) {
      // A new window either way: a failed slash is not retried every block.
      const slashed = this.punish(ctx, params, member, reportHeight);
      rec = { ...rec, windowStart: height, misses: 0, slashes: rec.slashes + (slashed ? 1 : 0) };
    }
    store.set(missKey(member.consAddress), rec as unknown as Value);
  }

  /** Slash (correlated, through slashing) and jail; in a branch, so a failure leaves nothing. */
  private punish(
    ctx: Context,
    params: OracleParams,
    member: Member,
    reportHeight: number,
  ): boolean {
    const branch = new Branch(ctx.store);
    const sub = ctx.with(branch);
    try {
      this.slashing.slashWithCorrelation(
        sub,
        'oracle',
        member.consAddress,
        reportHeight,
        member.power,
        params.slashFractionOracle,
      );
      this.staking.jail(sub, member.consAddress);
      const jailedUntilMs = ctx.block.timeMs + params.jailDurationMs;
      const info = this.slashing.signingInfo(branch, member.consAddress);
      if (info !== undefined && info.jailedUntilMs < jailedUntilMs) {
        this.slashing.setSigningInfo(branch, { ...info, jailedUntilMs });
      }
      sub.emit('jail', { validator: member.consAddress, reason: 'oracle', jailedUntilMs });
    } catch (e) {
      ctx.emit('oracle_slash_failed', {
        validator: member.consAddress,
        error: e instanceof Error ? e.message : String(e),
      });
      return false;
    }
    branch.write();
    ctx.events.push(...sub.events);
    return true;
  }

  /** One write of this height's reports; the height reportsKept back (and older) pruned. */
  private keepReports(
    store: Store,
    params: OracleParams,
    checked: CheckedVote[],
    aggregates: Map<string, MarketAggregate>,
    reportHeight: number,
  ): void {
    const validators = checked.map((c) => c.member.consAddress);
    const powers = checked.map((c) => c.member.power);
    const marketsOut: StoredReports['markets'] = {};
    for (const m of params.markets) {
      const agg = aggregates.get(m.id) as MarketAggregate;
      marketsOut[m.id] = { median: agg.median ?? null, quorum: agg.quorum };
    }
    const value: StoredReports = {
      height: reportHeight,
      validators,
      powers,
      extensions: checked.map((c) => c.vote.extension),
      markets: marketsOut,
    };
    store.set(reportsKey(reportHeight), value as unknown as Value);
    const cutoff = reportHeight - params.reportsKept;
    const stale: string[] = [];
    for (const [key] of store.iterate(REPORTS_PREFIX)) {
      if (heightOfReportsKey(key) > cutoff) break;
      stale.push(key);
    }
    for (const key of stale) store.delete(key);
  }
}

// ---- helpers -----------------------------------------------------------------------------

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const marketMaps = new WeakMap<OracleParams, ReadonlyMap<string, MarketParams>>();

/** The listed markets by id (memoized per params object). */
export function marketMap(params: OracleParams): ReadonlyMap<string, MarketParams> {
  let m = marketMaps.get(params);
  if (m === undefined) {
    m = new Map(params.markets.map((x) => [x.id, x]));
    marketMaps.set(params, m);
  }
  return m;
}

/** ε = max(k·σ_block, minBand), σ_block = √variance. */
export function band(params: OracleParams, variance: bigint): bigint {
  const k = mul(params.deviationK, sigmaPerBlock(variance), Rounding.Ceil);
  return k > params.minBand ? k : params.minBand;
}

/**
 * The aggregate of every listed market over the checked votes: jailed members' reports are
 * left out (they count toward the bonded power, not toward the reporting power).
 */
function aggregateAll(
  params: OracleParams,
  set: OracleSet,
  checked: CheckedVote[],
): Map<string, MarketAggregate> {
  const out = new Map<string, MarketAggregate>();
  for (const m of params.markets) {
    const reports: WeightedReport[] = [];
    for (const c of checked) {
      if (c.member.jailed) continue;
      const r = c.prices.get(m.id);
      if (r !== undefined) {
        reports.push({ validator: c.member.consAddress, power: c.member.power, price: r.price });
      }
    }
    out.set(m.id, aggregateMarket(reports, set.bonded));
  }
  return out;
}

function quorumPrices(aggregates: Map<string, MarketAggregate>): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [market, a] of aggregates)
    if (a.quorum && a.median !== undefined) out[market] = a.median;
  return out;
}

function showPrices(p: Record<string, bigint>): string {
  const parts = Object.keys(p)
    .sort()
    .map((k) => `${k}=${p[k]}`);
  return `{${parts.join(', ')}}`;
}

/** Relative distance |a − b| / b (18 decimals), for queries and tests. */
export function relativeDistance(a: bigint, b: bigint): bigint {
  return mulDiv(a > b ? a - b : b - a, ONE, b, Rounding.Ceil);
}

export type { OracleEntry };
