import { urnName, type StateResource } from "../engine/state-sync.js";
import type { DeclaredPart } from "../targets/declare.js";
import { ACCOUNT_TYPES } from "../evidence/plan-model.js";
import { listedIds } from "../targets/member-list.js";
import { ALL_TARGETS } from "../targets/registry.js";

/** Per resource type holding a list of ids (a group's members, or a holder's groups), the list's property (targets' plan.memberFields). */
const MEMBER_FIELDS: ReadonlyMap<string, string> = new Map(ALL_TARGETS.flatMap((t) => Object.entries(t.plan.memberFields ?? {})));
/** The member-listing types of the targets whose fast-path run declares only part of their state (declaresPart). */
const PART_GROUP_TYPES: ReadonlySet<string> = new Set(ALL_TARGETS.filter((t) => t.declaresPart).flatMap((t) => Object.keys(t.plan.memberFields ?? {})));

/**
 * The resources a fast-path run may touch, read from the state: the revoked identities'
 * accounts, what depends on them (per-holder memberships and roles), and every item whose
 * member list names one of them. An item is found by its list, not only by its recorded
 * dependencies: a run that declares only the leavers' accounts names a group's other members
 * by id, and the state then no longer records those members as its dependencies.
 * `groups`: the keys of the groups among them in the targets that declare part of their state.
 */
export function revocationScope(resources: readonly StateResource[], revoked: ReadonlySet<string>): { urns: string[]; groups: Set<string> } {
  const accounts = resources.filter((r) => ACCOUNT_TYPES.has(r.type) && revoked.has(urnName(r.urn)));
  const urns = new Set(accounts.map((r) => r.urn));
  const ids = new Set(accounts.flatMap((r) => (r.id ? [r.id] : [])));
  const groups = new Set<string>();
  for (const r of resources) {
    const field = MEMBER_FIELDS.get(r.type);
    const lists = field !== undefined && listedIds(r.inputs?.[field]).some((m) => ids.has(m));
    if (!lists && !(r.dependencies ?? []).some((d) => urns.has(d))) continue;
    urns.add(r.urn);
    if (PART_GROUP_TYPES.has(r.type)) groups.add(urnName(r.urn));
  }
  return { urns: [...urns].sort(), groups };
}

/**
 * A run's part as the state now holds it, after a refresh that may have dropped some of it (an
 * account or group already gone from its target): the engine refuses a target it cannot find,
 * and a group the program declared but the state lacks would be a create. What is gone has
 * nothing left to revoke; the live proof still reads it.
 */
export function withinState<P extends DeclaredPart & { urns: readonly string[] }>(part: P, resources: readonly StateResource[]): P {
  const present = new Set(resources.map((r) => r.urn));
  const urns = part.urns.filter((u) => present.has(u));
  const kept = new Set(urns);
  const groups = new Set(resources.filter((r) => kept.has(r.urn) && PART_GROUP_TYPES.has(r.type)).map((r) => urnName(r.urn)));
  return { ...part, urns, groups: new Set([...part.groups].filter((g) => groups.has(g))) };
}
