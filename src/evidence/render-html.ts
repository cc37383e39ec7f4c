import type { OffboardingProof } from "../model/offboarding.js";
import type { AccessChange, PersonChange, PlanDocument } from "../model/plan.js";
import { PROOF_VERDICT, proofView } from "./offboarding-render.js";
import {
  RISK_LABEL,
  SEVERITY_ORDER,
  summaryFields,
  VERDICT,
  accountStepText,
  adoptionChangesText,
  becauseSegments,
  changeLabel,
  findingPlace,
  gitText,
  groupPeople,
  heldRoleSegments,
  type PeopleGroup,
  isEmptyPlan,
  itemSegments,
  orphanActionText,
  personAnchor,
  ranByText,
  stateText,
  stepCountsText,
} from "./render-shared.js";
import { esc, htmlDocument, section, segments, table } from "./render-html-kit.js";

/** Identities per page of detail: a plan with more splits the detail into pages beside plan.html. */
export const PEOPLE_PER_PAGE = 1000;
/** Engine steps per page of the appendix, likewise. */
export const STEPS_PER_PAGE = 2000;
/** Rows of risks or findings on the main page; plan.json holds every one. */
export const ROW_LIMIT = 1000;
/** Identities named in one cell of the group-changes table. */
const IDS_PER_CELL = 50;
/** The folder, inside the bundle, of the pages a large plan is split into. */
export const PAGES_DIR = "plan-pages";

interface PersonPage {
  name: string;
  group: PeopleGroup;
  from: number;
  people: PersonChange[];
}

interface StepPage {
  name: string;
  from: number;
  steps: PlanDocument["steps"];
}

/** Which identity and which step is on which page, shared by plan.html and its pages. */
interface Layout {
  groups: PeopleGroup[];
  /** Empty when every identity is on plan.html itself. */
  personPages: PersonPage[];
  /** Empty when every step is on plan.html itself. */
  stepPages: StepPage[];
  /** The link to an identity's section from plan.html, if the plan has one. */
  href: Map<string, string>;
}

function layout(plan: PlanDocument): Layout {
  const groups = groupPeople(plan.people);
  const paged = plan.people.length > PEOPLE_PER_PAGE;
  const personPages: PersonPage[] = [];
  const href = new Map<string, string>();
  for (const group of groups) {
    if (!paged) {
      for (const p of group.people) href.set(p.id, `#${personAnchor(p.id)}`);
      continue;
    }
    for (let from = 0; from < group.people.length; from += PEOPLE_PER_PAGE) {
      const page = { name: `${PAGES_DIR}/${group.slug}-${from / PEOPLE_PER_PAGE + 1}.html`, group, from, people: group.people.slice(from, from + PEOPLE_PER_PAGE) };
      personPages.push(page);
      for (const p of page.people) href.set(p.id, `${page.name}#${personAnchor(p.id)}`);
    }
  }
  const stepPages: StepPage[] = [];
  if (plan.steps.length > STEPS_PER_PAGE) {
    for (let from = 0; from < plan.steps.length; from += STEPS_PER_PAGE) {
      stepPages.push({ name: `${PAGES_DIR}/steps-${from / STEPS_PER_PAGE + 1}.html`, from, steps: plan.steps.slice(from, from + STEPS_PER_PAGE) });
    }
  }
  return { groups, personPages, stepPages, href };
}

/**
 * plan.html: the plan as one self-contained page an auditor can read, link to and print. No
 * external asset and no script needed to read it: collapsed parts are <details>, and a
 * tiny inline script only opens them all before printing (browsers print closed <details>
 * closed); the print stylesheet also shows their content where the browser allows it.
 * Summary, guardrails and risks come first. A plan of more than PEOPLE_PER_PAGE identities
 * keeps its per-person detail (and a long appendix its engine steps) on pages beside it,
 * written by `htmlPages`, so that every page stays readable at 100,000 people.
 * Every value is HTML-escaped. Deterministic: the same plan gives the same bytes.
 */
export function renderHtml(plan: PlanDocument, proof?: OffboardingProof): string {
  const m = plan.manifest;
  const l = layout(plan);
  return htmlDocument(`Access plan · stack ${m.stack} · as of ${m.asOf}`, m.versions.rolecall, [
    header(plan),
    toc(plan, l),
    `<main>`,
    summary(plan),
    guardrails(plan),
    ...(proof ? [proofSection(proof)] : []),
    risks(plan),
    brownfield(plan),
    people(plan, l),
    groupChanges(plan, l),
    findings(plan),
    appendix(plan, l),
    `</main>`,
    footer(plan),
  ]);
}

/** The pages beside plan.html, as [path inside the bundle, content], one at a time: none for a plan that fits one page. */
export function* htmlPages(plan: PlanDocument): Generator<[string, string]> {
  const m = plan.manifest;
  const l = layout(plan);
  const back = `<p class="eyebrow"><a href="../plan.html">← plan.html</a> · access plan for stack <code>${esc(m.stack)}</code>, as of ${esc(m.asOf)} · digest <code class="digest">${esc(plan.digest)}</code></p>`;
  const pageOf = (title: string, body: string[]) =>
    htmlDocument(`${title} · access plan · stack ${m.stack} · as of ${m.asOf}`, m.versions.rolecall, [`<header>`, back, `<h1>${esc(title)}</h1>`, `</header>`, `<main>`, ...body, `</main>`, footer(plan)]);
  for (const page of l.personPages) {
    const title = `${page.group.title} ${page.from + 1}–${page.from + page.people.length} of ${page.group.people.length}`;
    yield [
      page.name,
      pageOf(title, [
        `<section class="kind" id="${page.group.slug}" aria-labelledby="${page.group.slug}-title">`,
        `<h2 id="${page.group.slug}-title">${esc(title)}</h2>`,
        ...page.people.map(person),
        `</section>`,
      ]),
    ];
  }
  for (const page of l.stepPages) {
    yield [page.name, pageOf(`Engine steps ${page.from + 1}–${page.from + page.steps.length} of ${plan.steps.length}`, [stepsTable(page.steps, page.from)])];
  }
}

function footer(plan: PlanDocument): string {
  return `<footer><p>Plan digest <code>${esc(plan.digest)}</code> · written by rolecall ${esc(plan.manifest.versions.rolecall)}</p></footer>`;
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

function toc(plan: PlanDocument, l: Layout): string {
  const paged = l.personPages.length > 0;
  const items = [
    `<li><a href="#summary">Summary</a></li>`,
    `<li><a href="#guardrails">Guardrails</a></li>`,
    `<li><a href="#risks">Risks (${plan.risks.length})</a></li>`,
    `<li><a href="#people">People (${plan.people.length})</a>`,
    l.groups.length === 0
      ? ""
      : `<ul>\n${l.groups
          .map((g) => {
            // Paged, the section lists its pages; inline, every identity is a link here.
            const ids = paged ? "" : `<ul class="ids">${g.people.map((p) => `<li><a href="#${esc(personAnchor(p.id))}">${esc(p.id)}</a> ${esc(p.displayName)}</li>`).join("")}</ul>`;
            return `<li><a href="#${g.slug}">${esc(g.title)} (${g.people.length})</a>${ids}</li>`;
          })
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
  const cards = summaryFields(plan).map(
    (f) => `<li class="card${(s[f.key] ?? 0) > 0 ? " nonzero" : ""}" data-summary="${f.key}"><span class="n">${s[f.key] ?? 0}</span> <span class="label">${esc(f.label)}</span></li>`,
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

/** After an apply: the offboarding proof, read back live (src/evidence/offboarding-proof.ts). */
function proofSection(proof: OffboardingProof): string {
  const view = proofView(proof);
  const rows = view.rows.map((r) => [`<span class="verdict ${r.verdict === "proven" ? "pass" : r.verdict === "failed" ? "fail" : "overridden"}"><span aria-hidden="true">${PROOF_VERDICT[r.verdict].symbol}</span> ${esc(PROOF_VERDICT[r.verdict].label)}</span>`, ...r.cells.slice(1).map(segments)]);
  const more = view.omitted > 0 ? `<p>… and ${view.omitted} more rows: see <code>offboarding.json</code> in the evidence bundle.</p>` : "";
  return section("offboarding", "Offboarding proof", [`<p>${segments(view.headline)}</p>`, rows.length > 0 ? table(view.headers, rows, "proof") : "", more]);
}

function risks(plan: PlanDocument): string {
  const body =
    plan.risks.length === 0
      ? `<p>No risk flagged.</p>`
      : table(
          ["Risk", "Subject", "Detail"],
          plan.risks.slice(0, ROW_LIMIT).map((r) => [esc(RISK_LABEL[r.code]), `<code>${esc(r.subject)}</code>`, esc(r.message)]),
          "risks",
        );
  return section("risks", `Risks (${plan.risks.length})`, [body, moreRows(plan.risks.length, "risks", "and on each identity's section")]);
}

/** Existing accounts and groups the run adopts (with what adoption changes on each), and the orphans found live. */
function brownfield(plan: PlanDocument): string {
  const adoptions = plan.adoptions ?? [];
  const orphans = plan.orphans ?? [];
  if (adoptions.length === 0 && orphans.length === 0) return "";
  const parts: string[] = [];
  if (adoptions.length > 0) {
    parts.push(
      table(
        ["Target", "Existing", "Becomes", "Because", "Adoption changes", "Step"],
        adoptions.slice(0, ROW_LIMIT).map((a) => [esc(a.target), `${esc(a.kind)} <code>${esc(a.name)}</code> (id <code>${esc(a.id)}</code>)`, `<code>${esc(a.key)}</code>`, esc(a.because), esc(adoptionChangesText(a)), esc(a.importId ? `import ${a.importId}` : a.op)]),
        "adoptions",
        "Adopted instead of created",
      ),
      moreRows(adoptions.length, "adoptions"),
    );
  }
  if (orphans.length > 0) {
    parts.push(
      table(
        ["Target", "Account", "What policy does", "Why"],
        orphans.slice(0, ROW_LIMIT).map((o) => [esc(o.target), `<code>${esc(o.userName)}</code> (id <code>${esc(o.id)}</code>)`, esc(orphanActionText(o)), esc(o.because)]),
        "orphans",
        "Accounts nobody owns",
      ),
      moreRows(orphans.length, "orphans"),
    );
  }
  return section("brownfield", `Adoptions (${adoptions.length}) and orphans (${orphans.length})`, parts);
}

/** The note under a list cut at ROW_LIMIT rows. */
function moreRows(total: number, what: string, where = ""): string {
  return total > ROW_LIMIT ? `<p class="warn">The first ${ROW_LIMIT} of ${total} ${what} are shown; plan.json holds every one${where ? ` ${where}` : ""}.</p>` : "";
}

function people(plan: PlanDocument, l: Layout): string {
  if (l.groups.length === 0) return section("people", "People", [`<p>No identity changes.</p>`]);
  if (l.personPages.length === 0) {
    const parts = l.groups.map((g) =>
      [`<section class="kind" id="${g.slug}" aria-labelledby="${g.slug}-title">`, `<h3 id="${g.slug}-title">${esc(g.title)} (${g.people.length})</h3>`, ...g.people.map(person), `</section>`].join("\n"),
    );
    return section("people", "People", parts);
  }
  const parts = l.groups.map((g) => {
    const pages = l.personPages.filter((p) => p.group === g);
    const links = pages.map((p) => `<li><a href="${esc(p.name)}">${esc(g.title)} ${p.from + 1}–${p.from + p.people.length}</a>: <code>${esc(p.people[0]!.id)}</code> … <code>${esc(p.people.at(-1)!.id)}</code></li>`);
    return [`<section class="kind" id="${g.slug}" aria-labelledby="${g.slug}-title">`, `<h3 id="${g.slug}-title">${esc(g.title)} (${g.people.length})</h3>`, `<ul class="pages">`, ...links, `</ul>`, `</section>`].join("\n");
  });
  return section("people", `People (${plan.people.length})`, [`<p>Each identity's detail is on pages of ${PEOPLE_PER_PAGE}, in the bundle's <code>${PAGES_DIR}/</code> folder, by change kind and worker ID.</p>`, ...parts]);
}

export function person(p: PersonChange): string {
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

function groupChanges(plan: PlanDocument, l: Layout): string {
  if (plan.groups.length === 0) return section("groups", "Groups and roles changed", [`<p>No group or role changes.</p>`]);
  const ids = (list: string[]) => {
    const shown = list.slice(0, IDS_PER_CELL).map((id) => (l.href.has(id) ? `<a href="${esc(l.href.get(id)!)}">${esc(id)}</a>` : esc(id)));
    if (list.length > shown.length) shown.push(`and ${list.length - shown.length} more (plan.json lists them all)`);
    return shown.join(", ");
  };
  return section("groups", `Groups and roles changed (${plan.groups.length})`, [
    table(
      ["Target", "Item", "Operation", "Added", "Removed"],
      plan.groups.map((g) => [esc(g.target), `<code>${esc(g.key)}</code>`, esc(g.op), ids(g.added), ids(g.removed)]),
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
      sorted.slice(0, ROW_LIMIT).map((f) => [`<span class="sev ${f.severity}">${f.severity}</span>`, `<code>${esc(f.code)}</code>`, esc(f.message), esc(findingPlace(f)), esc(f.hint ?? "")]),
      "findings",
    ),
    moreRows(plan.findings.length, "findings"),
  ]);
}

function appendix(plan: PlanDocument, l: Layout): string {
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
  const steps =
    l.stepPages.length === 0
      ? stepsTable(plan.steps, 0)
      : [`<ul class="pages">`, ...l.stepPages.map((p) => `<li><a href="${esc(p.name)}">Engine steps ${p.from + 1}–${p.from + p.steps.length}</a></li>`), `</ul>`].join("\n");
  return [
    `<section id="appendix" aria-labelledby="appendix-title">`,
    `<h2 id="appendix-title">Appendix</h2>`,
    `<h3 id="manifest">Manifest</h3>`,
    `<dl class="meta">${meta.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("")}</dl>`,
    `<details id="inputs"><summary>Input files and their sha256 (${m.inputs.length})</summary>`,
    inputs,
    `</details>`,
    // Steps every resource gets (same, refresh) are counted, not listed: plan.json keeps the others.
    `<details id="steps"><summary>Engine steps (${plan.steps.length}: ${esc(stepCountsText(plan.summary.steps))})</summary>`,
    steps,
    `</details>`,
    `</section>`,
  ].join("\n");
}

function stepsTable(steps: PlanDocument["steps"], from: number): string {
  return table(
    ["#", "Operation", "Target", "Type", "Name", "Changed", "URN"],
    steps.map((s, i) => [String(from + i + 1), esc(s.op), esc(s.target), `<code>${esc(s.type)}</code>`, esc(s.name), esc(s.diffs.join(", ")), `<code class="urn">${esc(s.urn)}</code>`]),
    "steps",
  );
}
