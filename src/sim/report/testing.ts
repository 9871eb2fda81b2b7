/**
 * Helpers for the report's tests: pull the charts and their path data out of rendered
 * markup, so tests check structure (a chart is there and draws something) rather than
 * snapshots of bytes.
 */

export interface SvgFound {
  id: string;
  kind: string;
  markup: string;
}

/** Every `<svg …>…</svg>` in `html` with its id and `data-chart` kind (charts never nest). */
export function findSvgs(html: string): SvgFound[] {
  const out: SvgFound[] = [];
  for (const m of html.matchAll(/<svg\b[^>]*>[\s\S]*?<\/svg>/g)) {
    const markup = m[0];
    const open = markup.slice(0, markup.indexOf('>') + 1);
    out.push({
      id: /\bid="([^"]*)"/.exec(open)?.[1] ?? '',
      kind: /\bdata-chart="([^"]*)"/.exec(open)?.[1] ?? '',
      markup,
    });
  }
  return out;
}

/** The `d` attribute of every `<path>` in `markup` (including empty ones). */
export function pathData(markup: string): string[] {
  return [...markup.matchAll(/<path\b[^>]*?\sd="([^"]*)"/g)].map((m) => m[1]!);
}

/** The `class` of every `<path>` that has one, with its `d`. */
export function classedPaths(markup: string): { cls: string; d: string }[] {
  const out: { cls: string; d: string }[] = [];
  for (const m of markup.matchAll(/<path\b([^>]*)>/g)) {
    const attrs = m[1]!;
    const cls = /\bclass="([^"]*)"/.exec(attrs)?.[1];
    const d = /\sd="([^"]*)"/.exec(attrs)?.[1];
    if (cls !== undefined && d !== undefined) out.push({ cls, d });
  }
  return out;
}
