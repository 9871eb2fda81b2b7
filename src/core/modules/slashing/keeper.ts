import type { Context } from '../../app/module.ts';
import type { FinalizeBlockRequest, Misbehavior, VoteInfo } from '../../app/types.ts';
import type { Value } from '../../encoding/canonical.ts';
import { divRound, Rounding, toDecimalString } from '../../math/index.ts';
import { Branch } from '../../store/branch.ts';
import type { ReadStore, Store } from '../../store/store.ts';
import { POWER_REDUCTION, type StakingKeeperApi, type Validator } from '../staking/api.ts';
import { correlatedFraction } from './correlation.ts';
import { ensureSlashing, SlashingError } from './errors.ts';
import { verifyDuplicateVoteEvidence } from './evidence.ts';
import {
  correlationKey,
  correlationPrefix,
  heightAfter,
  MISSED_CHUNK_BITS,
  missedChunkKey,
  missedPrefix,
  powerKey,
  powerPrefix,
  SIGNING_INFO_PREFIX,
  signingInfoKey,
  TIME_CHECKPOINT_BLOCKS,
  TIME_PREFIX,
  timeKey,
} from './keys.ts';
import { type SlashingParams, slashingParams } from './params.ts';

/** jailedUntilMs of a tombstoned validator: never. */
export const JAILED_FOREVER = Number.MAX_SAFE_INTEGER;

/** Kinds of fault, each with its own correlation record. */
export type FaultKind = 'downtime' | 'double-sign' | 'oracle';

/** A validator's liveness record and punishment state (Cosmos' ValidatorSigningInfo). */
export interface SigningInfo {
  consAddress: string;
  /** Height from which the liveness window counts (first seen, re-entered, unjailed). */
  startHeight: number;
  /** Blocks counted since startHeight (or the last reset); slot = indexOffset mod window. */
  indexOffset: number;
  missedBlocksCounter: number;
  /** Unix ms of block time before which unjail is refused. */
  jailedUntilMs: number;
  tombstoned: boolean;
  /** signedBlocksWindow the bitmap was built for (a change of the param resets it). */
  window: number;
  /** Height of the last block whose commit info listed this validator. */
  lastHeight: number;
  /** Its power in that commit. */
  power: bigint;
}

export interface SlashResult {
  fraction: bigint;
  burned: bigint;
}

/** Where equivocation evidence came from: the node's consensus, or a tx from anyone. */
export type EvidenceSource = 'node' | 'msg';

/**
 * State access of the slashing module: liveness windows, double-sign evidence, jail and
 * tombstone records and the correlated penalty. It changes stake only through the staking
 * keeper (`slash`, `jail`, `unjail`), which burns through the bank.
 */
export class SlashingKeeper {
  constructor(readonly staking: StakingKeeperApi) {}

  params(store: ReadStore): SlashingParams {
    return slashingParams.get(store);
  }

  signingInfo(store: ReadStore, consAddress: string): SigningInfo | undefined {
    return store.get(signingInfoKey(consAddress)) as unknown as SigningInfo | undefined;
  }

  signingInfos(store: ReadStore): SigningInfo[] {
    const out: SigningInfo[] = [];
    for (const [, v] of store.iterate(SIGNING_INFO_PREFIX)) out.push(v as unknown as SigningInfo);
    return out;
  }

  setSigningInfo(store: Store, info: SigningInfo): void {
    store.set(signingInfoKey(info.consAddress), info as unknown as Value);
  }

  /** Whether the validator was punished for double signing (staking refuses delegations). */
  isTombstoned(store: ReadStore, consAddress: string): boolean {
    return this.signingInfo(store, consAddress)?.tombstoned === true;
  }

  /** Window slots (0-based) currently marked missed, ascending. */
  missedSlots(store: ReadStore, consAddress: string): number[] {
    const prefix = missedPrefix(consAddress);
    const out: number[] = [];
    for (const [key, bits] of store.iterate(prefix)) {
      const chunk = heightAfter(key, prefix);
      let b = bits as bigint;
      for (let i = 0; b !== 0n; i++, b >>= 1n) if ((b & 1n) === 1n) out.push(chunk * 64 + i);
    }
    return out;
  }

  // ---- begin block ----------------------------------------------------------------------

  /** Evidence from the node first (so a tombstoned validator skips liveness), then liveness. */
  beginBlock(ctx: Context, req: FinalizeBlockRequest): void {
    const params = this.params(ctx.store);
    this.recordTimeCheckpoint(ctx, params);
    for (const ev of req.misbehavior) {
      // Node-submitted evidence that does not hold (or was already punished) is ignored: the
      // block must still execute. Each runs in its own branch, so a refusal leaves nothing.
      const branch = new Branch(ctx.store);
      const sub = ctx.with(branch);
      try {
        this.handleEquivocation(sub, ev, 'node');
      } catch {
        continue; // ignored by design (already tombstoned, expired, unknown validator, …)
      }
      branch.write();
      ctx.events.push(...sub.events);
    }
    for (const vote of req.lastCommit.votes) this.handleVote(ctx, params, vote);
  }

  /**
   * One validator's vote on the previous block (Cosmos HandleValidatorSignature): moves its
   * window one slot, and slashes and jails it when it missed more than the window allows.
   * O(1) reads and writes per validator per block; a signing validator with no misses reads
   * no bitmap at all.
   */
  handleVote(ctx: Context, params: SlashingParams, vote: VoteInfo): void {
    const { store } = ctx;
    const height = ctx.block.height;
    const window = params.signedBlocksWindow;
    const existing = this.signingInfo(store, vote.address);
    if (existing?.tombstoned) return;
    let info: SigningInfo = existing ?? newInfo(vote.address, height, window);
    if (info.window !== window) {
      // The window changed (governance): the old bitmap means nothing for the new one.
      this.clearMissed(store, vote.address);
      info = { ...info, window, indexOffset: 0, missedBlocksCounter: 0, startHeight: height };
    } else if (existing !== undefined && existing.lastHeight < height - 1) {
      // Absent from commits in between (out of the set): a new grace period, as Cosmos resets
      // StartHeight when a validator bonds again.
      info = { ...info, startHeight: height };
    }
    if (vote.power !== info.power) this.recordPower(ctx, params, vote.address, vote.power);

    const index = info.indexOffset % window;
    const missed = !vote.signed;
    let counter = info.missedBlocksCounter;
    // With no misses in the window every bit is clear: skip the read.
    if (missed || counter > 0) {
      const previous = this.missedBit(store, vote.address, index);
      if (!previous && missed) {
        this.setMissedBit(store, vote.address, index, true);
        counter++;
      } else if (previous && !missed) {
        this.setMissedBit(store, vote.address, index, false);
        counter--;
      }
    }
    info = {
      ...info,
      indexOffset: info.indexOffset + 1,
      missedBlocksCounter: counter,
      lastHeight: height,
      power: vote.power,
    };
    if (missed) ctx.emit('liveness', { validator: vote.address, missed: counter, height });

    const minSigned = Number(
      divRound(BigInt(window) * params.minSignedPerWindow, 10n ** 18n, Rounding.HalfEven),
    );
    const maxMissed = window - minSigned;
    if (height > info.startHeight + window && counter > maxMissed) {
      const validator = this.staking.validatorByConsAddress(store, vote.address);
      if (validator !== undefined && !validator.jailed) {
        // Cosmos' distribution height: the infraction is the block the missed votes were
        // for, whose validator set was fixed two blocks before (ValidatorUpdateDelay + 1).
        const infractionHeight = Math.max(0, height - 2);
        this.slashWithCorrelation(
          ctx,
          'downtime',
          vote.address,
          infractionHeight,
          vote.power,
          params.slashFractionDowntime,
        );
        this.staking.jail(ctx, vote.address);
        const jailedUntilMs = ctx.block.timeMs + params.downtimeJailDurationMs;
        ctx.emit('jail', { validator: vote.address, reason: 'downtime', jailedUntilMs });
        this.clearMissed(store, vote.address);
        info = { ...info, jailedUntilMs, missedBlocksCounter: 0, indexOffset: 0 };
      }
    }
    this.setSigningInfo(store, info);
  }

  // ---- double sign ----------------------------------------------------------------------

  /**
   * Punishes a proven equivocation: slashFractionDoubleSign (correlated) of the stake the
   * validator had at the evidence height, jail forever, tombstone. Throws a ChainError (and
   * changes nothing) when the evidence does not hold, is expired, names an unknown validator,
   * or the validator is already tombstoned (every equivocation of one validator is punished
   * once). For a msg the evidence time is a lower bound from the time checkpoints (the
   * submitter's word is not trusted); the node's evidence carries its block time.
   */
  handleEquivocation(ctx: Context, ev: Misbehavior, source: EvidenceSource): SlashResult {
    const { store } = ctx;
    const params = this.params(store);
    const height = ctx.block.height;
    ensureSlashing(
      Number.isSafeInteger(ev.height) && ev.height >= 0 && ev.height < height,
      SlashingError.EvidenceFromFuture,
      `evidence height must be below the current height ${height}, got ${ev.height}`,
    );
    const validator = this.staking.validatorByConsAddress(store, ev.validator);
    ensureSlashing(
      validator !== undefined,
      SlashingError.UnknownValidator,
      `no validator with consensus address ${ev.validator}`,
    );
    verifyDuplicateVoteEvidence(ev, ctx.block.chainId, validator.consPubKey);
    const evTimeMs = source === 'node' ? ev.timeMs : this.timeAtOrBefore(store, ev.height);
    const ageBlocks = height - ev.height;
    const ageMs = ctx.block.timeMs - evTimeMs;
    ensureSlashing(
      !(ageBlocks > params.maxAgeNumBlocks && ageMs > params.maxAgeDurationMs),
      SlashingError.EvidenceExpired,
      `evidence expired: ${ageBlocks} blocks and ${ageMs} ms old, expected at most ${params.maxAgeNumBlocks} blocks or ${params.maxAgeDurationMs} ms`,
    );
    const info = this.signingInfo(store, ev.validator);
    ensureSlashing(
      info?.tombstoned !== true,
      SlashingError.Tombstoned,
      `validator ${ev.validator} is already tombstoned: its equivocations were punished once`,
    );
    const power = this.powerAtInfraction(store, validator, ev.height);
    const result = this.slashWithCorrelation(
      ctx,
      'double-sign',
      ev.validator,
      ev.height,
      power,
      params.slashFractionDoubleSign,
    );
    if (!validator.jailed) this.staking.jail(ctx, ev.validator);
    ctx.emit('jail', {
      validator: ev.validator,
      reason: 'double-sign',
      jailedUntilMs: JAILED_FOREVER,
    });
    this.clearMissed(store, ev.validator);
    this.setSigningInfo(store, {
      ...(info ?? newInfo(ev.validator, height, params.signedBlocksWindow)),
      missedBlocksCounter: 0,
      indexOffset: 0,
      jailedUntilMs: JAILED_FOREVER,
      tombstoned: true,
    });
    ctx.emit('tombstone', { validator: ev.validator, infractionHeight: ev.height, source });
    return result;
  }

  // ---- correlated slash -----------------------------------------------------------------

  /**
   * Slashes `baseFraction` scaled by the correlation factor (see correlatedFraction): the
   * power OTHER validators had slashed for `kind` within the last correlationWindowBlocks
   * blocks, over the total bonded power. A validator failing alone pays exactly the base
   * (the 5 % of a lone double sign); each one failing with others pays more. Records this slash for later ones, burns through
   * staking and emits `slash`. The oracle module reuses it for its faults.
   */
  slashWithCorrelation(
    ctx: Context,
    kind: FaultKind,
    consAddress: string,
    infractionHeight: number,
    power: bigint,
    baseFraction: bigint,
  ): SlashResult {
    const { store } = ctx;
    const params = this.params(store);
    const height = ctx.block.height;
    const prefix = correlationPrefix(kind);
    const cutoff = height - params.correlationWindowBlocks;
    const stale: string[] = [];
    let slashedPower = 0n;
    for (const [key, p] of store.iterate(prefix)) {
      if (heightAfter(key, prefix) <= cutoff) stale.push(key);
      else if (!key.endsWith(`/${consAddress}`)) slashedPower += p as bigint;
    }
    for (const key of stale) store.delete(key);
    if (params.correlationWindowBlocks > 0 && power > 0n) {
      const key = correlationKey(kind, height, consAddress);
      store.set(key, ((store.get(key) as bigint | undefined) ?? 0n) + power);
    }
    let totalPower = this.staking.totalBonded(store) / POWER_REDUCTION;
    if (totalPower < slashedPower) totalPower = slashedPower;
    if (totalPower === 0n) totalPower = 1n;
    const fraction = correlatedFraction(
      baseFraction,
      params.correlationMultiplier,
      slashedPower,
      totalPower,
    );
    const burned = this.staking.slash(ctx, consAddress, infractionHeight, power, fraction);
    ctx.emit('slash', {
      validator: consAddress,
      reason: kind,
      fraction: toDecimalString(fraction),
      burned,
      infractionHeight,
      power,
    });
    return { fraction, burned };
  }

  // ---- unjail ---------------------------------------------------------------------------

  /** The operator's request to leave jail (Cosmos MsgUnjail); then staking.unjail. */
  unjail(ctx: Context, operator: string): void {
    const { store } = ctx;
    const validator = this.staking.validator(store, operator);
    ensureSlashing(
      validator !== undefined,
      SlashingError.UnknownValidator,
      `${operator} operates no validator`,
    );
    const self = this.staking.delegation(store, operator, operator);
    const selfTokens =
      self === undefined ? 0n : this.staking.tokensOfShares(validator, self.shares);
    ensureSlashing(
      selfTokens >= validator.minSelfDelegation,
      SlashingError.SelfDelegationTooLow,
      `self-delegation ${selfTokens} is below the validator's minimum ${validator.minSelfDelegation}`,
    );
    ensureSlashing(
      validator.jailed,
      SlashingError.NotJailed,
      `validator ${operator} is not jailed`,
    );
    const info = this.signingInfo(store, validator.consAddress);
    if (info !== undefined) {
      ensureSlashing(
        !info.tombstoned,
        SlashingError.Tombstoned,
        `validator ${operator} is tombstoned (double sign) and can never be unjailed`,
      );
      ensureSlashing(
        ctx.block.timeMs >= info.jailedUntilMs,
        SlashingError.JailPeriodNotOver,
        `validator ${operator} is jailed until ${info.jailedUntilMs}, block time is ${ctx.block.timeMs}`,
      );
      // A fresh liveness window from now on.
      this.clearMissed(store, validator.consAddress);
      this.setSigningInfo(store, {
        ...info,
        startHeight: ctx.block.height,
        indexOffset: 0,
        missedBlocksCounter: 0,
      });
    }
    this.staking.unjail(ctx, validator.consAddress);
    ctx.emit('unjail', { validator: validator.consAddress, operator });
  }

  // ---- power and time history -----------------------------------------------------------

  /**
   * The power to slash for an infraction at `height`: staking's epoch snapshot when it offers
   * one (`powerAt`) and the validator was in the set then; else this module's record from the
   * commits; else the validator's power now (tokens / POWER_REDUCTION).
   */
  powerAtInfraction(store: ReadStore, validator: Validator, height: number): bigint {
    const fromStaking = this.staking.powerAt?.(store, validator.consAddress, height);
    if (fromStaking !== undefined && fromStaking > 0n) return fromStaking;
    return this.powerAt(store, validator.consAddress, height) ?? currentPower(validator);
  }

  /** The validator's power at `height` as seen in commits, if it was recorded. */
  powerAt(store: ReadStore, consAddress: string, height: number): bigint | undefined {
    const prefix = powerPrefix(consAddress);
    let power: bigint | undefined;
    for (const [key, v] of store.iterate(prefix)) {
      if (heightAfter(key, prefix) > height) break;
      power = (v as { power: bigint }).power;
    }
    return power;
  }

  /**
   * A lower bound on the block time at `height`: the newest checkpoint at or below it (0
   * when there is none). Evidence age by time is thus never underestimated.
   */
  timeAtOrBefore(store: ReadStore, height: number): number {
    let t = 0;
    for (const [key, v] of store.iterate(TIME_PREFIX)) {
      if (heightAfter(key, TIME_PREFIX) > height) break;
      t = v as number;
    }
    return t;
  }

  private recordTimeCheckpoint(ctx: Context, params: SlashingParams): void {
    const height = ctx.block.height;
    if (height % TIME_CHECKPOINT_BLOCKS !== 0) return;
    ctx.store.set(timeKey(height), ctx.block.timeMs);
    this.pruneHistory(ctx, params, TIME_PREFIX, (v) => v as number);
  }

  /** Power of the previous block's set: the vote in block H is for block H − 1. */
  private recordPower(
    ctx: Context,
    params: SlashingParams,
    consAddress: string,
    power: bigint,
  ): void {
    const h = ctx.block.height - 1;
    ctx.store.set(powerKey(consAddress, h), { power, timeMs: ctx.block.timeMs });
    this.pruneHistory(
      ctx,
      params,
      powerPrefix(consAddress),
      (v) => (v as { timeMs: number }).timeMs,
    );
  }

  /**
   * Drops the oldest record while the next one is itself expired by both ages: every
   * evidence height the oldest record answers for is then expired anyway. The time of a
   * record is at or after its height's block time, so "expired" is never claimed early.
   */
  private pruneHistory(
    ctx: Context,
    params: SlashingParams,
    prefix: string,
    timeOf: (v: Value) => number,
  ): void {
    const entries = [...ctx.store.iterate(prefix)];
    for (let i = 0; i + 1 < entries.length; i++) {
      const [nextKey, nextValue] = entries[i + 1] as [string, Value];
      const expired =
        ctx.block.height - heightAfter(nextKey, prefix) > params.maxAgeNumBlocks &&
        ctx.block.timeMs - timeOf(nextValue) > params.maxAgeDurationMs;
      if (!expired) break;
      ctx.store.delete((entries[i] as [string, Value])[0]);
    }
  }

  // ---- bitmap ---------------------------------------------------------------------------

  private missedBit(store: ReadStore, consAddress: string, index: number): boolean {
    const chunk = Math.floor(index / MISSED_CHUNK_BITS);
    const bits = (store.get(missedChunkKey(consAddress, chunk)) as bigint | undefined) ?? 0n;
    return ((bits >> BigInt(index % MISSED_CHUNK_BITS)) & 1n) === 1n;
  }

  private setMissedBit(store: Store, consAddress: string, index: number, on: boolean): void {
    const chunk = Math.floor(index / MISSED_CHUNK_BITS);
    const key = missedChunkKey(consAddress, chunk);
    const bits = (store.get(key) as bigint | undefined) ?? 0n;
    const mask = 1n << BigInt(index % MISSED_CHUNK_BITS);
    const next = on ? bits | mask : bits & ~mask;
    if (next === 0n) store.delete(key);
    else store.set(key, next);
  }

  private clearMissed(store: Store, consAddress: string): void {
    const keys = [...store.iterate(missedPrefix(consAddress))].map(([k]) => k);
    for (const k of keys) store.delete(k);
  }
}

function newInfo(consAddress: string, height: number, window: number): SigningInfo {
  return {
    consAddress,
    startHeight: height,
    indexOffset: 0,
    missedBlocksCounter: 0,
    jailedUntilMs: 0,
    tombstoned: false,
    window,
    lastHeight: height,
    power: -1n,
  };
}

/** Power from the validator's tokens now (when no commit recorded it at the height). */
function currentPower(v: Validator): bigint {
  return v.tokens / POWER_REDUCTION;
}
