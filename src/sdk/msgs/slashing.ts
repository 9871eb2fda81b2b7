/**
 * Message builders of the slashing module (docs/modules/slashing.md): unjail, and
 * double-sign evidence. Bad arguments throw an ArgumentError before anything is sent.
 */
import type { Msg } from '../../core/tx/tx.ts';
import { ArgumentError } from '../errors.ts';
import { requireAddress } from '../tx.ts';

/** One signed vote, as blocks and the RPC carry it (hex for hashes, addresses, signatures). */
export interface VoteJson {
  type: 'prevote' | 'precommit';
  chainId: string;
  height: number;
  round: number;
  /** 64 hex characters. */
  blockHash: string;
  /** Consensus address: 40 hex characters. */
  validator: string;
  /** 128 hex characters. */
  signature: string;
}

/**
 * Duplicate-vote evidence: two votes of one validator at one height and round for different
 * blocks. A block's `evidence` item (`bulwark query block -o json`) has this shape as is;
 * `timeMs` and `totalPower` are accepted and ignored by the chain.
 */
export interface EvidenceJson {
  type?: 'duplicate-vote';
  validator?: string;
  height?: number;
  timeMs?: number;
  totalPower?: string;
  voteA: VoteJson;
  voteB: VoteJson;
}

/**
 * `slashing/unjail`: releases the signer's validator once its jail time is over. `validator`
 * (the operator address) is optional and must be the signer.
 *
 * @example
 * await client.sendTx(operator, [unjailMsg()]);
 */
export function unjailMsg(validator?: string): Msg {
  return {
    type: 'slashing/unjail',
    value: validator === undefined ? {} : { validator: requireAddress(validator, 'validator') },
  };
}

/**
 * `slashing/submit-evidence`: proof that a validator signed two different blocks at one
 * height and round. Anyone may submit it; the validator is slashed, jailed and tombstoned.
 *
 * @example
 * const block = await client.rpc.block(120);
 * const msgs = block.block.evidence.map((e) => submitEvidenceMsg(evidenceFromJson(e)));
 */
export function submitEvidenceMsg(evidence: EvidenceJson): Msg {
  const ev = evidenceFromJson(evidence);
  return {
    type: 'slashing/submit-evidence',
    value: {
      evidence: {
        ...(ev.type !== undefined ? { type: ev.type } : {}),
        ...(ev.validator !== undefined ? { validator: ev.validator } : {}),
        ...(ev.height !== undefined ? { height: ev.height } : {}),
        ...(ev.timeMs !== undefined ? { timeMs: ev.timeMs } : {}),
        ...(ev.totalPower !== undefined ? { totalPower: ev.totalPower } : {}),
        voteA: { ...ev.voteA },
        voteB: { ...ev.voteB },
      },
    },
  };
}

/**
 * Checks parsed JSON against the evidence shape and returns it typed (unknown fields are
 * refused, hex is lowercased); throws an ArgumentError naming the first bad field.
 *
 * @example
 * const evidence = evidenceFromJson(JSON.parse(await readFile('evidence.json', 'utf8')));
 */
export function evidenceFromJson(json: unknown): EvidenceJson {
  const o = object(json, 'evidence');
  onlyKeys(
    o,
    ['type', 'validator', 'height', 'timeMs', 'totalPower', 'voteA', 'voteB'],
    'evidence',
  );
  if (o.type !== undefined && o.type !== 'duplicate-vote') {
    throw new ArgumentError(
      `evidence.type must be "duplicate-vote", got ${JSON.stringify(o.type)}`,
    );
  }
  const ev: EvidenceJson = {
    voteA: vote(o.voteA, 'evidence.voteA'),
    voteB: vote(o.voteB, 'evidence.voteB'),
  };
  if (o.type !== undefined) ev.type = 'duplicate-vote';
  if (o.validator !== undefined) ev.validator = hex(o.validator, 20, 'evidence.validator');
  if (o.height !== undefined) ev.height = integer(o.height, 'evidence.height');
  if (o.timeMs !== undefined) ev.timeMs = integer(o.timeMs, 'evidence.timeMs');
  if (o.totalPower !== undefined) {
    if (
      !(typeof o.totalPower === 'string' && /^[0-9]{1,39}$/.test(o.totalPower)) &&
      !(typeof o.totalPower === 'number' && Number.isSafeInteger(o.totalPower))
    ) {
      throw new ArgumentError('evidence.totalPower must be a decimal integer string');
    }
    ev.totalPower = String(o.totalPower);
  }
  return ev;
}

function vote(json: unknown, what: string): VoteJson {
  const o = object(json, what);
  onlyKeys(o, ['type', 'chainId', 'height', 'round', 'blockHash', 'validator', 'signature'], what);
  if (o.type !== 'prevote' && o.type !== 'precommit') {
    throw new ArgumentError(`${what}.type must be "prevote" or "precommit"`);
  }
  if (typeof o.chainId !== 'string' || o.chainId === '') {
    throw new ArgumentError(`${what}.chainId must be a chain id string`);
  }
  return {
    type: o.type,
    chainId: o.chainId,
    height: integer(o.height, `${what}.height`),
    round: integer(o.round, `${what}.round`),
    blockHash: hex(o.blockHash, 32, `${what}.blockHash`),
    validator: hex(o.validator, 20, `${what}.validator`),
    signature: hex(o.signature, 64, `${what}.signature`),
  };
}

function object(json: unknown, what: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ArgumentError(`${what} must be a JSON object`);
  }
  return json as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, keys: string[], what: string): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k))
      throw new ArgumentError(`${what} has an unknown field ${JSON.stringify(k)}`);
  }
}

function integer(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new ArgumentError(`${what} must be a non-negative integer`);
  }
  return v;
}

function hex(v: unknown, bytes: number, what: string): string {
  if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${2 * bytes}}$`).test(v)) {
    throw new ArgumentError(`${what} must be ${2 * bytes} hex characters (${bytes} bytes)`);
  }
  return v.toLowerCase();
}
