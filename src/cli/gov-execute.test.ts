import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keystore } from '../node/keystore.ts';
import { FakeNode } from '../sdk/testing/fake-node.ts';
import { type CapturedIo, memoryIo } from './io.ts';
import { main } from './main.ts';

/** `tx gov submit-proposal execute` against the fake node (the real state machine). */
let node: FakeNode;
let home: string;

beforeAll(async () => {
  node = await FakeNode.start({ accounts: ['alice'], validators: ['val0'] });
  home = await mkdtemp(join(tmpdir(), 'bulwark-cli-gov-execute-'));
  await new Keystore(join(home, 'keys')).add('alice', { seed: node.account('alice').seed });
});
afterAll(async () => {
  await node.kill();
  await rm(home, { recursive: true, force: true });
});

async function run(args: string[]): Promise<CapturedIo & { code: number }> {
  const io = memoryIo({ env: { BULWARK_NODE: node.url, BULWARK_HOME: home } });
  const code = await main(args, io);
  return Object.assign(io, { code });
}

const submit = (msgsFile: string) =>
  run([
    'tx',
    'gov',
    'submit-proposal',
    'execute',
    'alice',
    '--msgs',
    msgsFile,
    '--title',
    'List a call',
    '--description',
    'An ETH-USD binary call on its own vault.',
    '--deposit',
    '10000000ubwk',
  ]);

const listSeries = {
  type: 'options/list-series',
  value: {
    series: {
      id: 'ETH-3000-C-GOV',
      underlying: 'ETH-USD',
      strike: '3000',
      expiryMs: 4_000_000_000_000,
      kind: 'call',
      vault: 'ETH-OPT-GOV',
    },
  },
};

describe('tx gov submit-proposal execute', () => {
  it('submits the msgs of a file; the proposal shows them one per row', async () => {
    const file = join(home, 'listing.json');
    await writeFile(file, JSON.stringify([listSeries]));
    const r = await submit(file);
    expect(r.code, r.err).toBe(0);
    const id = /^proposal id +(\d+)$/m.exec(r.out)?.[1] as string;
    expect(id).toBeDefined();
    const p = await run(['query', 'gov', 'proposal', id]);
    expect(p.code, p.err).toBe(0);
    expect(p.out).toMatch(/^type +execute$/m);
    expect(p.out).toMatch(/^msg 0 +options\/list-series \{"series":\{.*"id":"ETH-3000-C-GOV"/m);
  });

  it('refuses msgs that do not parse (chain) and a file that is not a msg list (client)', async () => {
    const broken = join(home, 'broken.json');
    await writeFile(broken, JSON.stringify([{ type: 'perps/list-market', value: { market: {} } }]));
    const r = await submit(broken);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('msg 0 (perps/list-market)');
    const notList = join(home, 'not-list.json');
    await writeFile(notList, JSON.stringify(listSeries));
    const bad = await submit(notList);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('content.msgs must be a JSON array');
  });
});
