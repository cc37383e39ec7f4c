import type { AzureAdTargetSettings } from "./settings.js";
import { defineTarget } from "../target.js";
import { AZUREAD_TYPES, userPrincipalName } from "./convert.js";
import { azureAdLimits } from "./limits.js";
import { AZUREAD_COMPONENT_TYPE, azureAdPrevious, type AzureAdPrevious } from "./previous.js";
import { azureAdSchemas } from "./schema.js";

const sorted = <V, T>(record: Record<string, V>, make: (key: string, value: V) => T): T[] => Object.keys(record).sort().map((key) => make(key, record[key]!));

/** Microsoft Entra ID, through @pulumi/azuread. */
export const azureAdTarget = defineTarget({
  name: "azuread",
  schemas: azureAdSchemas,
  componentType: AZUREAD_COMPONENT_TYPE,
  packages: ["@pulumi/azuread", "@pulumi/random"],
  held: [
    { kind: "group", field: "groups" },
    { kind: "directoryRole", field: "directoryRoles", administrative: true },
  ],
  // azuread.User imports as `/users/<object id>`, GroupWithoutMembers as `/groups/<object id>`
  // (the d.ts "Import" sections). User has no ForceNew input; a group's ForceNew inputs are ones
  // rolecall never sets, held as the tenant has them (convert.ts AZUREAD_GROUP_UNSET_FORCE_NEW).
  adoption: {
    importId: (kind, id) => (kind === "account" ? `/users/${id}` : `/groups/${id}`),
    replacesOn: [],
    // The live userName is the UPN, which `upnDomain` moves off the email's domain.
    userName: (user, settings) => userPrincipalName(user, settings.upnDomain),
    // GroupMember's create refuses a member the group already has, and a second role assignment
    // is refused too: they import as `<group object id>/member/<member object id>`
    // (groupMember.d.ts) and by the assignment's id, which the live read keeps (directoryRoleAssignment.d.ts).
    membershipImportId: (item, member) => (item.kind === "group" ? `${item.id}/member/${member}` : item.memberships?.[member]),
  },
  plan: { accountType: AZUREAD_TYPES.user, enabledFields: ["accountEnabled"], memberFields: { [AZUREAD_TYPES.group]: "members" } },
  convergesWithoutCheckpoints: false,
  catalogDefaultSettings: {},
  project: ({ catalog, users, holdersOf }) => {
    const members = holdersOf((e) => e.groups);
    const assigned = holdersOf((e) => e.directoryRoles);
    return {
      users,
      groups: sorted(catalog.groups, (key, g) => ({ key, ...g, members: members(key) })),
      directoryRoles: sorted(catalog.directoryRoles, (key, r) => ({ key, displayName: r.displayName, members: assigned(key) })),
    };
  },
  emptyProjection: (users) => ({ users, groups: [], directoryRoles: [] }),
  withoutDangling: (projection) => projection,
  limits: azureAdLimits,
  // The provider authenticates through its usual ARM_* environment variables.
  connect: async (settings) => settings,
  readPrevious: (deployment): AzureAdPrevious => azureAdPrevious(deployment),
  readInventory: async (settings) => (await import("./inventory.js")).readAzureAdInventory(settings),
  loadDeclare: async () => {
    const { AzureAdTarget } = await import("./component.js");
    return (name, projection, settings: AzureAdTargetSettings, previous) =>
      new AzureAdTarget(name, {
        projection,
        settings,
        previous: previous.state && { ...previous.state, ...(previous.record ? { record: previous.record } : {}) },
        ...(previous.adoption ? { adoption: previous.adoption } : {}),
      }).declared;
  },
});
