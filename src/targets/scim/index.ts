import type * as pulumi from "@pulumi/pulumi";
import { defineTarget } from "../target.js";
import { tokenViaEnvironment } from "./token-handoff.js";
import { scimChanges } from "./changes.js";
import { scimLimits } from "./limits.js";
import { scimSchemas } from "./schema.js";

/**
 * How to reach a SCIM service provider. The component registers the token as a Pulumi secret
 * in the provider's configuration, unless `tokenInEnvironment` says the engine's environment
 * carries it (token-handoff.ts) — then the state never holds it.
 */
export interface ScimConnection {
  endpoint: pulumi.Input<string>;
  token: pulumi.Input<string>;
  tokenInEnvironment?: boolean;
}

/** Any SCIM 2.0 service provider, through rolecall's own provider; the sandbox is its local instance. */
export const scimTarget = defineTarget({
  name: "scim",
  schemas: scimSchemas,
  componentType: "rolecall:targets:Scim",
  packages: [],
  held: [{ kind: "group", field: "groups" }],
  // An OrphanAccount resource disables or deletes the account by id after reading it back (provider/orphan.ts).
  orphanActions: ["disable", "remove"],
  // The provider adopts the given id itself (User/Group adoptId): no import ID, nothing replaced on adoption.
  adoption: {},
  plan: {
    accountType: "rolecall-scim:index:User",
    enabledFields: ["active"],
    orphanType: "rolecall-scim:index:OrphanAccount",
    memberFields: { "rolecall-scim:index:Group": "members" },
  },
  // A group's members are SCIM ids, which the state holds for every account it does not declare.
  declaresPart: true,
  changedPart: scimChanges,
  // The provider matches users and groups by externalId on create: a killed run's creations are adopted.
  convergesWithoutCheckpoints: true,
  catalogDefaultSettings: { endpoint: "sandbox" },
  project: ({ catalog, users, holdersOf }) => {
    const members = holdersOf((e) => e.groups);
    return { users, groups: Object.keys(catalog.groups).sort().map((key) => ({ key, ...catalog.groups[key]!, members: members(key) })) };
  },
  emptyProjection: (users) => ({ users, groups: [] }),
  withoutDangling: (projection) => projection,
  limits: scimLimits,
  connect: async (settings, ctx) => (await import("./connect.js")).connectScim(settings, ctx),
  handOff: tokenViaEnvironment,
  readInventory: async (connection) => (await import("./inventory.js")).readScimInventory(connection),
  loadDeclare: async () => {
    const { ScimTarget } = await import("./component.js");
    return (name, projection, { tokenInEnvironment, token, ...connection }: ScimConnection, previous) =>
      new ScimTarget(name, { projection, ...connection, ...(tokenInEnvironment ? {} : { token }), ...(previous.adoption ? { adoption: previous.adoption } : {}), ...(previous.accountIds ? { accountIds: previous.accountIds } : {}), ...(previous.byId ? { byId: previous.byId } : {}) }).declared;
  },
});
