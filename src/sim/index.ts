/**
 * The scenario simulator (`bulwark simulate`): scenario files, the engine that drives the
 * real state machine block by block, Monte Carlo runs and sweeps, and their outputs.
 * See docs/sim.md.
 *
 * @example
 * const scenario = loadScenario('scenarios/baseline.yaml', { runs: 2 });
 * const results = await runMonteCarlo(scenario, { file: scenario.file, load: { runs: 2 }, trustSignatures: true, workers: 1 });
 * const summary = summarize(scenario, results);
 */
export { SimChain } from './engine/chain.ts';
export { type MonteCarloOptions, runMonteCarlo } from './engine/montecarlo.ts';
export { type RunOptions, type RunResult, runScenario, runSeed } from './engine/run.ts';
export { reportInput } from './output/report-input.ts';
export { summarize } from './output/summary.ts';
export { writeOutputs } from './output/write.ts';
export { ScenarioError } from './scenario/errors.ts';
export { type LoadOptions, loadScenario, parseScenario, type Scenario } from './scenario/load.ts';
