import { esc } from './format.ts';

/** Hands out element ids that are unique in the page and the same on every render. */
export class IdMaker {
  private readonly used = new Map<string, number>();

  make(base: string): string {
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  }
}

/** One part of the report, listed in the page's contents. */
export interface Section {
  id: string;
  title: string;
  html: string;
}

export function section(id: string, title: string, intro: string, content: string): Section {
  return {
    id,
    title,
    html: [
      `<section id="${esc(id)}" aria-labelledby="${esc(id)}-h">`,
      `<h2 id="${esc(id)}-h">${esc(title)}</h2>`,
      intro === '' ? '' : `<p class="intro">${intro}</p>`,
      content,
      '</section>',
    ].join(''),
  };
}

/** A chart with its caption (caption is HTML: escape any input text before). */
export function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${caption}</figcaption></figure>`;
}

/** A visible note in place of a chart that cannot be drawn (escaped here). */
export function note(text: string): string {
  return `<p class="note" role="note">${esc(text)}</p>`;
}

/** A coloured call-out: `ok` (green) or `alert` (red). `html` is trusted markup. */
export function callout(kind: 'ok' | 'alert', html: string): string {
  return `<p class="callout ${kind}">${html}</p>`;
}

const CSS = `
:root{--ink:#1d2430;--muted:#5b6675;--line:#e3e7ec;--bg:#f4f6f9;--card:#fff;--accent:#2f6fb0}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{background:#1d2b3f;color:#fff;padding:28px 32px 22px}
header .eyebrow{margin:0;font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:#9fb4cf}
header h1{margin:4px 0 6px;font-size:26px;font-weight:650}
header p.desc{margin:0;max-width:72ch;color:#d7e1ee}
nav{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:14px;font-size:13px}
nav a{color:#bcd3f0;text-decoration:none;border-bottom:1px dotted #6f8db3}
nav a:hover{color:#fff}
main{max-width:1180px;margin:0 auto;padding:20px 24px 48px}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:0 0 8px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.stat .v{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}
.stat .k{font-size:12px;color:var(--muted)}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 22px 8px;margin:18px 0}
section h2{margin:0 0 4px;font-size:18px}
section h3{margin:16px 0 4px;font-size:14px;color:var(--muted);font-weight:600}
p.intro{margin:0 0 10px;color:var(--muted);max-width:90ch}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:8px 22px}
figure{margin:6px 0 14px}
figure svg.chart{display:block;width:100%;height:auto;max-width:100%}
figcaption{font-size:12.5px;color:var(--muted);margin-top:2px}
svg.chart text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg.chart path.series:hover{stroke-width:3.5}
svg.chart path.event:hover,svg.chart g.cell:hover path{stroke:#1d2430;stroke-width:1.5}
p.note{background:#fbf7ea;border-left:3px solid #d9b44a;padding:8px 12px;color:#6b5a1e;margin:8px 0 14px}
p.callout{padding:8px 12px;border-radius:6px;margin:8px 0 14px}
p.callout.ok{background:#eaf6ee;color:#1f5f34;border-left:3px solid #3a9a56}
p.callout.alert{background:#fbeaea;color:#7a1d1b;border-left:3px solid #c8403d}
table{border-collapse:collapse;width:100%;max-width:760px;margin:4px 0 14px;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:5px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;background:#f8f9fb}
td.num,th.num{text-align:right}
table.summary{max-width:620px}table.summary td{text-align:right}table.summary th[scope=row]{background:none;font-weight:500;color:var(--ink)}
td code{font-size:12.5px}
table.headline{max-width:none}table.headline td{white-space:nowrap}
details{margin:4px 0 14px}details summary{cursor:pointer;color:var(--accent)}
.yes{color:#1f7a3e;font-weight:600}.no{color:#b0302d;font-weight:600}
footer{max-width:1180px;margin:0 auto;padding:0 24px 32px;color:var(--muted);font-size:12px}
@media print{body{background:#fff}section{break-inside:avoid;border:none}}
`;

export interface Page {
  title: string;
  eyebrow: string;
  descriptionHtml: string;
  headerExtraHtml: string;
  sections: readonly Section[];
  footerHtml: string;
}

/** The whole document: inline CSS, no scripts, no external resources. */
export function page(p: Page): string {
  const nav = p.sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(p.title)}</title>`,
    `<style>${CSS.trim()}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<p class="eyebrow">${esc(p.eyebrow)}</p>`,
    `<h1>${esc(p.title)}</h1>`,
    p.descriptionHtml,
    `<nav aria-label="Sections">${nav}</nav>`,
    '</header>',
    '<main>',
    p.headerExtraHtml,
    ...p.sections.map((s) => s.html),
    '</main>',
    `<footer>${p.footerHtml}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
