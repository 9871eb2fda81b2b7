/**
 * `npm run bench [filter]`: runs every benchmark in this folder and prints each figure with
 * its target. Benchmarks measure; they never fail the test suite (machines are noisy), but
 * the exit code is 1 when a target is missed so a person notices.
 */
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
  pass?: boolean;
  note?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];

function fmt(v: number): string {
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toPrecision(3);
}

const files = (await readdir(here))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .sort();
let missed = 0;
for (const f of files) {
  if (filter !== undefined && !f.includes(filter)) continue;
  const mod = (await import(pathToFileURL(`${here}/${f}`).href)) as {
    run?: () => Promise<BenchResult[]>;
  };
  if (mod.run === undefined) continue;
  console.log(`\n${f.replace(/\.ts$/, '')}`);
  for (const r of await mod.run()) {
    const target = r.target === undefined ? '' : `  target ${r.target} ${r.pass ? 'PASS' : 'MISS'}`;
    const note = r.note === undefined ? '' : `  (${r.note})`;
    console.log(`  ${r.name.padEnd(62)} ${fmt(r.value).padStart(12)} ${r.unit}${target}${note}`);
    if (r.pass === false) missed++;
  }
}
process.exitCode = missed > 0 ? 1 : 0;
