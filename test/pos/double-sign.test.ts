import { afterEach, describe, expect, it } from 'vitest';
import type { UnbondingEntry } from '../../src/core/modules/staking/api.ts';
import { DEVNET_SELF_BOND } from '../../src/node/home.ts';
import { posNode, type ValidatorView } from './helpers.ts';

let cleanup: () => Promise<void> = async () => {};
afterEach(() => cleanup());

describe('double signing, through the node', () => {
  it('slashes 5 %, tombstones, removes the validator at the next epoch, and reaches unbondings made after the fault', async () => {
    const chain = await posNode({
      config: { faults: { val2: { offline: [], doubleSignAt: [3] } } },
      genesis: (g) => {
        (g.app.staking as { params: { epochLength: number } }).params.epochLength = 10;
      },
    });
    cleanup = chain.cleanup;
    const { node, key, tx, q, until } = chain;
    const alice = await key('alice');
    const val2 = await key('val2');
    const validator = val2.address;
    const D = 50_000_000n;
    const undelegate = (amount: bigint) =>
      tx(alice, [
        { type: 'staking/undelegate', value: { validator, amount: { denom: 'ubwk', amount } } },
      ]);

    // h1: alice delegates 50 BWK to val2; h2: unbonds 10 (before the fault);
    // h3: val2 double-signs, and alice unbonds another 10 in that very block (at the fault height).
    await until(
      3,
      new Map([
        [
          1,
          [
            tx(alice, [
              {
                type: 'staking/delegate',
                value: { validator, amount: { denom: 'ubwk', amount: D } },
              },
            ]),
          ],
        ],
        [2, [undelegate(10_000_000n)]],
        [3, [undelegate(10_000_000n)]],
      ]),
    );
    const before = await q<ValidatorView>('staking/validator', { operator: validator });
    expect(before.tokens).toBe(DEVNET_SELF_BOND + D - 20_000_000n);

    // h4 carries the evidence; the app slashes in its begin block.
    const ev = await node.produceBlock([]);
    expect(ev.block.evidence).toHaveLength(1);
    expect(ev.block.evidence[0]?.validator).toBe(before.consAddress);
    const slashEvent = ev.results.events.find(
      (e) => e.type === 'slash' && e.attributes.reason !== undefined,
    );
    expect(slashEvent?.attributes.reason).toMatch(/double/);

    const after = await q<ValidatorView>('staking/validator', { operator: validator });
    const info = await q<{ tombstoned: boolean; jailedUntilMs: number }>('slashing/signing-info', {
      operator: validator,
    });
    expect(info.tombstoned).toBe(true);
    expect(after.jailed).toBe(true);
    const entries = (
      await q<{ validator: string; entries: UnbondingEntry[] }[]>('staking/unbondings', {
        delegator: alice.address,
      })
    )
      .flatMap((u) => u.entries)
      .sort((a, b) => a.creationHeight - b.creationHeight);
    expect(entries.map((e) => e.creationHeight)).toEqual([2, 3]);
    // Before the fault: untouched. At the fault height: slashed 5 %.
    expect(entries[0]?.balance).toBe(10_000_000n);
    expect(entries[1]?.balance).toBe(9_500_000n);
    // The slash is 5 % of the power the validator had at the fault: the epoch-0 snapshot holds
    // the self-bond alone (alice's stake arrived after it): 0.5 BWK of it from the unbonding
    // entry created at the fault height, the rest from the validator's tokens.
    const slash = DEVNET_SELF_BOND / 20n;
    expect(before.tokens - after.tokens).toBe(slash - 500_000n);
    const supply = await q<{ denom: string; burned: bigint }[]>('bank/supply');
    expect(supply.find((x) => x.denom === 'ubwk')?.burned).toBe(slash);

    // Still in the set until the epoch ends (height 10); gone from the commit after it.
    await until(10);
    const signers = async (h: number) =>
      (await node.getBlock(h))!.commit.signatures.map((s) => s.validator);
    expect(await signers(10)).toContain(before.consAddress);
    await until(11);
    expect(await signers(11)).not.toContain(before.consAddress);
    expect(node.app.validators().map((v) => v.address)).not.toContain(before.consAddress);

    // Tombstoned: no new stake, no unjail.
    const r = await node.broadcastTxSync(
      tx(alice, [
        { type: 'staking/delegate', value: { validator, amount: { denom: 'ubwk', amount: 1n } } },
      ]),
    );
    expect(r.code).not.toBe(0);
    const u = await node.broadcastTxSync(tx(val2, [{ type: 'slashing/unjail', value: {} }]));
    expect(u.code).not.toBe(0);
    expect(u.log).toMatch(/tombstone/i);
  });
});
