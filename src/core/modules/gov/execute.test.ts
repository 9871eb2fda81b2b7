import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../errors.ts';
import type { Msg } from '../../tx/tx.ts';
import { GovError } from './errors.ts';
import { MAX_EXECUTE_MSGS } from './params.ts';
import { alice, bob, GovChain, outsider, SET_WINDOW_MSG, type TestParams } from './testing.ts';
import type { Proposal } from './types.ts';

const BWK = 1_000_000n;
const GENESIS = {
  params: {
    minDeposit: { denom: 'ubwk', amount: String(10n * BWK) },
    maxDepositPeriodMs: 120_000,
    votingPeriodMs: 120_000,
    timelockMs: 10_000,
    burnOnQuorumFail: false,
  },
};
const TIMELOCK_MS = 10_000;

const execute = (msgs: unknown[]) => ({
  type: 'execute',
  title: 'Widen the window',
  description: 'Run msgs as the gov account.',
  msgs,
});
const setWindow = (window: number) => ({ type: SET_WINDOW_MSG, value: { window } });
const submit = (content: Record<string, unknown>): Msg => ({
  type: 'gov/submit-proposal',
  value: { content, initialDeposit: { denom: 'ubwk', amount: 10n * BWK } } as never,
});

function chain(): GovChain {
  const c = new GovChain(GENESIS);
  c.staking.addValidator(alice.address, 600n * BWK);
  c.staking.addValidator(bob.address, 300n * BWK);
  return c;
}
const proposal = (c: GovChain, id: number) => c.query<Proposal>('gov/proposal', { id });
const testmod = (c: GovChain) => c.query<TestParams>('testmod/params');
const proposalCount = (c: GovChain) => c.query<Proposal[]>('gov/proposals').length;

/** Submits, votes yes with both validators, ends the voting and runs the timelock out. */
function passAndExecute(c: GovChain, content: Record<string, unknown>) {
  const r = c.send(alice, submit(content));
  expect(r.code, r.log).toBe(0);
  const id = proposalCount(c);
  c.send(alice, { type: 'gov/vote', value: { proposalId: id, option: 'yes' } });
  c.send(bob, { type: 'gov/vote', value: { proposalId: id, option: 'yes' } });
  const p = proposal(c, id);
  c.block([], (p.votingEndTimeMs as number) - c.timeMs);
  expect(proposal(c, id).status).toBe('passed');
  return { id, res: c.block([], TIMELOCK_MS) };
}

describe('gov: execute proposals', () => {
  it('runs its msgs in order as the gov account after the timelock', () => {
    const c = chain();
    const { id, res } = passAndExecute(c, execute([setWindow(500), setWindow(700)]));
    expect(proposal(c, id).status).toBe('executed');
    expect(testmod(c).signedBlocksWindow).toBe(700);
    const types = res.events.map((e) => e.type);
    expect(types.filter((t) => t === 'gov/execute-msg')).toHaveLength(2);
    expect(res.events.find((e) => e.type === 'gov/execute')?.attributes.result).toBe('executed');
  });

  it('fails the whole proposal when one msg fails: state unchanged, the reason names the msg', () => {
    const c = chain();
    // Msg 1 parses (any integer) but the params bounds refuse 5 when the handler runs.
    const { id, res } = passAndExecute(c, execute([setWindow(500), setWindow(5)]));
    const p = proposal(c, id);
    expect(p.status).toBe('failed');
    expect(p.failReason).toContain(`msg 1 (${SET_WINDOW_MSG})`);
    expect(p.failReason).toContain('signedBlocksWindow');
    // Msg 0's change was discarded with the rest.
    expect(testmod(c).signedBlocksWindow).toBe(100);
    const exec = res.events.find((e) => e.type === 'gov/execute');
    expect(exec?.attributes).toMatchObject({ result: 'failed', proposal_id: String(id) });
    expect(res.events.some((e) => e.type === 'gov/execute-msg')).toBe(false);
  });

  const refusals: [string, unknown[], number, string][] = [
    [
      'a routed msg off the allowlist (bank/send)',
      [
        {
          type: 'bank/send',
          value: { to: outsider.address, amount: { denom: 'ubwk', amount: 1n } },
        },
      ],
      GovError.MsgNotAllowed,
      'not executable by governance',
    ],
    [
      'an allowlisted msg no module routes here',
      [{ type: 'perps/list-market', value: {} }],
      GovError.MsgNotAllowed,
      'no module routes',
    ],
    [
      'a value that does not parse against the msg schema',
      [setWindow(500), { type: SET_WINDOW_MSG, value: { window: 'wide' } }],
      GovError.InvalidMsg,
      `msg 1 (${SET_WINDOW_MSG}): window`,
    ],
    ['no msgs', [], ErrorCode.InvalidRequest, 'at least one msg'],
    [
      'too many msgs',
      Array.from({ length: MAX_EXECUTE_MSGS + 1 }, () => setWindow(200)),
      ErrorCode.InvalidRequest,
      `at most ${MAX_EXECUTE_MSGS} msgs`,
    ],
    [
      'a nested gov msg',
      [{ type: 'gov/vote', value: { proposalId: 1, option: 'yes' } }],
      GovError.MsgNotAllowed,
      'not executable by governance',
    ],
  ];
  for (const [name, msgs, code, log] of refusals) {
    it(`refuses at submission ${name} (code ${code}), keeping nothing`, () => {
      const c = chain();
      const before = c.balance(alice.address);
      const r = c.send(alice, submit(execute(msgs)));
      expect(r.code, r.log).toBe(code);
      expect(r.log).toContain(log);
      expect(proposalCount(c)).toBe(0);
      // Only the fee left (a tx refused before its msgs ran pays nothing).
      expect(before - c.balance(alice.address)).toBeLessThanOrEqual(1000n);
    });
  }

  it('the gov account is the sender: the same msg sent by anyone else is refused', () => {
    const c = chain();
    const r = c.send(alice, setWindow(500) as Msg);
    expect(r.code).toBe(ErrorCode.Unauthorized);
    expect(testmod(c).signedBlocksWindow).toBe(100);
  });
});
