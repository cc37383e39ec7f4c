import type { OktaTargetSettings } from "./settings.js";
import { defineTarget } from "../target.js";
import { OKTA_TYPES } from "./convert.js";
import { oktaLimits } from "./limits.js";
import { OKTA_COMPONENT_TYPE, oktaPrevious, type OktaPrevious } from "./previous.js";
import { OKTA_ENGINE_PARALLELISM } from "./rate-limits.js";
import { oktaSchemas } from "./schema.js";
import { adoptedStatus, wantedStatus } from "./status.js";

const sorted = <V, T>(record: Record<string, V>, make: (key: string, value: V) => T): T[] => Object.keys(record).sort().map((key) => make(key, record[key]!));

/** Okta, through @pulumi/okta. */
export const oktaTarget = defineTarget({
  name: "okta",
  schemas: oktaSchemas,
  componentType: OKTA_COMPONENT_TYPE,
  packages: ["@pulumi/okta"],
  held: [
    { kind: "group", field: "groups" },
    // The live read names a standard role by its type, as the projection's entries carry it.
    { kind: "adminRole", field: "adminRoles", administrative: true, liveId: "type" },
  ],
  // okta.user.User and okta.group.Group import by Okta's own id (the d.ts "Import" sections:
  // `<user_id>`, `<group_id>`); neither has a ForceNew input (replace-on-change.json), so no
  // adopted value replaces one. The engine imports, then updates to rolecall's values in the same run.
  adoption: {
    importId: (_kind, id) => id,
    replacesOn: [],
    // A deactivated account takes no profile change (status.ts adoptedStatus): only its status lands.
    sets: (field, user) => field === "active" || adoptedStatus(wantedStatus(user)).freezeProfile === false,
  },
  plan: { accountType: OKTA_TYPES.user, enabledFields: ["status"], memberFields: { [OKTA_TYPES.userGroupMemberships]: "groups" } },
  // A second create of the same login is refused: the stack keeps a checkpoint per step.
  convergesWithoutCheckpoints: false,
  engineParallelism: OKTA_ENGINE_PARALLELISM,
  catalogDefaultSettings: {},
  project: ({ catalog, users, holdersOf }) => {
    const members = holdersOf((e) => e.groups);
    const admins = holdersOf((e) => e.adminRoles);
    return {
      users,
      groups: sorted(catalog.groups, (key, g) => ({ key, displayName: g.name, ...(g.description ? { description: g.description } : {}), members: members(key) })),
      adminRoles: sorted(catalog.adminRoles, (key, r) => ({ key, type: r.type, members: admins(key) })),
    };
  },
  emptyProjection: (users) => ({ users, groups: [], adminRoles: [] }),
  withoutDangling: (projection) => projection,
  limits: oktaLimits,
  connect: async (settings, ctx) => (await import("./connect.js")).connectOkta(settings, ctx),
  readPrevious: (deployment): OktaPrevious => oktaPrevious(deployment),
  readInventory: async (settings) => (await import("./inventory.js")).readOktaInventory(settings),
  loadDeclare: async () => {
    const { OktaTarget } = await import("./component.js");
    return (name, projection, settings: OktaTargetSettings, previous) =>
      new OktaTarget(name, { projection, settings, previous: previous.state, ...(previous.adoption ? { adoption: previous.adoption } : {}) }).declared;
  },
});
