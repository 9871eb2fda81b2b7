import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ScenarioError, type ScenarioIssue } from './errors.ts';

/**
 * YAML with positions: the parsed value plus a way to find the line and column of the node
 * at a path, so a validation error can point at the bad field in the file.
 */
export interface LocatedYaml {
  file: string;
  value: unknown;
  /** Line and column (1-based) of the node at `path`, or of its nearest existing parent. */
  locate(path: readonly PropertyKey[]): { line: number; column: number } | undefined;
  /** Line and column of a key of the mapping at `parent` (for an unknown key). */
  locateKey(
    parent: readonly PropertyKey[],
    key: string,
  ): { line: number; column: number } | undefined;
}

export function parseYaml(file: string, text: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.slice(0, 5).map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          path: '',
          message: e.message.split('\n')[0] ?? e.message,
          line: pos.line,
          column: pos.col,
        };
      }),
    );
  }
  const locate = (path: readonly PropertyKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as Node | undefined;
      const range = nodeRange(node, n === 0 ? doc.contents : undefined);
      if (range !== undefined) {
        const pos = lineCounter.linePos(range);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
  const locateKey = (parent: readonly PropertyKey[], key: string) => {
    const map = parent.length === 0 ? doc.contents : doc.getIn(parent as unknown[], true);
    if (isMap(map)) {
      for (const pair of map.items) {
        const k = pair.key;
        if (isScalar(k) && String(k.value) === key && k.range) {
          const pos = lineCounter.linePos(k.range[0]);
          return { line: pos.line, column: pos.col };
        }
      }
    }
    return locate([...parent, key]);
  };
  return { file, value: doc.toJS({ maxAliasCount: 100 }), locate, locateKey };
}

function nodeRange(node: unknown, fallback: unknown): number | undefined {
  const n = (node ?? fallback) as Node | undefined;
  if (n !== undefined && n !== null && (isMap(n) || isSeq(n) || isScalar(n)) && n.range) {
    return n.range[0];
  }
  return undefined;
}

/** A key's own position, for an unknown key (the issue's path names the parent object). */
function keyPosition(y: LocatedYaml, parent: readonly PropertyKey[], key: string) {
  return y.locateKey(parent, key) ?? y.locate(parent);
}

/** The zod issues of a failed parse, each with its dotted path and position in the file. */
export function zodIssues(
  y: LocatedYaml,
  error: z.ZodError,
  prefix: PropertyKey[] = [],
): ScenarioIssue[] {
  return issuesOf(y, error.issues as unknown as RawIssue[], prefix).slice(0, 10);
}

interface RawIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: RawIssue[][];
}

function issuesOf(y: LocatedYaml, issues: RawIssue[], prefix: PropertyKey[]): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) {
        out.push({
          path: [...path, key].map(String).join('.'),
          message: `unknown key ${JSON.stringify(key)}`,
          ...keyPosition(y, path, key),
        });
      }
      continue;
    }
    // A value that fits no form of a union: report the form it came closest to (the one
    // whose problems lie deepest), rather than "invalid input".
    const closest = closestBranch(issue.errors);
    if (issue.code === 'invalid_union' && closest !== undefined) {
      out.push(...issuesOf(y, closest, path));
      continue;
    }
    out.push({ path: path.map(String).join('.'), message: issue.message, ...y.locate(path) });
  }
  return out;
}

function closestBranch(branches: RawIssue[][] | undefined): RawIssue[] | undefined {
  if (branches === undefined || branches.length === 0) return undefined;
  const depth = (b: RawIssue[]) => Math.max(...b.map((i) => i.path.length));
  return [...branches].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0];
}

/** An issue at a path of the file (for checks beyond the schema: names, files, sweeps). */
export function issueAt(y: LocatedYaml, path: PropertyKey[], message: string): ScenarioIssue {
  return { path: path.map(String).join('.'), message, ...y.locate(path) };
}
