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
import type { OktaPrevious } from "./previous.js";
import { adoptedStatus, decideStatus, wantedStatus, type OktaStatusDecision } from "./status.js";

/** One account: an okta.user.User named by the worker ID (or service-account key). */
export interface PlannedUser {
  key: string;
  fields: OktaUserFields;
  options: OktaUserOptions;
  decision: OktaStatusDecision;
  /** Okta's raw status at the last refresh, when it differs from what rolecall holds on purpose. */
  drift?: string;
}

/** One catalog group: an okta.group.Group named by its catalog key. */
export interface PlannedGroup {
  key: string;
  fields: OktaGroupFields;
}

/**
 * The catalog groups of one user: an okta.UserGroupMemberships named by the user's key,
 * declared only while the user is in at least one (see DESIGN_DECISIONS.md, "Memberships").
 */
export interface PlannedMemberships {
  user: string;
  /** Group keys, in projection order. */
  groups: string[];
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

export interface OktaPlanOptions {
  /** What the stack's last run left; undefined when unknown (the program run by `pulumi` directly). */
  previous?: OktaPrevious;
  /** Undo other writers' status changes on active accounts instead of reporting them. */
  revertStatusDrift?: boolean;
  /** Keys of the existing accounts this run adopts: they take the lifecycle's status at once (see adoptedStatus). */
  adopted?: ReadonlySet<string>;
}

/** Raw Okta statuses that count as ACTIVE for rolecall (the provider suppresses them too). */
const ACTIVE_ALIKE = new Set(["ACTIVE", "PROVISIONED", "PASSWORD_EXPIRED", "RECOVERY"]);

/**
 * What to declare for a projection: pure and deterministic (projection order is kept; compile
 * sorts it). Every member and admin names a declared user; a projection that breaks this is a
 * compiler bug and fails loudly rather than dropping access silently.
 */
export function planOkta(projection: OktaProjection, opts: OktaPlanOptions = {}): OktaPlan {
  const declared = new Map(projection.users.map((u) => [u.key, u]));
  const known = (where: string, user: string): string => {
    if (!declared.has(user)) {
      throw new Error(`okta: ${where} names user '${user}', who is not among the projection's users; the desired state is inconsistent (a compile bug)`);
    }
    return user;
  };

  const users = projection.users.map((user): PlannedUser => {
    // Unknown history: treat every account as existing with the lifecycle's status (no transition).
    const previous = opts.previous ? opts.previous.users.get(user.key) : {};
    const decision = opts.adopted?.has(user.key) ? adoptedStatus(wantedStatus(user)) : decideStatus(wantedStatus(user), previous, opts.revertStatusDrift);
    const fields = oktaUserFields(user, decision.status, user.managerId ? declared.get(user.managerId)?.displayName : undefined);
    const observed = previous?.observed;
    const drift = decision.holdStatus && observed && !(decision.status === "ACTIVE" ? ACTIVE_ALIKE.has(observed) : observed === decision.status) ? observed : undefined;
    return { key: user.key, fields, options: oktaUserOptions(user, fields, decision), decision, ...(drift ? { drift } : {}) };
  });
  const groups = projection.groups.map((group) => ({ key: group.key, fields: oktaGroupFields(group) }));

  const groupsOf = new Map<string, string[]>();
  for (const group of projection.groups) {
    for (const m of group.members) groupsOf.set(known(`group '${group.key}'`, m.user), [...(groupsOf.get(m.user) ?? []), group.key]);
  }
  const memberships = projection.users.filter((u) => groupsOf.has(u.key)).map((u) => ({ user: u.key, groups: groupsOf.get(u.key)! }));

  for (const role of projection.adminRoles) for (const m of role.members) known(`admin role '${role.key}'`, m.user);
  const roleTypes = adminRoleTypesByUser(projection.adminRoles);
  const adminRoles = projection.users.flatMap((user): PlannedAdminRoles[] => {
    const wanted = roleTypes.get(user.key) ?? [];
    // A protected person keeps every role type last applied, even when they leave or lose the
    // role: dropping the resource (or a type from it) is a change the state's `protect` fails the
    // whole preview on. The loss is still in the compiled desired state, where the
    // protected-accounts guardrail refuses it; once policy unprotects them it goes as usual.
    const kept = user.protected ? (opts.previous?.adminRoles?.get(user.key) ?? []) : [];
    const types = [...new Set([...kept, ...wanted])].sort();
    return types.length > 0 ? [{ user: user.key, roleTypes: types, protect: user.protected }] : [];
  });

  return { users, groups, memberships, adminRoles };
}
