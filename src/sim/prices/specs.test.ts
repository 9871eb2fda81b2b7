import { describe, expect, it } from 'vitest';
import { CsvError } from './csv.ts';
import { createPriceProcess, pricePath, priceProcessSpec } from './index.ts';
import { parseDuration, parseFraction } from './spec-units.ts';
import { moments, testRng } from './testing.ts';

const HOUR = 3600;
const DAY = 86_400;
const noFiles = {
  baseDir: '/scenarios',
  readCsv: (p: string): string => {
    throw new Error(`ENOENT: no such file ${p}`);
  },
};

function make(spec: unknown, files: Record<string, string> = {}) {
  return createPriceProcess('X', priceProcessSpec.parse(spec), {
    baseDir: '/scenarios',
    readCsv: (p) => {
      const text = files[p];
      if (text === undefined) throw new Error(`ENOENT: no such file ${p}`);
      return text;
    },
  });
}

describe('spec units', () => {
  it('parses durations and fractions as scenario files write them', () => {
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('6h')).toBe(6 * HOUR);
    expect(parseDuration('1.5d')).toBe(1.5 * DAY);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration(12)).toBe(12);
    expect(() => parseDuration('6 hours')).toThrow(/expected a duration such as/);
    expect(parseFraction('-44%')).toBeCloseTo(-0.44, 15);
    expect(parseFraction('+10%')).toBeCloseTo(0.1, 15);
    expect(parseFraction('25bps')).toBeCloseTo(0.0025, 15);
    expect(parseFraction(0.02)).toBe(0.02);
    expect(() => parseFraction('ten')).toThrow(/expected a fraction/);
  });
});

describe('spec schema', () => {
  it('refuses unknown keys, unknown types and bad values with the path', () => {
    const r1 = priceProcessSpec.safeParse({ type: 'gbm', start: 1, sigma: 0.5, sigmaa: 1 });
    expect(r1.success).toBe(false);
    expect(JSON.stringify(r1.error?.issues)).toMatch(/sigmaa/);
    expect(priceProcessSpec.safeParse({ type: 'heston', start: 1 }).success).toBe(false);
    expect(priceProcessSpec.safeParse({ type: 'gbm', start: -1, sigma: 0.5 }).success).toBe(false);
    const r2 = priceProcessSpec.safeParse({
      type: 'scripted',
      start: 1,
      segments: [{ at: '6 hours', move: '-44%' }],
    });
    expect(JSON.stringify(r2.error?.issues)).toMatch(/expected a duration such as/);
  });

  it('refuses scripted segments that overlap, mix clocks, or give both move and to', () => {
    const bad = [
      [
        { at: '1h', move: '-10%', over: '2h' },
        { at: '2h', move: '-10%' },
      ],
      [
        { at: '1h', move: '-10%' },
        { atBlock: 5, move: '-10%' },
      ],
      [{ at: '1h', move: '-10%', to: 5 }],
      [{ at: '1h' }],
      [{ at: '1h', move: '-10%', overBlocks: 3 }],
      [{ at: '1h', move: '-100%' }],
    ];
    for (const segments of bad) {
      expect(priceProcessSpec.safeParse({ type: 'scripted', start: 1, segments }).success).toBe(
        false,
      );
    }
  });
});

describe('scripted paths', () => {
  it('follows the segments exactly, by time', () => {
    const spec = {
      type: 'scripted',
      start: 100,
      segments: [
        { at: '6h', move: '-44%', over: '6h' },
        { at: '1d', to: 80 }, // a jump back up
      ],
    };
    const at = (t: number) => make(spec).next({ block: 1, tSeconds: t, dtSeconds: t }, testRng(1));
    expect(at(0)).toBe(100);
    expect(at(6 * HOUR)).toBe(100);
    expect(at(9 * HOUR)).toBeCloseTo(78, 10);
    expect(at(12 * HOUR)).toBeCloseTo(56, 10);
    expect(at(20 * HOUR)).toBeCloseTo(56, 10);
    expect(at(DAY)).toBe(80);
  });

  it('gives the same price at the same time for any block time', () => {
    const spec = {
      type: 'scripted',
      start: 100,
      segments: [{ at: '1h', move: '-30%', over: '2h' }],
    };
    const fine = pricePath(make(spec), testRng(1), 4 * 3600, 1); // 1 s blocks
    const coarse = pricePath(make(spec), testRng(1), 4 * 720, 5); // 5 s blocks
    for (const t of [1800, 3600, 5400, 7200, 9000, 10_800, 14_400]) {
      expect(coarse[t / 5 - 1]).toBeCloseTo(fine[t - 1]!, 10);
    }
  });

  it('follows block-numbered segments by block', () => {
    const spec = {
      type: 'scripted',
      start: 10,
      segments: [{ atBlock: 3, move: '+50%', overBlocks: 2 }],
    };
    const path = pricePath(make(spec), testRng(1), 6, 1);
    expect(path).toEqual([10, 10, 10, 12.5, 15, 15]);
  });

  it('adds driftless noise when sigma is set, and none otherwise', () => {
    const spec = { type: 'scripted', start: 100, segments: [], sigma: 0.5 };
    const path = pricePath(make(spec), testRng(2), 10, 60);
    expect(new Set(path).size).toBe(10);
    expect(pricePath(make({ ...spec, sigma: undefined }), testRng(2), 3, 60)).toEqual([
      100, 100, 100,
    ]);
  });
});

describe('bootstrap', () => {
  const csv = ['date,close,ret', '# a comment', '1,100,0.01', '2,101,-0.02', '', '3,99,0.03'].join(
    '\n',
  );
  const files = { '/scenarios/data/r.csv': csv };
  const spec = (extra: object = {}) => ({
    type: 'bootstrap',
    start: 100,
    file: 'data/r.csv',
    column: 'ret',
    interval: '1d',
    ...extra,
  });

  it('spreads one drawn return per interval: every day ends on a data return, for any block time', () => {
    const hourly = pricePath(make(spec(), files), testRng(3), 24 * 10, HOUR);
    const fourHourly = pricePath(make(spec(), files), testRng(3), 6 * 10, 4 * HOUR);
    let prev = 100;
    for (let d = 1; d <= 10; d++) {
      const end = hourly[24 * d - 1]!;
      const r = Math.log(end / prev);
      expect([0.01, -0.02, 0.03].some((x) => Math.abs(x - r) < 1e-12)).toBe(true);
      expect(fourHourly[6 * d - 1]).toBeCloseTo(end, 9);
      prev = end;
    }
    // within a day the path is a straight line in log price
    const h1 = Math.log(hourly[0]! / 100);
    expect(Math.log(hourly[11]! / 100)).toBeCloseTo(12 * h1, 12);
  });

  it('rescales each draw by √time in sqrt-time mode, keeping the mean and variance per day', () => {
    const p = make(spec({ scaling: 'sqrt-time' }), files);
    const rng = testRng(4);
    const daily: number[] = [];
    let prev = 100;
    for (let d = 0; d < 2000; d++) {
      let price = prev;
      for (let b = 1; b <= 24; b++) {
        price = p.next({ block: b, tSeconds: b * HOUR, dtSeconds: HOUR }, rng);
      }
      daily.push(Math.log(price / prev));
      prev = price;
    }
    const data = moments([0.01, -0.02, 0.03]);
    const popVar = (data.variance * 2) / 3; // draws with replacement: the population variance
    const m = moments(daily);
    expect(Math.abs(m.mean - data.mean)).toBeLessThan(4 * Math.sqrt(popVar / 2000));
    expect(Math.abs(m.variance - popVar)).toBeLessThan(4 * popVar * Math.sqrt(2 / 1999));
  });

  it('reads simple returns as log(1 + r)', () => {
    const simple = { '/scenarios/s.csv': 'r\n0.1\n' };
    const p = make({ ...spec({ returns: 'simple' }), file: 's.csv', column: 'r' }, simple);
    const path = pricePath(p, testRng(5), 24, HOUR);
    expect(path[23]).toBeCloseTo(110, 9);
  });

  it('names the file, line and field of every CSV problem', () => {
    const cases: [string, RegExp][] = [
      ['date,close\n1,2\n', /r\.csv:1 \(field "ret"\): no such column.*"date", "close"/],
      ['date,ret\n1,0.01\n2,abc\n', /r\.csv:3 \(field "ret"\): expected a number, got "abc"/],
      ['date,ret\n1,0.01\n2\n', /r\.csv:3: expected 2 fields as in the header, got 1/],
      ['date,ret\n1,\n', /r\.csv:2 \(field "ret"\): expected a number, got ""/],
      ['date,ret\n', /r\.csv \(field "ret"\): no data rows after the header/],
      ['', /r\.csv: the file is empty/],
    ];
    for (const [text, message] of cases) {
      const f = { '/scenarios/data/r.csv': text };
      expect(() => make(spec(), f)).toThrow(CsvError);
      expect(() => make(spec(), f)).toThrow(message);
    }
    const minusAll = { '/scenarios/data/r.csv': 'ret\n0.1\n-1\n' };
    expect(() => make(spec({ returns: 'simple' }), minusAll)).toThrow(
      /r\.csv:3 \(field "ret"\): a simple return must be > -1/,
    );
  });

  it('names the file it cannot read', () => {
    expect(() =>
      createPriceProcess('X', priceProcessSpec.parse(spec({ file: 'missing.csv' })), noFiles),
    ).toThrow(/missing\.csv: cannot read: ENOENT: no such file \/scenarios\/missing\.csv/);
  });
});
