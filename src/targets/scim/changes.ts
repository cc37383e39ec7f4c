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
export function scimChanges({ projection, connection, component, resources, live, adoption, refreshed }: ChangeContext<Directory, ScimConnection>): ChangedPart | undefined {
  const observed = live.observed;
  if (!observed || (adoption.memberships ?? []).length > 0 || !connection.tokenInEnvironment || typeof connection.endpoint !== "string") return undefined;
  const providers = resources.filter((r) => r.type === PROVIDER);
  if (providers.length !== 1 || resources.some((r) => ![USER, GROUP, ORPHAN, PROVIDER].includes(r.type))) return undefined;
  // The program gives its provider the endpoint alone (no version: the plugin is the project's
  // own); anything else in the state was configured otherwise, and is previewed whole.
  const configured = Object.keys(providers[0]!.inputs ?? {});
  if (providers[0]!.inputs?.endpoint !== connection.endpoint || configured.some((k) => k !== "endpoint")) return undefined;
  // Creates are targeted by URN before they exist: the URN must be formed as the engine forms it.
  const urnOf = (type: string, name: string) => `${component.urn.slice(0, component.urn.lastIndexOf("::"))}$${type}::${name}`;
  if (resources.some((r) => r.type !== PROVIDER && r.urn !== urnOf(r.type, urnName(r.urn)))) return undefined;

  const inState = (type: string) => new Map(resources.filter((r) => r.type === type).map((r) => [urnName(r.urn), r]));
  const users = inState(USER);
  const groups = inState(GROUP);
  const urns = new Set<string>();
  const accounts = new Set<string>();
  // Drift anywhere in what the run touches: only a refresh lets the engine see it.
  let drift = false;
  const judged = (r: StateResource | undefined, kind: "accounts" | "items", type: Judged, declared?: { inputs: ValueMap; protect: boolean }) => {
    if (!r) return "changed";
    const verdict = judge(r, observed[kind], type, declared);
    drift ||= verdict === "drift";
    return verdict;
  };
  // A resource to delete that the live read lacks is only refreshed: a refresh drops it from the
  // state, and the engine refuses a target its refresh dropped. After that refresh, what the
  // state still holds exists (the list read missed it), and is deleted like any other.
  const vanished = new Set<string>();
  const remove = (r: StateResource, kind: "accounts" | "items", type: Judged) => {
    const gone = r.id === undefined || !observed[kind].has(r.id);
    judged(r, kind, type);
    (gone && !refreshed ? vanished : urns).add(r.urn);
  };

  // Declared accounts that exist as the state says: their groups name them by that id.
  const byId = new Set<string>();
  for (const user of projection.users) {
    const r = users.get(user.key);
    if (judged(r, "accounts", userType, { inputs: scimUserArgs(user) as unknown as ValueMap, protect: user.protected ?? false }) === "unchanged") continue;
    accounts.add(user.key);
    urns.add(urnOf(USER, user.key));
    if (r?.id !== undefined && observed.accounts.has(r.id)) byId.add(user.key);
  }
  const declared = new Set(projection.users.map((u) => u.key));
  for (const [key, r] of users) if (!declared.has(key)) remove(r, "accounts", userType);

  // A member's id, where the state and the live read agree on it; undefined (a create): the group changes.
  const idOf = (key: string) => {
    const id = users.get(key)?.id;
    return id !== undefined && observed.accounts.has(id) ? id : undefined;
  };
  const changedGroups = new Set<string>();
  for (const group of projection.groups) {
    const members = group.members.map((m) => idOf(m.user));
    const known = members.filter((m): m is string => m !== undefined);
    const verdict = judged(groups.get(group.key), "items", groupType, { inputs: { displayName: group.displayName, externalId: group.key, members: known }, protect: false });
    if (verdict === "unchanged" && known.length === members.length) continue;
    changedGroups.add(group.key);
    urns.add(urnOf(GROUP, group.key));
  }
  const catalog = new Set(projection.groups.map((g) => g.key));
  for (const [key, r] of groups) if (!catalog.has(key)) remove(r, "items", groupType);

  // Orphan actions are few, and each reads its account back before acting: all of them, always.
  for (const o of adoption.orphans) if (o.action !== "report") urns.add(urnOf(ORPHAN, orphanResourceName(o.id)));
  for (const r of resources) {
    if (r.type !== ORPHAN) continue;
    const account = observed.accounts.get(String(r.outputs?.accountId)) as ValueMap | undefined;
    // Enabled again since it was disabled: the provider sees that only in a refresh's read.
    const enabledAgain = account !== undefined && r.outputs?.action === "disable" && account.active !== false && r.outputs?.active !== true;
    drift ||= account === undefined || enabledAgain;
    if (urns.has(r.urn)) continue;
    (account === undefined && !refreshed ? vanished : urns).add(r.urn);
  }
  drift ||= vanished.size > 0;

  const held = resources.filter((r) => r.type !== PROVIDER).length;
  const left = held - resources.filter((r) => urns.has(r.urn) || vanished.has(r.urn)).length;
  return { accounts, groups: changedGroups, urns: [...urns].sort(), refreshOnly: [...vanished].sort(), unchanged: left, drift, byId };
}

/**
 * Drift: the target holds it otherwise than the state says (or no longer at all). Changed: the
 * desired inputs or protection differ. `declared` absent: a resource to delete, judged for drift only.
 */
function judge(r: StateResource, observed: ReadonlyMap<string, Observed>, type: Judged, declared?: { inputs: ValueMap; protect: boolean }): "unchanged" | "changed" | "drift" {
  const live = r.id === undefined ? undefined : (observed.get(r.id) as ValueMap | undefined);
  const same = (olds: ValueMap, news: ValueMap) => type.diff(olds, news).diffs.length === 0;
  if (!live || !r.outputs || !same(r.outputs as ValueMap, live)) return "drift";
  if (!declared) return "changed";
  const { inputs: desired, failures } = type.check(declared.inputs);
  if (!r.inputs || failures.length > 0 || (r.protect ?? false) !== declared.protect) return "changed";
  return same(live, desired) && same(r.inputs as ValueMap, desired) ? "unchanged" : "changed";
}
