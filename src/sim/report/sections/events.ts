import { esc, formatInt, formatNumber } from '../format.ts';
import { figure, note, type Section, section } from '../html.ts';
import { runLabel } from '../series.ts';
import { type TimelineEvent, timeline } from '../svg/timeline.ts';
import { FULL_WIDTH, type SectionContext } from './context.ts';

/** Kinds shown first, in this order (slashing first); any other kind follows alphabetically. */
const KIND_ORDER = [
  'slash',
  'jail',
  'tombstone',
  'unjail',
  'liquidation',
  'backstop',
  'adl',
  'deleverage',
  'halt',
  'circuitBreaker',
];

export function orderKinds(kinds: Iterable<string>): string[] {
  const set = new Set(kinds);
  const first = KIND_ORDER.filter((k) => set.has(k));
  const rest = [...set].filter((k) => !KIND_ORDER.includes(k)).sort();
  return [...first, ...rest];
}

/** Markers per lane row across the width of the timeline, at most (events nearer merge). */
export const EVENT_BUCKETS = 240;

interface Merged {
  block: number;
  last: number;
  kind: string;
  lane: number;
  count: number;
  amount: number | undefined;
  subjects: string[];
}

/**
 * Merges events of one kind in one run that fall in the same 1/`buckets` of [from, to] into
 * one marker (first block, count, summed amount), so a year of liquidations stays a readable
 * and light chart. Order: by kind, run, block.
 */
export function mergeEvents(
  events: readonly {
    block: number;
    kind: string;
    lane: number;
    subject: string;
    amount?: number;
  }[],
  from: number,
  to: number,
  buckets: number,
): Merged[] {
  const width = Math.max(1, (to - from) / buckets);
  const byKey = new Map<string, Merged>();
  for (const e of events) {
    const bucket = Math.floor((e.block - from) / width);
    const key = `${e.kind}\u0000${e.lane}\u0000${bucket}`;
    const m = byKey.get(key);
    if (!m) {
      byKey.set(key, {
        block: e.block,
        last: e.block,
        kind: e.kind,
        lane: e.lane,
        count: 1,
        amount: e.amount,
        subjects: [e.subject],
      });
      continue;
    }
    m.count++;
    m.block = Math.min(m.block, e.block);
    m.last = Math.max(m.last, e.block);
    if (e.amount !== undefined) m.amount = (m.amount ?? 0) + e.amount;
    if (m.subjects.length < 4 && !m.subjects.includes(e.subject)) m.subjects.push(e.subject);
  }
  return [...byKey.values()].sort(
    (a, b) => byCodeUnits(a.kind, b.kind) || a.lane - b.lane || a.block - b.block,
  );
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function markerTitle(m: Merged, run: string): string {
  const blocks =
    m.count === 1
      ? `block ${formatInt(m.block)}`
      : `blocks ${formatInt(m.block)}–${formatInt(m.last)}`;
  const what = m.count === 1 ? m.kind : `${formatInt(m.count)} × ${m.kind}`;
  const amount = m.amount !== undefined ? ` · ${formatNumber(m.amount)}` : '';
  return `${blocks} · ${run} · ${what} ${m.subjects.join(', ')}${m.count > m.subjects.length ? ', …' : ''}${amount}`;
}

/** Slashing and other events: a timeline with a lane per kind, and a count table. */
export function eventsSection(ctx: SectionContext): Section {
  const { runs, scenario } = ctx.input;
  const intro =
    'What happened, when: one lane per kind of event, one marker per event at its block, the runs stacked within each lane. Larger markers are larger amounts (e.g. more stake slashed). Hover a marker for the run, the subject and the amount.';
  const raw: { block: number; kind: string; lane: number; subject: string; amount?: number }[] = [];
  const stats = new Map<
    string,
    { count: number; runs: Set<number>; amount: number; first: number }
  >();
  runs.forEach((run, lane) => {
    for (const e of run.events) {
      const amount = e.amount !== undefined && Number.isFinite(e.amount) ? e.amount : undefined;
      if (!Number.isFinite(e.block)) continue;
      raw.push({
        block: e.block,
        kind: e.kind,
        lane,
        subject: e.subject,
        ...(amount !== undefined ? { amount } : {}),
      });
      const s = stats.get(e.kind) ?? { count: 0, runs: new Set(), amount: 0, first: e.block };
      s.count++;
      s.runs.add(lane);
      s.amount += amount ?? 0;
      s.first = Math.min(s.first, e.block);
      stats.set(e.kind, s);
    }
  });
  if (raw.length === 0) {
    return section('events', 'Slashing and other events', intro, note('No events in any run.'));
  }
  const kinds = orderKinds(stats.keys());
  const lastBlock = raw.reduce((m, e) => Math.max(m, e.block), scenario.blocks);
  const firstBlock = raw.reduce((m, e) => Math.min(m, e.block), 0);
  const merged = mergeEvents(raw, firstBlock, lastBlock, EVENT_BUCKETS);
  const events: TimelineEvent[] = merged.map((m) => ({
    block: m.block,
    kind: m.kind,
    lane: m.lane,
    ...(m.amount !== undefined ? { amount: m.amount } : {}),
    title: markerTitle(m, runLabel(runs[m.lane]!)),
  }));
  const svg = timeline({
    id: ctx.ids.make('chart-events'),
    title: 'Events over time',
    desc: `${raw.length} events of ${kinds.length} kinds across ${runs.length} runs, by block.`,
    kinds,
    events,
    laneRows: runs.length,
    from: firstBlock,
    to: lastBlock,
    xLabel: 'block',
    width: FULL_WIDTH,
  });
  const rows = kinds.map((k) => {
    const s = stats.get(k)!;
    return `<tr><td>${esc(k)}</td><td class="num">${formatInt(s.count)}</td><td class="num">${formatInt(s.runs.size)} / ${formatInt(runs.length)}</td><td class="num">${s.amount === 0 ? '–' : esc(formatNumber(s.amount))}</td><td class="num">${formatInt(s.first)}</td></tr>`;
  });
  const table = `<table><thead><tr><th>kind</th><th class="num">events</th><th class="num">runs with it</th><th class="num">total amount</th><th class="num">first block</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return section(
    'events',
    'Slashing and other events',
    intro,
    figure(
      svg,
      `Each row inside a lane is one run (run 0 at the top).${merged.length < raw.length ? ' Events of one kind close together in one run share a marker; its tooltip gives the count.' : ''}`,
    ) + table,
  );
}
