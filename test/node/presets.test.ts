import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initHome } from '../../src/node/home.ts';
import { BulwarkNode } from '../../src/node/node.ts';

describe('parameter presets', () => {
  for (const [preset, unbonding, voting] of [
    ['devnet', 2 * 60_000, 2 * 60_000],
    ['mainnet-like', 21 * 86_400_000, 7 * 86_400_000],
  ] as const) {
    it(`${preset}: a chain starts with its periods`, async () => {
      const home = await mkdtemp(join(tmpdir(), 'bulwark-preset-'));
      try {
        await initHome({ home, preset });
        const node = await BulwarkNode.open({
          home,
          config: { logLevel: 'silent', verifyWorkers: 0, syncWrites: false },
        });
        try {
          await node.produceBlock();
          const staking = (await node.query('staking/params', {})).value as {
            unbondingTimeMs: number;
          };
          const gov = (await node.query('gov/params', {})).value as { votingPeriodMs: number };
          expect(staking.unbondingTimeMs).toBe(unbonding);
          expect(Number(gov.votingPeriodMs)).toBe(voting);
          expect(node.app.validators()).toHaveLength(4);
        } finally {
          await node.stop();
        }
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    });
  }
});
