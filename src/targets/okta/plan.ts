import type { OktaProjection } from "../../model/desired-state.js";
import {
  adminRoleTypesByUser,
  oktaGroupFields,
  oktaUserFields,
  oktaUserOptions,
  type OktaGroupFields,
  type OktaUserFields,
  type OktaUserOptions,
} from "./convert.js";

/** One account: an okta.user.User named by the worker ID (or service-account key). */
export interface PlannedUser {
  key: string;
  fields: OktaUserFields;
  options: OktaUserOptions;
}

/** One catalog group: an okta.group.Group named by its catalog key. */
export interface PlannedGroup {
  key: string;
  fields: OktaGroupFields;
}

/**
 * The whole membership of one group: an okta.GroupMemberships named by the group's key,
 * declared only while the group has members (see DESIGN_DECISIONS.md, "Empty groups").
 */
export interface PlannedMemberships {
  group: string;
  /** User keys, in projection order. */
  users: string[];
}

/** Every standard admin role of one user: an okta.UserAdminRoles named by the user's key. */
export interface PlannedAdminRoles {
  user: string;
  roleTypes: string[];
  /** A break-glass account keeps its roles until someone unprotects it on purpose. */
  protect: boolean;
}

/** Everything the okta target declares, in registration order. Plain data: no Pulumi. */
export interface OktaPlan {
  users: PlannedUser[];
  groups: PlannedGroup[];
  memberships: PlannedMemberships[];
  adminRoles: PlannedAdminRoles[];
}

/**
 * What to declare for a projection: pure and deterministic (projection order is kept; compile
 * sorts it). Every member and admin names a declared user; a projection that breaks this is a
 * compiler bug and fails loudly rather than dropping access silently.
 */
export function planOkta(projection: OktaProjection): OktaPlan {
  const declared = new Map(projection.users.map((u) => [u.key, u]));
  const known = (where: string, user: string): string => {
    if (!declared.has(user)) {
      throw new Error(`okta: ${where} names user '${user}', who is not among the projection's users; the desired state is inconsistent (a compile bug)`);
    }
    return user;
  };

  const users = projection.users.map((user) => ({ key: user.key, fields: oktaUserFields(user), options: oktaUserOptions(user) }));
  const groups = projection.groups.map((group) => ({ key: group.key, fields: oktaGroupFields(group) }));
  const memberships = projection.groups
    .filter((group) => group.members.length > 0)
    .map((group) => ({ group: group.key, users: group.members.map((m) => known(`group '${group.key}'`, m.user)) }));

  for (const role of projection.adminRoles) for (const m of role.members) known(`admin role '${role.key}'`, m.user);
  const roleTypes = adminRoleTypesByUser(projection.adminRoles);
  const adminRoles = projection.users
    .filter((user) => roleTypes.has(user.key))
    .map((user) => ({ user: user.key, roleTypes: roleTypes.get(user.key)!, protect: user.protected }));

  return { users, groups, memberships, adminRoles };
}
