import type { HeldRole, Reason } from "../model/desired-state.js";
import type { Grant } from "../model/grant.js";
import type { Located } from "../model/person.js";
import type { Rule } from "../model/rule.js";
import { compileCondition, type Attributes, type Matched, type Matcher } from "./conditions.js";
import { byString } from "./order.js";
import type { RoleIndex } from "./roles.js";
import { indexRules } from "./rule-index.js";

/** Roles gathered for one identity, each with every distinct reason, includes expanded. */
export class HeldRoles {
  private readonly held = new Map<string, Reason[]>();

  constructor(private readonly roles: RoleIndex) {}

  /** Gives a role and everything it includes; unknown roles are already an error finding. */
  give(direct: string, reason: Reason): void {
    if (!this.roles.byId.has(direct)) return;
    for (const { role, reason: included } of this.roles.closure(direct)) {
      const r = included ?? reason;
      const reasons = this.held.get(role);
      if (!reasons) this.held.set(role, [r]);
      else if (!reasons.some((existing) => sameReason(existing, r))) reasons.push(r);
    }
  }

  list(): HeldRole[] {
    return [...this.held]
      .map(([role, reasons]) => ({ role, privileged: this.roles.byId.get(role)!.value.privileged, reasons }))
      .sort(byString((h) => h.role));
  }
}

/** A rule with its condition compiled once. */
export interface CompiledRule {
  rule: Rule;
  match: Matcher;
  reasons: Map<Matched, Reason>;
}

export interface CompiledRules {
  list: CompiledRule[];
  /** Indexes into `list` of the rules that may match these attributes, in file order. */
  candidates: (attributes: Attributes) => number[];
}

export function compileRules(rules: Located<Rule>[]): CompiledRules {
  return {
    list: rules.map(({ value: rule }) => ({ rule, match: compileCondition(rule.when), reasons: new Map() })),
    candidates: indexRules(rules.map((r) => r.value.when)),
  };
}

/**
 * The roles one entitled person holds: from the rules that match their attributes and the
 * grants in force for them, with the reasons that earned each.
 */
export function rolesFor(attributes: Attributes, rules: CompiledRules, grants: readonly Located<Grant>[], roles: RoleIndex): HeldRole[] {
  const held = new HeldRoles(roles);
  for (const i of rules.candidates(attributes)) {
    const { rule, match, reasons } = rules.list[i]!;
    const matched = match(attributes);
    if (!matched) continue;
    // One reason object per distinct match, shared by everyone it applies to.
    let reason = reasons.get(matched);
    if (!reason) reasons.set(matched, (reason = { kind: "rule", rule: rule.id, matched }));
    for (const role of rule.assign) held.give(role, reason);
  }
  for (const { value: grant } of grants) {
    held.give(grant.role, { kind: "grant", grant: grant.id, expires: grant.expires, ...(grant.ticket ? { ticket: grant.ticket } : {}) });
  }
  return held.list();
}

/** The same rule (or grant, or include chain) counts once, whatever it matched. */
function sameReason(a: Reason, b: Reason): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case "rule":
      return b.kind === "rule" && a.rule === b.rule;
    case "include":
      return b.kind === "include" && a.via.join(">") === b.via.join(">");
    case "grant":
      return b.kind === "grant" && a.grant === b.grant;
    case "service-account":
      return b.kind === "service-account" && a.serviceAccount === b.serviceAccount;
  }
}
