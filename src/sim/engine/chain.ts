import type { App } from '../../core/app/app.ts';
import type { GenesisInput } from '../../core/app/genesis.ts';
import { extensionSignBytes, voteSignBytes } from '../../core/app/sign-bytes.ts';
import type {
  CommitInfo,
  Event,
  ExtendedVoteInfo,
  FinalizeBlockResponse,
  Misbehavior,
  ValidatorInfo,
  Vote,
} from '../../core/app/types.ts';
import { sha256, toHex } from '../../core/crypto/hash.ts';
import { sign } from '../../core/crypto/keys.ts';
import { createApp } from '../../core/index.ts';
import type { ValidatorBehaviour } from '../types.ts';
import { type SimKey, simKey } from './keys.ts';

/**
 * The simulator's consensus: one process plays every validator, block by block, straight
 * through the app interface — the proposer's `prepareProposal` (with the previous height's
 * vote extensions), `processProposal` as every validator would check it, `finalizeBlock`
 * with who signed the last block and any double-sign evidence, `commit`, then each online
 * validator's precommit with its price report (`extendVote`). Faults enter as behaviours:
 * an offline validator neither signs nor reports; a double-signer's conflicting precommit
 * becomes evidence in the next block; a biased or silent oracle reports accordingly.
 *
 * With `trustSignatures` (the simulator's one switch) the app skips signature checks and the
 * state commitment (AppOptions.trustSignatures, skipCommitment), and the simulator signs
 * nothing except double-sign evidence, which the chain verifies regardless.
 */
export interface SimChainOptions {
  genesis: GenesisInput;
  /** Monikers of the genesis validators (their keys are `validator/<name>`). */
  validators: string[];
  blockTimeMs: number;
  trustSignatures: boolean;
  /** Run `processProposal` on every block (what the other validators check). */
  checkProposals: boolean;
  /** Seed of the run: the block hashes (the core's randomness) derive from it. */
  seed: string;
  /** Check every module invariant every this many blocks (1: every block). */
  invariantsEvery: number;
  /** Adds the wall time of the proposal, execution and invariant phases (see PhaseTimes). */
  phases?: { proposal: number; execute: number; invariants: number };
}

export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
  constructor(
    readonly block: number,
    readonly broken: string[],
  ) {
    super(`invariant broken at block ${block}: ${broken.join('; ')}`);
  }
}

export interface BlockOutcome {
  height: number;
  /** False when too little power was online to commit (the chain halts this block). */
  committed: boolean;
  response?: FinalizeBlockResponse;
}

const ZERO_SIG = new Uint8Array(64);
const NO_PRICES: Record<string, bigint> = {};
const MAX_BLOCK_BYTES = 4 * 1024 * 1024;
const GENESIS_MS = Date.UTC(2026, 0, 1);

export class SimChain {
  readonly app: App;
  timeMs = GENESIS_MS;
  private readonly byCons = new Map<string, { name: string; key: SimKey }>();
  private lastExtensions: ExtendedVoteInfo[] = [];
  private lastSigners: Set<string> | undefined;
  private pendingEvidence: Misbehavior[] = [];
  /** Blocks skipped because consensus had no quorum. */
  haltedBlocks = 0;

  constructor(private readonly opts: SimChainOptions) {
    this.app = createApp({
      trustSignatures: opts.trustSignatures,
      skipCommitment: opts.trustSignatures,
    });
    this.app.initChain(opts.genesis);
    for (const name of opts.validators) {
      const key = simKey(`validator/${name}`);
      this.byCons.set(key.consAddress, { name, key });
    }
  }

  get height(): number {
    return this.app.height;
  }

  get chainId(): string {
    return this.app.chainId;
  }

  /** Moniker of a consensus address (undefined for a validator the scenario did not create). */
  nameOf(consAddress: string): string | undefined {
    return this.byCons.get(consAddress)?.name;
  }

  /**
   * Produces the next block from `txs`; `behaviour(name)` says what each validator does at
   * it and `observe(name, behaviour)` what prices it reports.
   */
  step(
    txs: Uint8Array[],
    behaviour: (name: string) => ValidatorBehaviour | undefined,
    observe: (name: string, b: ValidatorBehaviour | undefined) => Record<string, bigint>,
  ): BlockOutcome {
    const { app, opts } = this;
    const phases = opts.phases;
    const t0 = phases === undefined ? 0 : performance.now();
    const height = app.height + 1;
    this.timeMs += opts.blockTimeMs;
    const valset = app.validators();
    const totalPower = valset.reduce((s, v) => s + v.power, 0n);
    const proposal = app.prepareProposal(txs, this.lastExtensions, MAX_BLOCK_BYTES, height);
    if (opts.checkProposals) {
      const why = app.checkProposal(proposal, height);
      if (why !== undefined) throw new Error(`proposal at block ${height} refused: ${why}`);
    }
    const hash = sha256(new TextEncoder().encode(`${opts.seed}/block/${height}`));
    const hashHex = toHex(hash);

    // Precommits and vote extensions of this height (before execution, as in ABCI++).
    const extensions: ExtendedVoteInfo[] = [];
    const signers = new Set<string>();
    const evidence: Misbehavior[] = [];
    // Honest validators are handed the same observations object: encode each object once
    // (the oracle's report does not name its validator; the signature binds it).
    const encoded = new Map<Record<string, bigint>, Uint8Array>();
    let signedPower = 0n;
    for (const v of valset) {
      const me = this.byCons.get(v.address);
      if (me === undefined) continue;
      const b = behaviour(me.name);
      if (b?.offline) continue;
      signers.add(v.address);
      signedPower += v.power;
      const obs = b?.silentOracle ? NO_PRICES : observe(me.name, b);
      let ext = encoded.get(obs);
      if (ext === undefined) {
        ext = app.extendVote(height, v.address, obs);
        encoded.set(obs, ext);
      }
      const extensionSignature = opts.trustSignatures
        ? ZERO_SIG
        : sign(me.key.seed, extensionSignBytes(app.chainId, height, 0, ext));
      extensions.push({ validator: v.address, power: v.power, extension: ext, extensionSignature });
      if (b?.doubleSign) evidence.push(this.doubleSign(me.key, v, height, hashHex, totalPower));
    }
    if (signedPower * 3n <= totalPower * 2n) {
      // No quorum: no block at this height; time goes on and the validators try again.
      this.haltedBlocks++;
      if (phases !== undefined) phases.proposal += performance.now() - t0;
      return { height, committed: false };
    }
    const t1 = phases === undefined ? 0 : performance.now();
    if (phases !== undefined) phases.proposal += t1 - t0;

    const response = app.finalizeBlock({
      block: {
        chainId: app.chainId,
        height,
        timeMs: this.timeMs,
        proposer: app.proposerFor(height) ?? (valset[0] as ValidatorInfo).address,
        hash,
      },
      txs: proposal,
      lastCommit: this.commitInfo(valset),
      misbehavior: this.pendingEvidence,
    });
    app.commit();
    this.pendingEvidence = evidence;
    this.lastExtensions = extensions;
    this.lastSigners = signers;
    const t2 = phases === undefined ? 0 : performance.now();
    if (phases !== undefined) phases.execute += t2 - t1;
    if (opts.invariantsEvery > 0 && height % opts.invariantsEvery === 0) {
      const broken = app.brokenInvariants();
      if (broken.length > 0) throw new InvariantViolation(height, broken);
    }
    if (phases !== undefined) phases.invariants += performance.now() - t2;
    return { height, committed: true, response };
  }

  private commitInfo(valset: ValidatorInfo[]): CommitInfo {
    const signers = this.lastSigners;
    return {
      round: 0,
      votes: valset.map((v) => ({
        address: v.address,
        power: v.power,
        signed: signers === undefined ? true : signers.has(v.address),
      })),
    };
  }

  /** Two conflicting precommits, really signed (the chain checks evidence signatures always). */
  private doubleSign(
    key: SimKey,
    v: ValidatorInfo,
    height: number,
    hashHex: string,
    totalPower: bigint,
  ): Misbehavior {
    const other = toHex(sha256(new TextEncoder().encode(`conflicting/${hashHex}`)));
    const vote = (blockHash: string): Vote => {
      const base = {
        type: 'precommit' as const,
        chainId: this.app.chainId,
        height,
        round: 0,
        blockHash,
      };
      return {
        ...base,
        blockHash: fromHexBytes(blockHash),
        validator: v.address,
        signature: sign(key.seed, voteSignBytes(base)),
      };
    };
    return {
      type: 'duplicate-vote',
      validator: v.address,
      height,
      timeMs: this.timeMs,
      totalPower,
      voteA: vote(hashHex),
      voteB: vote(other),
    };
  }
}

function fromHexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Every event of a block response (the oracle entry's, the txs', begin and end block's). */
export function blockEvents(r: FinalizeBlockResponse): Event[] {
  const out: Event[] = [...r.events];
  for (const t of r.txResults) for (const e of t.events) out.push(e);
  return out;
}
