import { afterEach, describe, expect, it } from 'vitest';
import type { Msg } from '../../src/core/tx/tx.ts';
import { posNode } from './helpers.ts';

let cleanup: () => Promise<void> = async () => {};
afterEach(() => cleanup());

const DEPOSIT = { denom: 'ubwk', amount: 10_000_000n };
const raiseDowntime = (value: string): Msg => ({
  type: 'gov/submit-proposal',
  value: {
    content: {
      type: 'param-change',
      title: 'Raise the downtime slash',
      description: 'Validators that go offline should pay more.',
      module: 'slashing',
      changes: { slashFractionDowntime: value },
    },
    initialDeposit: DEPOSIT,
  },
});
const vote = (proposalId: number, option: string): Msg => ({
  type: 'gov/vote',
  value: { proposalId, option },
});

interface Proposal {
  id: number;
  status: string;
  outcome: string | null;
  executeAfterMs: number | null;
}

describe('governance, through the node', () => {
  it('raises slashFractionDowntime through the whole flow, refuses one out of bounds, and burns a vetoed deposit', async () => {
    const chain = await posNode({});
    cleanup = chain.cleanup;
    const { node, key, tx, q, resync } = chain;
    const alice = await key('alice');
    const vals = await Promise.all(['val0', 'val1', 'val2', 'val3'].map((n) => key(n)));
    const params = () => q<{ slashFractionDowntime: string }>('slashing/params');
    expect((await params()).slashFractionDowntime).toBe('0.0001');
    const burned = async () =>
      (await q<{ denom: string; burned: bigint }[]>('bank/supply')).find((s) => s.denom === 'ubwk')!
        .burned;

    // Out of bounds (slashing caps the downtime fraction at 10 %): refused at submission.
    const refused = await node.broadcastTxSync(tx(alice, [raiseDowntime('0.2')]));
    expect(refused.code).not.toBe(0);
    expect(refused.log).toMatch(/slashFractionDowntime/);
    await resync(alice);

    // Proposal 1 raises it to 1 %; proposal 2 is vetoed.
    const ev = await node.produceBlock([
      tx(alice, [raiseDowntime('0.01')]),
      tx(alice, [raiseDowntime('0.05')]),
    ]);
    expect(ev.results.txResults.map((r) => r.code)).toEqual([0, 0]);
    const burnedBefore = await burned();
    await node.produceBlock([
      ...vals.map((v) => tx(v, [vote(1, 'yes')])),
      ...vals.slice(0, 2).map((v) => tx(v, [vote(2, 'veto')])),
      ...vals.slice(2).map((v) => tx(v, [vote(2, 'yes')])),
    ]);
    // A non-staker may not vote.
    const nonStaker = await node.broadcastTxSync(tx(alice, [vote(1, 'no')]));
    expect(nonStaker.code).not.toBe(0);
    await resync(alice);

    // Voting period (devnet: 2 minutes of block time), then the timelock, then execution.
    let p1 = await q<Proposal>('gov/proposal', { id: 1 });
    while (p1.status !== 'executed' && node.app.height < 400) {
      await node.produceBlock();
      p1 = await q<Proposal>('gov/proposal', { id: 1 });
    }
    expect(p1.status).toBe('executed');
    expect((await params()).slashFractionDowntime).toBe('0.01');

    const p2 = await q<Proposal>('gov/proposal', { id: 2 });
    expect(p2.outcome).toBe('vetoed');
    expect((await burned()) - burnedBefore).toBe(DEPOSIT.amount);

    // Voting after the period is refused.
    const late = await node.broadcastTxSync(tx(vals[0]!, [vote(1, 'no')]));
    expect(late.code).not.toBe(0);
  });
});
