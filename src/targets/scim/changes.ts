import { urnName, type StateResource } from "../../engine/state-sync.js";
import type { Directory } from "../../model/desired-state.js";
import { orphanResourceName } from "../../model/adoption.js";
import type { Observed } from "../../model/inventory.js";
import type { ChangeContext, ChangedPart } from "../target.js";
import { groupType } from "./provider/group.js";
import { userType } from "./provider/user.js";
import type { ResourceType } from "./provider/resource-type.js";
import type { ValueMap } from "./provider/values.js";
import type { ScimConnection } from "./index.js";
import { scimUserArgs } from "./user-args.js";

// The types the component declares (resources.ts, which loads the Pulumi SDK this module must not).
const USER = "rolecall-scim:index:User";
const GROUP = "rolecall-scim:index:Group";
const ORPHAN = "rolecall-scim:index:OrphanAccount";
const PROVIDER = "pulumi:providers:rolecall-scim";

/** The provider's own check (its normalised inputs: a group's members sorted) and diff of a resource type. */
type Judged = Pick<ResourceType<never>, "check" | "diff">;

/**
 * A SCIM resource is left out of the run only when a refresh and a preview would both do
 * nothing to it: the live read equals its outputs in the state (a refresh changes nothing), the
 * provider's diff of the live read against the desired inputs is empty (the step is `same`), its
 * inputs in the state are the desired ones, and its protect flag is what policy says. A member
 * whose account the state does not hold, or the live read no longer has, makes its group
 * changed. Anything unexpected in the state — another resource type, a second provider, a
 * provider configured otherwise than this run's connection — and the target is declared whole.
 */
export function scimChanges({ projection, connection, component, resources, live, adoption }: ChangeContext<Directory, ScimConnection>): ChangedPart | undefined {
  const observed = live.observed;
  if (!observed || (adoption.memberships ?? []).length > 0 || !connection.tokenInEnvironment || typeof connection.endpoint !== "string") return undefined;
  const providers = resources.filter((r) => r.type === PROVIDER);
  if (providers.length !== 1 || resources.some((r) => ![USER, GROUP, ORPHAN, PROVIDER].includes(r.type))) return undefined;
  const configured = Object.keys(providers[0]!.inputs ?? {}).filter((k) => k !== "version");
  if (providers[0]!.inputs?.endpoint !== connection.endpoint || configured.some((k) => k !== "endpoint")) return undefined;
  // Creates are targeted by URN before they exist: the URN must be formed as the engine forms it.
  const urnOf = (type: string, name: string) => `${component.urn.slice(0, component.urn.lastIndexOf("::"))}$${type}::${name}`;
  if (resources.some((r) => r.type !== PROVIDER && r.urn !== urnOf(r.type, urnName(r.urn)))) return undefined;

  const inState = (type: string) => new Map(resources.filter((r) => r.type === type).map((r) => [urnName(r.urn), r]));
  const users = inState(USER);
  const groups = inState(GROUP);
  const urns = new Set<string>();
  const accounts = new Set<string>();
  let drift = false;
  const unchanged = (r: StateResource, observed: ReadonlyMap<string, Observed>, declared: ValueMap, type: Judged, protect: boolean) => {
    const judged = judge(r, observed, declared, type, protect);
    drift ||= judged === "drift";
    return judged === "unchanged";
  };
  for (const user of projection.users) {
    const r = users.get(user.key);
    if (r && unchanged(r, observed.accounts, scimUserArgs(user) as unknown as ValueMap, userType, user.protected ?? false)) continue;
    accounts.add(user.key);
    urns.add(urnOf(USER, user.key));
  }
  const declared = new Set(projection.users.map((u) => u.key));
  // A resource to delete that the target no longer holds is only refreshed: a refresh drops it
  // from the state, and the engine refuses a target its refresh dropped.
  const vanished = new Set<string>();
  const remove = (r: StateResource, gone: boolean) => (gone ? vanished : urns).add(r.urn);
  for (const [key, r] of users) if (!declared.has(key)) remove(r, r.id === undefined || !observed.accounts.has(r.id));

  // A member's id, where the state and the live read agree on it; undefined: the group changes.
  const idOf = (key: string) => {
    const id = users.get(key)?.id;
    return id !== undefined && observed.accounts.has(id) ? id : undefined;
  };
  const changedGroups = new Set<string>();
  for (const group of projection.groups) {
    const r = groups.get(group.key);
    const members = group.members.map((m) => idOf(m.user));
    if (r && members.every((m) => m !== undefined) && unchanged(r, observed.items, { displayName: group.displayName, externalId: group.key, members } as ValueMap, groupType, false)) continue;
    changedGroups.add(group.key);
    urns.add(urnOf(GROUP, group.key));
  }
  const catalog = new Set(projection.groups.map((g) => g.key));
  for (const [key, r] of groups) if (!catalog.has(key)) remove(r, r.id === undefined || !observed.items.has(r.id));

  // Orphan actions are few, and each reads its account back before acting: all of them, always.
  const orphans = adoption.orphans.filter((o) => o.action !== "report").map((o) => urnOf(ORPHAN, orphanResourceName(o.id)));
  for (const urn of orphans) urns.add(urn);
  for (const r of resources) if (r.type === ORPHAN && !urns.has(r.urn)) remove(r, !observed.accounts.has(String(r.outputs?.accountId)));
  drift ||= vanished.size > 0;

  const held = resources.filter((r) => r.type !== PROVIDER).length;
  const left = held - resources.filter((r) => urns.has(r.urn) || vanished.has(r.urn)).length;
  return { accounts, groups: changedGroups, urns: [...urns].sort(), refreshOnly: [...vanished].sort(), unchanged: left, drift };
}

/** Drift: the target holds it otherwise than the state says (or no longer at all). */
function judge(r: StateResource, observed: ReadonlyMap<string, Observed>, declared: ValueMap, type: Judged, protect: boolean): "unchanged" | "changed" | "drift" {
  const live = r.id === undefined ? undefined : (observed.get(r.id) as ValueMap | undefined);
  const same = (olds: ValueMap, news: ValueMap) => type.diff(olds, news).diffs.length === 0;
  if (!live || !r.outputs || !same(r.outputs as ValueMap, live)) return "drift";
  const { inputs: desired, failures } = type.check(declared);
  if (!r.inputs || failures.length > 0 || (r.protect ?? false) !== protect) return "changed";
  return same(live, desired) && same(r.inputs as ValueMap, desired) ? "unchanged" : "changed";
}
