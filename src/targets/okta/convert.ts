import type { DirectoryGroup, DirectoryUser, LifecycleState } from "../../model/desired-state.js";

/** The resource types this target declares (the type tokens of @pulumi/okta 7.0.0). */
export const OKTA_TYPES = {
  provider: "pulumi:providers:okta",
  user: "okta:user/user:User",
  group: "okta:group/group:Group",
  groupMemberships: "okta:index/groupMemberships:GroupMemberships",
  userAdminRoles: "okta:index/userAdminRoles:UserAdminRoles",
} as const;

/**
 * The inputs whose change makes the provider replace the resource instead of updating it
 * (`ForceNew` in terraform-provider-okta's schemas, okta/services/idaas/resource_okta_*.go).
 * okta_user and okta_group have none: a new login, email or group name is an update. The two
 * that exist hold Okta IDs of resources keyed by worker ID or catalog key, so they never
 * change while the key stays.
 */
export const REPLACED_ON_CHANGE: Record<string, readonly string[]> = {
  [OKTA_TYPES.user]: [],
  [OKTA_TYPES.group]: [],
  [OKTA_TYPES.groupMemberships]: ["groupId"],
  [OKTA_TYPES.userAdminRoles]: ["userId"],
};

/** The `status` values okta_user accepts. */
export type OktaUserStatus = "ACTIVE" | "STAGED" | "SUSPENDED" | "DEPROVISIONED";

/**
 * Lifecycle state → Okta status, for an account that may not sign in. Each is the one Okta's
 * lifecycle reaches from where that person normally comes from:
 * - prehire → STAGED: created, never activated, no activation email. STAGED exists only at
 *   creation (the provider refuses to update a user to STAGED), hence `ignoreChanges` below.
 * - leave → SUSPENDED: sign-in blocked, app assignments and groups kept (suspend is the only
 *   status change that revokes no app assignment); unsuspend returns to ACTIVE as it was.
 *   Okta suspends only ACTIVE users — see DESIGN_DECISIONS.md for the cases that cannot.
 * - leaver (in grace) → DEPROVISIONED: deactivated, app assignments removed, and the state
 *   Okta requires before a delete, so the end of the grace is a single delete.
 */
const DISABLED_STATUS: Record<LifecycleState, OktaUserStatus> = {
  prehire: "STAGED",
  leave: "SUSPENDED",
  leaver: "DEPROVISIONED",
  // An "active" person is never disabled; should one be, suspension is the reversible choice.
  active: "SUSPENDED",
};

/** The Okta status of an account: ACTIVE when it may sign in, else by its lifecycle state. */
export function oktaStatus(user: Pick<DirectoryUser, "active" | "state">): OktaUserStatus {
  if (user.active) return "ACTIVE";
  // A disabled account without a lifecycle state (a service account) is suspended, not deleted.
  return DISABLED_STATUS[user.state ?? "active"];
}

/** The profile inputs of okta.user.User that rolecall sets (status aside). */
export const USER_PROFILE_INPUTS = ["login", "email", "firstName", "lastName", "displayName", "employeeNumber", "title", "department"] as const;

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
  status: OktaUserStatus;
}

/** The Okta profile and status of a directory account. */
export function oktaUserFields(user: DirectoryUser): OktaUserFields {
  return {
    login: user.userName,
    email: user.email,
    firstName: user.givenName,
    lastName: user.familyName,
    displayName: user.displayName,
    ...(user.kind === "person" ? { employeeNumber: user.externalId } : {}),
    ...(user.title ? { title: user.title } : {}),
    ...(user.department ? { department: user.department } : {}),
    status: oktaStatus(user),
  };
}

/** Resource options that depend on the account: what the engine must not touch. */
export interface OktaUserOptions {
  protect: boolean;
  ignoreChanges: string[];
}

/**
 * - Break-glass accounts are protected: no roster change deletes them.
 * - A pre-hire's STAGED is used only when the account is created. terraform-provider-okta
 *   (resource_okta_user.go, Update) refuses any update *to* STAGED, so for an account that
 *   already exists (a rehire still in a leaver's grace, say) the status it has is kept.
 * - A leaver's profile is frozen: the provider refuses every change but status on a
 *   DEPROVISIONED user ("Only the status of a DEPROVISIONED user can be updated"), and it
 *   applies the status first, so even the step into DEPROVISIONED must not carry an HR edit.
 */
export function oktaUserOptions(user: DirectoryUser): OktaUserOptions {
  const status = oktaStatus(user);
  const ignoreChanges = status === "STAGED" ? ["status"] : status === "DEPROVISIONED" ? [...USER_PROFILE_INPUTS] : [];
  return { protect: user.protected, ignoreChanges };
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
