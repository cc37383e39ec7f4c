import type { HeldRole, LossReason, Reason } from "../model/desired-state.js";
import type { AccessChange, GuardrailVerdict, PersonChange, PersonChangeKind, PlanDocument, Risk } from "../model/plan.js";

/**
 * Wording shared by plan.md and plan.html, so both say the same thing the same way. Text is
 * built as segments — plain text, or a key to set in code type — and each renderer escapes
 * every segment for its own format: nothing from the inputs is ever trusted as markup.
 */
export type Segment = string | { code: string };

/** The headline numbers, in the order both renderers show them; `brownfield` ones only when a plan has any. */
export const SUMMARY_FIELDS: readonly { key: Exclude<keyof PlanDocument["summary"], "steps">; label: string; brownfield?: true }[] = [
  { key: "joiners", label: "Joiners" },
  { key: "movers", label: "Movers" },
  { key: "leavers", label: "Leavers" },
  { key: "disabled", label: "Disabled" },
  { key: "enabled", label: "Enabled" },
  { key: "serviceAccounts", label: "Service accounts" },
  { key: "groupChanges", label: "Group changes" },
  { key: "driftCorrections", label: "Drift corrections" },
  { key: "adopted", label: "Adopted", brownfield: true },
  { key: "orphansDisabled", label: "Orphans disabled", brownfield: true },
  { key: "orphansRemoved", label: "Orphans removed", brownfield: true },
];

/** The summary fields a plan shows: adoption and orphan counts appear once there are any. */
export function summaryFields(plan: PlanDocument): typeof SUMMARY_FIELDS {
  return SUMMARY_FIELDS.filter((f) => !f.brownfield || (plan.summary[f.key] ?? 0) > 0);
}

const CHANGE_TITLES: Record<PersonChangeKind, string> = {
  joiner: "Joiners",
  adopted: "Adopted",
  mover: "Movers",
  leaver: "Leavers",
  disabled: "Disabled",
  enabled: "Enabled",
  updated: "Other updates",
};
const CHANGE_ORDER: readonly PersonChangeKind[] = ["joiner", "adopted", "mover", "leaver", "disabled", "enabled", "updated"];

export interface PeopleGroup {
  /** A stable slug for anchors: joiners, movers, …, service-accounts. */
  slug: string;
  title: string;
  people: PersonChange[];
}

/** People grouped by change kind (joiners, movers, leavers, …), then the service accounts; empty groups left out. */
export function groupPeople(people: readonly PersonChange[]): PeopleGroup[] {
  const groups: PeopleGroup[] = CHANGE_ORDER.map((kind) => ({
    slug: CHANGE_TITLES[kind].toLowerCase().replace(/\s+/g, "-"),
    title: CHANGE_TITLES[kind],
    people: people.filter((p) => p.kind === "person" && p.change === kind),
  }));
  groups.push({ slug: "service-accounts", title: "Service accounts", people: people.filter((p) => p.kind === "service-account") });
  return groups.filter((g) => g.people.length > 0);
}

/** The change kind as a short label ("joiner", "service account · leaver"). */
export function changeLabel(p: PersonChange): string {
  return p.kind === "service-account" ? `service account · ${p.change}` : p.change;
}

/** The lifecycle state with its reason: "leaver (terminated on 2026-02-27)". */
export function stateText(p: PersonChange): string {
  return p.stateReason && p.stateReason !== p.state ? `${p.state} (${p.stateReason})` : p.state;
}

/** The anchor of a person's section in plan.html: `person-<id>`, with any character unsafe in a fragment encoded. */
export function personAnchor(id: string): string {
  return `person-${id.replace(/[^A-Za-z0-9_.:-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}_`)}`;
}

/** One reason, readably: rule `x` matched a = b; included by r1 → r2; grant `g` (ticket T, until D); service account `s`. */
export function reasonSegments(reason: Reason): Segment[] {
  switch (reason.kind) {
    case "rule": {
      const matched = Object.entries(reason.matched).map(([attribute, value]) => `${attribute} = ${String(value)}`);
      return ["rule ", { code: reason.rule }, matched.length > 0 ? ` matched ${matched.join(" and ")}` : " (matches everyone)"];
    }
    case "include":
      return ["included by ", ...join(reason.via.map((r): Segment[] => [{ code: r }]), " → ")];
    case "grant": {
      const terms = [reason.ticket ? `ticket ${reason.ticket}` : "no ticket", `until ${reason.expires}`];
      return ["grant ", { code: reason.grant }, ` (${terms.join(", ")})`];
    }
    case "service-account":
      return ["service account ", { code: reason.serviceAccount }];
  }
}

/** A held role with its reasons: role `developer` (privileged): rule `eng` matched department = Engineering; grant `…`. */
export function heldRoleSegments(held: HeldRole): Segment[] {
  const reasons = held.reasons.length > 0 ? join(held.reasons.map(reasonSegments), "; ") : ["no recorded reason"];
  return ["role ", { code: held.role }, held.privileged ? " (privileged)" : "", ": ", ...reasons];
}

/** What a gain or a loss is about: scim group `engineering`. */
export function itemSegments(change: AccessChange): Segment[] {
  return [`${change.target} ${kindWord(change.kind)} `, { code: change.item }];
}

/** Why a change is made: the roles that earn a gain, or the reason a loss is no longer earned. */
export function becauseSegments(change: AccessChange): Segment[] {
  if (change.because.length > 0) return join(change.because.map(heldRoleSegments), " · ");
  return change.lost && change.lost.length > 0 ? join(change.lost.map(lossSegments), "; ") : ["no reason recorded"];
}

/** Why something is lost: rule `eng` stopped matching: department Engineering → Sales; grant `g` expired on D; … */
export function lossSegments(reason: LossReason): Segment[] {
  switch (reason.kind) {
    case "lifecycle":
      return [reason.reason];
    case "service-account":
      return ["service account ", { code: reason.serviceAccount }, ` no longer declared: ${reason.reason}`];
    case "rule": {
      const changed = reason.changed.map((c) => `${c.attribute} ${valueText(c.from)} → ${valueText(c.to)}`);
      return ["rule ", { code: reason.rule }, " stopped matching", changed.length > 0 ? `: ${changed.join(", ")}` : ""];
    }
    case "grant":
      return ["grant ", { code: reason.grant }, reason.ticket ? ` (ticket ${reason.ticket})` : "", reason.status === "expired" ? ` expired on ${reason.expires}` : " is not in force"];
    case "include":
      return ["role ", { code: reason.role }, " no longer includes role ", { code: reason.included }];
    case "role":
      return ["role ", { code: reason.role }, reason.change === "removed" ? " was removed" : " no longer grants it"];
    case "no-longer-earned":
      return ["no longer earned: no rule, role or grant gives it any more"];
  }
}

function valueText(value: string | boolean | string[] | null): string {
  if (value === null) return "(none)";
  return Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
}

function kindWord(kind: string): string {
  return { group: "group", adminRole: "admin role", directoryRole: "directory role" }[kind] ?? kind;
}

/** An account step in words: "create", "update (email, login)". */
export function accountStepText(step: PersonChange["account"][number]): string {
  const changed = step.changed.length > 0 && step.op !== "create" && step.op !== "delete" ? ` (${step.changed.join(", ")})` : "";
  return `${step.op}${changed}`;
}

/** Engine step counts in a fixed order: creates, updates, replaces, deletes, then the rest alphabetically. */
export function stepCountsText(steps: Record<string, number>): string {
  const first = ["create", "update", "replace", "delete", "same"];
  const ops = Object.keys(steps).sort((a, b) => {
    const ia = first.indexOf(a);
    const ib = first.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? first.length : ia) - (ib === -1 ? first.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return ops.length === 0 ? "none" : ops.map((op) => `${steps[op]} ${op}`).join(", ");
}

/** Verdict marks: emoji for GitHub; plain symbols for the page, which must print where no emoji font is installed. */
export const VERDICT: Record<GuardrailVerdict["verdict"], { icon: string; symbol: string; label: string }> = {
  pass: { icon: "✅", symbol: "✓", label: "pass" },
  fail: { icon: "❌", symbol: "✗", label: "fail" },
  overridden: { icon: "⚠️", symbol: "⚠", label: "overridden" },
};

export const RISK_LABEL: Record<Risk["code"], string> = {
  "privileged-grant": "privileged grant",
  "protected-account": "protected account",
  "mass-deprovision": "mass deprovisioning",
  drift: "drift",
};

/** True when the plan changes nothing at all. */
export function isEmptyPlan(plan: PlanDocument): boolean {
  return plan.people.length === 0 && plan.groups.length === 0 && plan.summary.driftCorrections === 0 && (plan.adoptions?.length ?? 0) === 0 && (plan.orphans ?? []).every((o) => o.op === "none");
}

/** The git line of the manifest: commit (with "uncommitted changes" when dirty) or "not a git checkout". */
export function gitText(git: PlanDocument["manifest"]["git"]): string {
  if (!git) return "not a git checkout";
  return git.dirty ? `${git.commit} (with uncommitted changes)` : git.commit;
}

/** Who ran it: user@host, and the CI system when there is one. */
export function ranByText(ranBy: PlanDocument["manifest"]["ranBy"]): string {
  return `${ranBy.user}@${ranBy.host}${ranBy.ci ? ` (${ranBy.ci})` : ""}`;
}

/** Where a finding points: file:line, or the file, or nothing. */
export function findingPlace(f: PlanDocument["findings"][number]): string {
  if (!f.file) return "";
  return f.line !== undefined ? `${f.file}:${f.line}` : f.file;
}

export const SEVERITY_ORDER = ["error", "warning", "info"] as const;

function join(parts: Segment[][], separator: string): Segment[] {
  return parts.flatMap((p, i) => (i === 0 ? p : [separator, ...p]));
}

type PlanAdoption = NonNullable<PlanDocument["adoptions"]>[number];
type PlanOrphan = NonNullable<PlanDocument["orphans"]>[number];

/** What adopting an account or group changes on it, in words: "userName ana → ana.lima; externalId (unset) → W1002". */
export function adoptionChangesText(a: Pick<PlanAdoption, "changes">): string {
  if (a.changes.length === 0) return "nothing: it already holds the desired attributes";
  return a.changes.map((c) => `${c.field} ${c.from ?? "(unset)"} → ${c.to ?? "(unset)"}`).join("; ");
}

/** One adoption in a line: "scim account ana (id 2f…) becomes W1002, matched by email". */
export function adoptionText(a: PlanAdoption): string {
  const how = a.importId ? `imported as ${a.importId}` : "adopted by id";
  return `${a.target} ${a.kind} ${a.name} (id ${a.id}) becomes ${a.key}, ${a.because}; ${how}`;
}

/** What policy does with an orphan, as a verb phrase. */
export function orphanActionText(o: PlanOrphan): string {
  if (o.action === "report") return "reported, left as it is";
  if (o.op === "none") return `${o.action === "remove" ? "removed" : "disabled"} already (no step)`;
  return o.action === "remove" ? "removed (deleted by id)" : "disabled (active=false)";
}

/** Adoptions that happen in this run and orphans listed, for the summary notes. */
export function brownfieldCounts(plan: PlanDocument): { adoptions: number; orphans: number } {
  return { adoptions: plan.adoptions?.length ?? 0, orphans: plan.orphans?.length ?? 0 };
}
