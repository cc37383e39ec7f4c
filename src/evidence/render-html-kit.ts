import type { Segment } from "./render-shared.js";

/*
 * The pieces every page of plan.html is made of: escaping, sections, tables, and the one
 * stylesheet and print script each page carries so that it stands alone.
 */

export function section(id: string, title: string, parts: string[]): string {
  return [`<section id="${id}" aria-labelledby="${id}-title">`, `<h2 id="${id}-title">${esc(title)}</h2>`, ...parts.filter((p) => p !== ""), `</section>`].join("\n");
}

/** A table with column headers (`scope="col"`), an optional caption; cells are already-escaped HTML. */
export function table(headers: string[], rows: string[][], cls: string, caption?: string): string {
  return [
    `<table class="${cls}">`,
    caption ? `<caption>${esc(caption)}</caption>` : "",
    `<thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>`,
    ...rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`),
    `</tbody>`,
    `</table>`,
  ]
    .filter((l) => l !== "")
    .join("\n");
}

export function segments(parts: Segment[]): string {
  return parts.map((p) => (typeof p === "string" ? esc(p) : `<code>${esc(p.code)}</code>`)).join("");
}

/** HTML-escapes text for element content and quoted attribute values. */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Opens every <details> before printing (browsers print them closed) and restores them after. */
export const PRINT_SCRIPT = `(function(){var opened=[];addEventListener("beforeprint",function(){document.querySelectorAll("details:not([open])").forEach(function(d){d.open=true;opened.push(d);});});addEventListener("afterprint",function(){opened.forEach(function(d){d.open=false;});opened=[];});})();`;

export const CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg-soft:#f6f8fa;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1.5rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:#fff}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.3rem;margin:2rem 0 .6rem;padding-bottom:.2rem;border-bottom:1px solid var(--line)}h3{font-size:1.1rem;margin:1.4rem 0 .5rem}h4{font-size:1rem;margin:0 0 .4rem}
code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg-soft);padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}
a{color:var(--accent)}
.eyebrow{color:var(--muted);text-transform:uppercase;letter-spacing:.06em;font-size:.75rem;margin:0}
dl.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.4rem 1.2rem;margin:0}
dl.meta div,dl.facts div{margin:0}dt{font-weight:600;color:var(--muted);font-size:.8rem}dd{margin:0;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.3rem 1rem;margin:0 0 .5rem}
.digest,.urn{font-size:.8em}
nav.toc{border:1px solid var(--line);border-radius:6px;padding:.3rem 1rem;margin:1rem 0;background:var(--bg-soft)}
nav.toc h2{border:0;margin:.5rem 0 .2rem;font-size:1rem}nav.toc ul{margin:.2rem 0;padding-left:1.2rem}
nav.toc ul.ids{display:flex;flex-wrap:wrap;gap:.1rem 1rem;list-style:none;padding-left:.5rem;font-size:.9em}
ul.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(7.5rem,1fr));gap:.6rem;list-style:none;padding:0;margin:0 0 .6rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem;background:#fff}
.card .n{display:block;font-size:1.7rem;font-weight:700;line-height:1.2;color:var(--muted)}.card.nonzero .n{color:var(--fg)}
.card .label{color:var(--muted);font-size:.85rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--bg-soft);overflow-wrap:normal}
td ul{margin:0;padding-left:1.1rem}
.verdict.pass{color:var(--ok)}.verdict.fail{color:var(--bad);font-weight:700}.verdict.overridden,.warn{color:var(--warn);font-weight:600}
.sev.error{color:var(--bad);font-weight:700}.sev.warning{color:var(--warn)}.sev.info{color:var(--muted)}
.ok{color:var(--ok)}
article.person{border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:6px;padding:.7rem 1rem .2rem;margin:.8rem 0}
.badge{display:inline-block;padding:0 .45em;border-radius:1em;border:1px solid currentColor;font-size:.8rem}
.badge.joiner{color:var(--ok)}.badge.leaver{color:var(--bad)}.badge.mover{color:var(--accent)}.badge.disabled,.badge.enabled,.badge.updated{color:var(--warn)}
ul.person-risks{list-style:none;padding:0;margin:.2rem 0 .5rem;color:var(--warn);font-weight:600}
details{border:1px solid var(--line);border-radius:6px;padding:.3rem .8rem;margin:.6rem 0}
summary{cursor:pointer;font-weight:600}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
@media print{
@page{margin:14mm}
body{max-width:none;padding:0;font-size:10.5pt}
nav.toc ul.ids{display:none}
a{color:inherit;text-decoration:none}
details{border:0;padding:0}
details>summary{list-style:none}
details::details-content{content-visibility:visible;display:contents}
article.person,tr,.card{break-inside:avoid}
h2,h3,h4{break-after:avoid}
thead{display:table-header-group}
}
`
  .trim()
  .replace(/\n/g, "");

/** A whole self-contained page: the stylesheet and print script inline, nothing loaded from anywhere. */
export function htmlDocument(title: string, generator: string, body: readonly string[]): string {
  return [
    "<!doctype html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="generator" content="rolecall ${esc(generator)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    `<script>${PRINT_SCRIPT}</script>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
