/**
 * A scenario that cannot run, found before any run starts: the file, the line and column of
 * the offending YAML node, and the path of the field (`genesis.validators.3.stake`).
 */
export interface ScenarioIssue {
  /** Dotted path of the field in the scenario ('' for the whole document). */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(
    readonly file: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(issues.map((i) => formatIssue(file, i)).join('\n'));
  }
}

export function formatIssue(file: string, i: ScenarioIssue): string {
  const where = i.line === undefined ? file : `${file}:${i.line}:${i.column ?? 1}`;
  return `${where}: ${i.path === '' ? '' : `${i.path}: `}${i.message}`;
}
