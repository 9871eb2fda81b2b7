import { afterEach, describe, expect, it } from 'vitest';
import { DEVNET_SELF_BOND } from '../../src/node/home.ts';
import { posNode, type ValidatorView } from './helpers.ts';

let cleanup: () => Promise<void> = async () => {};
afterEach(() => cleanup());

describe('downtime, through the node', () => {
  it('jails a validator offline past the window, drops it at the next epoch, and lets it unjail afterwards', async () => {
    const chain = await posNode({
      config: { faults: { val3: { offline: [{ from: 2, to: 40 }], doubleSignAt: [] } } },
      genesis: (g) => {
        (g.app.staking as { params: { epochLength: number } }).params.epochLength = 10;
        // An offline validator also misses its oracle reports; let the oracle tolerate them
        // here (19 of 20 may be missed; it is offline for 39) so this test sees the downtime penalty
        // alone while it is jailed before the oracle window could fill.
        (
          g.app.oracle as { params: { maxMissesPerWindow: number; oracleWindow: number } }
        ).params.maxMissesPerWindow = 19;
      },
    });
    cleanup = chain.cleanup;
    const { node, key, tx, q, resync } = chain;
    const val3 = await key('val3');
    const view = () => q<ValidatorView>('staking/validator', { operator: val3.address });
    const start = await view();
    const signers = async (h: number) =>
      (await node.getBlock(h))!.commit.signatures.map((s) => s.validator);

    // Produce blocks until the validator is jailed (devnet: window 20, at least half signed).
    let jailedAt = 0;
    while (jailedAt === 0 && node.app.height < 40) {
      await node.produceBlock();
      if ((await view()).jailed) jailedAt = node.app.height;
    }
    expect(jailedAt).toBeGreaterThan(10);
    expect(jailedAt).toBeLessThanOrEqual(25);
    const jailed = await view();
    // slashFractionDowntime (devnet 0.01 %) of the self-bond's power.
    expect(start.tokens - jailed.tokens).toBe(DEVNET_SELF_BOND / 10_000n);
    const info = await q<{ jailedUntilMs: number; tombstoned: boolean }>('slashing/signing-info', {
      operator: val3.address,
    });
    expect(info.tombstoned).toBe(false);

    // Out of the active set at the next epoch boundary.
    const boundary = Math.ceil(jailedAt / 10) * 10;
    while (node.app.height < boundary + 1) await node.produceBlock();
    expect(node.app.validators().map((v) => v.address)).not.toContain(start.consAddress);

    // Unjailing before the jail time is over is refused with a clear error.
    const early = await node.broadcastTxSync(tx(val3, [{ type: 'slashing/unjail', value: {} }]));
    expect(early.code).not.toBe(0);
    expect(early.log).toMatch(/jail/i);
    await resync(val3);

    // Back online after height 40; once the jail time (30 s of block time) has passed, unjail.
    while (node.status().latestBlockTimeMs <= info.jailedUntilMs || node.app.height < 41)
      await node.produceBlock();
    const ev = await node.produceBlock([tx(val3, [{ type: 'slashing/unjail', value: {} }])]);
    expect(ev.results.txResults[0]?.code, ev.results.txResults[0]?.log).toBe(0);
    expect((await view()).jailed).toBe(false);

    // It returns to the set at the following epoch boundary, and signs again.
    const next = Math.ceil(node.app.height / 10) * 10;
    while (node.app.height < next + 1) await node.produceBlock();
    expect(node.app.validators().map((v) => v.address)).toContain(start.consAddress);
    expect(await signers(node.app.height)).toContain(start.consAddress);
  });
});
