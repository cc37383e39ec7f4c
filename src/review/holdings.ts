import { byString } from "../compile/order.js";
import type { DesiredState, HeldRole, Reason } from "../model/desired-state.js";
import type { Inputs } from "../model/inputs.js";
import { itemsOf } from "../targets/record.js";
import type { Since } from "./history.js";

/** One step of why someone holds a role, as an auditor reads it. */
export interface ReasonView {
  kind: Reason["kind"];
  /** HR attribute → rule → role → included role, or the grant with ticket, approver and expiry. */
  chain: string;
  rule?: string;
  matched?: Record<string, string | boolean>;
  via?: string[];
  grant?: { id: string; ticket?: string; approvedBy?: string; approverName?: string; granted?: string; expires: string; reason?: string; file?: string; line?: number };
  serviceAccount?: string;
}

/** Someone holding one entitlement in one target through one role: one line of an access review. */
export interface Holding {
  holder: string;
  holderKind: "person" | "service-account";
  name: string;
  email: string;
  state: string;
  /** A person's manager, a service account's owner: who certifies this holder's access. */
  manager?: string;
  managerName?: string;
  target: string;
  kind: string;
  entitlement: string;
  role: string;
  privileged: boolean;
  roleOwner: string;
  roleOwnerName?: string;
  reasons: ReasonView[];
  since: Since | undefined;
}

export interface HoldingFilter {
  person?: string;
  /** A catalog key, or `target:key`. */
  group?: string;
  owner?: string;
  manager?: string;
}

/**
 * Every entitlement every identity holds in the compiled desired state, one row per holder,
 * target, item and role, each with its full reason chain and the role's owner. `since` comes
 * from the evidence history; absent when it does not say.
 */
export function holdingsOf(desired: DesiredState, inputs: Inputs, since: (holder: string, target: string, item: string) => Since | undefined): Holding[] {
  const names = new Map(desired.people.map((p) => [p.id, p.displayName]));
  const roles = new Map(inputs.roles.map((r) => [r.value.id, r.value]));
  const grants = new Map(inputs.grants.map((g) => [g.value.id, g]));
  const people = new Map(desired.people.map((p) => [p.id, p]));
  const accounts = new Map(desired.serviceAccounts.map((s) => [s.key, s]));
  const rows: Holding[] = [];
  for (const [target, projection] of Object.entries(desired.targets)) {
    if (!projection) continue;
    for (const [item, holders] of itemsOf(projection)) {
      const [kind, entitlement] = item.split(":") as [string, string];
      for (const { user, because } of holders) {
        const person = people.get(user);
        const account = person ? undefined : accounts.get(user);
        const held = person?.roles ?? account?.roles ?? [];
        const manager = person?.managerId ?? account?.owner;
        for (const roleId of because) {
          const role = roles.get(roleId);
          const heldRole = held.find((h) => h.role === roleId);
          rows.push({
            holder: user,
            holderKind: person ? "person" : "service-account",
            name: person?.displayName ?? account?.id ?? user,
            email: person?.email ?? "",
            state: person?.state ?? (account?.declared ? "active" : "removed"),
            ...(manager ? { manager, ...(names.has(manager) ? { managerName: names.get(manager) } : {}) } : {}),
            target,
            kind,
            entitlement,
            role: roleId,
            privileged: role?.privileged ?? false,
            roleOwner: role?.owner ?? "",
            ...(role && names.has(role.owner) ? { roleOwnerName: names.get(role.owner) } : {}),
            reasons: (heldRole?.reasons ?? []).map((r) => reasonView(r, held, names, grants, roleId)),
            since: since(user, target, item),
          });
        }
      }
    }
  }
  return rows.sort(byString((h) => `${h.holder}\u0000${h.target}\u0000${h.kind}\u0000${h.entitlement}\u0000${h.role}`));
}

/** The rows a review asks for; filters combine (all must hold). */
export function filterHoldings(rows: readonly Holding[], filter: HoldingFilter): Holding[] {
  return rows.filter(
    (h) =>
      (filter.person === undefined || h.holder === filter.person) &&
      (filter.owner === undefined || h.roleOwner === filter.owner) &&
      (filter.manager === undefined || h.manager === filter.manager) &&
      (filter.group === undefined || filter.group === h.entitlement || filter.group === `${h.target}:${h.entitlement}`),
  );
}

/** `department = Engineering`, the HR facts a rule matched. */
export function matchedText(matched: Record<string, string | boolean>): string {
  const facts = Object.entries(matched).map(([k, v]) => `${k} = ${String(v)}`);
  return facts.length > 0 ? `HR ${facts.join(", ")}` : "every worker";
}

/** The reasons someone holds a role, each as its full chain. */
export function reasonViews(held: readonly HeldRole[], role: string, desired: DesiredState, inputs: Inputs): ReasonView[] {
  const names = new Map(desired.people.map((p) => [p.id, p.displayName]));
  const grants = new Map(inputs.grants.map((g) => [g.value.id, g]));
  return (held.find((h) => h.role === role)?.reasons ?? []).map((r) => reasonView(r, held, names, grants, role));
}

function reasonView(reason: Reason, held: readonly HeldRole[], names: ReadonlyMap<string, string>, grants: ReadonlyMap<string, Inputs["grants"][number]>, role: string, depth = 0): ReasonView {
  switch (reason.kind) {
    case "rule":
      return { kind: "rule", rule: reason.rule, matched: { ...reason.matched }, chain: `${matchedText(reason.matched)} → rule ${reason.rule} → role ${role}` };
    case "grant": {
      const located = grants.get(reason.grant);
      const g = located?.value;
      const approver = g?.approvedBy;
      const parts = [reason.ticket ? `ticket ${reason.ticket}` : "no ticket", approver ? `approved by ${approver}${names.has(approver) ? ` (${names.get(approver)})` : ""}` : "no approver", `expires ${reason.expires}`];
      return {
        kind: "grant",
        chain: `grant ${reason.grant} (${parts.join(", ")}) → role ${role}`,
        grant: {
          id: reason.grant,
          ...(reason.ticket ? { ticket: reason.ticket } : {}),
          ...(approver ? { approvedBy: approver, ...(names.has(approver) ? { approverName: names.get(approver) } : {}) } : {}),
          ...(g ? { granted: g.granted, reason: g.reason } : {}),
          expires: reason.expires,
          ...(located ? located.at : {}),
        },
      };
    }
    case "include": {
      // The include chain starts at a role given directly: show how that one was earned.
      const root = reason.via[0]!;
      const rootReasons = depth > 0 ? [] : (held.find((h) => h.role === root)?.reasons ?? []).filter((r) => r.kind !== "include");
      const head = rootReasons.map((r) => reasonView(r, held, names, grants, root, depth + 1).chain).join(" | ") || `role ${root}`;
      const includes = [...reason.via.slice(1), role].map((r) => `includes ${r}`).join(" → ");
      return { kind: "include", via: [...reason.via], chain: `${head} → ${includes}` };
    }
    case "service-account":
      return { kind: "service-account", serviceAccount: reason.serviceAccount, chain: `service account ${reason.serviceAccount} (service-accounts/) → role ${role}` };
  }
}
