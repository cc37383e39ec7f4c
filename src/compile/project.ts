import type { Catalog } from "../model/catalog.js";
import type {
  AwsProjection,
  AzureAdProjection,
  DesiredState,
  DirectoryUser,
  HeldRole,
  Holders,
  OktaProjection,
  Person,
  ServiceAccountState,
} from "../model/desired-state.js";
import type { Policy } from "../model/policy.js";
import type { Entitlements } from "../model/role.js";
import { byString } from "./order.js";
import type { RoleIndex } from "./roles.js";

/** An account in every directory target, with the roles it holds. */
interface Holder {
  user: DirectoryUser;
  roles: HeldRole[];
}

/**
 * Each target's share of the desired state, for every target the catalog describes: the
 * accounts (people with an account, disabled ones included, and declared service accounts)
 * and who holds each catalog item, every holding with the roles and reasons behind it.
 */
export function projectTargets(
  people: Person[],
  serviceAccounts: ServiceAccountState[],
  roles: RoleIndex,
  catalog: Catalog,
  policy: Policy,
): DesiredState["targets"] {
  const holders = accountHolders(people, serviceAccounts, policy);
  const users = holders.map((h) => h.user).sort(byString((u) => u.key));
  const holdersOf = (pick: (e: Entitlements) => string[] | undefined) => holdings(holders, roles, pick);
  const targets: DesiredState["targets"] = {};

  if (catalog.scim) {
    const members = holdersOf((e) => e.scim?.groups);
    targets.scim = { users, groups: items(catalog.scim.groups, (key, g) => ({ key, ...g, members: members(key) })) };
  }
  if (catalog.okta) {
    const members = holdersOf((e) => e.okta?.groups);
    const admins = holdersOf((e) => e.okta?.adminRoles);
    const okta: OktaProjection = {
      users,
      groups: items(catalog.okta.groups, (key, g) => ({ key, displayName: g.name, ...(g.description ? { description: g.description } : {}), members: members(key) })),
      adminRoles: items(catalog.okta.adminRoles, (key, r) => ({ key, type: r.type, members: admins(key) })),
    };
    targets.okta = okta;
  }
  if (catalog.azuread) {
    const members = holdersOf((e) => e.azuread?.groups);
    const assigned = holdersOf((e) => e.azuread?.directoryRoles);
    const azuread: AzureAdProjection = {
      users,
      groups: items(catalog.azuread.groups, (key, g) => ({ key, ...g, members: members(key) })),
      directoryRoles: items(catalog.azuread.directoryRoles, (key, r) => ({ key, displayName: r.displayName, members: assigned(key) })),
    };
    targets.azuread = azuread;
  }
  if (catalog.aws) {
    const members = holdersOf((e) => e.aws?.groups);
    const aws: AwsProjection = {
      users,
      groups: items(catalog.aws.groups, (key, g) => ({ key, displayName: g.displayName, ...(g.description ? { description: g.description } : {}), members: members(key) })),
      accounts: items(catalog.aws.accounts, (key, a) => ({ key, id: a.id })),
      permissionSets: items(catalog.aws.permissionSets, (key, p) => ({ key, ...p })),
      assignments: Object.entries(catalog.aws.groups)
        .flatMap(([group, g]) => g.assignments.map((a) => ({ group, ...a })))
        .sort(byString((a) => `${a.group} ${a.account} ${a.permissionSet}`)),
    };
    targets.aws = aws;
  }
  return targets;
}

function accountHolders(people: Person[], serviceAccounts: ServiceAccountState[], policy: Policy): Holder[] {
  const holders: Holder[] = people
    .filter((p) => p.account !== "absent")
    .map((person) => ({
      roles: person.roles,
      user: {
        key: person.id,
        kind: "person",
        state: person.state,
        userName: person.email,
        externalId: person.id,
        givenName: person.givenName,
        familyName: person.familyName,
        displayName: person.displayName,
        email: person.email,
        active: person.account === "enabled",
        ...(person.title ? { title: person.title } : {}),
        ...(person.department ? { department: person.department } : {}),
        ...(person.managerId ? { managerId: person.managerId } : {}),
        protected: policy.protected.includes(person.id),
      },
    }));
  for (const sa of serviceAccounts.filter((s) => s.declared)) {
    const { key } = sa;
    const email = `${key}@${policy.organization.domain}`;
    holders.push({
      roles: sa.roles,
      user: {
        key,
        kind: "service-account",
        serviceAccount: sa.id,
        userName: email,
        externalId: key,
        givenName: "Service Account",
        familyName: sa.id,
        displayName: `${sa.id} (service account)`,
        email,
        active: true,
        protected: false,
      },
    });
  }
  return holders;
}

/** For one kind of catalog item: its key → who holds it and why. */
function holdings(holders: Holder[], roles: RoleIndex, pick: (e: Entitlements) => string[] | undefined): (key: string) => Holders {
  // What each role grants of this kind, looked up once per role rather than once per holding.
  const grantedBy = new Map<string, readonly string[]>();
  for (const [id, { value }] of roles.byId) grantedBy.set(id, pick(value.entitlements) ?? []);
  const byItem = new Map<string, Map<string, string[]>>();
  for (const { user, roles: held } of holders) {
    for (const h of held) {
      for (const item of grantedBy.get(h.role) ?? []) {
        let byUser = byItem.get(item);
        if (!byUser) byItem.set(item, (byUser = new Map()));
        const because = byUser.get(user.key);
        if (because) because.push(h.role);
        else byUser.set(user.key, [h.role]);
      }
    }
  }
  return (key) => [...(byItem.get(key) ?? [])].map(([user, because]) => ({ user, because })).sort(byString((m) => m.user));
}

/** Every holdable item of a projection as `kind:key`, with its holders. */
export function itemsOf(projection: NonNullable<DesiredState["targets"][keyof DesiredState["targets"]]>): [string, Holders][] {
  const items: [string, Holders][] = projection.groups.map((g) => [`group:${g.key}`, g.members]);
  if ("adminRoles" in projection) items.push(...projection.adminRoles.map((r): [string, Holders] => [`adminRole:${r.key}`, r.members]));
  if ("directoryRoles" in projection) items.push(...projection.directoryRoles.map((r): [string, Holders] => [`directoryRole:${r.key}`, r.members]));
  return items;
}

/** A catalog section as a list in key order. */
function items<V, T>(record: Record<string, V>, make: (key: string, value: V) => T): T[] {
  return Object.keys(record)
    .sort()
    .map((key) => make(key, record[key]!));
}
