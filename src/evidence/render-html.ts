import type { AccessChange, PersonChange, PlanDocument } from "../model/plan.js";
import {
  RISK_LABEL,
  SEVERITY_ORDER,
  SUMMARY_FIELDS,
  VERDICT,
  accountStepText,
  becauseSegments,
  changeLabel,
  findingPlace,
  gitText,
  groupPeople,
  heldRoleSegments,
  isEmptyPlan,
  itemSegments,
  personAnchor,
  ranByText,
  stateText,
  stepCountsText,
  type Segment,
} from "./render-shared.js";

/**
 * plan.html: the plan as one self-contained page an auditor can read, link to and print. No
 * external asset and no script needed to read it: collapsed parts are <details>, and a
 * tiny inline script only opens them all before printing (browsers print closed <details>
 * closed); the print stylesheet also shows their content where the browser allows it.
 * Every value is HTML-escaped. Deterministic: the same plan gives the same bytes.
 */
export function renderHtml(plan: PlanDocument): string {
  const m = plan.manifest;
  const title = `Access plan · stack ${m.stack} · as of ${m.asOf}`;
  const groups = groupPeople(plan.people);
  return [
    "<!doctype html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="generator" content="rolecall ${esc(m.versions.rolecall)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    `<script>${PRINT_SCRIPT}</script>`,
    "</head>",
    "<body>",
    header(plan),
    toc(plan, groups),
    `<main>`,
    summary(plan),
    guardrails(plan),
    risks(plan),
    people(groups),
    groupChanges(plan),
    findings(plan),
    appendix(plan),
    `</main>`,
    `<footer><p>Plan digest <code>${esc(plan.digest)}</code> · written by rolecall ${esc(m.versions.rolecall)}</p></footer>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function header(plan: PlanDocument): string {
  const m = plan.manifest;
  const rows: [string, string][] = [
    ["Stack", `<code>${esc(m.stack)}</code>`],
    ["As of", esc(m.asOf)],
    ["Created at", `<time datetime="${esc(m.createdAt)}">${esc(m.createdAt)}</time>`],
    ["Run by", esc(ranByText(m.ranBy))],
    ["Git commit", `<code>${esc(gitText(m.git))}</code>`],
    ["Desired state", `<code>${esc(m.desiredState)}</code> (${m.inputs.length} ${m.inputs.length === 1 ? "file" : "files"} hashed)`],
    ["Plan digest", `<code class="digest">${esc(plan.digest)}</code>`],
  ];
  if (m.fastPath) rows.push(["Run", "<strong>leaver fast path</strong> (rolecall offboard): only revocations; every other change waits for the next full run"]);
  if (m.override !== undefined) rows.push(["Override", `<strong class="warn">--allow-mass-deprovision</strong>: ${esc(m.override)}`]);
  return [
    `<header>`,
    `<p class="eyebrow">rolecall · access plan evidence</p>`,
    `<h1>Access plan for stack <code>${esc(m.stack)}</code>, as of ${esc(m.asOf)}</h1>`,
    `<dl class="meta">`,
    ...rows.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`),
    `</dl>`,
    `</header>`,
  ].join("\n");
}

function toc(plan: PlanDocument, groups: ReturnType<typeof groupPeople>): string {
  const items = [
    `<li><a href="#summary">Summary</a></li>`,
    `<li><a href="#guardrails">Guardrails</a></li>`,
    `<li><a href="#risks">Risks (${plan.risks.length})</a></li>`,
    `<li><a href="#people">People (${plan.people.length})</a>`,
    groups.length === 0
      ? ""
      : `<ul>\n${groups
          .map(
            (g) =>
              `<li><a href="#${g.slug}">${esc(g.title)} (${g.people.length})</a><ul class="ids">${g.people
                .map((p) => `<li><a href="#${esc(personAnchor(p.id))}">${esc(p.id)}</a> ${esc(p.displayName)}</li>`)
                .join("")}</ul></li>`,
          )
          .join("\n")}\n</ul>`,
    `</li>`,
    `<li><a href="#groups">Groups and roles changed (${plan.groups.length})</a></li>`,
    `<li><a href="#findings">Findings (${plan.findings.length})</a></li>`,
    `<li><a href="#appendix">Appendix: inputs and engine steps</a></li>`,
  ];
  return [`<nav class="toc" aria-labelledby="toc-title">`, `<h2 id="toc-title">Contents</h2>`, `<ul>`, ...items.filter((i) => i !== ""), `</ul>`, `</nav>`].join("\n");
}

function summary(plan: PlanDocument): string {
  const s = plan.summary;
  const cards = SUMMARY_FIELDS.map(
    (f) => `<li class="card${s[f.key] > 0 ? " nonzero" : ""}" data-summary="${f.key}"><span class="n">${s[f.key]}</span> <span class="label">${esc(f.label)}</span></li>`,
  );
  const notes = [];
  if (s.updated > 0) notes.push(`${s.updated} other account ${s.updated === 1 ? "update" : "updates"}.`);
  notes.push(`Engine steps: ${esc(stepCountsText(s.steps))}.`);
  return [
    `<section id="summary" aria-labelledby="summary-title">`,
    `<h2 id="summary-title">Summary</h2>`,
    `<ul class="cards">`,
    ...cards,
    `</ul>`,
    `<p>${notes.join(" ")}</p>`,
    isEmptyPlan(plan) ? `<p class="ok"><strong>No changes:</strong> the targets match the desired state.</p>` : "",
    `</section>`,
  ]
    .filter((l) => l !== "")
    .join("\n");
}

function guardrails(plan: PlanDocument): string {
  const body =
    plan.guardrails.length === 0
      ? `<p>No guardrail was checked.</p>`
      : table(
          ["Verdict", "Guardrail", "Limit", "Actual", "Detail"],
          plan.guardrails.map((g) => {
            const v = VERDICT[g.verdict];
            return [`<span class="verdict ${g.verdict}"><span aria-hidden="true">${v.symbol}</span> ${v.label}</span>`, `<code>${esc(g.name)}</code>`, esc(g.limit), esc(g.actual), esc(g.message)];
          }),
          "guardrails",
        );
  const override = plan.manifest.override !== undefined ? `<p class="warn">Overridden with <code>--allow-mass-deprovision</code>: ${esc(plan.manifest.override)}</p>` : "";
  return section("guardrails", "Guardrails", [body, override]);
}

function risks(plan: PlanDocument): string {
  const body =
    plan.risks.length === 0
      ? `<p>No risk flagged.</p>`
      : table(
          ["Risk", "Subject", "Detail"],
          plan.risks.map((r) => [esc(RISK_LABEL[r.code]), `<code>${esc(r.subject)}</code>`, esc(r.message)]),
          "risks",
        );
  return section("risks", `Risks (${plan.risks.length})`, [body]);
}

function people(groups: ReturnType<typeof groupPeople>): string {
  if (groups.length === 0) return section("people", "People", [`<p>No identity changes.</p>`]);
  const parts = groups.map((g) =>
    [`<section class="kind" id="${g.slug}" aria-labelledby="${g.slug}-title">`, `<h3 id="${g.slug}-title">${esc(g.title)} (${g.people.length})</h3>`, ...g.people.map(person), `</section>`].join("\n"),
  );
  return section("people", "People", parts);
}

function person(p: PersonChange): string {
  const anchor = personAnchor(p.id);
  const facts: [string, string][] = [
    ["Change", `<span class="badge ${esc(p.change)}">${esc(changeLabel(p))}</span>`],
    ["State", esc(stateText(p))],
  ];
  if (p.email) facts.push(["Email", esc(p.email)]);
  facts.push(["Account", p.account.length === 0 ? "no account change" : p.account.map((a) => `${esc(a.target)}: ${esc(accountStepText(a))}`).join("; ")]);
  const parts = [
    `<article class="person" id="${esc(anchor)}" aria-labelledby="${esc(anchor)}-title">`,
    `<h4 id="${esc(anchor)}-title"><code>${esc(p.id)}</code> ${esc(p.displayName)}</h4>`,
    `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("")}</dl>`,
  ];
  if (p.risks.length > 0) parts.push(`<ul class="person-risks">${p.risks.map((r) => `<li><span aria-hidden="true">⚠</span> ${esc(r)}</li>`).join("")}</ul>`);
  if (p.gains.length > 0) parts.push(accessTable("Gains", p.gains, "Because"));
  if (p.losses.length > 0) parts.push(accessTable("Loses", p.losses, "Why"));
  parts.push(`</article>`);
  return parts.join("\n");
}

function accessTable(caption: string, changes: AccessChange[], why: string): string {
  const rows = changes.map((c) => {
    const reason =
      c.because.length === 0
        ? segments(becauseSegments(c))
        : c.because.length === 1
          ? segments(heldRoleSegments(c.because[0]!))
          : `<ul>${c.because.map((h) => `<li>${segments(heldRoleSegments(h))}</li>`).join("")}</ul>`;
    return [segments(itemSegments(c)), reason];
  });
  return table(["Access", why], rows, caption === "Gains" ? "gains" : "losses", `${caption} (${changes.length})`);
}

function groupChanges(plan: PlanDocument): string {
  if (plan.groups.length === 0) return section("groups", "Groups and roles changed", [`<p>No group or role changes.</p>`]);
  const ids = (list: string[], known: Set<string>) =>
    list.length === 0 ? "" : list.map((id) => (known.has(id) ? `<a href="#${esc(personAnchor(id))}">${esc(id)}</a>` : esc(id))).join(", ");
  const known = new Set(plan.people.map((p) => p.id));
  return section("groups", `Groups and roles changed (${plan.groups.length})`, [
    table(
      ["Target", "Item", "Operation", "Added", "Removed"],
      plan.groups.map((g) => [esc(g.target), `<code>${esc(g.key)}</code>`, esc(g.op), ids(g.added, known), ids(g.removed, known)]),
      "groups",
    ),
  ]);
}

function findings(plan: PlanDocument): string {
  if (plan.findings.length === 0) return section("findings", "Findings", [`<p>No findings.</p>`]);
  const sorted = SEVERITY_ORDER.flatMap((sev) => plan.findings.filter((f) => f.severity === sev));
  return section("findings", `Findings (${plan.findings.length})`, [
    table(
      ["Severity", "Code", "Message", "Where", "How to fix"],
      sorted.map((f) => [`<span class="sev ${f.severity}">${f.severity}</span>`, `<code>${esc(f.code)}</code>`, esc(f.message), esc(findingPlace(f)), esc(f.hint ?? "")]),
      "findings",
    ),
  ]);
}

function appendix(plan: PlanDocument): string {
  const m = plan.manifest;
  const meta: [string, string][] = [
    ["rolecall", esc(m.versions.rolecall)],
    ["Pulumi", esc(m.versions.pulumi)],
    ["Node.js", esc(m.versions.node)],
    ["Run by", esc(ranByText(m.ranBy))],
    ["Git commit", `<code>${esc(gitText(m.git))}</code>`],
    ["Desired state", `<code>${esc(m.desiredState)}</code>`],
  ];
  const inputs = table(
    ["Input file", "sha256"],
    m.inputs.map((i) => [`<code>${esc(i.path)}</code>`, `<code class="digest">${esc(i.sha256)}</code>`]),
    "inputs",
  );
  const steps = table(
    ["#", "Operation", "Target", "Type", "Name", "Changed", "URN"],
    plan.steps.map((s, i) => [String(i + 1), esc(s.op), esc(s.target), `<code>${esc(s.type)}</code>`, esc(s.name), esc(s.diffs.join(", ")), `<code class="urn">${esc(s.urn)}</code>`]),
    "steps",
  );
  return [
    `<section id="appendix" aria-labelledby="appendix-title">`,
    `<h2 id="appendix-title">Appendix</h2>`,
    `<h3 id="manifest">Manifest</h3>`,
    `<dl class="meta">${meta.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("")}</dl>`,
    `<details id="inputs"><summary>Input files and their sha256 (${m.inputs.length})</summary>`,
    inputs,
    `</details>`,
    `<details id="steps"><summary>Engine steps (${plan.steps.length}: ${esc(stepCountsText(plan.summary.steps))})</summary>`,
    steps,
    `</details>`,
    `</section>`,
  ].join("\n");
}

function section(id: string, title: string, parts: string[]): string {
  return [`<section id="${id}" aria-labelledby="${id}-title">`, `<h2 id="${id}-title">${esc(title)}</h2>`, ...parts.filter((p) => p !== ""), `</section>`].join("\n");
}

/** A table with column headers (`scope="col"`), an optional caption; cells are already-escaped HTML. */
function table(headers: string[], rows: string[][], cls: string, caption?: string): string {
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

function segments(parts: Segment[]): string {
  return parts.map((p) => (typeof p === "string" ? esc(p) : `<code>${esc(p.code)}</code>`)).join("");
}

/** HTML-escapes text for element content and quoted attribute values. */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Opens every <details> before printing (browsers print them closed) and restores them after. */
const PRINT_SCRIPT = `(function(){var opened=[];addEventListener("beforeprint",function(){document.querySelectorAll("details:not([open])").forEach(function(d){d.open=true;opened.push(d);});});addEventListener("afterprint",function(){opened.forEach(function(d){d.open=false;});opened=[];});})();`;

const CSS = `
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
