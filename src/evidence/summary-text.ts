import type { DesiredState, Person } from "../model/desired-state.js";
import type { PlannedChanges } from "./changes.js";

/** The people-centric summary printed by `plan` and `apply`: who is added, changed, removed. */
export function summaryText(changes: PlannedChanges, desired: DesiredState, heading: string): string {
  const people = new Map(desired.people.map((p) => [p.id, p]));
  const gained = groupBy(changes.memberships.filter((m) => m.op === "add"));
  const lost = groupBy(changes.memberships.filter((m) => m.op === "remove"));
  const count = (op: string) => changes.users.filter((u) => u.op === op).length;
  const lines = [
    heading,
    `  ${count("create")} added, ${count("update") + count("replace")} changed, ${count("delete")} removed; memberships +${countOf(gained)} −${countOf(lost)}`,
  ];
  const section = (title: string, ids: string[], render: (id: string) => string) => {
    if (ids.length === 0) return;
    lines.push("", title);
    for (const id of ids) lines.push(`  ${render(id)}`);
  };
  const who = (id: string) => describe(id, people.get(id));
  const groupsOf = (map: Map<string, string[]>, id: string, sign: string) => (map.get(id)?.length ? `  ${sign} ${map.get(id)!.join(", ")}` : "");

  const byOp = (op: string) => changes.users.filter((u) => u.op === op);
  section("Added:", byOp("create").map((u) => u.workerId), (id) => `+ ${who(id)}${groupsOf(gained, id, "+")}`);
  section("Changed:", [...byOp("update"), ...byOp("replace")].map((u) => u.workerId), (id) => {
    const change = changes.users.find((u) => u.workerId === id)!;
    const what = change.op === "replace" ? "replaced" : change.changed.join(", ");
    return `~ ${who(id)}: ${what}${groupsOf(gained, id, "+")}${groupsOf(lost, id, "−")}`;
  });
  section("Removed:", byOp("delete").map((u) => u.workerId), (id) => {
    const change = changes.users.find((u) => u.workerId === id)!;
    return `− ${id} ${change.userName}${people.get(id) ? ` (${people.get(id)!.stateReason})` : " (no longer in the roster)"}${groupsOf(lost, id, "−")}`;
  });
  const touched = new Set(changes.users.map((u) => u.workerId));
  const movers = [...new Set([...gained.keys(), ...lost.keys()])].filter((id) => !touched.has(id)).sort();
  section("Access changes:", movers, (id) => `± ${who(id)}${groupsOf(gained, id, "+")}${groupsOf(lost, id, "−")}`);
  const groupOps = changes.groups.filter((g) => g.op !== "update");
  if (groupOps.length > 0) {
    lines.push("", "Groups:");
    for (const g of groupOps) lines.push(`  ${g.op === "create" ? "+" : g.op === "delete" ? "−" : "~"} ${g.key} (${g.op})`);
  }
  if (changes.users.length === 0 && changes.memberships.length === 0 && changes.groups.length === 0) lines.push("  no changes: the target matches the desired state");
  return lines.join("\n");
}

function describe(id: string, person: Person | undefined): string {
  if (!person) return id;
  const state = person.state === "active" ? "" : ` [${person.state}]`;
  return `${id} ${person.displayName} <${person.email}>${state}`;
}

function groupBy(list: { workerId: string; group: string }[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const m of list) map.set(m.workerId, [...(map.get(m.workerId) ?? []), m.group]);
  return map;
}

function countOf(map: Map<string, string[]>): number {
  return [...map.values()].reduce((n, groups) => n + groups.length, 0);
}
