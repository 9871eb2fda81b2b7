import { esc } from '../format.ts';

/** What every chart's `<svg>` carries, so that it is accessible and findable. */
export interface SvgDoc {
  /** Unique within the page; prefixes the ids of the title, description and defs. */
  id: string;
  /** Which chart function drew it (`line`, `fan`, `heatmap`, `timeline`), as `data-chart`. */
  kind: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  body: string;
  defs?: string;
}

/**
 * An inline `<svg>` that scales to its container (viewBox) and is announced as one image by
 * screen readers, named by its `<title>` and described by its `<desc>`.
 */
export function svgDoc(d: SvgDoc): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="${esc(d.id)}" class="chart" data-chart="${esc(d.kind)}"`,
    ` viewBox="0 0 ${d.width} ${d.height}" width="${d.width}" height="${d.height}" style="max-width:${d.width}px"`,
    ` role="img" aria-labelledby="${esc(d.id)}-title ${esc(d.id)}-desc">`,
    `<title id="${esc(d.id)}-title">${esc(d.title)}</title>`,
    `<desc id="${esc(d.id)}-desc">${esc(d.desc)}</desc>`,
    d.defs ? `<defs>${d.defs}</defs>` : '',
    d.body,
    '</svg>',
  ].join('');
}

/** Inner size of a chart: the plotting rectangle inside the margins. */
export interface Plot {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Estimated width in pixels of `text` at `size` px in the report's sans-serif font. */
export function textWidth(text: string, size = 12): number {
  return text.length * size * 0.58;
}
