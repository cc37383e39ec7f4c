import type { LiveAccount, LiveDirectory, LiveItem } from "../../model/inventory.js";
import type { AzureAdTargetSettings } from "./settings.js";
import { arrayOf, jsonGetter, LiveReadError, type JsonGetter, type LiveHttpOptions } from "../live-http.js";
import { cloudOf, GRAPH_READ_HINT, graphToken } from "./read-auth.js";

export interface GraphReadOptions extends LiveHttpOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** For tests against a local server: where the token endpoint and Graph are. */
  loginUrl?: string;
  graphUrl?: string;
}

/** Graph's largest page for users, groups and members. */
const PAGE = "999";
const USER_FIELDS = "id,userPrincipalName,displayName,mail,otherMails,accountEnabled,employeeId,onPremisesImmutableId";

/**
 * Every user, group and directory-role assignment of an Entra ID tenant, over Microsoft Graph
 * v1.0 with an app-only token, each listing paged to its end by `@odata.nextLink`:
 * - users with the fields correlation needs; externalId is employeeId, where rolecall writes
 *   the worker ID (and onPremisesImmutableId on a federated domain, where rolecall sets both);
 * - groups other than dynamic ones (their members follow a rule: nobody adds or removes them),
 *   each with its direct user members;
 * - active directory-role assignments, listed per role definition, one item per role and scope, named by the role's display
 *   name as the catalog's directoryRoles are; a scoped assignment (an administrative unit) is its
 *   own item, since rolecall only assigns tenant-wide. Assignments to service principals or
 *   groups are not accounts and are left out, and so are PIM-eligible ones.
 * Any failure throws: a partial read is never returned.
 */
export async function readAzureAdInventory(settings: AzureAdTargetSettings, options: GraphReadOptions = {}): Promise<LiveDirectory> {
  const env = options.env ?? process.env;
  const graph = options.graphUrl ?? cloudOf(env).graph;
  const token = graphToken(settings.tenantId, env, options);
  const get = jsonGetter("azuread", new URL(graph).origin, async () => ({ authorization: `Bearer ${await token()}` }), GRAPH_READ_HINT, options);
  const url = (path: string, query: Record<string, string> = {}) => {
    const u = new URL(`${graph}/v1.0${path}`);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u;
  };

  const accounts: LiveAccount[] = [];
  for await (const page of pages(get, url("/users", { $select: USER_FIELDS, $top: PAGE }), "users")) for (const user of page) accounts.push(account(user, settings));
  const isAccount = new Set(accounts.map((a) => a.id));

  const items: LiveItem[] = [];
  for await (const page of pages(get, url("/groups", { $select: "id,displayName,groupTypes", $top: PAGE }), "groups")) {
    for (const raw of page) {
      const group = raw as { id?: unknown; displayName?: unknown; groupTypes?: unknown };
      if (typeof group.id !== "string") throw shapeError("a group without an id");
      if (Array.isArray(group.groupTypes) && group.groupTypes.includes("DynamicMembership")) continue;
      const name = typeof group.displayName === "string" ? group.displayName : group.id;
      const members: string[] = [];
      for await (const users of pages(get, url(`/groups/${encodeURIComponent(group.id)}/members/microsoft.graph.user`, { $select: "id", $top: PAGE }), `the members of group ${name}`)) {
        for (const member of users) members.push(idOf(member, `a member of group ${name}`));
      }
      items.push({ kind: "group", id: group.id, displayName: name, members });
    }
  }

  const roleNames = new Map<string, string>();
  for await (const page of pages(get, url("/roleManagement/directory/roleDefinitions", { $select: "id,displayName" }), "directory role definitions")) {
    for (const raw of page) {
      const role = raw as { id?: unknown; displayName?: unknown };
      if (typeof role.id !== "string" || typeof role.displayName !== "string") throw shapeError("a role definition without an id or a name");
      roleNames.set(role.id, role.displayName);
    }
  }
  const roles = new Map<string, LiveItem>();
  // Listed role by role: Graph's v1.0 reference has required a filter on roleDefinitionId (or
  // principalId) for this listing; one request per role definition works either way.
  for (const [roleId, roleName] of roleNames) {
    const listing = url("/roleManagement/directory/roleAssignments", { $filter: `roleDefinitionId eq '${roleId}'`, $select: "id,principalId,roleDefinitionId,directoryScopeId" });
    for await (const page of pages(get, listing, `the assignments of directory role ${roleName}`)) for (const raw of page) {
      const a = raw as { id?: unknown; principalId?: unknown; roleDefinitionId?: unknown; directoryScopeId?: unknown };
      if (typeof a.principalId !== "string" || typeof a.roleDefinitionId !== "string") throw shapeError("a role assignment without a principal or a role");
      if (!isAccount.has(a.principalId)) continue;
      const scope = typeof a.directoryScopeId === "string" ? a.directoryScopeId : "/";
      const name = roleNames.get(a.roleDefinitionId) ?? roleName;
      const id = scope === "/" ? a.roleDefinitionId : `${a.roleDefinitionId}@${scope}`;
      const item = roles.get(id) ?? roles.set(id, { kind: "directoryRole", id, displayName: scope === "/" ? name : `${name} (scope ${scope})`, members: [] }).get(id)!;
      if (!item.members.includes(a.principalId)) item.members.push(a.principalId);
      // The assignment's own id: what importing it takes, should its holder be adopted.
      if (typeof a.id === "string") item.memberships = { ...item.memberships, [a.principalId]: a.id };
    }
  }
  return { accounts, items: [...items, ...[...roles.values()].sort((x, y) => (x.displayName < y.displayName ? -1 : 1))] };
}

/** One OData listing, page by page, until a page carries no @odata.nextLink. */
async function* pages(get: JsonGetter, first: URL, what: string): AsyncGenerator<unknown[]> {
  let next: URL | undefined = first;
  let previous = "";
  while (next) {
    if (next.href === previous) throw new LiveReadError(`azuread: listing ${what} returned the same next page twice`, GRAPH_READ_HINT);
    previous = next.href;
    const { body }: { body: unknown } = await get(next, what);
    const page = body as { value?: unknown; "@odata.nextLink"?: unknown } | null;
    yield arrayOf(page?.value, "azuread", what, GRAPH_READ_HINT);
    const link = page?.["@odata.nextLink"];
    next = typeof link === "string" ? new URL(link) : undefined;
  }
}

function account(raw: unknown, settings: Pick<AzureAdTargetSettings, "federated">): LiveAccount {
  const user = raw as Record<string, unknown>;
  if (typeof user.id !== "string" || typeof user.userPrincipalName !== "string") throw shapeError("a user without an id or a userPrincipalName");
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  // On a federated domain rolecall sets onPremisesImmutableId to the worker ID too; elsewhere it is a sync anchor, not a worker ID.
  const externalId = text(user.employeeId) ?? (settings.federated ? text(user.onPremisesImmutableId) : undefined);
  const emails = [text(user.mail), ...(Array.isArray(user.otherMails) ? user.otherMails.map(text) : [])].filter((e): e is string => e !== undefined);
  const displayName = text(user.displayName);
  return {
    id: user.id,
    userName: user.userPrincipalName,
    ...(externalId ? { externalId } : {}),
    emails: [...new Set(emails)],
    // A user Graph lists without accountEnabled counts as able to sign in: never taken for disabled unseen.
    active: user.accountEnabled !== false,
    ...(displayName ? { displayName } : {}),
  };
}

function idOf(raw: unknown, what: string): string {
  const id = (raw as { id?: unknown } | null)?.id;
  if (typeof id !== "string") throw shapeError(`${what} without an id`);
  return id;
}

const shapeError = (what: string) => new LiveReadError(`azuread: Graph answered ${what}; nothing was read, so nothing is reported as missing`, GRAPH_READ_HINT);
