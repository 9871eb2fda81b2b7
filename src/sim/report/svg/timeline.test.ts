import { describe, expect, it } from 'vitest';
import { classedPaths } from '../testing.ts';
import { timeline } from './timeline.ts';

describe('timeline', () => {
  const spec = {
    id: 't',
    title: 'Events',
    desc: 'd',
    kinds: ['slash', 'jail'],
    laneRows: 2,
    from: 0,
    to: 100,
    xLabel: 'block',
  };
  it('draws one marker per event of a known kind, with its tooltip', () => {
    const svg = timeline({
      ...spec,
      events: [
        { block: 10, kind: 'slash', lane: 0, amount: 5, title: 'block 10 · slash <v1>' },
        { block: 20, kind: 'slash', lane: 1, amount: 20, title: 's2' },
        { block: 30, kind: 'jail', lane: 1, title: 'j' },
        { block: 40, kind: 'unknown', lane: 0, title: 'dropped' },
      ],
    });
    const markers = classedPaths(svg).filter((p) => p.cls === 'event');
    expect(markers).toHaveLength(3);
    for (const m of markers) expect(m.d.length).toBeGreaterThan(0);
    expect(svg).toContain('<title>block 10 · slash &lt;v1&gt;</title>');
    expect(svg).not.toContain('dropped');
    expect(svg).toContain('data-chart="timeline"');
  });
  it('places a later block further right', () => {
    const svg = timeline({
      ...spec,
      events: [
        { block: 10, kind: 'jail', lane: 0, title: 'a' },
        { block: 90, kind: 'jail', lane: 0, title: 'b' },
      ],
    });
    const xs = classedPaths(svg)
      .filter((p) => p.cls === 'event')
      .map((p) => Number(/^M([\d.]+)/.exec(p.d)![1]));
    expect(xs[1]!).toBeGreaterThan(xs[0]!);
  });
});
