import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createApp } from '../../core/index.ts';
import { type AdversarySpec, adversarySpec, createAdversary } from '../adversaries/index.ts';
import { type AgentSpec, agentSpec } from '../agents/index.ts';
import { baseParams, buildGenesis, type GenesisSpec } from '../engine/genesis.ts';
import { CsvError, createPriceProcess, type PriceProcessSpec } from '../prices/index.ts';
import { ScenarioError, type ScenarioIssue } from './errors.ts';
import { type ScenarioSpec, scenarioSchema } from './schema.ts';
import { scalePerBlockParams } from './timestep.ts';
import { issueAt, type LocatedYaml, parseYaml, zodIssues } from './yaml.ts';

/**
 * A scenario file read, validated and resolved, before any run starts: every problem is
 * reported at once with the file, line and field (a ScenarioError), so a bad scenario
 * never fails half-way through a Monte Carlo batch.
 */
export interface SweepPoint {
  /** `slashing.slashFractionDoubleSign=0.05` (points of several params joined by `,`); '' alone. */
  label: string;
  /** Module → params to override, on top of the scenario's own. */
  params: Record<string, Record<string, unknown>>;
}

export interface Scenario {
  file: string;
  baseDir: string;
  spec: ScenarioSpec;
  blocks: number;
  blockTimeMs: number;
  /** Metrics are sampled every this many blocks (and at the last block). */
  every: number;
  genesis: GenesisSpec;
  points: SweepPoint[];
  agents: AgentSpec[];
  adversaries: AdversarySpec[];
}

export interface LoadOptions {
  /** Override the block time (seconds), scaling every per-block param and the block count. */
  blockTime?: number;
  /** Override the number of runs / the seed. */
  runs?: number;
  seed?: string;
  /** Override the duration in blocks (tests: shorter runs of a library scenario). */
  blocks?: number;
}

export function loadScenario(file: string, opts: LoadOptions = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(file, [{ path: '', message: `cannot read: ${(e as Error).message}` }]);
  }
  return parseScenario(file, text, opts);
}

export function parseScenario(file: string, text: string, opts: LoadOptions = {}): Scenario {
  const y = parseYaml(file, text);
  if (typeof y.value !== 'object' || y.value === null || Array.isArray(y.value)) {
    throw new ScenarioError(file, [{ path: '', message: 'a scenario is a YAML mapping', line: 1 }]);
  }
  const parsed = scenarioSchema.safeParse(y.value);
  if (!parsed.success) {
    // The actors' specs are checked by their own schemas below; check them now too, so
    // every problem of the file is listed at once.
    const raw = y.value as { agents?: unknown; adversaries?: unknown };
    const more = [
      ...actorIssues(y, 'agents', raw.agents, agentSpec),
      ...actorIssues(y, 'adversaries', raw.adversaries, adversarySpec),
    ];
    throw new ScenarioError(file, [...zodIssues(y, parsed.error), ...more]);
  }
  const spec = parsed.data;
  if (opts.runs !== undefined) spec.runs = opts.runs;
  if (opts.seed !== undefined) spec.seed = opts.seed;
  const issues: ScenarioIssue[] = [];

  const validators =
    'count' in spec.genesis.validators
      ? Array.from({ length: spec.genesis.validators.count }, (_, i) => ({
          name: `val${i}`,
          stake: (spec.genesis.validators as { stake: number }).stake,
        }))
      : spec.genesis.validators;
  const markets = spec.genesis.markets.map((m) => m.id);

  // Params: every overridden or swept field must exist in the preset.
  const base = baseParams(spec.genesis.preset);
  for (const [mod, fields] of Object.entries(spec.genesis.params)) {
    const known = base[mod];
    if (known === undefined) {
      issues.push(
        issueAt(
          y,
          ['genesis', 'params', mod],
          `unknown module ${JSON.stringify(mod)}; known: ${Object.keys(base).join(', ')}`,
        ),
      );
      continue;
    }
    for (const f of Object.keys(fields)) {
      if (!(f in known)) {
        issues.push(
          issueAt(
            y,
            ['genesis', 'params', mod, f],
            `unknown param ${mod}.${f}; known: ${Object.keys(known).join(', ')}`,
          ),
        );
      }
    }
  }
  for (const key of Object.keys(spec.sweep ?? {})) {
    if (getPath(base, key.split('.')) === undefined) {
      issues.push(
        issueAt(
          y,
          ['sweep', key],
          `unknown param ${key}: not a param of the ${key.split('.')[0]} module`,
        ),
      );
    }
  }

  // Prices: a process per known asset; CSVs read now.
  const assets = new Set(['BWK-USD', ...markets]);
  const baseDir = dirname(resolve(file));
  for (const [asset, p] of Object.entries(spec.prices)) {
    if (!assets.has(asset)) {
      issues.push(
        issueAt(
          y,
          ['prices', asset],
          `no market ${asset} in genesis.markets (known: ${[...assets].join(', ')})`,
        ),
      );
      continue;
    }
    try {
      createPriceProcess(asset, p as PriceProcessSpec, {
        baseDir,
        readCsv: (f) => readFileSync(f, 'utf8'),
      });
    } catch (e) {
      const msg = e instanceof CsvError ? e.message : (e as Error).message;
      issues.push(issueAt(y, ['prices', asset, 'file'], msg));
    }
  }

  const agents: AgentSpec[] = [];
  spec.agents.forEach((a, i) => {
    const r = agentSpec.safeParse(a);
    if (!r.success) issues.push(...zodIssues(y, r.error, ['agents', i]));
    else agents.push(r.data);
  });
  checkReferences(
    y,
    ['agents'],
    spec.agents,
    new Set(markets),
    new Set(validators.map((v) => v.name)),
    issues,
  );
  checkReferences(
    y,
    ['adversaries'],
    spec.adversaries,
    new Set(markets),
    new Set(validators.map((v) => v.name)),
    issues,
  );
  const adversaries: AdversarySpec[] = [];
  spec.adversaries.forEach((a, i) => {
    const r = adversarySpec.safeParse(a);
    if (!r.success) {
      issues.push(...zodIssues(y, r.error, ['adversaries', i]));
      return;
    }
    adversaries.push(r.data);
    if (issues.some((x) => x.path.startsWith(`adversaries.${i}.`))) return;
    // The adversary's own check against this chain (a share no validator set reaches…).
    try {
      createAdversary(
        r.data,
        validators.map((v) => ({ name: v.name, power: BigInt(Math.floor(v.stake)) })),
      );
    } catch (e) {
      issues.push(issueAt(y, ['adversaries', i], (e as Error).message));
    }
  });
  if (issues.length > 0) throw new ScenarioError(file, issues);

  // Time: blocks from `blocks` or `duration`, at the (possibly overridden) block time.
  const blockTime = opts.blockTime ?? spec.blockTime;
  const scale = spec.blockTime / blockTime;
  const blocks =
    opts.blocks ??
    (spec.blocks !== undefined
      ? Math.round(spec.blocks * scale)
      : Math.round((spec.duration as number) / blockTime));
  let params = spec.genesis.params;
  if (scale !== 1) params = scalePerBlockParams(base, params, scale);
  const genesis: GenesisSpec = {
    preset: spec.genesis.preset,
    chainId: 'bulwark-sim',
    validators,
    markets: spec.genesis.markets.map((m) => ({
      id: m.id,
      price: m.price,
      ...(m.listing !== undefined || scale !== 1
        ? { listing: scaleListing(m.listing ?? {}, scale, m.id) }
        : {}),
    })),
    vaults: spec.genesis.markets.map((m) => ({ id: m.id, deposit: m.vault })),
    params,
    bwkPrice: spec.genesis.bwkPrice,
  };
  const points = sweepPoints(spec.sweep);
  const every = Math.max(
    1,
    Math.round(
      (spec.metrics.every ?? Math.ceil(blocks / 2000)) *
        (spec.metrics.every !== undefined ? scale : 1),
    ),
  );

  // Dry genesis of every point: bad param values fail here, not in run 37.
  for (const pt of points) {
    try {
      createApp().initChain(buildGenesis(withPoint(genesis, pt), []));
    } catch (e) {
      const path = pt.label === '' ? ['genesis', 'params'] : ['sweep'];
      throw new ScenarioError(file, [
        issueAt(y, path, `${pt.label === '' ? '' : `at ${pt.label}: `}${(e as Error).message}`),
      ]);
    }
  }
  return {
    file,
    baseDir,
    spec,
    blocks,
    blockTimeMs: Math.round(blockTime * 1000),
    every,
    genesis,
    points,
    agents,
    adversaries,
  };
}

function actorIssues(
  y: LocatedYaml,
  key: string,
  raw: unknown,
  schema: { safeParse(v: unknown): { success: boolean; error?: unknown } },
): ScenarioIssue[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((a, i) => {
    const r = schema.safeParse(a);
    return r.success ? [] : zodIssues(y, r.error as Parameters<typeof zodIssues>[1], [key, i]);
  });
}

/** The genesis of a sweep point: the point's params merged over the scenario's. */
export function withPoint(g: GenesisSpec, pt: SweepPoint): GenesisSpec {
  if (pt.label === '') return g;
  const params: Record<string, Record<string, unknown>> = { ...g.params };
  for (const [mod, over] of Object.entries(pt.params))
    params[mod] = { ...(params[mod] ?? {}), ...over };
  return { ...g, params };
}

/** The grid of a sweep: every combination, in the file's key and value order. */
export function sweepPoints(sweep: Record<string, (string | number)[]> | undefined): SweepPoint[] {
  if (sweep === undefined) return [{ label: '', params: {} }];
  let points: { labels: string[]; params: Record<string, Record<string, unknown>> }[] = [
    { labels: [], params: {} },
  ];
  for (const [key, values] of Object.entries(sweep)) {
    const [mod, ...rest] = key.split('.') as [string, ...string[]];
    const next: typeof points = [];
    for (const p of points) {
      for (const v of values) {
        const params = structuredClone(p.params);
        const modParams = params[mod] ?? {};
        params[mod] = modParams;
        setPath(modParams, rest, typeof v === 'number' ? numberParam(v) : v);
        next.push({ labels: [...p.labels, `${key}=${v}`], params });
      }
    }
    points = next;
  }
  return points.map((p) => ({ label: p.labels.join(','), params: p.params }));
}

/** A number as a genesis param: integers stay numbers, fractions become decimal strings. */
function numberParam(v: number): number | string {
  return Number.isInteger(v) ? v : String(v);
}

function getPath(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null || !(k in cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function setPath(o: Record<string, unknown>, path: string[], v: unknown): void {
  let cur = o;
  for (const k of path.slice(0, -1)) {
    const next = (cur[k] ?? {}) as Record<string, unknown>;
    cur[k] = next;
    cur = next;
  }
  cur[path[path.length - 1] as string] = v;
}

function scaleListing(
  listing: Record<string, unknown>,
  scale: number,
  _id: string,
): Record<string, unknown> {
  if (scale === 1) return listing;
  const interval =
    typeof listing.fundingIntervalBlocks === 'number' ? listing.fundingIntervalBlocks : 3600;
  return { ...listing, fundingIntervalBlocks: Math.max(1, Math.round(interval * scale)) };
}

/**
 * Names in actor specs must exist: a `market`/`vault` field names a genesis market, a
 * `validator`/`validators` field genesis validators.
 */
function checkReferences(
  y: LocatedYaml,
  prefix: string[],
  specs: unknown[],
  markets: Set<string>,
  validators: Set<string>,
  issues: ScenarioIssue[],
): void {
  specs.forEach((s, i) => {
    if (typeof s !== 'object' || s === null) return;
    for (const [k, v] of Object.entries(s)) {
      const path = [...prefix, i, k];
      if ((k === 'market' || k === 'vault') && typeof v === 'string' && !markets.has(v)) {
        issues.push(
          issueAt(y, path, `no market ${v} in genesis.markets (known: ${[...markets].join(', ')})`),
        );
      }
      if (k === 'assets' && Array.isArray(v)) {
        v.forEach((a, j) => {
          if (typeof a === 'string' && !markets.has(a) && a !== 'BWK-USD') {
            issues.push(issueAt(y, [...path, j], `no market ${a} in genesis.markets`));
          }
        });
      }
      const names = k === 'validator' ? [v] : k === 'validators' && Array.isArray(v) ? v : [];
      names.forEach((n, j) => {
        if (typeof n === 'string' && !validators.has(n)) {
          issues.push(
            issueAt(
              y,
              k === 'validator' ? path : [...path, j],
              `no validator ${n} in genesis.validators (known: ${[...validators].slice(0, 6).join(', ')}${validators.size > 6 ? ', …' : ''})`,
            ),
          );
        }
      });
    }
  });
}
