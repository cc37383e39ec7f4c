import type { AzureAdProjection } from "../../model/desired-state.js";
import type { AzureAdTargetSettings } from "./settings.js";
import {
  AZUREAD_TYPES,
  azureAdGroupFields,
  azureAdUserFields,
  groupMemberName,
  roleAssignmentName,
  type AzureAdGroupFields,
  type AzureAdUserFields,
} from "./convert.js";
import { holdsEnabled, recordedEnabled } from "./enabled.js";
import type { AppliedRoleAssignment, AzureAdPrevious } from "./previous.js";

/** One account: an azuread.User and the RandomPassword that seeds it, both named by the key. */
export interface PlannedUser {
  key: string;
  fields: AzureAdUserFields;
  protect: boolean;
  /** `accountEnabled` is left as the tenant has it (enabled.ts): a block of sign-in by someone else stays. */
  holdEnabled: boolean;
  /** The last refresh read the account disabled while rolecall holds it enabled: reported, not reverted. */
  disabledOutside?: true;
}

/** One security group, named by catalog key, with its whole membership (user keys). */
export interface PlannedGroup {
  key: string;
  fields: AzureAdGroupFields;
  members: string[];
  /**
   * Managed member by member (GroupWithoutMembers + one GroupMember each), as every group is:
   * a leaver's removal is then the delete of their GroupMember, a step of its own, never a
   * whole-set update that an empty set turns into "no change" (DESIGN_DECISIONS.md, "Groups and
   * membership"). `adopt` lists the members an inline group of an earlier rolecall already held
   * when it changes form, with the import ID of each (`<group>/member/<user>`). Absent only for
   * such an inline group that must still shed members this run: it stays inline until a run
   * where none of its members leaves.
   */
  memberwise?: { adopt: ReadonlyMap<string, string> };
}

/** One built-in directory role to activate, named by catalog key. */
export interface PlannedDirectoryRole {
  key: string;
  displayName: string;
}

/** One directory role assigned to one user, named `<role key>/<user key>`. */
export interface PlannedRoleAssignment {
  name: string;
  role: string;
  user: string;
  /** Break-glass accounts keep their roles until someone unprotects them on purpose. */
  protect: boolean;
  /**
   * A protected user's assignment the desired state no longer holds: declared with the inputs
   * last applied, so the engine plans no delete of a protected resource (which fails the whole
   * preview); the protected-accounts guardrail refuses the loss itself.
   */
  kept?: AppliedRoleAssignment;
}

/** Everything the azuread target declares, in registration order. Plain data: no Pulumi. */
export interface AzureAdPlan {
  users: PlannedUser[];
  groups: PlannedGroup[];
  directoryRoles: PlannedDirectoryRole[];
  roleAssignments: PlannedRoleAssignment[];
  /** The HR manager of each account whose manager has an account here: user key → manager key. */
  managers: ReadonlyMap<string, string>;
}

/**
 * What to declare for a projection: pure and deterministic (projection order is kept as
 * given; compile sorts it). Every membership and assignment must name a declared user; a
 * projection that breaks this is a compiler bug and is reported, not papered over.
 */
export function planAzureAd(
  projection: AzureAdProjection,
  settings: Pick<AzureAdTargetSettings, "upnDomain" | "federated" | "statusDrift">,
  previous?: AzureAdPrevious,
): AzureAdPlan {
  const declared = new Map(projection.users.map((u) => [u.key, u]));
  const unknown = (where: string, user: string) =>
    new Error(`azuread: ${where} names user '${user}', who is not among the projection's users; the desired state is inconsistent (a compile bug)`);

  const users = projection.users.map((user): PlannedUser => {
    const fields = azureAdUserFields(user, settings);
    const holdEnabled = holdsEnabled(fields.accountEnabled, recordedEnabled(previous?.record, user.key), settings.statusDrift === "revert");
    const disabledOutside = holdEnabled && previous?.enabled?.get(user.key) === false;
    return { key: user.key, fields, protect: user.protected, holdEnabled, ...(disabledOutside ? { disabledOutside } : {}) };
  });
  const groups = projection.groups.map((group): PlannedGroup => {
    const members = group.members.map((m) => {
      if (!declared.has(m.user)) throw unknown(`group '${group.key}'`, m.user);
      return m.user;
    });
    return { key: group.key, fields: azureAdGroupFields(group), members, ...changeOfForm(group.key, members, previous) };
  });
  const directoryRoles = projection.directoryRoles.map((role) => ({ key: role.key, displayName: role.displayName }));
  const roleAssignments: PlannedRoleAssignment[] = projection.directoryRoles.flatMap((role) =>
    role.members.map((m) => {
      const user = declared.get(m.user);
      if (!user) throw unknown(`directory role '${role.key}'`, m.user);
      return { name: roleAssignmentName(role.key, m.user), role: role.key, user: m.user, protect: user.protected };
    }),
  );
  roleAssignments.push(...keptForProtected(projection, roleAssignments, previous));
  const managers = new Map(
    projection.users.filter((u) => u.managerId !== undefined && u.managerId !== u.key && declared.has(u.managerId)).map((u) => [u.key, u.managerId!]),
  );
  refuseManagerCycles(managers);
  return { users: managersFirst(users, managers), groups, directoryRoles, roleAssignments, managers };
}

/** The resources a plan declares as (type, name), in the component's registration order. */
export function plannedResources(plan: AzureAdPlan, componentName = "azuread"): { type: string; name: string }[] {
  return [
    { type: AZUREAD_TYPES.provider, name: componentName },
    ...plan.users.flatMap((u) => [
      { type: AZUREAD_TYPES.initialPassword, name: u.key },
      { type: AZUREAD_TYPES.user, name: u.key },
    ]),
    ...plan.groups.flatMap((g): { type: string; name: string }[] =>
      g.memberwise
        ? [{ type: AZUREAD_TYPES.groupWithoutMembers, name: g.key }, ...g.members.map((m) => ({ type: AZUREAD_TYPES.groupMember, name: groupMemberName(g.key, m) }))]
        : [{ type: AZUREAD_TYPES.group, name: g.key }],
    ),
    ...plan.directoryRoles.map((r) => ({ type: AZUREAD_TYPES.directoryRole, name: r.key })),
    ...plan.roleAssignments.map((a) => ({ type: AZUREAD_TYPES.directoryRoleAssignment, name: a.name })),
  ];
}

/**
 * How a group is declared this run. An inline Group of an earlier rolecall changes form (alias,
 * and import of the members it holds) in a run where none of the members it holds leaves; while
 * some must leave it stays inline, where a non-empty set removes them. Inline and emptied, it
 * would keep its last members (members is Optional+Computed, terraform-provider-azuread#664):
 * refused, naming each member, rather than leaving a leaver in the group.
 */
function changeOfForm(key: string, members: readonly string[], previous: AzureAdPrevious | undefined): Pick<PlannedGroup, "memberwise"> {
  const inline = previous?.memberwise.has(key) ? undefined : previous?.inline.get(key);
  if (!inline) return { memberwise: { adopt: new Map() } };
  const objectIdOf = (user: string) => previous!.users.get(user);
  const staying = new Set(members.map(objectIdOf));
  const keyOf = new Map([...previous!.users].map(([user, objectId]) => [objectId, user]));
  const leaving = [...inline.members].filter((objectId) => keyOf.has(objectId) && !staying.has(objectId)).sort();
  if (leaving.length === 0) {
    const adopt = new Map<string, string>();
    for (const member of members) {
      const objectId = objectIdOf(member);
      if (objectId && inline.members.has(objectId)) adopt.set(member, `${inline.objectId}/member/${objectId}`);
    }
    return { memberwise: { adopt } };
  }
  if (members.length > 0) return {};
  throw new Error(
    [
      `azuread group '${key}' still holds its members inline (declared by an earlier rolecall) and would be left with none; an emptied inline group keeps its members (terraform-provider-azuread#664), so nothing is applied.`,
      `Remove ${leaving.map((objectId) => `${keyOf.get(objectId)} (${objectId})`).join(", ")} from group ${inline.objectId} in Entra ID, then run rolecall apply again: it refreshes from the tenant first, and the group becomes member by member.`,
    ].join("\n"),
  );
}

/** The assignments protected users held at the last apply that the plan no longer declares, by name. */
function keptForProtected(projection: AzureAdProjection, planned: readonly PlannedRoleAssignment[], previous?: AzureAdPrevious): PlannedRoleAssignment[] {
  const declared = new Set(planned.map((a) => a.name));
  const protectedByObjectId = new Map(projection.users.filter((u) => u.protected && previous?.users.has(u.key)).map((u) => [previous!.users.get(u.key)!, u.key]));
  return [...(previous?.roleAssignments ?? [])]
    .filter(([name, applied]) => !declared.has(name) && protectedByObjectId.has(applied.principalObjectId))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, applied]) => {
      const user = protectedByObjectId.get(applied.principalObjectId)!;
      return { name, role: name.endsWith(`/${user}`) ? name.slice(0, -user.length - 1) : name, user, protect: true, kept: applied };
    });
}

/**
 * A user's managerId is the manager's object ID, known only once the manager exists: a cycle in
 * the HR manager chain would leave every user in it waiting for another. Refused by name.
 */
function refuseManagerCycles(managers: ReadonlyMap<string, string>): void {
  for (const start of managers.keys()) {
    const chain = [start];
    for (let at = managers.get(start); at !== undefined; at = managers.get(at)) {
      if (at === start) throw new Error(`azuread: the HR managers of ${chain.join(" → ")} → ${start} form a cycle; correct the Manager ID column of the roster`);
      if (chain.includes(at) || chain.length > managers.size) break;
      chain.push(at);
    }
  }
}

/**
 * The users ordered so that everyone comes after their manager, otherwise in projection order:
 * the component declares a user with their manager's object ID, in waves (waves.ts).
 */
function managersFirst(users: readonly PlannedUser[], managers: ReadonlyMap<string, string>): PlannedUser[] {
  const depth = new Map<string, number>();
  const depthOf = (key: string): number => {
    const chain: string[] = [];
    let at: string | undefined = key;
    while (at !== undefined && !depth.has(at)) {
      chain.push(at);
      at = managers.get(at);
    }
    let d = at === undefined ? -1 : depth.get(at)!;
    for (const k of chain.reverse()) depth.set(k, ++d);
    return depth.get(key)!;
  };
  return users.map((user, i) => ({ user, i, d: depthOf(user.key) })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.user);
}
