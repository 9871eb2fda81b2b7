import type { IdMaker } from '../html.ts';
import type { ReportInput } from '../types.ts';

/** What every section builder gets. */
export interface SectionContext {
  input: ReportInput;
  ids: IdMaker;
}

/** Natural widths of a chart in the two-column grid and of a full-width chart (pixels). */
export const HALF_WIDTH = 540;
export const FULL_WIDTH = 1080;

/** Most runs drawn as individual lines in one chart; more would be a blur. */
export const MAX_RUN_LINES = 24;
/** Most runs named in a legend. */
export const MAX_LEGEND_RUNS = 12;
/** Most points per drawn line (samples beyond are thinned). */
export const MAX_POINTS = 600;
