import { describe, expect, it } from 'vitest';
import { ONE } from '../../math/index.ts';
import { DEVNET_GOV_PARAMS, govParamsSchema, MAINNET_GOV_PARAMS } from './params.ts';
import { tallyOutcome } from './tally.ts';
import type { Outcome } from './types.ts';

const p = {
  quorum: (ONE * 334n) / 1000n,
  threshold: ONE / 2n,
  vetoThreshold: (ONE * 334n) / 1000n,
};
const t = (yes: bigint, no: bigint, abstain: bigint, veto: bigint, totalBonded = 1000n) => ({
  yes,
  no,
  abstain,
  veto,
  totalBonded,
});

describe('tallyOutcome (quorum 33.4 %, threshold 50 %, veto 33.4 %)', () => {
  const table: [string, ReturnType<typeof t>, Outcome][] = [
    ['nothing bonded', t(0n, 0n, 0n, 0n, 0n), 'no-quorum'],
    ['nobody voted', t(0n, 0n, 0n, 0n), 'no-quorum'],
    ['333 of 1000 voted', t(333n, 0n, 0n, 0n), 'no-quorum'],
    ['exactly 334 of 1000 voted (≥ quorum)', t(334n, 0n, 0n, 0n), 'passed'],
    ['veto exactly 33.4 % of voted (not above)', t(666n, 0n, 0n, 334n), 'passed'],
    ['veto 33.5 % of voted', t(665n, 0n, 0n, 335n), 'vetoed'],
    ['veto beats a yes majority', t(600n, 0n, 0n, 400n), 'vetoed'],
    ['abstain counts for quorum and dilutes veto', t(301n, 0n, 400n, 299n), 'passed'],
    ['yes exactly half of yes+no+veto (not above)', t(500n, 500n, 0n, 0n), 'below-threshold'],
    ['yes one above half', t(501n, 499n, 0n, 0n), 'passed'],
    ['all abstain', t(0n, 0n, 1000n, 0n), 'below-threshold'],
    ['veto is a no for the threshold', t(400n, 300n, 0n, 300n), 'below-threshold'],
  ];
  for (const [name, tally, outcome] of table) {
    it(`${name} → ${outcome}`, () => expect(tallyOutcome(tally, p)).toBe(outcome));
  }
});

describe('gov presets', () => {
  it('are within the bounds', () => {
    expect(govParamsSchema.safeParse(DEVNET_GOV_PARAMS).success).toBe(true);
    expect(govParamsSchema.safeParse(MAINNET_GOV_PARAMS).success).toBe(true);
    expect(DEVNET_GOV_PARAMS.votingPeriodMs).toBe(120_000);
    expect(MAINNET_GOV_PARAMS.timelockMs).toBe(2 * 24 * 3600 * 1000);
  });
});
