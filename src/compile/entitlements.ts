import type { HeldRole, Reason } from "../model/desired-state.js";
import type { Grant } from "../model/grant.js";
import type { Located } from "../model/person.js";
import type { Rule } from "../model/rule.js";
import { evaluate, type Attributes } from "./conditions.js";
import { byString } from "./order.js";
import type { RoleIndex } from "./roles.js";

/**
 * The roles one entitled person holds, each with every reason that earned it: the rules that
 * matched, the roles that include it, and the unexpired grants.
 */
export function rolesFor(
  attributes: Attributes,
  workerId: string,
  rules: Located<Rule>[],
  grants: Located<Grant>[],
  roles: RoleIndex,
  asOf: string,
): HeldRole[] {
  const held = new Map<string, Reason[]>();
  const give = (direct: string, reason: Reason) => {
    for (const { role, via } of roles.closure(direct)) {
      const reasons = held.get(role) ?? [];
      reasons.push(via.length === 0 ? reason : { kind: "include", via: [...via] });
      held.set(role, reasons);
    }
  };
  for (const { value: rule } of rules) {
    const matched = evaluate(rule.when, attributes);
    if (!matched) continue;
    for (const role of rule.assign) if (roles.byId.has(role)) give(role, { kind: "rule", rule: rule.id, matched });
  }
  for (const { value: grant } of grants) {
    if (grant.worker !== workerId || grant.expires < asOf || !roles.byId.has(grant.role)) continue;
    give(grant.role, { kind: "grant", grant: grant.id, expires: grant.expires, ...(grant.ticket ? { ticket: grant.ticket } : {}) });
  }
  return [...held]
    .map(([role, reasons]) => ({ role, reasons: dedupe(reasons) }))
    .sort(byString((h) => h.role));
}

function dedupe(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
