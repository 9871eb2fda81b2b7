/**
 * Message builders of the gov module (docs/modules/gov.md): proposals and their contents,
 * deposits and votes. Bad arguments throw an ArgumentError before anything is sent.
 */
import type { Coin } from '../../core/coin.ts';
import type { Value } from '../../core/encoding/canonical.ts';
import type { Msg } from '../../core/tx/tx.ts';
import { ArgumentError } from '../errors.ts';
import { requireAddress, toCoin } from '../tx.ts';
import { requireProposalId } from './common.ts';

export const VOTE_OPTIONS = ['yes', 'no', 'abstain', 'veto'] as const;
export type VoteOption = (typeof VOTE_OPTIONS)[number];

export const PROPOSAL_TYPES = [
  'param-change',
  'text',
  'community-pool-spend',
  'emergency-pause',
  'execute',
] as const;

/** Most msgs of an execute proposal (the chain also bounds their encoded size: 32 KiB). */
export const MAX_EXECUTE_MSGS = 16;

export const PROPOSAL_STATUSES = [
  'deposit-period',
  'voting-period',
  'passed',
  'executed',
  'failed',
  'rejected',
  'expired',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** A param value as it is carried: what the module's params schema reads (see docs/modules/gov.md). */
export type ParamValue = Value;

/** The content of a proposal: what passes, happens after the timelock. */
export type ProposalContent =
  | {
      type: 'param-change';
      title: string;
      description: string;
      module: string;
      changes: Record<string, ParamValue>;
    }
  | { type: 'text'; title: string; description: string }
  | {
      type: 'community-pool-spend';
      title: string;
      description: string;
      recipient: string;
      amount: Coin;
    }
  | {
      type: 'emergency-pause';
      title: string;
      description: string;
      market: string;
      paused: boolean;
    }
  | { type: 'execute'; title: string; description: string; msgs: Msg[] };

const MAX_TITLE = 140;
const MAX_DESCRIPTION = 5000;
const MARKET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MODULE = /^[a-z][a-z0-9-]{0,31}$/;
const PARAM = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MSG_TYPE = /^[a-z][a-z0-9-]{0,31}\/[a-z][a-z0-9-]{0,63}$/;

/**
 * A param-change content: `changes` maps param names of `module` to their new values, as
 * the module's schema reads them (decimal strings for slashing's and gov's fractions; bigints
 * for amounts).
 *
 * @example
 * const content = paramChangeProposal({
 *   title: 'Harsher downtime', description: 'Raise the downtime slash to 1 %.',
 *   module: 'slashing', changes: { slashFractionDowntime: '0.01' },
 * });
 */
export function paramChangeProposal(p: {
  title: string;
  description: string;
  module: string;
  changes: Record<string, ParamValue>;
}): ProposalContent {
  return checkContent({ type: 'param-change', ...p });
}

/**
 * A text (signal) proposal: nothing is executed.
 *
 * @example
 * const content = textProposal('Adopt the roadmap', 'https://…');
 */
export function textProposal(title: string, description: string): ProposalContent {
  return checkContent({ type: 'text', title, description });
}

/**
 * A community-pool spend: pays `amount` from the community pool to `recipient`.
 *
 * @example
 * const content = communityPoolSpendProposal({
 *   title: 'Fund the explorer', description: '…', recipient: 'bwk1…', amount: '5000000ubwk',
 * });
 */
export function communityPoolSpendProposal(p: {
  title: string;
  description: string;
  recipient: string;
  amount: Coin | string;
}): ProposalContent {
  return checkContent({ type: 'community-pool-spend', ...p, amount: toCoin(p.amount) });
}

/**
 * An emergency pause (or, with `paused: false`, an unpause) of a market. A pause skips
 * the timelock.
 *
 * @example
 * const content = emergencyPauseProposal({
 *   title: 'Pause BTC-USD-PERP', description: 'Oracle outage.', market: 'BTC-USD-PERP', paused: true,
 * });
 */
export function emergencyPauseProposal(p: {
  title: string;
  description: string;
  market: string;
  paused: boolean;
}): ProposalContent {
  return checkContent({ type: 'emergency-pause', ...p });
}

/**
 * An execute proposal: once it passes (after the timelock) the chain runs `msgs` in order,
 * all or none, with the gov module account as their sender. The chain allows only the msg
 * types on its allowlist (`options/list-series`, `perps/list-market`) and parses each value
 * against its msg's schema at submission, so a broken proposal is refused up front.
 *
 * @example
 * const content = executeProposal({
 *   title: 'List ETH-3000-C', description: 'A binary call on ETH-USD.',
 *   msgs: [{ type: 'options/list-series', value: { series: { id: 'ETH-3000-C', underlying: 'ETH-USD',
 *     strike: '3000', expiryMs: 1767225600000, kind: 'call', vault: 'ETH-OPT-2' } } }],
 * });
 */
export function executeProposal(p: {
  title: string;
  description: string;
  msgs: Msg[];
}): ProposalContent {
  return checkContent({ type: 'execute', ...p });
}

/**
 * `gov/submit-proposal`: opens a proposal with an initial deposit (in the denom of the
 * chain's `minDeposit`); voting starts once the deposit reaches `minDeposit`.
 *
 * @example
 * const msg = submitProposalMsg(textProposal('Hello', 'A signal.'), '10000000ubwk');
 */
export function submitProposalMsg(content: ProposalContent, initialDeposit: Coin | string): Msg {
  const c = checkContent(content);
  const { denom, amount } = toCoin(initialDeposit);
  return {
    type: 'gov/submit-proposal',
    value: { content: contentValue(c), initialDeposit: { denom, amount } },
  };
}

/**
 * `gov/deposit`: adds to the deposit of a proposal in its deposit period.
 *
 * @example
 * const msg = depositMsg(3, '5000000ubwk');
 */
export function depositMsg(proposalId: number, amount: Coin | string): Msg {
  const { denom, amount: n } = toCoin(amount);
  return {
    type: 'gov/deposit',
    value: { proposalId: requireProposalId(proposalId), amount: { denom, amount: n } },
  };
}

/**
 * `gov/vote`: votes on a proposal in its voting period (the signer must delegate or operate
 * a validator). A new vote replaces the previous one.
 *
 * @example
 * const msg = voteMsg(3, 'yes');
 */
export function voteMsg(proposalId: number, option: VoteOption): Msg {
  if (!(VOTE_OPTIONS as readonly string[]).includes(option)) {
    throw new ArgumentError(
      `vote option must be one of ${VOTE_OPTIONS.join(', ')}, got ${JSON.stringify(option)}`,
    );
  }
  return { type: 'gov/vote', value: { proposalId: requireProposalId(proposalId), option } };
}

/**
 * A proposal content from parsed JSON (the format of docs/modules/gov.md; amounts as
 * `"5000000ubwk"` or `{ "denom": "ubwk", "amount": "5000000" }`; in `changes`, a string
 * such as `"1000000n"` stands for a bigint). Throws an ArgumentError naming the bad field.
 *
 * @example
 * const content = proposalContentFromJson(JSON.parse(await readFile('proposal.json', 'utf8')));
 */
export function proposalContentFromJson(json: unknown): ProposalContent {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ArgumentError('a proposal content must be a JSON object');
  }
  const o = json as Record<string, unknown>;
  const str = (k: string): string => {
    if (typeof o[k] !== 'string') throw new ArgumentError(`content.${k} must be a string`);
    return o[k] as string;
  };
  const allow = (keys: string[]) => {
    for (const k of Object.keys(o)) {
      if (!['type', 'title', 'description', ...keys].includes(k)) {
        throw new ArgumentError(`content has an unknown field ${JSON.stringify(k)} for ${o.type}`);
      }
    }
  };
  switch (o.type) {
    case 'param-change': {
      allow(['module', 'changes']);
      return paramChangeProposal({
        title: str('title'),
        description: str('description'),
        module: str('module'),
        changes: paramChangesFromJson(o.changes),
      });
    }
    case 'text':
      allow([]);
      return textProposal(str('title'), str('description'));
    case 'community-pool-spend':
      allow(['recipient', 'amount']);
      return communityPoolSpendProposal({
        title: str('title'),
        description: str('description'),
        recipient: str('recipient'),
        amount: coinFromJson(o.amount, 'content.amount'),
      });
    case 'emergency-pause':
      allow(['market', 'paused']);
      if (typeof o.paused !== 'boolean')
        throw new ArgumentError('content.paused must be true or false');
      return emergencyPauseProposal({
        title: str('title'),
        description: str('description'),
        market: str('market'),
        paused: o.paused,
      });
    case 'execute':
      allow(['msgs']);
      return executeProposal({
        title: str('title'),
        description: str('description'),
        msgs: govMsgsFromJson(o.msgs),
      });
    default:
      throw new ArgumentError(
        `content.type must be one of ${PROPOSAL_TYPES.join(', ')}, got ${JSON.stringify(o.type)}`,
      );
  }
}

/**
 * Param changes from parsed JSON: integers stay numbers, strings stay strings except
 * `"<digits>n"`, which becomes a bigint (for amounts such as staking's `minSelfBond`).
 * Fractional numbers are refused: write them as decimal strings (`"0.01"`).
 *
 * @example
 * paramChangesFromJson({ slashFractionDowntime: '0.01', minSelfBond: '2000000n' });
 * // { slashFractionDowntime: '0.01', minSelfBond: 2000000n }
 */
export function paramChangesFromJson(json: unknown): Record<string, ParamValue> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ArgumentError('changes must be a JSON object of param names to values');
  }
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(json)) out[k] = paramValue(v, `changes.${k}`);
  return out;
}

/**
 * The msgs of an execute proposal from parsed JSON: an array of `{ "type", "value" }`; in
 * the values, as in param changes, `"<digits>n"` stands for a bigint and fractions are
 * decimal strings.
 *
 * @example
 * govMsgsFromJson([{ type: 'perps/list-market', value: { market: { id: 'BTC-USD-2', … } } }]);
 */
export function govMsgsFromJson(json: unknown): Msg[] {
  if (!Array.isArray(json)) {
    throw new ArgumentError('content.msgs must be a JSON array of {"type", "value"}');
  }
  return json.map((m, i) => {
    const what = `content.msgs[${i}]`;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      throw new ArgumentError(`${what} must be an object {"type", "value"}`);
    }
    const { type, value, ...rest } = m as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined)
      throw new ArgumentError(`${what} has an unknown field ${JSON.stringify(extra)}`);
    if (typeof type !== 'string') throw new ArgumentError(`${what}.type must be a string`);
    if (value === undefined) throw new ArgumentError(`${what}.value is missing`);
    return { type, value: paramValue(value, `${what}.value`) };
  });
}

/** A coin from `"5ubwk"` or `{ denom, amount }` (amount a decimal string or safe integer). */
export function coinFromJson(json: unknown, what = 'amount'): Coin {
  if (typeof json === 'string') {
    try {
      return toCoin(json);
    } catch (e) {
      throw new ArgumentError(`${what}: ${(e as Error).message}`);
    }
  }
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const { denom, amount } = json as { denom?: unknown; amount?: unknown };
    const okAmount =
      (typeof amount === 'string' && /^[0-9]{1,39}$/.test(amount)) ||
      (typeof amount === 'number' && Number.isSafeInteger(amount));
    if (typeof denom === 'string' && okAmount && Object.keys(json).length === 2) {
      try {
        return toCoin({ denom, amount: BigInt(amount as string | number) });
      } catch (e) {
        throw new ArgumentError(`${what}: ${(e as Error).message}`);
      }
    }
  }
  throw new ArgumentError(`${what} must be a coin such as "5000000ubwk" or {"denom","amount"}`);
}

function paramValue(v: unknown, what: string): ParamValue {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') return /^[0-9]{1,39}n$/.test(v) ? BigInt(v.slice(0, -1)) : v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) {
      throw new ArgumentError(
        `${what} is ${v}: write fractions as decimal strings ("0.01") and integers as whole numbers`,
      );
    }
    return v;
  }
  if (typeof v === 'bigint') return v;
  if (Array.isArray(v)) return v.map((x, i) => paramValue(x, `${what}[${i}]`));
  if (typeof v === 'object') {
    const out: Record<string, ParamValue> = {};
    for (const [k, x] of Object.entries(v)) out[k] = paramValue(x, `${what}.${k}`);
    return out;
  }
  throw new ArgumentError(`${what} is not a JSON value`);
}

function checkContent(c: ProposalContent): ProposalContent {
  const len = (s: string, max: number, what: string) => {
    if (typeof s !== 'string' || s.length < 1 || s.length > max)
      throw new ArgumentError(`${what} must be 1–${max} characters`);
  };
  len(c.title, MAX_TITLE, 'title');
  len(c.description, MAX_DESCRIPTION, 'description');
  switch (c.type) {
    case 'param-change': {
      if (!MODULE.test(c.module))
        throw new ArgumentError(`module ${JSON.stringify(c.module)} is not a module name`);
      const names = Object.keys(c.changes);
      if (names.length < 1 || names.length > 32)
        throw new ArgumentError(`a param change carries 1–32 changes, got ${names.length}`);
      for (const n of names)
        if (!PARAM.test(n)) throw new ArgumentError(`${JSON.stringify(n)} is not a param name`);
      return c;
    }
    case 'community-pool-spend':
      return {
        ...c,
        recipient: requireAddress(c.recipient, 'recipient'),
        amount: toCoin(c.amount),
      };
    case 'emergency-pause':
      if (!MARKET.test(c.market))
        throw new ArgumentError(
          `market ${JSON.stringify(c.market)}: letters, digits, . _ - (1–64, starting with a letter or digit)`,
        );
      return c;
    case 'execute': {
      if (!Array.isArray(c.msgs) || c.msgs.length < 1 || c.msgs.length > MAX_EXECUTE_MSGS)
        throw new ArgumentError(`an execute proposal carries 1–${MAX_EXECUTE_MSGS} msgs`);
      for (const [i, m] of c.msgs.entries()) {
        if (!MSG_TYPE.test(m.type))
          throw new ArgumentError(`msgs[${i}].type ${JSON.stringify(m.type)} is not a msg type`);
      }
      return c;
    }
    default:
      return c;
  }
}

function contentValue(c: ProposalContent): Value {
  if (c.type === 'community-pool-spend') {
    return { ...c, amount: { denom: c.amount.denom, amount: c.amount.amount } };
  }
  if (c.type === 'execute') {
    return { ...c, msgs: c.msgs.map((m) => ({ type: m.type, value: m.value })) };
  }
  return { ...c };
}
