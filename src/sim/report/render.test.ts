import { describe, expect, it } from 'vitest';
import { buildFixtureInput } from './fixture.ts';
import { renderReport } from './render.ts';
import { findSvgs, pathData } from './testing.ts';
import type { ReportInput } from './types.ts';

/** The charts a full input must produce: id → kind. */
const EXPECTED = {
  'chart-price-eth-usd': 'line',
  'chart-price-btc-usd': 'line',
  'chart-vault-eth-usd': 'fan',
  'chart-vault-btc-usd': 'fan',
  'chart-security': 'security',
  'chart-events': 'timeline',
  'chart-contagion': 'heatmap',
};

function emptyInput(): ReportInput {
  return {
    scenario: { name: 'empty', description: '', blocks: 0, blockTimeMs: 1000 },
    markets: [],
    vaults: [],
    runs: [],
    contagion: { markets: [], vaults: [], loss: [] },
    summary: {},
  };
}

describe('renderReport', () => {
  const html = renderReport(buildFixtureInput());

  it('draws every expected chart, each with a title and non-empty path data', () => {
    const svgs = findSvgs(html);
    expect(Object.fromEntries(svgs.map((s) => [s.id, s.kind]))).toEqual(EXPECTED);
    for (const svg of svgs) {
      expect(svg.markup).toMatch(new RegExp(`<title id="${svg.id}-title">[^<]+</title>`));
      const ds = pathData(svg.markup);
      expect(ds.length).toBeGreaterThan(0);
      for (const d of ds) expect(d).toMatch(/^M/);
    }
  });

  it('is one self-contained page: no scripts, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|src=/i);
    expect(html).not.toMatch(/(href|url\()\s*=?\s*["']?(https?:|\/\/)/i);
    // Every in-page reference points at an id that exists.
    const ids = new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
    for (const m of html.matchAll(/(?:href="#|url\(#)([^")]+)/g)) expect(ids.has(m[1])).toBe(true);
  });

  it('gives every element a unique id', () => {
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is deterministic: the same input gives the same bytes', () => {
    expect(renderReport(buildFixtureInput())).toBe(html);
  });

  it('escapes text from the input everywhere it appears', () => {
    const input = buildFixtureInput({
      name: '<script>alert(1)</script> & "friends"',
      description: 'Fees < 1% & "quotes"',
      markets: ['A<B', 'C&D'],
      runs: 2,
      blocks: 50,
    });
    input.summary['<key>'] = '<value>';
    input.runs[0]!.events.push({ block: 3, kind: '<kind>', subject: '<who>' });
    const out = renderReport(input);
    expect(out).not.toContain('<script>');
    expect(out).not.toMatch(/<(B|who|kind|key|value)\b/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;');
    expect(out).toContain('A&lt;B');
    // The escaped market still gets its charts.
    expect(findSvgs(out).filter((s) => s.kind === 'fan')).toHaveLength(2);
  });

  it('renders an empty input with notes in place of charts', () => {
    const out = renderReport(emptyInput());
    expect(findSvgs(out)).toHaveLength(0);
    expect(out).toContain('No price series');
    expect(out).toContain('No vault equity series');
    expect(out).toContain('no coc and pfc series');
    expect(out).toContain('No events in any run.');
    expect(out).toContain('No contagion matrix');
    expect(out).toContain('The summary is empty.');
  });

  it('omits the CoC vs PfC chart with a note when a series is missing', () => {
    const input = buildFixtureInput({ runs: 2, blocks: 40 });
    for (const run of input.runs) delete run.series.values.pfc;
    const out = renderReport(input);
    expect(findSvgs(out).map((s) => s.id)).not.toContain('chart-security');
    expect(out).toContain('recorded no pfc series');
  });

  it('says so when loss crossed into another vault', () => {
    expect(html).toContain('Isolated: no vault lost anything');
    const leaky = renderReport(buildFixtureInput({ leak: true, runs: 2, blocks: 40 }));
    expect(leaky).toContain('Contagion: BTC-USD lost 85k when ETH-USD collapsed');
  });

  it('draws a fan chart per sweep point', () => {
    const input = buildFixtureInput({ runs: 4, blocks: 40 });
    input.runs.forEach((r, i) => {
      r.point = i < 2 ? 'slash=0.05' : 'slash=0.1';
    });
    const svgs = findSvgs(renderReport(input));
    expect(svgs.filter((s) => s.kind === 'fan')).toHaveLength(4);
    expect(svgs.filter((s) => s.kind === 'security')).toHaveLength(2);
  });

  it('thins a long run to a bounded page size', () => {
    const long = renderReport(buildFixtureInput({ runs: 2, blocks: 20_000 }));
    expect(long.length).toBeLessThan(450_000);
    expect(findSvgs(long)).toHaveLength(Object.keys(EXPECTED).length);
  });
});
