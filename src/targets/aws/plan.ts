import type { AwsProjection } from "../../model/desired-state.js";
import type { AwsTargetSettings } from "./settings.js";
import {
  assignmentName,
  holdsAccess,
  identityStoreGroupArgs,
  identityStoreUserArgs,
  isReservedName,
  membershipName,
  permissionSetArgs,
  type IdentityStoreUserArgs,
} from "./convert.js";

/**
 * What the AWS target declares, as plain data in registration order: the projection arrays are
 * walked as given, so the same projection always yields the same plan (and the same order of
 * registrations). Resources refer to each other by resource name; component.ts wires the ids.
 */
export interface AwsPlan {
  users: { name: string; args: IdentityStoreUserArgs; protect: boolean }[];
  groups: { name: string; args: { displayName: string; description?: string } }[];
  /** One identitystore.GroupMembership per (group, user): the provider has no whole-set resource. */
  memberships: { name: string; group: string; user: string }[];
  permissionSets: {
    name: string;
    args: { name: string; description?: string; sessionDuration: string };
    /** The whole set of AWS managed policies, for one ManagedPolicyAttachmentsExclusive. */
    managedPolicyArns: string[];
  }[];
  assignments: {
    name: string;
    group: string;
    permissionSet: string;
    accountId: string;
    /**
     * Plan names of the policy attachments this assignment must follow: created after them (the
     * first provisioning already carries the policies) and, on removal, deleted before them.
     */
    after: string[];
  }[];
  /** Memberships the projection grants but Identity Center must not hold (see holdsAccess). */
  withheld: { user: string; groups: string[] }[];
}

/** The projection cannot be declared as it is; every problem is listed, each with a fix. */
export class AwsPlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`the AWS target cannot be declared:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "AwsPlanError";
  }
}

export function planAwsTarget(projection: AwsProjection, settings: Pick<AwsTargetSettings, "userNameSuffix">): AwsPlan {
  const problems: string[] = [];
  const usersByKey = new Map(projection.users.map((u) => [u.key, u]));

  const users = projection.users.map((u) => ({ name: u.key, args: identityStoreUserArgs(u, settings), protect: u.protected }));
  for (const u of users) {
    if (isReservedName(u.args.userName)) problems.push(`user ${u.name}: '${u.args.userName}' is a reserved Identity Store name; give the account another key`);
  }
  duplicates(users, (u) => u.args.userName.toLowerCase(), (names, v) => problems.push(`users ${names} would share the userName '${v}'; their keys must differ`));
  duplicates(users, (u) => u.args.emails.value.toLowerCase(), (names, v) => problems.push(`users ${names} would share the email ${v} (emails are unique in an identity store); correct it in the HR export`));

  const groups = projection.groups.map((g) => ({ name: g.key, args: identityStoreGroupArgs(g) }));
  for (const g of groups) {
    if (isReservedName(g.args.displayName)) problems.push(`group ${g.name}: '${g.args.displayName}' is a reserved Identity Store name; rename it in catalog.yaml`);
  }
  duplicates(groups, (g) => g.args.displayName.toLowerCase(), (names, v) => problems.push(`groups ${names} share the displayName '${v}'; make them distinct in catalog.yaml`));

  const memberships: AwsPlan["memberships"] = [];
  const withheld = new Map<string, string[]>();
  for (const group of projection.groups) {
    for (const { user: key } of group.members) {
      const user = usersByKey.get(key);
      if (!user) {
        problems.push(`group ${group.key} lists member ${key}, who is not among the target's users`);
      } else if (holdsAccess(user)) {
        memberships.push({ name: membershipName(group.key, key), group: group.key, user: key });
      } else {
        withheld.set(key, [...(withheld.get(key) ?? []), group.key]);
      }
    }
  }

  const permissionSets = projection.permissionSets.map((p) => ({ name: p.key, args: permissionSetArgs(p), managedPolicyArns: [...p.managedPolicies] }));
  duplicates(permissionSets, (p) => p.args.name, (names, v) => problems.push(`permission sets ${names} share the name '${v}'; names are unique per instance`));

  const accountIds = new Map(projection.accounts.map((a) => [a.key, a.id]));
  const groupKeys = new Set(projection.groups.map((g) => g.key));
  const setKeys = new Set(projection.permissionSets.map((p) => p.key));
  const assignments: AwsPlan["assignments"] = [];
  for (const a of projection.assignments) {
    const name = assignmentName(a);
    const accountId = accountIds.get(a.account);
    const missing = [
      groupKeys.has(a.group) ? undefined : `group '${a.group}'`,
      accountId ? undefined : `account '${a.account}'`,
      setKeys.has(a.permissionSet) ? undefined : `permission set '${a.permissionSet}'`,
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0) {
      problems.push(`assignment ${name} refers to ${missing.join(", ")}, not in the aws catalog`);
      continue;
    }
    assignments.push({ name, group: a.group, permissionSet: a.permissionSet, accountId: accountId!, after: [a.permissionSet] });
  }
  duplicates(assignments, (a) => a.name, (_names, v) => problems.push(`assignment ${v} is declared twice; remove the repetition from catalog.yaml`));

  if (problems.length > 0) throw new AwsPlanError(problems);
  return {
    users,
    groups,
    memberships,
    permissionSets,
    assignments,
    withheld: [...withheld].map(([user, groups]) => ({ user, groups })),
  };
}

function duplicates<T extends { name: string }>(items: T[], key: (item: T) => string, report: (names: string, value: string) => void): void {
  const seen = new Map<string, string[]>();
  for (const item of items) seen.set(key(item), [...(seen.get(key(item)) ?? []), item.name]);
  for (const [value, names] of seen) if (names.length > 1) report(names.join(", "), value);
}
