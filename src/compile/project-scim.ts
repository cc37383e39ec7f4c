import type { Catalog } from "../model/catalog.js";
import type { Person, ScimProjection } from "../model/desired-state.js";
import type { RoleIndex } from "./roles.js";
import { byString } from "./order.js";
import type { Account } from "./lifecycle.js";

/**
 * The SCIM target's share of the desired state: an account for every declared person
 * (disabled ones included) and the members of every catalog group, each membership with the
 * roles and reasons that put it there.
 */
export function projectScim(
  people: { person: Person; account: Account }[],
  roles: RoleIndex,
  catalog: Catalog,
): ScimProjection {
  const declared = people.filter((p) => p.account !== "absent");
  const users = declared.map(({ person, account }) => ({
    key: person.id,
    userName: person.email,
    externalId: person.id,
    givenName: person.givenName,
    familyName: person.familyName,
    displayName: person.displayName,
    email: person.email,
    active: account === "enabled",
    ...(person.title ? { title: person.title } : {}),
  }));

  const members = new Map<string, Map<string, Person["roles"]>>();
  for (const { person } of declared) {
    for (const held of person.roles) {
      for (const group of roles.byId.get(held.role)?.value.entitlements.scim?.groups ?? []) {
        const byUser = members.get(group) ?? new Map<string, Person["roles"]>();
        byUser.set(person.id, [...(byUser.get(person.id) ?? []), held]);
        members.set(group, byUser);
      }
    }
  }
  const groups = Object.entries(catalog.scim?.groups ?? {})
    .map(([key, group]) => ({
      key,
      displayName: group.displayName,
      members: [...(members.get(key) ?? new Map<string, Person["roles"]>())]
        .map(([user, because]) => ({ user, because }))
        .sort(byString((m) => m.user)),
    }))
    .sort(byString((g) => g.key));
  return { users: users.sort(byString((u) => u.key)), groups };
}
