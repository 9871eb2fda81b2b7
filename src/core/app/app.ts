import { addressBytes } from '../crypto/address.ts';
import { toHex } from '../crypto/hash.ts';
import { decode, encode, type Value } from '../encoding/canonical.ts';
import { ChainError, chainErrorOf, ErrorCode } from '../errors.ts';
import { Branch } from '../store/branch.ts';
import { type StateChange, StateTree } from '../store/state-tree.ts';
import type { ReadStore, Store } from '../store/store.ts';
import { formatZodError, txHash } from '../tx/tx.ts';
import { executeTx, type TxMode } from './execute.ts';
import { type Genesis, parseGenesis } from './genesis.ts';
import {
  type AnyModule,
  type AnyMsgDef,
  type AnyQueryDef,
  Context,
  type Invariant,
} from './module.ts';
import { BoundedMap, type Prepared, prepareTx } from './prepare.ts';
import type {
  BlockInfo,
  CheckTxResponse,
  ExtendedVoteInfo,
  FinalizeBlockRequest,
  FinalizeBlockResponse,
  QueryResponse,
  TxResult,
  ValidatorInfo,
} from './types.ts';

/** Past states, provided by the node's store (the core does no I/O). */
export interface HistoryProvider {
  /** The state as committed at `height`; throws a ChainError(PrunedHeight) when gone. */
  at(height: number): ReadStore;
}

/** Hashes of txs whose signatures were already checked (by checkTx or a verifier pool). */
export interface SignatureCache {
  has(txHash: string): boolean;
  add(txHash: string): void;
}

export interface AppOptions {
  modules: AnyModule[];
  history?: HistoryProvider;
  signatureCache?: SignatureCache;
  /** Check every invariant after every block and throw on a violation (tests, simulator). */
  assertInvariants?: boolean;
  /**
   * The simulator's one explicit switch: accept every tx signature and every vote-extension
   * signature without checking (it trusts its own actors; signing and verifying would
   * dominate its run time). Everything else — nonces, fees, evidence — is checked as usual.
   * Modules see it through `createModules`; a node never sets it.
   */
  trustSignatures?: boolean;
  /**
   * The simulator's trust also covers the state commitment: one process, nobody to agree
   * with and nothing persisted, so no Merkle hashing and no change sets; `appHash` stays
   * zero. No state transition reads the app hash, so execution is the same (a simulator
   * test runs a scenario both ways and compares). A node never sets it.
   */
  skipCommitment?: boolean;
}

const VALIDATORS_KEY = 'app/validators';
const CHAIN_ID_KEY = 'app/chain-id';
/** Time of the last executed block (unix ms), for checkTx and for modules between blocks. */
const TIME_KEY = 'app/time';

/**
 * The deterministic state machine behind the ABCI++-shaped interface. Consensus engines
 * drive it; it never reads a clock, the network or the disk.
 */
export class App {
  readonly tree: StateTree;
  height = 0;
  appHash: Uint8Array = new Uint8Array(32);
  chainId = '';
  readonly modules: AnyModule[];
  readonly msgRoutes = new Map<string, AnyMsgDef>();
  readonly queryRoutes = new Map<string, AnyQueryDef>();
  private checkState: Branch;
  private sealed: { height: number; appHash: Uint8Array; changes: StateChange[] } | undefined;
  private readonly signatures: SignatureCache;
  private readonly prepared = new BoundedMap<string, Prepared>(40_000);
  private readonly preparedByBytes = new WeakMap<Uint8Array, Prepared>();

  constructor(private readonly opts: AppOptions) {
    this.modules = opts.modules;
    this.tree = new StateTree({ commitment: opts.skipCommitment !== true });
    for (const m of this.modules) {
      for (const msg of m.msgs) this.msgRoutes.set(msg.type, msg);
      for (const q of m.queries) this.queryRoutes.set(q.path, q);
    }
    this.signatures = opts.trustSignatures
      ? TRUST_ALL
      : (opts.signatureCache ?? boundedCache(100_000));
    this.checkState = new Branch(this.tree);
  }

  // ---- initChain -------------------------------------------------------------------------

  initChain(genesisJson: unknown): { validators: ValidatorInfo[]; appHash: Uint8Array } {
    if (this.tree.get(CHAIN_ID_KEY) !== undefined) {
      throw new ChainError(
        ErrorCode.InvalidGenesis,
        `initChain on a chain that already has state (${this.chainId} at height ${this.height})`,
      );
    }
    const genesis: Genesis = parseGenesis(genesisJson);
    const block: BlockInfo = {
      chainId: genesis.chainId,
      height: genesis.initialHeight - 1,
      timeMs: 0,
      proposer: '',
      hash: new Uint8Array(32),
    };
    const branch = new Branch(this.tree);
    const ctx = new Context(branch, block);
    branch.set(CHAIN_ID_KEY, genesis.chainId);
    const validators: ValidatorInfo[] = genesis.validators.map((v) => ({
      address: toHex(addressBytes(v.pubKey)),
      pubKey: v.pubKey,
      power: v.power,
      name: v.name,
    }));
    if (new Set(validators.map((v) => v.address)).size !== validators.length) {
      throw new ChainError(ErrorCode.InvalidGenesis, 'invalid genesis: duplicate validator key');
    }
    branch.set(VALIDATORS_KEY, validators as unknown as Value);
    const unknown = Object.keys(genesis.app).filter((k) => this.module(k) === undefined);
    if (unknown.length > 0) {
      throw new ChainError(
        ErrorCode.InvalidGenesis,
        `invalid genesis: unknown module(s) ${unknown.join(', ')}`,
      );
    }
    for (const m of this.modules) {
      const part = genesis.app[m.name];
      if (part === undefined) {
        m.initGenesis(ctx, m.defaultGenesis());
        continue;
      }
      const parsed = m.genesisSchema.safeParse(part);
      if (!parsed.success) {
        throw new ChainError(
          ErrorCode.InvalidGenesis,
          `invalid genesis app.${m.name}: ${formatZodError(parsed.error)}`,
        );
      }
      m.initGenesis(ctx, parsed.data);
    }
    branch.write();
    const { root } = this.tree.commit();
    this.chainId = genesis.chainId;
    this.height = genesis.initialHeight - 1;
    this.appHash = root;
    this.checkState = new Branch(this.tree);
    this.assertInvariants();
    const set = this.validators();
    if (set.length === 0) {
      throw new ChainError(
        ErrorCode.InvalidGenesis,
        'invalid genesis: no validators (give staking validators or a validators list)',
      );
    }
    return { validators: set, appHash: root };
  }

  /** Resumes from persisted state (a restart); throws if it does not hash to `appHash`. */
  load(entries: Iterable<[string, Uint8Array]>, height: number, appHash: Uint8Array): void {
    const root = this.tree.load(entries);
    if (toHex(root) !== toHex(appHash)) {
      throw new Error(
        `state store is damaged: its Merkle root is ${toHex(root)}, but height ${height} committed ${toHex(appHash)}`,
      );
    }
    this.height = height;
    this.appHash = root;
    this.chainId = this.tree.get(CHAIN_ID_KEY) as string;
    this.checkState = new Branch(this.tree);
  }

  /** The consensus validator set: the staking module's active set, else the genesis list. */
  validators(store: ReadStore = this.tree): ValidatorInfo[] {
    const owner = this.modules.find((m) => m.validatorSet !== undefined);
    if (owner?.validatorSet !== undefined) return owner.validatorSet(store);
    return (store.get(VALIDATORS_KEY) as unknown as ValidatorInfo[]) ?? [];
  }

  /**
   * Consensus address of the validator due to propose `height` (the next block): the
   * staking module's weighted round robin, else a plain rotation over the genesis list.
   */
  proposerFor(height: number): string | undefined {
    const owner = this.modules.find((m) => m.proposerFor !== undefined);
    if (owner?.proposerFor !== undefined) return owner.proposerFor(this.tree, height);
    const set = this.validators();
    return set.length === 0 ? undefined : set[(height - 1) % set.length]?.address;
  }

  // ---- mempool ---------------------------------------------------------------------------

  /**
   * Checks a tx against the mempool's view of the state (committed state plus the txs
   * already accepted since), executing it there. Never touches committed state.
   */
  checkTx(bytes: Uint8Array): CheckTxResponse {
    const block = this.nextBlockInfo();
    const r = executeTx(this, this.checkState, block, bytes, 'check');
    return {
      code: r.code,
      codespace: r.codespace,
      log: r.log,
      hash: r.hash,
      ...(r.sender !== undefined ? { sender: r.sender } : {}),
      ...(r.nonce !== undefined ? { nonce: r.nonce } : {}),
      ...(r.fee !== undefined ? { fee: r.fee } : {}),
    };
  }

  /** Resets the mempool's view to the committed state (after a commit, before a recheck). */
  resetCheckState(): void {
    this.checkState = new Branch(this.tree);
  }

  /** The tx decoded and its messages parsed (cached by hash: the bytes decide it all). */
  prepare(bytes: Uint8Array, hash?: string): Prepared {
    // The same bytes object usually travels from the mempool into the block: find it by
    // identity first, so it is neither hashed nor decoded twice.
    const known = this.preparedByBytes.get(bytes);
    if (known !== undefined) return known;
    const h = hash ?? txHash(bytes);
    let p = this.prepared.get(h);
    if (p === undefined) {
      p = prepareTx(bytes, this.msgRoutes, h);
      this.prepared.set(h, p);
    }
    this.preparedByBytes.set(bytes, p);
    return p;
  }

  /** The tx hash (uppercase hex) of tx bytes, from the cache when they were seen. */
  txHashOf(bytes: Uint8Array): string {
    const p = this.prepare(bytes);
    return p.ok ? p.tx.hash : p.hash;
  }

  get signatureCache(): SignatureCache {
    return this.signatures;
  }

  // ---- vote extensions and proposals -----------------------------------------------------

  /** The module that answers vote extensions and the block's injected entry (the oracle). */
  private get extensionModule(): AnyModule | undefined {
    return this.modules.find((m) => m.extendVote !== undefined);
  }

  /**
   * This validator's vote extension for `height`, from what its node observed (the
   * oracle's price report); without an oracle module, a minimal one naming height and signer.
   */
  extendVote(
    height: number,
    validator: string,
    observations: Readonly<Record<string, bigint>> = {},
  ): Uint8Array {
    const m = this.extensionModule;
    if (m?.extendVote !== undefined)
      return m.extendVote(this.tree, height, validator, observations);
    return encode({ height, validator, reports: {} });
  }

  /** Checks another validator's extension (its signature is the engine's to check). */
  verifyVoteExtension(height: number, validator: string, extension: Uint8Array): boolean {
    const m = this.extensionModule;
    if (m?.verifyVoteExtension !== undefined)
      return m.verifyVoteExtension(this.tree, height, validator, extension);
    try {
      const v = decode(extension) as { height?: unknown; validator?: unknown };
      return v.height === height && v.validator === validator;
    } catch {
      return false;
    }
  }

  /**
   * The proposer of `height` orders the block: the module's entry first (the oracle update
   * built from the previous height's extensions), then the txs as reaped, within the limit.
   */
  prepareProposal(
    txs: Uint8Array[],
    extendedCommit: ExtendedVoteInfo[],
    maxBytes: number,
    height = this.height + 1,
  ): Uint8Array[] {
    const out: Uint8Array[] = [];
    let size = 0;
    const entry = this.extensionModule?.prepareEntry?.(
      this.tree,
      height,
      this.chainId,
      extendedCommit,
    );
    if (entry !== undefined) {
      out.push(entry);
      size += entry.length;
    }
    for (const tx of txs) {
      if (size + tx.length > maxBytes) break;
      out.push(tx);
      size += tx.length;
    }
    return out;
  }

  /**
   * Every validator re-checks a proposal: the module's entry where and as it must be, and
   * every other tx at least decodable. Returns the reason for a refusal, undefined if valid.
   */
  checkProposal(txs: Uint8Array[], height = this.height + 1): string | undefined {
    const m = this.extensionModule;
    const why = m?.checkProposal?.(this.tree, height, this.chainId, txs);
    if (why !== undefined) return why;
    for (const [i, tx] of txs.entries()) {
      if (i === 0 && m?.isEntry?.(tx)) continue;
      // A tx the mempool prepared is known to decode (the cache finds it by identity).
      if (this.prepare(tx).ok) continue;
      try {
        decode(tx);
      } catch {
        return `tx ${i} is not canonically encoded`;
      }
    }
    return undefined;
  }

  /** ABCI's ProcessProposal: accept or reject. */
  processProposal(txs: Uint8Array[], height = this.height + 1): boolean {
    return this.checkProposal(txs, height) === undefined;
  }

  // ---- execution ------------------------------------------------------------------------

  finalizeBlock(req: FinalizeBlockRequest): FinalizeBlockResponse {
    if (req.block.height !== this.height + 1) {
      throw new Error(`finalizeBlock at height ${req.block.height}, expected ${this.height + 1}`);
    }
    const branch = new Branch(this.tree);
    const ctx = new Context(branch, req.block);
    for (const m of this.modules) m.beginBlock?.(ctx, req);
    const txResults: TxResult[] = [];
    const em = this.extensionModule;
    let txs = req.txs;
    const first = txs[0];
    if (first !== undefined && em?.isEntry?.(first)) {
      // The injected entry (oracle update) applies first; it is not a user tx.
      const entryCtx = ctx.with(branch);
      em.applyEntry?.(entryCtx, first);
      txResults.push({
        code: 0,
        codespace: '',
        log: 'oracle update',
        events: entryCtx.events,
        hash: txHash(first),
      });
      txs = txs.slice(1);
    }
    for (const bytes of txs) {
      const r = executeTx(this, branch, req.block, bytes, 'deliver');
      txResults.push({
        code: r.code,
        codespace: r.codespace,
        log: r.log,
        events: r.events,
        hash: r.hash,
      });
    }
    branch.set(TIME_KEY, req.block.timeMs);
    const validatorUpdates = [];
    for (const m of this.modules) validatorUpdates.push(...(m.endBlock?.(ctx) ?? []));
    branch.write();
    const { root, changes } = this.tree.commit();
    this.sealed = { height: req.block.height, appHash: root, changes };
    this.height = req.block.height;
    this.appHash = root;
    this.assertInvariants();
    return { txResults, events: ctx.events, validatorUpdates, appHash: root };
  }

  /** Hands the sealed block's state changes to the node to persist; resets the mempool view. */
  commit(): { height: number; appHash: Uint8Array; changes: StateChange[] } {
    const sealed = this.sealed;
    if (sealed === undefined) throw new Error('commit without finalizeBlock');
    this.sealed = undefined;
    this.checkState = new Branch(this.tree);
    return sealed;
  }

  // ---- queries and invariants ------------------------------------------------------------

  query(path: string, args: unknown, height?: number): QueryResponse {
    const route = this.queryRoutes.get(path);
    const at = height ?? this.height;
    try {
      if (route === undefined) {
        throw new ChainError(
          ErrorCode.UnknownQuery,
          `unknown query path ${JSON.stringify(path)}; known: ${[...this.queryRoutes.keys()].join(', ')}`,
        );
      }
      if (!Number.isSafeInteger(at) || at < 0 || at > this.height) {
        throw new ChainError(
          ErrorCode.InvalidRequest,
          `height ${height} is not in [0, ${this.height}]`,
        );
      }
      const parsed = route.schema.safeParse(args ?? {});
      if (!parsed.success) {
        throw new ChainError(
          ErrorCode.InvalidRequest,
          `bad query args: ${formatZodError(parsed.error)}`,
        );
      }
      let store: ReadStore = this.tree;
      if (at !== this.height) {
        if (this.opts.history === undefined) {
          throw new ChainError(ErrorCode.PrunedHeight, `no state kept for height ${at}`);
        }
        store = this.opts.history.at(at);
      }
      return { code: 0, log: '', height: at, value: route.handle(store, parsed.data) };
    } catch (e) {
      const err = chainErrorOf(e);
      return { code: err.code, log: err.message, height: at, value: undefined };
    }
  }

  invariants(): Invariant[] {
    return this.modules.flatMap((m) => m.invariants);
  }

  /** Every broken invariant, as `name: description`. */
  brokenInvariants(store: ReadStore = this.tree): string[] {
    const broken: string[] = [];
    for (const inv of this.invariants()) {
      const why = inv.check(store);
      if (why !== undefined) broken.push(`${inv.name}: ${why}`);
    }
    return broken;
  }

  private assertInvariants(): void {
    if (!this.opts.assertInvariants) return;
    const broken = this.brokenInvariants();
    if (broken.length > 0)
      throw new Error(`invariant broken at height ${this.height}: ${broken.join('; ')}`);
  }

  private nextBlockInfo(): BlockInfo {
    const timeMs = (this.tree.get(TIME_KEY) as number | undefined) ?? 0;
    return {
      chainId: this.chainId,
      height: this.height + 1,
      timeMs,
      proposer: '',
      hash: new Uint8Array(32),
    };
  }

  /** The module by name, for keepers wired across modules and for tests. */
  module(name: string): AnyModule | undefined {
    return this.modules.find((m) => m.name === name);
  }

  /** A writable view for tools that build state directly (genesis export, tests). */
  get state(): Store {
    return this.tree;
  }
}

/** Under `trustSignatures`: every tx counts as already checked. */
const TRUST_ALL: SignatureCache = { has: () => true, add: () => {} };

/** A set that forgets its oldest entries past `limit` (signature checks are cheap to redo). */
export function boundedCache(limit: number): SignatureCache {
  const set = new Set<string>();
  return {
    has: (h) => set.has(h),
    add: (h) => {
      if (set.size >= limit) {
        const first = set.values().next().value;
        if (first !== undefined) set.delete(first);
      }
      set.add(h);
    },
  };
}

export type { TxMode };
