import type { ReportInput, RunEvent, RunReport } from './types.ts';

/**
 * A synthetic but plausible `ReportInput` for tests and for looking at the report without
 * running the simulator: geometric Brownian price paths with one crash, vaults that earn fees
 * and absorb their own market's losses, CoC moving with the BWK price against PfC moving with
 * open interest, and slashing, jailing and liquidation events. Deterministic for its options.
 * Not a model of anything: the numbers are only shaped like the real ones.
 */
export interface FixtureOptions {
  runs?: number;
  blocks?: number;
  markets?: string[];
  /** Let one market's collapse leak into another vault (to show contagion). */
  leak?: boolean;
  name?: string;
  description?: string;
}

/** A small seeded generator (xorshift32), so the fixture needs no dependency. */
function rng(seed: number): { float(): number; normal(): number } {
  let s = seed >>> 0 || 0x9e3779b9;
  const float = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
  return {
    float,
    // Box–Muller; 1 − u keeps the logarithm finite.
    normal: () => Math.sqrt(-2 * Math.log(1 - float())) * Math.cos(2 * Math.PI * float()),
  };
}

const START_PRICE: Record<string, number> = { 'ETH-USD': 3_200, 'BTC-USD': 64_000 };

export function buildFixtureInput(options: FixtureOptions = {}): ReportInput {
  const runCount = options.runs ?? 4;
  const blocks = options.blocks ?? 300;
  const markets = options.markets ?? ['ETH-USD', 'BTC-USD'];
  const sampleEvery = blocks > 1_000 ? Math.ceil(blocks / 1_000) : 1;
  const gamma = 0.5;
  const crashMarket = markets[0] ?? 'ETH-USD';
  const runs: RunReport[] = [];

  for (let r = 0; r < runCount; r++) {
    const g = rng(0x5eed + r * 7919);
    const blockList: number[] = [];
    const values: Record<string, number[]> = {};
    const price: Record<string, number> = {};
    const equity: Record<string, number> = {};
    markets.forEach((m, i) => {
      price[m] = START_PRICE[m] ?? 100 * (i + 1);
      equity[m] = 2_000_000 + 500_000 * i;
      values[`price:${m}`] = [];
      values[`vaultEquity:${m}`] = [];
    });
    values.coc = [];
    values.pfc = [];
    let bwk = 12;
    let oi = 3_000_000;
    const events: RunEvent[] = [];
    // Run 1 has a crash of the first market at a third of the run.
    const crashAt = r === 1 ? Math.floor(blocks / 3) : -1;

    for (let b = 1; b <= blocks; b++) {
      markets.forEach((m, i) => {
        const vol = 0.012 + 0.004 * i;
        let ret = vol * g.normal() - 0.5 * vol * vol;
        if (b === crashAt && m === crashMarket) ret = -0.35;
        const before = price[m]!;
        price[m] = before * Math.exp(ret);
        // Vaults earn fees on open interest and lose on large moves of their own market.
        const move = Math.abs(price[m]! / before - 1);
        const loss = move > 0.035 ? move * oi * 0.3 : 0;
        equity[m] = Math.max(0, equity[m]! + oi * 0.000_2 - loss);
        if (loss > 0) {
          events.push({ block: b, kind: 'liquidation', subject: m, amount: loss * 0.4 });
          if (move > 0.2) events.push({ block: b, kind: 'adl', subject: m, amount: loss * 0.1 });
        }
      });
      bwk = Math.max(0.5, bwk * Math.exp(0.02 * g.normal() - 0.0002));
      oi = Math.max(0, oi * Math.exp(0.015 * g.normal() + 0.001));
      // A double sign now and then: a slash of 5 % of a validator's stake, then a jail.
      if (g.float() < 0.012) {
        const v = `validator-${1 + Math.floor(g.float() * 7)}`;
        events.push({ block: b, kind: 'slash', subject: v, amount: 2_000 + g.float() * 18_000 });
        events.push({ block: b, kind: 'jail', subject: v });
      }
      if (b % sampleEvery !== 0 && b !== blocks) continue;
      blockList.push(b);
      for (const m of markets) {
        values[`price:${m}`]!.push(price[m]!);
        values[`vaultEquity:${m}`]!.push(equity[m]!);
      }
      // CoC = bonded stake × threshold × BWK price × slashable fraction.
      values.coc!.push(4_000_000 * (2 / 3) * bwk * 0.1);
      // PfC = open interest × largest manipulable move.
      values.pfc!.push(oi * 0.4);
    }
    runs.push({
      run: r,
      seed: `0x${(0x5eed + r * 7919).toString(16)}`,
      point: '',
      series: { blocks: blockList, values },
      events,
    });
  }

  const loss = markets.map((m, i) =>
    markets.map((_vault, j) => {
      if (i === j) return m === crashMarket ? 1_260_000 : 310_000;
      return options.leak && i === 0 && j === 1 ? 85_000 : 0;
    }),
  );

  return {
    scenario: {
      name: options.name ?? 'Oracle attack on a thin market',
      description:
        options.description ??
        'Two perpetual markets backed by their own vaults; one run crashes ETH-USD by 35 % in a block while a validator coalition double-signs now and then.',
      blocks,
      blockTimeMs: 2_000,
    },
    markets,
    vaults: [...markets],
    runs,
    contagion: { markets: [...markets], vaults: [...markets], loss },
    summary: fixtureSummary(runs, markets, gamma),
  };
}

/** Headline figures computed from the fixture's own series, so the page agrees with itself. */
function fixtureSummary(
  runs: readonly RunReport[],
  markets: readonly string[],
  gamma: number,
): Record<string, unknown> {
  const insecure = runs
    .map((r) => {
      const coc = r.series.values.coc ?? [];
      return (r.series.values.pfc ?? []).filter((p, i) => coc[i]! < (1 + gamma) * p).length;
    })
    .sort((a, b) => a - b);
  const at = (q: number): number =>
    insecure[Math.min(insecure.length - 1, Math.floor(q * insecure.length))] ?? 0;
  const drawdown = (series: readonly number[]): number => {
    let peak = 0;
    let worst = 0;
    for (const v of series) {
      peak = Math.max(peak, v);
      if (peak > 0) worst = Math.max(worst, 1 - v / peak);
    }
    return worst;
  };
  const slashes = runs.flatMap((r) => r.events.filter((e) => e.kind === 'slash'));
  return {
    runs: runs.length,
    blocks: runs[0]?.series.blocks.at(-1) ?? 0,
    gamma,
    secure: insecure.every((n) => n === 0),
    insecureBlocks: { p50: at(0.5), p90: at(0.9), max: insecure.at(-1) ?? 0 },
    vaultMaxDrawdown: Object.fromEntries(
      markets.map((m) => [
        m,
        Math.max(0, ...runs.map((r) => drawdown(r.series.values[`vaultEquity:${m}`] ?? []))),
      ]),
    ),
    slashed: { total: slashes.reduce((s, e) => s + (e.amount ?? 0), 0), events: slashes.length },
  };
}
