import type { Block, BlockHeader, BlockResults, Commit } from '../../consensus/block.ts';
import type { CheckTxResponse, Event, TxResult } from '../../core/app/types.ts';
import type { Value } from '../../core/encoding/canonical.ts';
import { type Json, toJson } from '../../core/encoding/json.ts';
import type { NewBlockEvent, NodeStatus, StoredBlock, TxLookup } from '../api.ts';

/**
 * Chain values as the JSON that docs/rpc.md promises: bigint → decimal string, bytes →
 * lowercase hex, raw tx bytes → base64.
 */

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Standard base64 with padding (RFC 4648 §4); the empty string is valid. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes strict base64, or returns undefined (Buffer.from would silently skip bad chars). */
export function fromBase64(s: string): Uint8Array | undefined {
  if (!BASE64.test(s)) return undefined;
  return new Uint8Array(Buffer.from(s, 'base64'));
}

const json = (v: unknown): Json => toJson(v as Value);

export function eventsJson(events: Event[]): Json {
  return events.map((e) => ({ type: e.type, attributes: { ...e.attributes } }));
}

export function headerJson(header: BlockHeader): Json {
  return json(header);
}

export function commitJson(commit: Commit): Json {
  return json(commit);
}

export function blockJson(block: Block): Json {
  return {
    header: headerJson(block.header),
    txs: block.txs.map(base64),
    lastCommit: block.lastCommit === null ? null : commitJson(block.lastCommit),
    evidence: json(block.evidence),
  };
}

export function storedBlockJson(b: StoredBlock): Json {
  return { hash: b.hash, block: blockJson(b.block), commit: commitJson(b.commit) };
}

/** A tx result as in `block_results` (with the hash). */
export function txResultJson(r: TxResult): Json {
  return {
    code: r.code,
    codespace: r.codespace,
    log: r.log,
    hash: r.hash,
    events: eventsJson(r.events),
  };
}

/** A tx result as in `tx` and in `tx` notifications (the hash is beside it). */
export function txOutcomeJson(r: TxResult): Json {
  return { code: r.code, codespace: r.codespace, log: r.log, events: eventsJson(r.events) };
}

export function blockResultsJson(r: BlockResults): Json {
  return {
    height: r.height,
    appHash: r.appHash,
    txResults: r.txResults.map(txResultJson),
    events: eventsJson(r.events),
    validatorUpdates: json(r.validatorUpdates),
  };
}

export function checkTxJson(r: CheckTxResponse): Json {
  return { code: r.code, codespace: r.codespace, log: r.log, hash: r.hash };
}

export function txLookupJson(t: TxLookup): Json {
  return {
    hash: t.hash,
    height: t.height,
    index: t.index,
    tx: base64(t.tx),
    result: txOutcomeJson(t.result),
  };
}

export function statusJson(s: NodeStatus): Json {
  return {
    chainId: s.chainId,
    moniker: s.moniker,
    version: s.version,
    latestHeight: s.latestHeight,
    latestBlockHash: s.latestBlockHash,
    latestAppHash: s.latestAppHash,
    latestBlockTimeMs: s.latestBlockTimeMs,
    earliestQueryableHeight: s.earliestQueryableHeight,
    mempoolSize: s.mempoolSize,
    catchingUp: s.catchingUp,
    validators: s.validators.map((v) => ({
      name: v.name,
      address: v.address,
      pubKey: json(v.pubKey),
      power: v.power.toString(),
    })),
    localValidators: [...s.localValidators],
  };
}

/** The `result` of a `new_block` notification. */
export function newBlockJson(e: NewBlockEvent): Json {
  return {
    height: e.block.header.height,
    hash: e.hash,
    header: headerJson(e.block.header),
    numTxs: e.block.txs.length,
  };
}

/** The `result` of a `tx` notification for the tx at `index` of the block. */
export function txNotificationJson(height: number, index: number, r: TxResult): Json {
  return { height, index, hash: r.hash, result: txOutcomeJson(r) };
}
