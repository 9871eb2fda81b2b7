import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureInput } from '../../src/sim/report/fixture.ts';
import { renderReport } from '../../src/sim/report/render.ts';

/**
 * The acceptance test of the simulation report: render a report from a realistic input, open
 * it from disk in headless Chromium (the system's, driven by playwright-core) and check that
 * every chart is there, visible, sized and drawing something. `npm test` installs Chromium
 * first (scripts/ensure-chromium.mjs); without it this test fails and says so.
 */

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The charts the fixture must produce, by element id. */
const CHARTS = [
  'chart-price-eth-usd',
  'chart-price-btc-usd',
  'chart-vault-eth-usd',
  'chart-vault-btc-usd',
  'chart-security',
  'chart-events',
  'chart-contagion',
];

function findChromium(): string {
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    if (found !== '') return found;
  } catch {
    // not on PATH: try the Debian location below
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(
    'Chromium not found (command -v chromium, /usr/bin/chromium): run `node scripts/ensure-chromium.mjs` (as root) to install it',
  );
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(0, 8).equals(signature)).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

interface ChartFacts {
  title: string;
  paths: number;
  emptyPaths: number;
  drawnPaths: number;
  emptyAnyPaths: number;
}

describe('simulation report in a browser', () => {
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const executablePath = findChromium();
    dir = await mkdtemp(join(tmpdir(), 'bulwark-report-'));
    await writeFile(join(dir, 'report.html'), renderReport(buildFixtureInput()));
    // A fresh profile for this run only (playwright takes it as the persistent context's dir).
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads nothing but the page itself and logs no errors', () => {
    expect(requests).toEqual([pathToFileURL(join(dir, 'report.html')).href]);
    expect(errors).toEqual([]);
    return expect(page.title()).resolves.toBe('Oracle attack on a thin market');
  });

  it.each(CHARTS)('shows %s: visible, sized, titled and drawing paths', async (id) => {
    const svg = page.locator(`svg#${id}`);
    await expect(svg.count()).resolves.toBe(1);
    await expect(svg.isVisible()).resolves.toBe(true);
    const box = await svg.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(100);
    const facts = await svg.evaluate((el): ChartFacts => {
      // Data marks only: axes, legend swatches and clip paths do not count.
      const paths = [...el.querySelectorAll('path.series, path.band, path.event, g.cell path')];
      const drawn = paths.filter((p) => {
        // The project compiles without DOM types; getBBox is SVGGraphicsElement's.
        const b = (p as unknown as { getBBox(): { width: number; height: number } }).getBBox();
        return b.width > 0 || b.height > 0;
      });
      return {
        title: el.querySelector('title')?.textContent ?? '',
        paths: paths.length,
        emptyPaths: paths.filter((p) => (p.getAttribute('d') ?? '').trim() === '').length,
        drawnPaths: drawn.length,
        emptyAnyPaths: [...el.querySelectorAll('path')].filter(
          (p) => (p.getAttribute('d') ?? '').trim() === '',
        ).length,
      };
    });
    expect(facts.title.length).toBeGreaterThan(0);
    expect(facts.paths).toBeGreaterThan(0);
    expect(facts.emptyPaths).toBe(0);
    expect(facts.drawnPaths).toBe(facts.paths);
    expect(facts.emptyAnyPaths).toBe(0);
  });

  it('draws the data marks of each chart kind', async () => {
    const count = (selector: string): Promise<number> => page.locator(selector).count();
    const counts = {
      series: await count('svg.chart path.series'),
      bands: await count('svg[data-chart="fan"] path.band'),
      events: await count('svg[data-chart="timeline"] path.event'),
      cells: await count('svg[data-chart="heatmap"] g.cell'),
    };
    // 2 markets × 4 runs of prices, 2 fan medians, CoC + PfC + budget.
    expect(counts.series).toBe(8 + 2 + 3);
    expect(counts.bands).toBe(4);
    expect(counts.events).toBeGreaterThan(10);
    expect(counts.cells).toBe(4);
  });

  it('takes a full-page screenshot that is a real picture', async () => {
    const file = join(dir, 'report.png');
    await page.screenshot({ path: file, fullPage: true });
    const png = await readFile(file);
    const size = pngSize(png);
    expect(size.width).toBe(1280);
    expect(size.height).toBeGreaterThan(2000);
    // A blank page of that size compresses to a few kilobytes; charts and text do not.
    expect(png.length).toBeGreaterThan(100_000);
  });
});
