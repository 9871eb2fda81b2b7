import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { ScenarioError } from '../../src/sim/scenario/errors.ts';
import { loadScenario, parseScenario } from '../../src/sim/scenario/load.ts';

// A bad scenario is refused before any run, with the file, line and field named.
const GOOD = `name: t
seed: 1
blocks: 10
genesis:
  validators: { count: 4, stake: 100000 }
  markets:
    - { id: BTC-USD, price: 60000 }
prices:
  BTC-USD: { type: gbm, start: 60000, sigma: 0.5 }
`;

function refuse(text: string, file = 'bad.yaml'): ScenarioError {
  try {
    parseScenario(file, text);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario files: bad input', () => {
  it('the good one loads', () => {
    const s = parseScenario('good.yaml', GOOD);
    expect(s.blocks).toBe(10);
    expect(s.genesis.validators.map((v) => v.name)).toEqual(['val0', 'val1', 'val2', 'val3']);
  });

  it('an unknown key, with its line', () => {
    const e = refuse(GOOD.replace('blocks: 10', 'blocks: 10\nbloks: 20'));
    expect(e.message).toMatch(/^bad\.yaml:4:1: bloks: unknown key "bloks"/m);
  });

  it('an unknown key deep inside', () => {
    const e = refuse(
      GOOD.replace('{ id: BTC-USD, price: 60000 }', '{ id: BTC-USD, price: 60000, tick: 1 }'),
    );
    expect(e.message).toMatch(/^bad\.yaml:7:\d+: genesis\.markets\.0\.tick: unknown key "tick"/m);
  });

  it('a wrong type (inside a field that takes two forms: the closer form is reported)', () => {
    const e = refuse(GOOD.replace('stake: 100000', 'stake: lots'));
    expect(e.message).toMatch(/^bad\.yaml:5:\d+: genesis\.validators\.stake: .*expected number/m);
  });

  it('every problem at once, the actors’ specs included', () => {
    const e = refuse(
      `${GOOD.replace('price: 60000', 'price: -1')}agents:\n  - { type: noise, market: BTC-USD, funds: {}, tradesPerHour: fast }\n`,
    );
    expect(e.issues.map((i) => i.path)).toEqual([
      'genesis.markets.0.price',
      'agents.0.tradesPerHour',
    ]);
    expect(e.issues.map((i) => i.line)).toEqual([7, 11]);
  });

  it('a negative duration', () => {
    const e = refuse(GOOD.replace('blocks: 10', 'duration: -5m'));
    expect(e.message).toMatch(/^bad\.yaml:3:\d+: duration: .*duration/m);
  });

  it('a bias on a validator that does not exist', () => {
    const e = refuse(
      `${GOOD}adversaries:\n  - { type: oracle-coalition, validators: [val9], assets: [BTC-USD], bias: 10% }\n`,
    );
    expect(e.message).toMatch(
      /^bad\.yaml:11:\d+: adversaries\.0\.validators\.0: no validator val9/m,
    );
  });

  it('a sweep over an unknown param', () => {
    const e = refuse(`${GOOD}sweep:\n  slashing.slashFractionDoubleSine: [0.01, 0.1]\n`);
    expect(e.message).toMatch(
      /^bad\.yaml:11:\d+: sweep\.slashing\.slashFractionDoubleSine: unknown param/m,
    );
  });

  it('a sweep value out of bounds fails the dry genesis, naming the point', () => {
    const e = refuse(`${GOOD}sweep:\n  slashing.slashFractionDoubleSign: ['0.05', '2']\n`);
    expect(e.message).toMatch(
      /^bad\.yaml:\d+:\d+: sweep: at slashing\.slashFractionDoubleSign=2: /m,
    );
  });

  it('an unreadable CSV names the file', () => {
    const e = refuse(
      GOOD.replace(
        '{ type: gbm, start: 60000, sigma: 0.5 }',
        '{ type: bootstrap, start: 60000, file: nowhere.csv, column: r, interval: 1d }',
      ),
    );
    expect(e.message).toMatch(/^bad\.yaml:9:\d+: prices\.BTC-USD\.file: .*nowhere\.csv/m);
  });

  it('a malformed CSV names the file, the line and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-bad-'));
    writeFileSync(join(dir, 'r.csv'), 'date,r\n2024-01-01,0.01\n2024-01-02,abc\n');
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      GOOD.replace(
        '{ type: gbm, start: 60000, sigma: 0.5 }',
        '{ type: bootstrap, start: 60000, file: r.csv, column: r, interval: 1d }',
      ),
    );
    expect(() => loadScenario(file)).toThrow(/r\.csv.*(line )?3/);
  });

  it('a YAML syntax error, with its line', () => {
    const e = refuse(GOOD.replace('seed: 1', 'seed: [1'));
    expect(e.issues[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('a market a price process names must exist', () => {
    const e = refuse(`${GOOD}  ETH-USD: { type: gbm, start: 3000, sigma: 0.5 }\n`);
    expect(e.message).toMatch(/^bad\.yaml:10:\d+: prices\.ETH-USD: no market ETH-USD/m);
  });

  it('bulwark simulate prints every problem with file:line and exits 1 before running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, GOOD.replace('blocks: 10', 'blocks: -3\nbloks: 2'));
    const io = memoryIo();
    const code = await main(['simulate', file, '--out', join(dir, 'out')], io);
    expect(code).toBe(1);
    expect(io.err).toMatch(/bad\.yaml:3:\d+: blocks: /);
    expect(io.err).toMatch(/bad\.yaml:4:1: bloks: unknown key/);
    expect(io.err).toMatch(/Error: scenario .* is invalid \(2 problems/);
  });
});

describe('bulwark simulate', () => {
  it('writes summary.json and a metrics.csv per run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-out-'));
    const io = memoryIo();
    const code = await main(
      [
        'simulate',
        'scenarios/baseline.yaml',
        '--runs',
        '2',
        '--blocks',
        '20',
        '--out',
        dir,
        '--no-report',
      ],
      io,
    );
    expect(io.err).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(io.out).toMatch(/baseline: 2 run\(s\) × 20 blocks/);
    const { readFileSync } = await import('node:fs');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.scenario.runs).toBe(2);
    expect(Object.keys(summary.points[0].vaults)).toEqual(['BTC-USD', 'ETH-USD']);
    for (const run of ['p00-r0000', 'p00-r0001']) {
      const csv = readFileSync(join(dir, 'runs', run, 'metrics.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(csv[0]).toMatch(/^block,time_s,price:BTC-USD,oracle:BTC-USD/);
      expect(csv).toHaveLength(22);
    }
    // Plain progress lines off a terminal.
    expect(io.err).toMatch(/run 2\/2 p00-r0001/);
  }, 300_000);
});
