import type { Catalog } from "../model/catalog.js";
import type { HeldRole, Person, ScimProjection, ScimUser, ServiceAccountState } from "../model/desired-state.js";
import type { Policy } from "../model/policy.js";
import { byString } from "./order.js";
import type { RoleIndex } from "./roles.js";
import { serviceAccountKey } from "./service-accounts.js";

/**
 * The SCIM target's share of the desired state: an account for every declared person
 * (disabled ones included) and service account, and the members of every catalog group,
 * each membership with the roles and reasons that put it there.
 */
export function projectScim(people: Person[], serviceAccounts: ServiceAccountState[], roles: RoleIndex, catalog: Catalog, policy: Policy): ScimProjection {
  const holders: { key: string; user: ScimUser; roles: HeldRole[] }[] = [];
  for (const person of people.filter((p) => p.account !== "absent")) {
    holders.push({
      key: person.id,
      roles: person.roles,
      user: {
        key: person.id,
        userName: person.email,
        externalId: person.id,
        givenName: person.givenName,
        familyName: person.familyName,
        displayName: person.displayName,
        email: person.email,
        active: person.account === "enabled",
        ...(person.title ? { title: person.title } : {}),
      },
    });
  }
  for (const sa of serviceAccounts.filter((s) => s.declared)) {
    const key = serviceAccountKey(sa.id, policy);
    const email = `${key}@${policy.organization.domain}`;
    holders.push({
      key,
      roles: sa.roles,
      user: { key, userName: email, externalId: key, givenName: "Service Account", familyName: sa.id, displayName: `${sa.id} (service account)`, email, active: true },
    });
  }

  const members = new Map<string, Map<string, HeldRole[]>>();
  for (const holder of holders) {
    for (const held of holder.roles) {
      for (const group of roles.byId.get(held.role)?.value.entitlements.scim?.groups ?? []) {
        const byUser = members.get(group) ?? new Map<string, HeldRole[]>();
        byUser.set(holder.key, [...(byUser.get(holder.key) ?? []), held]);
        members.set(group, byUser);
      }
    }
  }
  const groups = Object.entries(catalog.scim?.groups ?? {})
    .map(([key, group]) => ({
      key,
      displayName: group.displayName,
      members: [...(members.get(key) ?? [])].map(([user, because]) => ({ user, because })).sort(byString((m) => m.user)),
    }))
    .sort(byString((g) => g.key));
  return { users: holders.map((h) => h.user).sort(byString((u) => u.key)), groups };
}
