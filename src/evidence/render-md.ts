import type { OffboardingProof } from "../model/offboarding.js";
import type { PersonChange, PlanDocument } from "../model/plan.js";
import { PROOF_VERDICT, proofView } from "./offboarding-render.js";
import {
  SEVERITY_ORDER,
  summaryFields,
  RISK_LABEL,
  VERDICT,
  accountStepText,
  adoptionChangesText,
  adoptionText,
  orphanActionText,
  becauseSegments,
  changeLabel,
  stateText,
  findingPlace,
  gitText,
  groupPeople,
  isEmptyPlan,
  itemSegments,
  ranByText,
  stepCountsText,
  type Segment,
} from "./render-shared.js";

/** GitHub refuses an issue or PR comment longer than 65,536 characters; stay clear of it. */
export const MARKDOWN_LIMIT = 65_000;

/**
 * plan.md: the plan as a pull-request comment. Summary first, guardrails and risks, then each
 * identity's detail collapsed by change kind, findings, and a footer that ties the comment to
 * its evidence bundle (digest, inputs, commit, versions). Everything from the inputs is
 * escaped. When the whole would not fit a comment, the per-person detail (then, if need be,
 * the longest lists) is cut with a note pointing to plan.html and plan.json. Deterministic:
 * the same plan gives the same bytes.
 */
export function renderMarkdown(plan: PlanDocument, proof?: OffboardingProof): string {
  const m = plan.manifest;
  const head = [
    `## rolecall plan · stack ${code(m.stack)} · as of ${text(m.asOf)}`,
    "",
    ...(m.fastPath ? ["**Leaver fast path** (`rolecall offboard`): only revocations; every other change waits for the next full run.", ""] : []),
    ...summary(plan),
    "",
    ...guardrails(plan),
    ...(proof ? ["", ...proofSection(proof)] : []),
  ].join("\n");
  const footer = footerLines(plan).join("\n");

  const available = MARKDOWN_LIMIT - head.length - footer.length - 16;
  // Risks, groups and findings get a share each; the people take the rest (and whatever those leave).
  const risks = fitSection(riskBlocks(plan), Math.floor(available * 0.15));
  const groups = fitSection(groupBlocks(plan), Math.floor(available * 0.1));
  const findings = fitSection(findingBlocks(plan), Math.floor(available * 0.15));
  const brownfield = fitSection(brownfieldBlocks(plan), Math.floor(available * 0.1));
  const people = peopleSection(plan, available - risks.length - groups.length - findings.length - brownfield.length);

  return [head, risks, brownfield, people, groups, findings, footer].filter((s) => s.length > 0).join("\n\n") + "\n";
}

function summary(plan: PlanDocument): string[] {
  const s = plan.summary;
  const lines = [
    `| ${summaryFields(plan).map((f) => f.label).join(" | ")} |`,
    `|${summaryFields(plan).map(() => "---:").join("|")}|`,
    `| ${summaryFields(plan).map((f) => String(s[f.key] ?? 0)).join(" | ")} |`,
    "",
  ];
  const notes = [];
  if (s.updated > 0) notes.push(`${s.updated} other account ${s.updated === 1 ? "update" : "updates"}`);
  notes.push(`engine steps: ${text(stepCountsText(s.steps))}`);
  lines.push(capitalise(notes.join(" · ")) + ".");
  if (isEmptyPlan(plan)) lines.push("", "**No changes:** the targets match the desired state.");
  return lines;
}

function guardrails(plan: PlanDocument): string[] {
  const lines = ["### Guardrails", ""];
  if (plan.guardrails.length === 0) lines.push("_No guardrail was checked._");
  else {
    lines.push("| Verdict | Guardrail | Limit | Actual | Detail |", "|---|---|---|---|---|");
    for (const g of plan.guardrails) {
      const v = VERDICT[g.verdict];
      lines.push(`| ${v.icon} ${v.label} | ${cell(g.name)} | ${cell(g.limit)} | ${cell(g.actual)} | ${cell(g.message)} |`);
    }
  }
  if (plan.manifest.override !== undefined) lines.push("", `⚠️ **Overridden** with \`--allow-mass-deprovision\`: ${text(plan.manifest.override)}`);
  return lines;
}

/** After an apply: the offboarding proof, read back live (src/evidence/offboarding-proof.ts). */
function proofSection(proof: OffboardingProof): string[] {
  const view = proofView(proof);
  const lines = ["### Offboarding proof", "", segments(view.headline)];
  if (view.rows.length === 0) return lines;
  lines.push("", `| ${view.headers.join(" | ")} |`, `|${view.headers.map(() => "---").join("|")}|`);
  for (const row of view.rows) lines.push(`| ${PROOF_VERDICT[row.verdict].icon} ${row.cells.map((c) => segments(c, true)).join(" | ")} |`);
  if (view.omitted > 0) lines.push("", `… and ${view.omitted} more rows: see offboarding.json in the evidence bundle.`);
  return lines;
}

function riskBlocks(plan: PlanDocument): Section {
  if (plan.risks.length === 0) return { head: "", items: [], more: () => "" };
  return {
    head: `### Risks (${plan.risks.length})\n`,
    items: plan.risks.map((r) => `- ⚠️ **${RISK_LABEL[r.code]}** · ${code(r.subject)}: ${text(r.message)}`),
    more: (n) => `- … and ${n} more ${n === 1 ? "risk" : "risks"}: see plan.json in the evidence bundle.`,
  };
}

/** Adoptions (what each changes on the existing account) and orphans (what policy does), one line each. */
function brownfieldBlocks(plan: PlanDocument): Section {
  const items = [
    ...(plan.adoptions ?? []).map((a) => `- ⇐ **adopt** ${text(adoptionText(a))} — adoption changes: ${text(adoptionChangesText(a))}`),
    ...(plan.orphans ?? []).map((o) => `- ❓ **orphan** ${text(o.target)} account **${text(o.userName)}** (id ${text(o.id)}): ${text(orphanActionText(o))} — ${text(o.because)}`),
  ];
  if (items.length === 0) return { head: "", items: [], more: () => "" };
  return {
    head: `### Adoptions and orphans (${plan.adoptions?.length ?? 0} adopted, ${plan.orphans?.length ?? 0} orphans)\n`,
    items,
    more: (n) => `- … and ${n} more: see plan.json in the evidence bundle.`,
  };
}

function groupBlocks(plan: PlanDocument): Section {
  if (plan.groups.length === 0) return { head: "", items: [], more: () => "" };
  const ids = (list: string[]) => {
    const shown = list.slice(0, 25).map((id) => code(id, true));
    if (list.length > shown.length) shown.push(`and ${list.length - shown.length} more`);
    return shown.join(" ");
  };
  return {
    head: `<details>\n<summary><b>Group and role changes (${plan.groups.length})</b></summary>\n\n| Target | Item | Op | Added | Removed |\n|---|---|---|---|---|`,
    items: plan.groups.map((g) => `| ${cell(g.target)} | ${code(g.key, true)} | ${cell(g.op)} | ${ids(g.added)} | ${ids(g.removed)} |`),
    more: (n) => `\n_… and ${n} more: see plan.html or plan.json in the evidence bundle._`,
    tail: "\n\n</details>",
  };
}

function findingBlocks(plan: PlanDocument): Section {
  if (plan.findings.length === 0) return { head: "", items: [], more: () => "" };
  const count = (sev: string) => plan.findings.filter((f) => f.severity === sev).length;
  const counts = SEVERITY_ORDER.map((sev) => `${count(sev)} ${sev}${sev === "info" || count(sev) === 1 ? "" : "s"}`).join(", ");
  const icon = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;
  const sorted = SEVERITY_ORDER.flatMap((sev) => plan.findings.filter((f) => f.severity === sev));
  return {
    head: `### Findings (${counts})\n`,
    items: sorted.map((f) => {
      const place = findingPlace(f);
      const hint = f.hint ? ` — ${text(f.hint)}` : "";
      return `- ${icon[f.severity]} ${code(f.code)}${place ? ` ${code(place)}` : ""}: ${text(f.message)}${hint}`;
    }),
    more: (n) => `- … and ${n} more: see plan.json in the evidence bundle.`,
  };
}

function footerLines(plan: PlanDocument): string[] {
  const m = plan.manifest;
  return [
    "---",
    `<sub>Plan digest ${code(plan.digest)} · ${m.inputs.length} input ${m.inputs.length === 1 ? "file" : "files"} hashed (${code(m.desiredState)}) · ` +
      `git ${code(gitText(m.git))} · rolecall ${text(m.versions.rolecall)}, Pulumi ${text(m.versions.pulumi)}, Node ${text(m.versions.node)} · ` +
      `created ${text(m.createdAt)} by ${text(ranByText(m.ranBy))}</sub>`,
  ];
}

/** The per-person detail, one collapsed block per change kind, cut with a note when it would not fit `budget`. */
function peopleSection(plan: PlanDocument, budget: number): string {
  const groups = groupPeople(plan.people);
  if (groups.length === 0) return "";
  const total = plan.people.length;
  const noteRoom = 400;
  const out: string[] = ["### People"];
  let used = out[0]!.length;
  let shown = 0;
  let truncated = false;
  for (const group of groups) {
    const open = `<details>\n<summary><b>${html(group.title)} (${group.people.length})</b></summary>`;
    const close = "</details>";
    if (used + open.length + close.length + noteRoom > budget) {
      truncated = true;
      break;
    }
    const blocks: string[] = [];
    let groupUsed = open.length + close.length + 4;
    for (const person of group.people) {
      const block = personBlock(person);
      if (used + groupUsed + block.length + 2 + noteRoom > budget) {
        truncated = true;
        break;
      }
      blocks.push(block);
      groupUsed += block.length + 2;
      shown++;
    }
    if (blocks.length > 0) {
      const omitted = group.people.length - blocks.length;
      if (omitted > 0) blocks.push(`_… ${omitted} more ${group.title.toLowerCase()} not shown here._`);
      out.push([open, ...blocks, close].join("\n\n"));
      used += groupUsed + 2;
    }
    if (truncated) break;
  }
  if (truncated) {
    out.push(
      `> [!NOTE]\n> Per-person detail truncated to fit a pull-request comment: ${shown} of ${total} identities shown. ` +
        `The full detail is in plan.html and plan.json of the evidence bundle.`,
    );
  }
  return out.join("\n\n");
}

function personBlock(p: PersonChange): string {
  const email = p.email ? ` &lt;${text(p.email)}&gt;` : "";
  // Bold closes only after a non-space: a padded or empty name would leave the asterisks showing.
  const name = p.displayName.trim() || "(no name)";
  const lines = [`**${code(p.id)} · ${text(name)}**${email} — ${text(changeLabel(p))} · ${text(stateText(p))}`, ""];
  if (p.account.length > 0) lines.push(`- Account: ${p.account.map((a) => `${text(a.target)} ${text(accountStepText(a))}`).join(" · ")}`);
  if (p.gains.length > 0) {
    lines.push(`- Gains:`);
    for (const g of p.gains) lines.push(`  - ${segments(itemSegments(g))} ← ${segments(becauseSegments(g))}`);
  }
  if (p.losses.length > 0) {
    lines.push(`- Loses:`);
    for (const l of p.losses) lines.push(`  - ${segments(itemSegments(l))} — ${segments(becauseSegments(l))}`);
  }
  for (const r of p.risks) lines.push(`- ⚠️ ${text(r)}`);
  if (p.account.length === 0 && p.gains.length === 0 && p.losses.length === 0 && p.risks.length === 0) lines.push("- No account or access change.");
  return lines.join("\n");
}

interface Section {
  head: string;
  items: string[];
  more: (omitted: number) => string;
  tail?: string;
}

/** A section with as many of its items as fit `budget` characters, and a note for the rest. */
function fitSection(section: Section, budget: number): string {
  if (section.items.length === 0) return "";
  const tail = section.tail ?? "";
  const full = [section.head, ...section.items].join("\n") + tail;
  if (full.length <= budget) return full;
  const kept: string[] = [];
  let used = section.head.length + tail.length + section.more(section.items.length).length + 2;
  for (const item of section.items) {
    if (used + item.length + 1 > budget) break;
    kept.push(item);
    used += item.length + 1;
  }
  return [section.head, ...kept, section.more(section.items.length - kept.length)].join("\n") + tail;
}

function segments(parts: Segment[], inTable = false): string {
  return parts.map((p) => (typeof p === "string" ? text(p) : code(p.code, inTable))).join("");
}

/** Inline text from the inputs: markup characters neutralised, on one line. */
function text(value: string): string {
  return oneLine(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

/** Text in a table cell (the pipe is already escaped by `text`). */
function cell(value: string): string {
  return text(value);
}

/** Text inside raw HTML (a <summary>): Markdown is not processed there, so only HTML escaping. */
function html(value: string): string {
  return oneLine(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * A code span that holds any value: a fence longer than any run of backticks inside, padded
 * when the value starts or ends with a backtick or a space. In a table cell a pipe would end
 * the cell even inside code; GFM reads `\|` there as a literal pipe.
 */
function code(value: string, inTable = false): string {
  let v = oneLine(value);
  if (v === "") return "";
  const longest = Math.max(0, ...[...v.matchAll(/`+/g)].map((x) => x[0].length));
  const fence = "`".repeat(longest + 1);
  if (inTable) v = v.replace(/\|/g, "\\|");
  const pad = /^[` ]|[` ]$/.test(v) ? " " : "";
  return `${fence}${pad}${v}${pad}${fence}`;
}

function oneLine(value: string): string {
  return value.replace(/\r\n?|\n|\u2028|\u2029/g, " ");
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
