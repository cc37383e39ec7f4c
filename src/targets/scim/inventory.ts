import type { LiveDirectory } from "../../model/inventory.js";
import { LiveReadError } from "../live-http.js";
import { ScimClient } from "./provider/client.js";
import { ScimError } from "./provider/scim-error.js";
import { groupFromScim, userFromScim } from "./provider/mapping.js";
import type { ScimGroup, ScimUser } from "./provider/scim-types.js";

/** SCIM booleans arrive as booleans, or as "True"/"False" strings from some service providers. */
const truthy = (v: ScimUser["active"]): boolean | undefined => (v === undefined ? undefined : v === true || (typeof v === "string" && v.toLowerCase() === "true"));

/**
 * Every user and group of a SCIM service provider, paged with the provider's own client
 * (RFC 7644 §3.4.2.4, the SP's page size); a group listed without its members is read alone,
 * since SPs may leave members out of lists. `observed` holds each as the provider's refresh
 * reads it (provider/mapping.ts), so a plan can tell drift without refreshing every resource.
 */
export async function readScimInventory(connection: { endpoint: unknown; token: unknown }, options: { fetch?: typeof fetch; sleep?: (ms: number) => Promise<void> } = {}): Promise<LiveDirectory> {
  if (typeof connection.endpoint !== "string" || typeof connection.token !== "string") throw new Error("the SCIM connection is not resolved to an endpoint and a token");
  const client = new ScimClient({ endpoint: connection.endpoint, token: connection.token, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.sleep ? { sleep: options.sleep } : {}) });
  const { users, groups } = await readAll(client, connection.endpoint);
  const identified = <T extends { id?: unknown }>(list: T[]) => list.filter((x): x is T & { id: string } => typeof x.id === "string" && x.id !== "");
  return {
    observed: { accounts: new Map(identified(users).map((u) => [u.id, userFromScim(u)])), items: new Map(identified(groups).map((g) => [g.id, groupFromScim(g)])) },
    accounts: users
      .filter((u): u is ScimUser & { id: string } => typeof u.id === "string")
      .map((u) => {
        const active = truthy(u.active);
        return {
          id: u.id,
          userName: u.userName,
          ...(u.externalId ? { externalId: u.externalId } : {}),
          emails: (u.emails ?? []).map((e) => e.value).filter((v): v is string => typeof v === "string"),
          ...(active === undefined ? {} : { active }),
          ...(u.displayName ? { displayName: u.displayName } : {}),
        };
      }),
    items: groups
      .filter((g): g is ScimGroup & { id: string } => typeof g.id === "string")
      .map((g) => ({ kind: "group", id: g.id, displayName: g.displayName, ...(g.externalId ? { externalId: g.externalId } : {}), members: (g.members ?? []).map((m) => m.value) })),
  };
}

/**
 * Every user and group, or a LiveReadError: a service provider that is down, refuses the token
 * or answers something else is the environment's to fix, not a defect of rolecall's.
 */
async function readAll(client: ScimClient, endpoint: string): Promise<{ users: ScimUser[]; groups: ScimGroup[] }> {
  try {
    const users = await client.listUsers();
    const groups: ScimGroup[] = [];
    for (const g of await client.listGroups()) groups.push(Array.isArray(g.members) || typeof g.id !== "string" ? g : ((await client.getGroup(g.id)) ?? g));
    return { users, groups };
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    const where = new URL(endpoint);
    throw new LiveReadError(`scim: reading the users and groups of ${where.origin}${where.pathname} failed: ${error.message}`, "check that the service provider is up and reachable from here, and the stack's SCIM endpoint and token", error);
  }
}
