import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSourceSchema } from './config.ts';
import { PRICE_ONE } from './decimal.ts';
import { loadFileSource, PriceFileError, parsePriceCsv, parseTimestamp, priceAt } from './file.ts';

const T0 = Date.UTC(2024, 5, 1); // 2024-06-01T00:00:00Z

describe('parseTimestamp', () => {
  it('reads unix ms and ISO 8601 (no offset = UTC)', () => {
    expect(parseTimestamp(String(T0))).toBe(T0);
    expect(parseTimestamp('2024-06-01')).toBe(T0);
    expect(parseTimestamp('2024-06-01T00:00:00Z')).toBe(T0);
    expect(parseTimestamp('2024-06-01T00:00:00')).toBe(T0);
    expect(parseTimestamp('2024-06-01 00:00')).toBe(T0);
    expect(parseTimestamp('2024-06-01T02:00:00.000+02:00')).toBe(T0);
    for (const bad of [
      '',
      'yesterday',
      '2024-13-45',
      '1.5',
      '-5',
      '2024/06/01',
      '99999999999999999',
    ]) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
  });
});

describe('parsePriceCsv and priceAt', () => {
  const csv = [
    '# BTC, hourly',
    'timestamp,price',
    `${T0},60000`,
    '2024-06-01T01:00:00Z, 60500.25',
    '',
    `${T0 + 7_200_000},"61000.5"`,
    `${T0 + 7_200_000},61001`,
    `${T0 + 3 * 3_600_000},1.5e4`,
  ].join('\r\n');
  const s = parsePriceCsv(csv, 'btc.csv');

  it('parses rows exactly, skipping comments, blanks and the header', () => {
    expect(s.times).toEqual([T0, T0 + 3_600_000, T0 + 7_200_000, T0 + 7_200_000, T0 + 10_800_000]);
    expect(s.prices).toEqual([
      60_000n * PRICE_ONE,
      6_050_025n * 10n ** 16n,
      610_005n * 10n ** 17n,
      61_001n * PRICE_ONE,
      15_000n * PRICE_ONE,
    ]);
  });

  it('looks up the last row at or before t; the first price before the first row', () => {
    expect(priceAt(s, T0 - 1e9)).toBe(60_000n * PRICE_ONE);
    expect(priceAt(s, T0)).toBe(60_000n * PRICE_ONE);
    expect(priceAt(s, T0 + 3_599_999)).toBe(60_000n * PRICE_ONE);
    expect(priceAt(s, T0 + 3_600_000)).toBe(6_050_025n * 10n ** 16n);
    expect(priceAt(s, T0 + 7_200_000)).toBe(61_001n * PRICE_ONE); // equal times: the last row
    expect(priceAt(s, T0 + 1e12)).toBe(15_000n * PRICE_ONE);
  });

  const bad: [string, string, number, string][] = [
    ['1718000000000,1\nnot-a-time,2', 'timestamp', 2, 'not unix milliseconds or an ISO 8601 date'],
    ['timestamp,price\n1718000000000,abc', 'price', 2, 'not a decimal number'],
    ['1718000000000,-3', 'price', 1, 'must be positive'],
    ['1718000000000,0', 'price', 1, 'must be positive'],
    ['1718000000000,1\n\n1718000000001,2,3', 'row', 3, 'expected 2 fields'],
    ['1718000000000', 'row', 1, 'expected 2 fields'],
    ['1718000000001,1\n1718000000000,1', 'timestamp', 2, 'goes backwards'],
    ['# nothing\ntimestamp,price\n', 'file', 3, 'no price rows'],
  ];
  it.each(bad)('rejects %j with file, line and field', (text, field, line, msg) => {
    let err: unknown;
    try {
      parsePriceCsv(text, 'data/btc.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PriceFileError);
    const e = err as PriceFileError;
    expect([e.file, e.line, e.field]).toEqual(['data/btc.csv', line, field]);
    expect(e.message).toContain(`data/btc.csv:${line}: `);
    expect(e.message).toContain(msg);
  });
});

describe('file source', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bwk-prices-'));
    await writeFile(join(dir, 'btc.csv'), `timestamp,price\n${T0},60000\n${T0 + 1000},60100\n`);
    await writeFile(join(dir, 'eth.csv'), `2024-06-01T00:00:00.500Z,3000.5\n`);
    await writeFile(join(dir, 'bad.csv'), `${T0},60000\n${T0 + 1000},sixty\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replays every market against the block time, with an offset', async () => {
    const cfg = fileSourceSchema.parse({
      kind: 'file',
      markets: { 'BTC-USD': 'btc.csv', 'ETH-USD': join(dir, 'eth.csv') },
    });
    const src = await loadFileSource(cfg, dir);
    expect(src.observe(1, T0)).toEqual({
      'BTC-USD': 60_000n * PRICE_ONE,
      'ETH-USD': 30_005n * 10n ** 17n,
    });
    expect(src.observe(2, T0 + 1500)['BTC-USD']).toBe(60_100n * PRICE_ONE);
    const shifted = await loadFileSource({ ...cfg, offsetMs: 1000 }, dir);
    expect(shifted.observe(1, T0)['BTC-USD']).toBe(60_100n * PRICE_ONE);
  });

  it('fails at load with the file path and line for a malformed or missing file', async () => {
    const bad = fileSourceSchema.parse({ kind: 'file', markets: { 'BTC-USD': 'bad.csv' } });
    await expect(loadFileSource(bad, dir)).rejects.toThrow(
      `${join(dir, 'bad.csv')}:2: price: not a decimal number: "sixty"`,
    );
    const missing = fileSourceSchema.parse({ kind: 'file', markets: { 'BTC-USD': 'nope.csv' } });
    await expect(loadFileSource(missing, dir)).rejects.toThrow(
      /nope\.csv: cannot read the price file of BTC-USD/,
    );
  });
});
