/**
 * State layout of the gov module. Every key starts with `gov/`. Numbers in keys are
 * zero-padded so that the store's lexicographic order is the numeric order.
 */
const pad = (n: number, width = 16) => String(n).padStart(width, '0');

export const NEXT_ID_KEY = 'gov/next-id';
export const PROPOSAL_PREFIX = 'gov/proposal/';
export const proposalKey = (id: number) => `${PROPOSAL_PREFIX}${pad(id)}`;

/** One depositor's total deposit on a proposal: {denom, amount}. */
export const depositPrefix = (id: number) => `gov/deposit/${pad(id)}/`;
export const depositKey = (id: number, depositor: string) => `${depositPrefix(id)}${depositor}`;

/** One voter's option on a proposal. */
export const votePrefix = (id: number) => `gov/vote/${pad(id)}/`;
export const voteKey = (id: number, voter: string) => `${votePrefix(id)}${voter}`;

/** Time-ordered queues: `gov/q/<queue>/<timeMs>/<id>` → null. */
export type QueueName = 'deposit' | 'voting' | 'exec';
export const queuePrefix = (q: QueueName) => `gov/q/${q}/`;
export const queueKey = (q: QueueName, timeMs: number, id: number) =>
  `${queuePrefix(q)}${pad(timeMs)}/${pad(id)}`;
/** The proposal id and due time of a queue key. */
export function parseQueueKey(q: QueueName, key: string): { timeMs: number; id: number } {
  const [time, id] = key.slice(queuePrefix(q).length).split('/') as [string, string];
  return { timeMs: Number(time), id: Number(id) };
}

/** Markets paused by an emergency-pause proposal: `gov/paused/<market>` → true. */
export const PAUSED_PREFIX = 'gov/paused/';
export const pausedKey = (market: string) => `${PAUSED_PREFIX}${market}`;
