import type { DirectoryGroup, DirectoryUser } from "../../model/desired-state.js";
import type { OktaStatusDecision, OktaUserStatus } from "./status.js";

/** The resource types this target declares (the type tokens of @pulumi/okta 7.0.0). */
export const OKTA_TYPES = {
  provider: "pulumi:providers:okta",
  user: "okta:user/user:User",
  group: "okta:group/group:Group",
  /** Declared by rolecall before per-user memberships; recognised in old state only. */
  groupMemberships: "okta:index/groupMemberships:GroupMemberships",
  userGroupMemberships: "okta:index/userGroupMemberships:UserGroupMemberships",
  userAdminRoles: "okta:index/userAdminRoles:UserAdminRoles",
} as const;

/**
 * Every profile input of okta.user.User (terraform-provider-okta resource_okta_user.go,
 * `profileKeys`, in Pulumi's names), plus `type` and `realmId`, which its update sends with the
 * profile. The provider's update is Okta's strict-replace UpdateUser with every attribute it
 * holds: one the program leaves unset would be sent as absent, and Okta would wipe it.
 */
export const OKTA_USER_PROFILE_INPUTS = [
  "city", "costCenter", "countryCode", "customProfileAttributes", "department", "displayName", "division", "email",
  "employeeNumber", "firstName", "honorificPrefix", "honorificSuffix", "lastName", "locale", "login", "manager",
  "managerId", "middleName", "mobilePhone", "nickName", "organization", "postalAddress", "preferredLanguage",
  "primaryPhone", "profileUrl", "secondEmail", "state", "streetAddress", "timezone", "title", "userType", "zipCode",
  "type", "realmId",
] as const;
export type OktaProfileInput = (typeof OKTA_USER_PROFILE_INPUTS)[number];

/** okta.user.User inputs for an account, as plain values (the provider resource adds nothing). */
export interface OktaUserFields {
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  /** The HR worker ID, for people: how an admin (or an import) ties the account to HR. */
  employeeNumber?: string;
  title?: string;
  department?: string;
  /** The HR manager's worker ID (Okta's base profile `managerId`), when HR names one. */
  managerId?: string;
  /** The HR manager's display name (Okta's base profile `manager`), when the manager has an account here. */
  manager?: string;
  status: OktaUserStatus;
}

/** The Okta profile of a directory account; `status` comes from {@link decideStatus}. */
export function oktaUserFields(user: DirectoryUser, status: OktaUserStatus, managerName?: string): OktaUserFields {
  return {
    login: user.userName,
    email: user.email,
    firstName: user.givenName,
    lastName: user.familyName,
    displayName: user.displayName,
    ...(user.kind === "person" ? { employeeNumber: user.externalId } : {}),
    ...(user.title ? { title: user.title } : {}),
    ...(user.department ? { department: user.department } : {}),
    ...(user.managerId ? { managerId: user.managerId } : {}),
    ...(user.managerId && managerName ? { manager: managerName } : {}),
    status,
  };
}

/** Resource options that depend on the account: what the engine must not touch. */
export interface OktaUserOptions {
  protect: boolean;
  ignoreChanges: string[];
}

/**
 * - Break-glass accounts are protected: no roster change deletes them.
 * - Every profile input rolecall does not set is ignored. With refresh before each preview and
 *   update (rolecall always refreshes), the state holds what Okta has, the bridge drops ignored
 *   attributes from the diff, and the provider re-sends them in its strict-replace update: a
 *   phone, a second email or a custom attribute set by someone else survives.
 * - `status` is held when no transition of rolecall's own is due (see decideStatus).
 * - A DEPROVISIONED account's profile is frozen: the provider refuses any change but status
 *   on it ("Only the status of a DEPROVISIONED user can be updated").
 */
export function oktaUserOptions(user: Pick<DirectoryUser, "protected">, fields: OktaUserFields, decision: OktaStatusDecision): OktaUserOptions {
  const owned = new Set(Object.keys(fields));
  const ignored: string[] = OKTA_USER_PROFILE_INPUTS.filter((input) => decision.freezeProfile || !owned.has(input));
  if (decision.holdStatus) ignored.push("status");
  return { protect: user.protected, ignoreChanges: ignored };
}

/** okta.group.Group inputs for a catalog group. */
export interface OktaGroupFields {
  name: string;
  description?: string;
}

export function oktaGroupFields(group: Pick<DirectoryGroup, "displayName" | "description">): OktaGroupFields {
  return { name: group.displayName, ...(group.description ? { description: group.description } : {}) };
}

/**
 * Who holds which standard admin role types, per user: the input of one UserAdminRoles per
 * user. Role types are sorted and deduplicated (two catalog keys may grant the same type), so
 * a new catalog entry never reorders a user's list.
 */
export function adminRoleTypesByUser(adminRoles: readonly { type: string; members: readonly { user: string }[] }[]): Map<string, string[]> {
  const byUser = new Map<string, Set<string>>();
  for (const role of adminRoles) {
    for (const { user } of role.members) byUser.set(user, (byUser.get(user) ?? new Set()).add(role.type));
  }
  return new Map([...byUser].map(([user, types]) => [user, [...types].sort()]));
}
