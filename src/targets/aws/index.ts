import type { AwsTargetSettings } from "./settings.js";
import { byString } from "../../compile/order.js";
import type { Finding } from "../../model/finding.js";
import { defineTarget, type GroupHeldItem } from "../target.js";
import { identityStoreUserName } from "./convert.js";
import { awsLimits } from "./limits.js";
import { AWS_ENGINE_PARALLELISM } from "./rate-limits.js";
import { awsSchemas } from "./schema.js";

const sorted = <V, T>(record: Record<string, V>, make: (key: string, value: V) => T): T[] => Object.keys(record).sort().map((key) => make(key, record[key]!));

/** AWS IAM Identity Center, through @pulumi/aws: identity store users, groups and memberships; permission sets and account assignments. */
export const awsTarget = defineTarget({
  name: "aws",
  schemas: awsSchemas,
  componentType: "rolecall:targets:Aws",
  packages: ["@pulumi/aws"],
  held: [{ kind: "group", field: "groups" }],
  // Account assignments belong to groups; the live read names one `<account id>/<permission set name>`.
  groupHeld: {
    kind: "assignment",
    declared: (projection) => {
      const accountId = new Map(projection.accounts.map((a) => [a.key, a.id]));
      const setName = new Map(projection.permissionSets.map((p) => [p.key, p.name]));
      const byKey = new Map<string, GroupHeldItem>();
      for (const a of projection.assignments) {
        const key = `${a.account}/${a.permissionSet}`;
        const item = byKey.get(key) ?? byKey.set(key, { key, displayName: `${accountId.get(a.account) ?? a.account}/${setName.get(a.permissionSet) ?? a.permissionSet}`, groups: [] }).get(key)!;
        item.groups.push(a.group);
      }
      return [...byKey.values()];
    },
  },
  // identitystore.User and Group import as `<identity store id>/<user or group id>` (the d.ts
  // "Import" sections). userName and identityStoreId force a new user (replace-on-change.json):
  // a live userName other than rolecall's is refused, never deleted and recreated.
  adoption: {
    importId: (_kind, id, settings) => `${settings.identityStoreId}/${id}`,
    replacesOn: ["userName"],
    userName: (user, settings) => identityStoreUserName(user, settings),
    // A second CreateGroupMembership of a member fails (ConflictException): an adopted group's
    // memberships import as `<identity store id>/<membership id>`.
    // Identity Center has no status rolecall sets (access goes with the memberships).
    sets: (field) => field !== "active",
    membershipImportId: (item, member, settings) => (item.kind === "group" && item.memberships?.[member] ? `${settings.identityStoreId}/${item.memberships[member]}` : undefined),
  },
  // Identity Store users have no enabled flag: access goes with the memberships.
  plan: { accountType: "aws:identitystore/user:User", enabledFields: [] },
  convergesWithoutCheckpoints: false,
  engineParallelism: AWS_ENGINE_PARALLELISM,
  catalogDefaultSettings: {},
  project: ({ catalog, users, holdersOf }) => {
    const members = holdersOf((e) => e.groups);
    return {
      users,
      groups: sorted(catalog.groups, (key, g) => ({ key, displayName: g.displayName, ...(g.description ? { description: g.description } : {}), members: members(key) })),
      accounts: sorted(catalog.accounts, (key, a) => ({ key, id: a.id })),
      permissionSets: sorted(catalog.permissionSets, (key, p) => ({ key, ...p })),
      assignments: Object.entries(catalog.groups)
        .flatMap(([group, g]) => g.assignments.map((a) => ({ group, ...a })))
        .sort(byString((a) => `${a.group} ${a.account} ${a.permissionSet}`)),
    };
  },
  emptyProjection: (users) => ({ users, groups: [], accounts: [], permissionSets: [], assignments: [] }),
  // An account assignment belongs to its group: it goes when the group does.
  withoutDangling: (projection) => {
    const kept = new Set(projection.groups.map((g) => g.key));
    return { ...projection, assignments: projection.assignments.filter((a) => kept.has(a.group)) };
  },
  catalogFindings: (catalog, at) =>
    Object.entries(catalog.groups).flatMap(([key, group]) =>
      group.assignments.flatMap((a, index): Finding[] => {
        const base = `groups.${key}.assignments.${index}`;
        return [
          ...(a.account in catalog.accounts ? [] : [{ severity: "error" as const, code: "unknown-catalog-key", message: `aws group '${key}' is assigned unknown account '${a.account}'`, ...at(`${base}.account`), hint: "declare it under aws.accounts" }]),
          ...(a.permissionSet in catalog.permissionSets ? [] : [{ severity: "error" as const, code: "unknown-catalog-key", message: `aws group '${key}' is assigned unknown permission set '${a.permissionSet}'`, ...at(`${base}.permissionSet`), hint: "declare it under aws.permissionSets" }]),
        ];
      }),
    ),
  limits: awsLimits,
  // The provider reads its credentials from the usual AWS chain.
  connect: async (settings) => settings,
  readInventory: async (settings) => (await import("./inventory.js")).readAwsInventory(settings),
  loadDeclare: async () => {
    const { AwsTarget } = await import("./component.js");
    return (name, projection, settings: AwsTargetSettings, previous) => new AwsTarget(name, { projection, settings, ...(previous.adoption ? { adoption: previous.adoption } : {}) }).declared;
  },
});
