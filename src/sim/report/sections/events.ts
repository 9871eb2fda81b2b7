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

/** Slashing and other events: a timeline with a lane per kind, and a count table. */
export function eventsSection(ctx: SectionContext): Section {
  const { runs, scenario } = ctx.input;
  const intro =
    'What happened, when: one lane per kind of event, one marker per event at its block, the runs stacked within each lane. Larger markers are larger amounts (e.g. more stake slashed). Hover a marker for the run, the subject and the amount.';
  const events: TimelineEvent[] = [];
  const stats = new Map<
    string,
    { count: number; runs: Set<number>; amount: number; first: number }
  >();
  runs.forEach((run, lane) => {
    for (const e of run.events) {
      const amount = e.amount !== undefined && Number.isFinite(e.amount) ? e.amount : undefined;
      events.push({
        block: e.block,
        kind: e.kind,
        lane,
        ...(amount !== undefined ? { amount } : {}),
        title: `block ${formatInt(e.block)} · ${runLabel(run)} · ${e.kind} ${e.subject}${amount !== undefined ? ` · ${formatNumber(amount)}` : ''}`,
      });
      const s = stats.get(e.kind) ?? { count: 0, runs: new Set(), amount: 0, first: e.block };
      s.count++;
      s.runs.add(lane);
      s.amount += amount ?? 0;
      s.first = Math.min(s.first, e.block);
      stats.set(e.kind, s);
    }
  });
  if (events.length === 0) {
    return section('events', 'Slashing and other events', intro, note('No events in any run.'));
  }
  const kinds = orderKinds(stats.keys());
  const lastBlock = Math.max(scenario.blocks, ...events.map((e) => e.block));
  const firstBlock = Math.min(0, ...events.map((e) => e.block));
  const svg = timeline({
    id: ctx.ids.make('chart-events'),
    title: 'Events over time',
    desc: `${events.length} events of ${kinds.length} kinds across ${runs.length} runs, by block.`,
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
    figure(svg, 'Each row inside a lane is one run (run 0 at the top).') + table,
  );
}
