/**
 * Changing a scenario's block time keeps its time-based meaning: every param counted in
 * blocks is multiplied by `scale` (old block time / new), per-block decay rates are taken to
 * the power 1/scale, and the yearly block count follows. The time-step-invariance test runs
 * the baseline at half the block time this way and compares the headline figures.
 */
const BLOCK_COUNTS: Record<string, string[]> = {
  staking: ['epochLength'],
  slashing: ['signedBlocksWindow', 'maxAgeNumBlocks', 'correlationWindowBlocks'],
  distribution: ['blocksPerYear'],
  oracle: [
    'maxStaleBlocks',
    'breakerWindowBlocks',
    'oracleWindow',
    'maxMissesPerWindow',
    'blocksPerYear',
  ],
  risk: ['attackBlocks'],
};

export function scalePerBlockParams(
  base: Record<string, Record<string, unknown>>,
  over: Record<string, Record<string, unknown>>,
  scale: number,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [mod, fields] of Object.entries(over)) out[mod] = { ...fields };
  for (const [mod, names] of Object.entries(BLOCK_COUNTS)) {
    for (const f of names) {
      const v = out[mod]?.[f] ?? base[mod]?.[f];
      if (typeof v !== 'number') continue;
      out[mod] = { ...(out[mod] ?? {}), [f]: Math.max(1, Math.round(v * scale)) };
    }
  }
  // The oracle's EWMA decays per block: λ' = λ^(1/scale) keeps its half-life in time.
  const lambda = Number(out.oracle?.ewmaLambda ?? base.oracle?.ewmaLambda);
  const oracle = { ...(out.oracle ?? {}) };
  if (Number.isFinite(lambda)) oracle.ewmaLambda = (lambda ** (1 / scale)).toFixed(12);
  // The largest move per block: a diffusion moves ∝ √dt per block.
  const move = Number(out.oracle?.maxMovePerBlock ?? base.oracle?.maxMovePerBlock);
  if (Number.isFinite(move)) oracle.maxMovePerBlock = (move / Math.sqrt(scale)).toFixed(12);
  out.oracle = oracle;
  return out;
}
