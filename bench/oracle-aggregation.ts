/**
 * Issue target: the oracle's aggregation time per block for 100 validators × 50 markets.
 * Measured on the real app: the proposer's entry (extensions verified: 100 signatures), every
 * validator's proposal check (the same again, plus the honest-aggregate recomputation), and
 * the block's application (medians, breaker, deviation records, volatility) in finalizeBlock.
 */
import { DEVNET_ORACLE_PARAMS } from '../src/core/modules/oracle/params.ts';
import { OracleChain } from '../src/core/modules/oracle/testing.ts';
import type { BenchResult } from './run.ts';

const VALIDATORS = 100;
const MARKETS = 50;
const BLOCKS = 20;
const ONE = 10n ** 18n;

export async function run(): Promise<BenchResult[]> {
  const template = DEVNET_ORACLE_PARAMS.markets[0]!;
  const markets = Array.from({ length: MARKETS }, (_, i) => ({ ...template, id: `M${i}-USD` }));
  const chain = new OracleChain({
    validators: Array.from({ length: VALIDATORS }, (_, i) => ({
      name: `v${i}`,
      power: BigInt(10 + (i % 7)),
    })),
    params: { markets },
  });
  // Each validator reports every market near 100 USD, with its own small spread.
  const observe = (v: { name: string }, height: number) => {
    const id = Number(v.name.slice(1));
    const out: Record<string, bigint> = {};
    markets.forEach((m, j) => {
      out[m.id] = 100n * ONE + BigInt(((id * 31 + j * 17 + height) % 41) - 20) * 10n ** 15n;
    });
    return out;
  };
  chain.block(observe); // genesis + first extensions
  chain.block(observe);
  let prepare = 0;
  let check = 0;
  let apply = 0;
  for (let b = 0; b < BLOCKS; b++) {
    let t = performance.now();
    const entry = chain.prepareEntry();
    prepare += performance.now() - t;
    if (entry === undefined) throw new Error('no oracle entry');
    t = performance.now();
    const refusal = chain.checkProposal([entry]);
    check += performance.now() - t;
    if (refusal !== undefined) throw new Error(refusal);
    t = performance.now();
    chain.block(observe, entry);
    apply += performance.now() - t;
  }
  const per = (ms: number) => ms / BLOCKS;
  return [
    {
      name: `oracle: prepare entry (${VALIDATORS} validators × ${MARKETS} markets)`,
      value: per(prepare),
      unit: 'ms/block',
    },
    {
      name: 'oracle: check proposal (signatures + honest aggregate)',
      value: per(check),
      unit: 'ms/block',
    },
    {
      name: 'oracle: apply entry in finalizeBlock (+ extendVote of all 100)',
      value: per(apply),
      unit: 'ms/block',
      target: '≤ 100 (a tenth of a 1 s block)',
      pass: per(apply) <= 100,
    },
  ];
}
