/**
 * What a simulation hands to the report renderer. The simulator fills it; the renderer
 * (`render.ts`) turns it into one self-contained HTML page with SVG charts. Values are plain
 * numbers (already converted from the chain's fixed-point units for display): the report
 * is for people, the exact figures live in `summary.json` and `metrics.csv`.
 */

/** One sampled series of one run: `values[i]` was sampled at `blocks[i]` of that run. */
export interface RunSeries {
  /** Block heights of the samples (same length for every series of a run). */
  blocks: number[];
  /** Series name → samples, e.g. `price:ETH-USD`, `vaultEquity:BTC-USD`, `coc`, `pfc`. */
  values: Record<string, number[]>;
}

/** Something that happened in a run at one block (slash, jail, liquidation, ADL, halt…). */
export interface RunEvent {
  block: number;
  kind: string;
  /** Who or what, e.g. a validator moniker or a market id. */
  subject: string;
  /** Size in display units (e.g. slashed BWK), when it has one. */
  amount?: number;
}

export interface RunReport {
  /** Index of the run within its sweep point (0-based). */
  run: number;
  seed: string;
  /** Sweep point label, e.g. `slashing.slashFractionDoubleSign=0.05`; '' without a sweep. */
  point: string;
  series: RunSeries;
  events: RunEvent[];
}

export interface ReportInput {
  scenario: { name: string; description: string; blocks: number; blockTimeMs: number };
  /** Markets and vault ids, in display order. */
  markets: string[];
  vaults: string[];
  runs: RunReport[];
  /**
   * Contagion matrix: `contagion[i][j]` = the loss vault j suffered in runs where market i
   * collapsed (display units); zero off the diagonal is the isolation the protocol promises.
   */
  contagion: { markets: string[]; vaults: string[]; loss: number[][] };
  /** The summary.json content, shown as a table of headline figures. */
  summary: Record<string, unknown>;
}
