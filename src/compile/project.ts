import type { Catalog } from "../model/catalog.js";
import type { DesiredState, DirectoryUser, HeldRole, Holders, Person, ServiceAccountState } from "../model/desired-state.js";
import type { Policy } from "../model/policy.js";
import type { Entitlements } from "../model/role.js";
import { byString } from "./order.js";
import type { RoleIndex } from "./roles.js";
import { ALL_TARGETS, heldKinds } from "../targets/registry.js";

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
  const holders = accountHolders(people, serviceAccounts, policy).sort(byString((h) => h.user.key));
  const users = holders.map((h) => h.user);
  const holdersOf = (pick: (e: Entitlements) => string[] | undefined) => holdings(holders, roles, pick);
  const targets: Record<string, unknown> = {};
  for (const target of ALL_TARGETS) {
    const catalogSection = (catalog as Record<string, unknown>)[target.name];
    if (catalogSection === undefined) continue;
    targets[target.name] = target.project({
      catalog: catalogSection,
      users,
      holdersOf: (pick) => holdersOf((e) => {
        const own = (e as Record<string, unknown>)[target.name];
        return own === undefined ? undefined : pick(own);
      }),
    });
  }
  return targets as DesiredState["targets"];
}

function accountHolders(people: Person[], serviceAccounts: ServiceAccountState[], policy: Policy): Holder[] {
  const holders: Holder[] = [];
  for (const person of people) {
    if (person.account === "absent") continue;
    const protect = policy.protected.includes(person.id);
    // One literal with every key when all the optional ones are there (almost everyone), so all
    // of them sit in the object itself: as in compile.ts's person record.
    if (person.title && person.department && person.managerId) {
      holders.push({
        roles: person.roles,
        user: {
          key: person.id, kind: "person", state: person.state, userName: person.email, externalId: person.id, givenName: person.givenName, familyName: person.familyName,
          displayName: person.displayName, email: person.email, active: person.account === "enabled", title: person.title, department: person.department, managerId: person.managerId, protected: protect,
        } as DirectoryUser,
      });
      continue;
    }
    const user: DirectoryUser = {
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
    } as DirectoryUser;
    // Added one by one in this order, not spread from one small object each: the same keys, in the same order.
    if (person.title) user.title = person.title;
    if (person.department) user.department = person.department;
    if (person.managerId) user.managerId = person.managerId;
    user.protected = protect;
    holders.push({ roles: person.roles, user });
  }
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

/**
 * For one kind of catalog item: its key → who holds it and why. People alike share one list of
 * held roles (entitlements.ts), so what such a list grants of this kind — each item with the
 * roles behind it — is worked out once per list, and every holder of it gets the same `because`
 * array. Holders come in key order, so each item's members are in order as they are added.
 */
function holdings(holders: readonly Holder[], roles: RoleIndex, pick: (e: Entitlements) => string[] | undefined): (key: string) => Holders {
  // What each role grants of this kind, looked up once per role rather than once per holding.
  const grantedBy = new Map<string, readonly string[]>();
  for (const [id, { value }] of roles.byId) grantedBy.set(id, pick(value.entitlements) ?? []);
  // Items by number, in the order they are first granted.
  const itemOf = new Map<string, number>();
  const itemKeys: string[] = [];
  // Per list: the numbers of the items it grants, resolved once, with the roles behind each at
  // the same index (two arrays side by side rather than a pair per item: the loop below runs 3
  // million times at 100k people, and reads them by index), and how many holders have the list.
  const grantsOfList = new Map<readonly HeldRole[], { items: number[]; because: string[][]; holders: number }>();
  const grantsOf = (held: readonly HeldRole[]) => {
    let grants = grantsOfList.get(held);
    if (grants) return grants;
    const byRoles = new Map<string, string[]>();
    for (const h of held) {
      for (const item of grantedBy.get(h.role) ?? []) {
        const roles = byRoles.get(item);
        if (roles) roles.push(h.role);
        else byRoles.set(item, [h.role]);
      }
    }
    grants = { items: [], because: [], holders: 0 };
    for (const [item, roles] of byRoles) {
      let at = itemOf.get(item);
      if (at === undefined) {
        itemOf.set(item, (at = itemKeys.length));
        itemKeys.push(item);
      }
      grants.items.push(at);
      grants.because.push(roles);
    }
    grantsOfList.set(held, grants);
    return grants;
  };
  const listOf = holders.map(({ roles: held }) => {
    const grants = grantsOf(held);
    grants.holders++;
    return grants;
  });
  // Each item's members counted first (every holder of a list is a member of each item it
  // grants), so each array is made at its final length and filled by index: pushed one by one,
  // the 3 million members were copied again each time an array grew.
  const sizes = new Int32Array(itemKeys.length);
  for (const { items, holders: count } of grantsOfList.values()) for (const at of items) sizes[at]! += count;
  const members: Holders[] = Array.from(sizes, (size) => new Array(size));
  const filled = new Int32Array(itemKeys.length);
  let previousKey: string | undefined;
  for (let h = 0; h < holders.length; h++) {
    const key = holders[h]!.user.key;
    const { items, because } = listOf[h]!;
    // A service account whose key is a worker ID (an error finding) is one holder with both's
    // roles. Holders are in key order, so it comes right after the person: checked once per
    // holder, not at each of the 3 million memberships.
    if (key === previousKey) {
      for (let j = 0; j < items.length; j++) {
        const at = items[j]!;
        const last = filled[at]! > 0 ? members[at]![filled[at]! - 1] : undefined;
        if (last?.user === key) last.because = [...last.because, ...because[j]!];
        else members[at]![filled[at]!++] = { user: key, because: because[j]! };
      }
    } else {
      for (let j = 0; j < items.length; j++) {
        const at = items[j]!;
        members[at]![filled[at]!++] = { user: key, because: because[j]! };
      }
    }
    previousKey = key;
  }
  // Where a repeated key was merged into the membership before it, there are fewer members than counted.
  for (let at = 0; at < itemKeys.length; at++) if (filled[at]! < sizes[at]!) members[at]!.length = filled[at]!;
  const byItem = new Map(itemKeys.map((key, at) => [key, members[at]!]));
  return (key) => byItem.get(key) ?? [];
}

/** Every held item of a projection as `kind:key`, with its holders, kind by kind. */
export function itemsOf(projection: NonNullable<DesiredState["targets"][keyof DesiredState["targets"]]>): [string, Holders][] {
  const fields = projection as unknown as Record<string, { key: string; members: Holders }[] | undefined>;
  return heldKinds().flatMap(({ kind, field }) => (fields[field] ?? []).map((item): [string, Holders] => [`${kind}:${item.key}`, item.members]));
}
