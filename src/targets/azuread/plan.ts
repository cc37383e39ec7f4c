import type { AzureAdProjection } from "../../model/desired-state.js";
import type { AzureAdTargetSettings } from "../../model/target-settings/azuread.js";
import {
  AZUREAD_TYPES,
  azureAdGroupFields,
  azureAdUserFields,
  roleAssignmentName,
  type AzureAdGroupFields,
  type AzureAdUserFields,
} from "./convert.js";

/** One account: an azuread.User and the RandomPassword that seeds it, both named by the key. */
export interface PlannedUser {
  key: string;
  fields: AzureAdUserFields;
  protect: boolean;
}

/** One security group, named by catalog key, with its whole membership (user keys). */
export interface PlannedGroup {
  key: string;
  fields: AzureAdGroupFields;
  members: string[];
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
}

/** Everything the azuread target declares, in registration order. Plain data: no Pulumi. */
export interface AzureAdPlan {
  users: PlannedUser[];
  groups: PlannedGroup[];
  directoryRoles: PlannedDirectoryRole[];
  roleAssignments: PlannedRoleAssignment[];
}

/**
 * What to declare for a projection: pure and deterministic (projection order is kept as
 * given; compile sorts it). Every membership and assignment must name a declared user; a
 * projection that breaks this is a compiler bug and is reported, not papered over.
 */
export function planAzureAd(projection: AzureAdProjection, settings: Pick<AzureAdTargetSettings, "upnDomain">): AzureAdPlan {
  const declared = new Map(projection.users.map((u) => [u.key, u]));
  const unknown = (where: string, user: string) =>
    new Error(`azuread: ${where} names user '${user}', who is not among the projection's users; the desired state is inconsistent (a compile bug)`);

  const users = projection.users.map((user) => ({ key: user.key, fields: azureAdUserFields(user, settings), protect: user.protected }));
  const groups = projection.groups.map((group) => ({
    key: group.key,
    fields: azureAdGroupFields(group),
    members: group.members.map((m) => {
      if (!declared.has(m.user)) throw unknown(`group '${group.key}'`, m.user);
      return m.user;
    }),
  }));
  const directoryRoles = projection.directoryRoles.map((role) => ({ key: role.key, displayName: role.displayName }));
  const roleAssignments = projection.directoryRoles.flatMap((role) =>
    role.members.map((m) => {
      const user = declared.get(m.user);
      if (!user) throw unknown(`directory role '${role.key}'`, m.user);
      return { name: roleAssignmentName(role.key, m.user), role: role.key, user: m.user, protect: user.protected };
    }),
  );
  return { users, groups, directoryRoles, roleAssignments };
}

/** The resources a plan declares as (type, name), in the component's registration order. */
export function plannedResources(plan: AzureAdPlan, componentName = "azuread"): { type: string; name: string }[] {
  return [
    { type: AZUREAD_TYPES.provider, name: componentName },
    ...plan.users.flatMap((u) => [
      { type: AZUREAD_TYPES.initialPassword, name: u.key },
      { type: AZUREAD_TYPES.user, name: u.key },
    ]),
    ...plan.groups.map((g) => ({ type: AZUREAD_TYPES.group, name: g.key })),
    ...plan.directoryRoles.map((r) => ({ type: AZUREAD_TYPES.directoryRole, name: r.key })),
    ...plan.roleAssignments.map((a) => ({ type: AZUREAD_TYPES.directoryRoleAssignment, name: a.name })),
  ];
}
