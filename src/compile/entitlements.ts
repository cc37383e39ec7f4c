import type { HeldRole, Reason } from "../model/desired-state.js";
import type { Grant } from "../model/grant.js";
import type { Located } from "../model/person.js";
import type { Rule } from "../model/rule.js";
import { evaluate, type Attributes } from "./conditions.js";
import { byString } from "./order.js";
import type { RoleIndex } from "./roles.js";

/** Roles gathered for one identity, each with every distinct reason, includes expanded. */
export class HeldRoles {
  private readonly held = new Map<string, { reasons: Reason[]; keys: Set<string> }>();

  constructor(private readonly roles: RoleIndex) {}

  /** Gives a role and everything it includes; unknown roles are already an error finding. */
  give(direct: string, reason: Reason): void {
    if (!this.roles.byId.has(direct)) return;
    for (const { role, via } of this.roles.closure(direct)) {
      const entry = this.held.get(role) ?? { reasons: [], keys: new Set<string>() };
      const r: Reason = via.length === 0 ? reason : { kind: "include", via: [...via] };
      const key = JSON.stringify(r);
      if (!entry.keys.has(key)) {
        entry.keys.add(key);
        entry.reasons.push(r);
      }
      this.held.set(role, entry);
    }
  }

  list(): HeldRole[] {
    return [...this.held]
      .map(([role, { reasons }]) => ({ role, privileged: this.roles.byId.get(role)!.value.privileged, reasons }))
      .sort(byString((h) => h.role));
  }
}

/**
 * The roles one entitled person holds: from the rules that match their attributes and the
 * grants in force for them, with the reasons that earned each.
 */
export function rolesFor(attributes: Attributes, workerId: string, rules: Located<Rule>[], grants: Located<Grant>[], roles: RoleIndex): HeldRole[] {
  const held = new HeldRoles(roles);
  for (const { value: rule } of rules) {
    const matched = evaluate(rule.when, attributes);
    if (matched) for (const role of rule.assign) held.give(role, { kind: "rule", rule: rule.id, matched });
  }
  for (const { value: grant } of grants) {
    if (grant.worker === workerId) {
      held.give(grant.role, { kind: "grant", grant: grant.id, expires: grant.expires, ...(grant.ticket ? { ticket: grant.ticket } : {}) });
    }
  }
  return held.list();
}
