import type { App } from '../../core/app/app.ts';
import type {
  CommitInfo,
  ExtendedVoteInfo,
  Misbehavior,
  ValidatorInfo,
  Vote,
} from '../../core/app/types.ts';
import { fromHex, sha256, toHex } from '../../core/crypto/hash.ts';
import { sign, verify } from '../../core/crypto/keys.ts';
import type { Observations } from '../../core/modules/oracle/api.ts';
import {
  type Block,
  type BlockHeader,
  type BlockResults,
  blockHash,
  type Commit,
  type CommitSig,
  dataHash,
  extensionSignBytes,
  hashValue,
  voteSignBytes,
  ZERO_HASH,
} from '../block.ts';
import { doublesSignsAt, type Faults, isOffline } from './faults.ts';

/** A validator whose key this process holds. */
export interface LocalValidator {
  name: string;
  seed: Uint8Array;
  pubKey: Uint8Array;
}

export interface SoloOptions {
  app: App;
  chainId: string;
  validators: LocalValidator[];
  faults: Faults;
  maxBlockBytes: number;
  maxBlockTxs: number;
  /** The consensus clock (injected: tests and the simulator give their own). */
  now: () => number;
  /** Told of each vote extension refused by `verifyVoteExtension` (the node logs and counts it). */
  onRefusedExtension?: (validator: string, height: number) => void;
}

export interface ProducedBlock {
  block: Block;
  hash: string;
  commit: Commit;
  results: BlockResults;
}

/** Where the last block left the chain: what the next block links to. */
export interface ChainTip {
  height: number;
  blockHash: string;
  timeMs: number;
  lastCommit: Commit | null;
}

const ROUND = 0;

/**
 * `solo` consensus: one process holds every validator's key and runs each height's steps
 * for all of them — the proposer signs the proposal, every online validator checks it
 * (processProposal), signs a precommit and a vote extension, and the engine verifies each
 * signature as a peer would. A block commits with more than 2/3 of the voting power.
 */
export class SoloEngine {
  private pendingEvidence: Misbehavior[] = [];
  private lastExtensions: ExtendedVoteInfo[] = [];

  constructor(
    private readonly opts: SoloOptions,
    private tip: ChainTip,
  ) {}

  get chainTip(): ChainTip {
    return this.tip;
  }

  /** Builds, signs, executes and returns the next block; the caller persists it and then calls `commit`. */
  produce(
    pickTxs: (maxBytes: number, maxTxs: number) => Uint8Array[],
    observations: ReadonlyMap<string, Observations> = new Map(),
  ): ProducedBlock {
    const { app, chainId } = this.opts;
    const height = this.tip.height + 1;
    const valset = app.validators();
    const totalPower = valset.reduce((s, v) => s + v.power, 0n);
    const proposerAddress = app.proposerFor(height);
    const proposer =
      valset.find((v) => v.address === proposerAddress) ?? (valset[0] as ValidatorInfo);
    const timeMs = Math.max(this.opts.now(), this.tip.timeMs + 1);

    const txs = app.prepareProposal(
      pickTxs(this.opts.maxBlockBytes, this.opts.maxBlockTxs),
      this.lastExtensions,
      this.opts.maxBlockBytes,
    );
    const evidence = this.pendingEvidence;
    const header: BlockHeader = {
      chainId,
      height,
      timeMs,
      proposer: proposer.address,
      lastBlockHash: this.tip.blockHash,
      lastCommitHash:
        this.tip.lastCommit === null ? ZERO_HASH : hashValue(this.tip.lastCommit as never),
      dataHash: dataHash(txs.map((t) => fromHex(app.txHashOf(t)))),
      evidenceHash: hashValue(evidence as never),
      appHash: toHex(app.appHash),
      validatorsHash: hashValue(valset.map((v) => [v.pubKey, v.power])),
    };
    const block: Block = { header, txs, lastCommit: this.tip.lastCommit, evidence };
    const hash = blockHash(header);

    const proposerKey = this.key(proposer);
    if (proposerKey !== undefined) {
      const proposal = voteSignBytes({
        type: 'proposal',
        chainId,
        height,
        round: ROUND,
        blockHash: hash,
      });
      if (!verify(proposer.pubKey, proposal, sign(proposerKey.seed, proposal))) {
        throw new Error(`proposer ${proposer.name} produced an invalid proposal signature`);
      }
    }
    if (!app.processProposal(txs))
      throw new Error(`proposal at height ${height} rejected by processProposal`);

    const {
      commit,
      extensions,
      signedPower,
      evidence: newEvidence,
    } = this.precommit(valset, height, hash, timeMs, totalPower, observations);
    if (signedPower * 3n <= totalPower * 2n) {
      throw new NoQuorumError(height, signedPower, totalPower);
    }

    const lastCommitInfo: CommitInfo = commitInfoOf(valset, this.tip.lastCommit);
    const res = app.finalizeBlock({
      block: { chainId, height, timeMs, proposer: proposer.address, hash: fromHex(hash) },
      txs,
      lastCommit: lastCommitInfo,
      misbehavior: evidence,
    });
    this.pendingEvidence = newEvidence;
    this.lastExtensions = extensions;
    this.tip = { height, blockHash: hash, timeMs, lastCommit: commit };
    const results: BlockResults = {
      height,
      txResults: res.txResults,
      events: res.events,
      validatorUpdates: res.validatorUpdates,
      appHash: toHex(res.appHash),
    };
    return { block, hash, commit, results };
  }

  private key(v: ValidatorInfo): LocalValidator | undefined {
    return this.opts.validators.find((l) => toHex(l.pubKey) === toHex(v.pubKey));
  }

  /** Every online validator precommits (and extends its vote); faults apply here. */
  private precommit(
    valset: ValidatorInfo[],
    height: number,
    hash: string,
    timeMs: number,
    totalPower: bigint,
    observations: ReadonlyMap<string, Observations>,
  ) {
    const { app, chainId, faults } = this.opts;
    const signatures: CommitSig[] = [];
    const extensions: ExtendedVoteInfo[] = [];
    const evidence: Misbehavior[] = [];
    let signedPower = 0n;
    for (const v of valset) {
      const local = this.key(v);
      if (local === undefined || isOffline(faults, v.name, height)) continue;
      const bytes = voteSignBytes({
        type: 'precommit',
        chainId,
        height,
        round: ROUND,
        blockHash: hash,
      });
      const signature = sign(local.seed, bytes);
      const extension = app.extendVote(height, v.address, observations.get(v.name) ?? {});
      const extensionSignature = sign(
        local.seed,
        extensionSignBytes(chainId, height, ROUND, extension),
      );
      // Check as a peer would before counting the vote.
      if (!verify(v.pubKey, bytes, signature)) continue;
      if (
        !verify(v.pubKey, extensionSignBytes(chainId, height, ROUND, extension), extensionSignature)
      )
        continue;
      if (!app.verifyVoteExtension(height, v.address, extension)) {
        this.opts.onRefusedExtension?.(v.name, height);
        continue;
      }
      signatures.push({ validator: v.address, signature, extension, extensionSignature });
      extensions.push({ validator: v.address, power: v.power, extension, extensionSignature });
      signedPower += v.power;
      if (doublesSignsAt(faults, v.name, height)) {
        const other = toHex(sha256(new TextEncoder().encode(`conflicting/${hash}`)));
        const otherSig = sign(
          local.seed,
          voteSignBytes({ type: 'precommit', chainId, height, round: ROUND, blockHash: other }),
        );
        const vote = (blockHashHex: string, sig: Uint8Array): Vote => ({
          type: 'precommit',
          chainId,
          height,
          round: ROUND,
          blockHash: fromHex(blockHashHex),
          validator: v.address,
          signature: sig,
        });
        evidence.push({
          type: 'duplicate-vote',
          validator: v.address,
          height,
          timeMs,
          totalPower,
          voteA: vote(hash, signature),
          voteB: vote(other, otherSig),
        });
      }
    }
    return {
      commit: { height, round: ROUND, blockHash: hash, signatures },
      extensions,
      signedPower,
      evidence,
    };
  }
}

/** Who signed the previous block, as the app sees it (ABCI's CommitInfo). */
export function commitInfoOf(valset: ValidatorInfo[], commit: Commit | null): CommitInfo {
  const signers = new Set(commit?.signatures.map((s) => s.validator) ?? []);
  return {
    round: commit?.round ?? 0,
    votes: valset.map((v) => ({
      address: v.address,
      power: v.power,
      signed: commit === null ? true : signers.has(v.address),
    })),
  };
}

/** Every validator refused the proposal (processProposal); the reason says why. */
export class ProposalRejectedError extends Error {
  override name = 'ProposalRejectedError';
  constructor(
    readonly height: number,
    readonly reason: string,
  ) {
    super(`proposal at height ${height} rejected: ${reason}`);
  }
}

export class NoQuorumError extends Error {
  override name = 'NoQuorumError';
  constructor(
    readonly height: number,
    readonly signedPower: bigint,
    readonly totalPower: bigint,
  ) {
    super(
      `no quorum at height ${height}: ${signedPower} of ${totalPower} voting power signed (more than 2/3 needed)`,
    );
  }
}
