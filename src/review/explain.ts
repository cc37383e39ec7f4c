import { byString } from "../compile/order.js";
import type { Attributes } from "../compile/conditions.js";
import type { DesiredState } from "../model/desired-state.js";
import type { Inputs } from "../model/inputs.js";
import type { Role } from "../model/role.js";
import { reasonViews, type ReasonView } from "./holdings.js";
import { conditionFailures } from "./why-not.js";

export interface Explanation {
  worker: string;
  subject: string;
  held: boolean;
  /** Held: each role that gives it, with its reasons. */
  why: { role: string; reasons: ReasonView[] }[];
  /** Not held: every way it could have been earned, and what stands in the way. */
  whyNot: string[];
}

export class ExplainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExplainError";
  }
}

/** Every entitlement of a role as `target:key`. */
function entitlementsOf(role: Role): string[] {
  return Object.entries(role.entitlements).flatMap(([target, kinds]) => Object.values(kinds ?? {}).flatMap((keys) => (keys as string[]).map((k) => `${target}:${k}`)));
}

/**
 * Why a worker holds a role or an entitlement (a catalog key, or `target:key`), or why not:
 * the lifecycle state, each rule's failed condition with the person's value, each grant's
 * state (missing, expired, not started, refused by policy, with its place), each exclusion.
 */
export function explain(desired: DesiredState, inputs: Inputs, worker: string, subject: string): Explanation {
  const roles = new Map(inputs.roles.map((r) => [r.value.id, r.value]));
  const closure = (id: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(id)) return seen;
    seen.add(id);
    for (const included of roles.get(id)?.includes ?? []) closure(included, seen);
    return seen;
  };
  // The roles that carry the subject themselves.
  const carriers = roles.has(subject) ? [subject] : [...roles.values()].filter((r) => entitlementsOf(r).some((e) => e === subject || e.endsWith(`:${subject}`))).map((r) => r.id);
  if (carriers.length === 0) throw new ExplainError(`'${subject}' is neither a role nor an entitlement any role gives; name a role id (roles/) or a catalog key`);

  const person = desired.people.find((p) => p.id === worker);
  const result: Explanation = { worker, subject, held: false, why: [], whyNot: [] };
  if (!person) {
    result.whyNot.push(desired.serviceAccounts.some((s) => s.id === worker || s.key === worker) ? `${worker} is a service account: its roles are listed in service-accounts/` : `${worker} is not in the HR roster`);
    return result;
  }
  const heldCarriers = carriers.filter((c) => person.roles.some((h) => h.role === c));
  if (heldCarriers.length > 0) {
    result.held = true;
    result.why = heldCarriers.map((role) => ({ role, reasons: reasonViews(person.roles, role, desired, inputs) }));
    return result;
  }
  if (person.state !== "active" && person.roles.length === 0) {
    result.whyNot.push(`${worker} is ${person.state}: ${person.stateReason} — no rule, role or grant applies`);
    return result;
  }

  // Every role that would bring a carrier with it, and each way to earn one of those.
  const givers = [...roles.keys()].filter((id) => carriers.some((c) => closure(id).has(c))).sort();
  const attributes = attributesOf(inputs, worker);
  for (const { value: rule, at } of inputs.rules) {
    const gives = rule.assign.filter((r) => givers.includes(r));
    if (gives.length === 0) continue;
    const failures = conditionFailures(rule.when, attributes);
    const through = `rule ${rule.id} (${at.file}:${at.line}) would give role ${gives.join(", ")}`;
    if (failures.length > 0) result.whyNot.push(`${through}, but ${failures.join("; ")}`);
    else {
      const excluded = (inputs.exclusions ?? []).filter((e) => e.value.worker === worker && gives.some((g) => closure(g).has(e.value.role) || e.value.role === g));
      result.whyNot.push(
        excluded.length > 0
          ? `${through}, but an exclusion takes it away: ${excluded.map((e) => `${e.at.file}:${e.at.line} (${e.value.reason}; decided by ${e.value.decidedBy} on ${e.value.decided})`).join(", ")}`
          : `${through}, and it matches — yet the role is not held (see the findings of rolecall validate)`,
      );
    }
  }
  const grants = inputs.grants.filter((g) => g.value.worker === worker && givers.includes(g.value.role));
  for (const { value: g, at } of grants) {
    const place = `${at.file}:${at.line}`;
    const refused = desired.findings.filter((f) => f.file === at.file && f.line === at.line && f.severity !== "info");
    if (refused.length > 0) result.whyNot.push(`grant ${g.id} (${place}) of role ${g.role} is not honoured: ${refused.map((f) => `${f.code}: ${f.message}`).join("; ")}`);
    else if (g.expires < desired.asOf) result.whyNot.push(`grant ${g.id} (${place}) of role ${g.role} expired on ${g.expires}`);
    else if (g.granted > desired.asOf) result.whyNot.push(`grant ${g.id} (${place}) of role ${g.role} starts on ${g.granted}`);
    else result.whyNot.push(`grant ${g.id} (${place}) of role ${g.role} is in force, yet the role is not held (see the findings of rolecall validate)`);
  }
  if (grants.length === 0) result.whyNot.push(`no grant in grants/ gives ${worker} ${givers.length === 1 ? `role ${givers[0]}` : `any of the roles ${givers.join(", ")}`}`);
  if (person.state !== "active") result.whyNot.unshift(`${worker} is ${person.state}: ${person.stateReason}`);
  return result;
}

/** The attributes rules test, as compile derives them: roster fields, reportsTo (transitive), isManager. */
function attributesOf(inputs: Inputs, worker: string): Attributes {
  const rows = inputs.roster.map((r) => r.value);
  // The first row of each worker ID, as compile takes it.
  const managerOf = new Map<string, string | undefined>();
  for (const w of rows) if (!managerOf.has(w.workerId)) managerOf.set(w.workerId, w.managerId);
  const self = rows.find((w) => w.workerId === worker)!;
  const chain: string[] = [];
  for (let m = self.managerId; m !== undefined && !chain.includes(m) && m !== worker; m = managerOf.get(m)) chain.push(m);
  return { ...self, reportsTo: chain, isManager: rows.some((w) => w.managerId === worker) };
}

/** The explanation for a terminal. */
export function explanationText(e: Explanation): string {
  if (e.held) {
    const lines = [`${e.worker} holds ${e.subject}:`];
    for (const w of e.why.sort(byString((x) => x.role))) {
      lines.push(`  role ${w.role}`);
      for (const r of w.reasons) lines.push(`    because ${r.chain}`);
    }
    return lines.join("\n") + "\n";
  }
  return [`${e.worker} does not hold ${e.subject}:`, ...e.whyNot.map((w) => `  - ${w}`)].join("\n") + "\n";
}
