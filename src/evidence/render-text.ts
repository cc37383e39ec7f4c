import type { PersonChange, PlanDocument } from "../model/plan.js";
import { adoptionChangesText, adoptionText, orphanActionText } from "./render-shared.js";

/** Identities listed one per line in the terminal; the evidence bundle has the rest. */
export const TEXT_PEOPLE_LIMIT = 200;

/** The terminal summary of a plan: counts, who changes and how, guardrails, risks. */
export function renderText(plan: PlanDocument, heading: string): string {
  const s = plan.summary;
  const lines = [
    heading,
    `  ${s.joiners} joiners, ${s.adopted ?? 0} adopted, ${s.movers} movers, ${s.leavers} leavers, ${s.disabled} disabled, ${s.enabled} enabled, ${s.updated} updated; ${s.serviceAccounts} service accounts; ${s.groupChanges} group changes; ${s.driftCorrections} drift corrections; ${s.orphansDisabled ?? 0} orphans disabled, ${s.orphansRemoved ?? 0} removed`,
  ];
  const label = labeller(plan);
  const sign: Record<PersonChange["change"], string> = { joiner: "+", adopted: "⇐", leaver: "−", mover: "±", disabled: "⏸", enabled: "▶", updated: "~" };
  for (const p of plan.people.slice(0, TEXT_PEOPLE_LIMIT)) {
    const access = [
      p.gains.length ? `+ ${p.gains.map((g) => label(g)).join(", ")}` : "",
      p.losses.length ? `− ${p.losses.map((g) => label(g)).join(", ")}` : "",
    ].filter(Boolean);
    const account = p.account.filter((a) => a.op === "update" && a.changed.length).map((a) => `${a.target}: ${a.changed.join(", ")}`);
    const state = p.state === "active" ? "" : ` [${p.state}: ${p.stateReason}]`;
    lines.push(`  ${sign[p.change]} ${p.change} ${p.id} ${p.displayName} <${p.email}>${state}${account.length ? ` (${account.join("; ")})` : ""}${access.length ? `  ${access.join("  ")}` : ""}`);
  }
  if (plan.people.length > TEXT_PEOPLE_LIMIT) lines.push(`  … and ${plan.people.length - TEXT_PEOPLE_LIMIT} more identities: see plan.html in the evidence bundle`);
  for (const a of (plan.adoptions ?? []).slice(0, TEXT_PEOPLE_LIMIT)) lines.push(`  ⇐ adopt ${adoptionText(a)}; adoption changes ${adoptionChangesText(a)}`);
  for (const o of (plan.orphans ?? []).slice(0, TEXT_PEOPLE_LIMIT)) lines.push(`  ? orphan ${o.target} account ${o.userName} (id ${o.id}): ${orphanActionText(o)} — ${o.because}`);
  const brownfield = (plan.adoptions?.length ?? 0) + (plan.orphans?.length ?? 0);
  if (brownfield > 2 * TEXT_PEOPLE_LIMIT) lines.push(`  … adoptions and orphans beyond the first ${TEXT_PEOPLE_LIMIT} each: see plan.html in the evidence bundle`);
  if (plan.people.length === 0 && plan.groups.length === 0 && s.driftCorrections === 0 && brownfield === 0) lines.push("  no changes: the targets match the desired state");
  for (const r of plan.risks.slice(0, TEXT_PEOPLE_LIMIT)) lines.push(`  ! ${r.code}: ${r.message}`);
  if (plan.risks.length > TEXT_PEOPLE_LIMIT) lines.push(`  ! … and ${plan.risks.length - TEXT_PEOPLE_LIMIT} more risks: see plan.html in the evidence bundle`);
  for (const g of plan.guardrails.filter((v) => v.verdict !== "pass")) lines.push(`  ${g.verdict === "fail" ? "✗ refused" : "⚠ overridden"} ${g.name}: ${g.message}`);
  return lines.join("\n");
}

/** Names a gained or lost item by its key, qualified by target when the plan spans several. */
function labeller(plan: PlanDocument): (change: { target: string; kind: string; item: string }) => string {
  const targets = new Set(plan.steps.map((s) => s.target));
  for (const p of plan.people) for (const c of [...p.gains, ...p.losses]) targets.add(c.target);
  targets.delete("");
  const several = targets.size > 1;
  return (change) => {
    const kind = change.kind === "group" ? "" : `${change.kind} `;
    return several ? `${change.target}:${kind}${change.item}` : `${kind}${change.item}`;
  };
}
