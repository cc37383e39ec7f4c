import type { DesiredState, LossReason, Person, ServiceAccountState } from "../model/desired-state.js";
import type { Grant } from "../model/grant.js";
import type { Located } from "../model/person.js";
import type { AttributeValue, PreviousRecord, RoleGrants } from "../model/previous.js";
import { attributeNames, type Attributes } from "./conditions.js";
import type { CompiledRules } from "./entitlements.js";
import type { Lifecycle, LifecycleById } from "./lifecycle.js";
import { itemsOf } from "./project.js";

export type Loss = DesiredState["losses"][number];

export interface LossContext {
  previous: PreviousRecord;
  targets: DesiredState["targets"];
  people: readonly Person[];
  lives: LifecycleById;
  serviceAccounts: readonly ServiceAccountState[];
  rules: CompiledRules;
  roleGrants: RoleGrants;
  grants: readonly Located<Grant>[];
  /** Ids of the grants in force today. */
  holding: ReadonlySet<string>;
  /** Today's attributes of every roster worker, as the rules see them. */
  attributes: ReadonlyMap<string, Attributes>;
  asOf: string;
}

const NO_LONGER_EARNED: LossReason = Object.freeze({ kind: "no-longer-earned" });
const NOT_IN_ROSTER: LossReason = Object.freeze({ kind: "lifecycle", state: "removed", reason: "no longer in the HR roster" });

/**
 * Everything the previous record says someone held that they no longer hold, each with the
 * reasons it went: the person's lifecycle; a rule that matched their previous attributes and
 * not today's (attribute, from, to); a grant no longer in force; a role they still hold that
 * no longer includes (or grants) it. Only losses are examined, so an unchanged stack costs a
 * pass over its holdings.
 */
export function explainLosses(ctx: LossContext): Loss[] {
  const people = new Map(ctx.people.map((p) => [p.id, p]));
  const accounts = new Map(ctx.serviceAccounts.map((s) => [s.key, s]));
  const byPerson = new Map<string, LossReason[]>();
  const explain = explainer(ctx);
  const losses: Loss[] = [];
  for (const target of Object.keys(ctx.previous.holdings ?? {}).sort()) {
    const previousItems = ctx.previous.holdings![target]!;
    const projection = ctx.targets[target as keyof DesiredState["targets"]];
    const now = new Map(projection ? itemsOf(projection).map(([item, holders]) => [item, new Set(holders.map((h) => h.user))]) : []);
    for (const item of Object.keys(previousItems).sort()) {
      const has = now.get(item);
      for (const user of [...previousItems[item]!].sort()) {
        if (has?.has(user)) continue;
        // The lifecycle reason is the same for every item a person loses: one shared object.
        let whole = byPerson.get(user);
        if (!whole) byPerson.set(user, (whole = wholeReason(people.get(user), ctx.lives.get(user), accounts.get(user))));
        losses.push({ user, target, item, reasons: whole.length > 0 ? whole : explain(user, people.get(user), target, item) });
      }
    }
  }
  return losses;
}

/** When everything goes at once: the person left, is on leave, was dropped, or the service account is gone. */
function wholeReason(person: Person | undefined, life: Lifecycle | undefined, account: ServiceAccountState | undefined): LossReason[] {
  if (account) return account.declared ? [] : [{ kind: "service-account", serviceAccount: account.id, reason: account.reason }];
  if (!person) return [NOT_IN_ROSTER];
  if (!life?.entitled || person.account === "absent") return [{ kind: "lifecycle", state: person.state, reason: person.stateReason }];
  return [];
}

function explainer(ctx: LossContext) {
  const previousGrants = ctx.previous.roleGrants ?? {};
  const current = closures(ctx.roleGrants);
  const before = closures(previousGrants);
  const tested = ctx.rules.list.map(({ rule }) => [...attributeNames(rule.when)].sort());
  const grantsOf = new Map<string, Located<Grant>[]>();
  for (const g of ctx.grants) grantsOf.set(g.value.worker, [...(grantsOf.get(g.value.worker) ?? []), g]);

  return (user: string, person: Person | undefined, target: string, item: string): LossReason[] => {
    const reasons: LossReason[] = [];
    const grantsIt = (role: string) => current.grants(role, target, item) || before.grants(role, target, item);
    // A role still held that used to bring the item: which include was dropped, or which role stopped granting it.
    for (const held of person?.roles ?? []) {
      const path = before.path(held.role, target, item);
      if (!path) continue;
      const source = path.at(-1)!;
      const dropped = path.findIndex((role, i) => i > 0 && !ctx.roleGrants[path[i - 1]!]?.includes.includes(role));
      if (dropped > 0) reasons.push({ kind: "include", role: path[dropped - 1]!, included: path[dropped]! });
      else reasons.push({ kind: "role", role: source, change: ctx.roleGrants[source] ? "no-longer-grants" : "removed" });
    }
    // A rule that gave one of the roles bringing it, and matched the previous attributes but not today's.
    const was = ctx.previous.attributes?.[user];
    const is = ctx.attributes.get(user);
    if (was && is) {
      ctx.rules.list.forEach(({ rule, match }, i) => {
        if (!rule.assign.some(grantsIt) || !match(was) || match(is)) return;
        const changed = tested[i]!.filter((a) => !same(was[a], is[a] as AttributeValue | undefined)).map((attribute) => ({ attribute, from: was[attribute] ?? null, to: (is[attribute] as AttributeValue | undefined) ?? null }));
        reasons.push({ kind: "rule", rule: rule.id, changed });
      });
    }
    // A grant for this person of a role bringing it, no longer in force.
    for (const { value: grant } of grantsOf.get(user) ?? []) {
      if (ctx.holding.has(grant.id) || !grantsIt(grant.role)) continue;
      reasons.push({ kind: "grant", grant: grant.id, ...(grant.ticket ? { ticket: grant.ticket } : {}), expires: grant.expires, status: grant.expires < ctx.asOf ? "expired" : "not-in-force" });
    }
    return reasons.length > 0 ? reasons : [NO_LONGER_EARNED];
  };
}

/** Over one set of role definitions: whether a role brings an item (itself or through includes), and the include path to the role that grants it. */
function closures(defs: RoleGrants) {
  const memo = new Map<string, Map<string, string[]>>();
  /** For a role: each role it brings → the shortest include path from it, itself first. */
  const reach = (role: string): Map<string, string[]> => {
    let paths = memo.get(role);
    if (paths) return paths;
    paths = new Map([[role, [role]]]);
    const queue = [role];
    for (let i = 0; i < queue.length; i++) {
      for (const next of defs[queue[i]!]?.includes ?? []) {
        if (paths.has(next) || !defs[next]) continue;
        paths.set(next, [...paths.get(queue[i]!)!, next]);
        queue.push(next);
      }
    }
    memo.set(role, paths);
    return paths;
  };
  const path = (role: string, target: string, item: string): string[] | undefined => {
    if (!defs[role]) return undefined;
    for (const [reached, via] of reach(role)) if (defs[reached]!.items[target]?.includes(item)) return via;
    return undefined;
  };
  return { path, grants: (role: string, target: string, item: string) => path(role, target, item) !== undefined };
}

function same(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
