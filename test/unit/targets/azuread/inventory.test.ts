import { afterEach, describe, expect, it } from "vitest";
import { EnvironmentError } from "../../../../src/engine/errors.js";
import { readAzureAdInventory } from "../../../../src/targets/azuread/inventory.js";
import { LiveReadError } from "../../../../src/targets/live-http.js";
import { startJsonApi, type Answer, type JsonApi } from "../../../support/json-api.js";

const TENANT = "11111111-2222-3333-4444-555555555555";
const SECRET_ENV = { ARM_CLIENT_ID: "app-1", ARM_CLIENT_SECRET: "s3cret" };
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";

const user = (id: string, upn: string, extra: Record<string, unknown> = {}) => ({ id, userPrincipalName: upn, displayName: upn.split("@")[0], mail: upn, otherMails: [], accountEnabled: true, employeeId: null, onPremisesImmutableId: null, ...extra });
const USERS = [
  user("u1", "ada@example.com", { employeeId: "W1001", otherMails: ["ada@home.example"] }),
  user("u2", "ben@example.com", { employeeId: "W1002", accountEnabled: false }),
  user("u3", "cy@example.com", { mail: null }),
  user("u4", "dee@example.com", { onPremisesImmutableId: "W1004" }),
];

/** A tenant as Graph v1.0 shows it: two pages of users, paged members, a dynamic group, role assignments to users, a service principal and a scope. */
function tenant(fault?: (url: URL) => Answer | undefined) {
  return (request: { method: string; url: URL; body: string; headers: Record<string, unknown> }, origin: string): Answer => {
    const { url } = request;
    const injected = fault?.(url);
    if (injected) return injected;
    if (url.pathname === `/${TENANT}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(request.body);
      const ok = form.get("grant_type") === "client_credentials" && form.get("client_id") === "app-1" && form.get("client_secret") === "s3cret" && form.get("scope") === `${origin}/.default`;
      return ok ? { body: { token_type: "Bearer", expires_in: 3599, access_token: "graph-at" } } : { status: 401, body: { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." } };
    }
    if (request.headers.authorization !== "Bearer graph-at") return { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "Access token is empty." } } };
    const skip = url.searchParams.get("$skiptoken");
    const next = (token: string) => `${origin}${url.pathname}?${new URLSearchParams({ ...Object.fromEntries(url.searchParams), $skiptoken: token })}`;
    switch (url.pathname) {
      case "/v1.0/users":
        return skip ? { body: { value: USERS.slice(2) } } : { body: { "@odata.context": "x", value: USERS.slice(0, 2), "@odata.nextLink": next("p2") } };
      case "/v1.0/groups":
        return {
          body: {
            value: [
              { id: "g1", displayName: "Engineering", groupTypes: [] },
              { id: "g2", displayName: "All staff (dynamic)", groupTypes: ["DynamicMembership"] },
              { id: "g3", displayName: "IT Administrators", groupTypes: [] },
            ],
          },
        };
      case "/v1.0/groups/g1/members/microsoft.graph.user":
        return skip ? { body: { value: [{ "@odata.type": "#microsoft.graph.user", id: "u3" }] } } : { body: { value: [{ id: "u1" }, { id: "u2" }], "@odata.nextLink": next("m2") } };
      case "/v1.0/groups/g3/members/microsoft.graph.user":
        return { body: { value: [] } };
      case "/v1.0/roleManagement/directory/roleDefinitions":
        return { body: { value: [{ id: GLOBAL_ADMIN, displayName: "Global Administrator" }, { id: USER_ADMIN, displayName: "User Administrator" }] } };
      case "/v1.0/roleManagement/directory/roleAssignments": {
        // As Graph's reference says: the directory provider's listing needs a filter on the role (or the principal).
        const role = /^roleDefinitionId eq '([^']+)'$/.exec(url.searchParams.get("$filter") ?? "")?.[1];
        if (!role) return { status: 400, body: { error: { code: "BadRequest", message: "A filter on roleDefinitionId or principalId is required." } } };
        const all = [
          { id: "a1", principalId: "u1", roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" },
          { id: "a4", principalId: "sp-1", roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" },
          { id: "a2", principalId: "u3", roleDefinitionId: USER_ADMIN, directoryScopeId: "/" },
          { id: "a3", principalId: "u4", roleDefinitionId: USER_ADMIN, directoryScopeId: "/administrativeUnits/au1" },
        ].filter((a) => a.roleDefinitionId === role);
        return skip ? { body: { value: all.slice(1) } } : { body: { value: all.slice(0, 1), "@odata.nextLink": next("r2") } };
      }
      default:
        return { status: 404, body: { error: { code: "Request_ResourceNotFound", message: `no ${url.pathname}` } } };
    }
  };
}

let api: JsonApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});
const waits: number[] = [];
const options = (origin: string, env: Record<string, string> = SECRET_ENV) => ({ env, loginUrl: origin, graphUrl: origin, sleep: async (ms: number) => void waits.push(ms) });
const SETTINGS = { tenantId: TENANT };

describe("readAzureAdInventory", () => {
  it("reads every page of users, non-dynamic groups with paged user members and the role assignments of accounts, waiting out a 429", async () => {
    waits.length = 0;
    let throttled = false;
    api = await startJsonApi(
      tenant((url) => {
        if (throttled || url.pathname !== "/v1.0/groups") return undefined;
        throttled = true;
        return { status: 429, headers: { "retry-after": "7" }, body: { error: { code: "TooManyRequests", message: "Too many requests" } } };
      }),
    );
    const live = await readAzureAdInventory(SETTINGS, options(api.origin));
    expect(live.accounts).toEqual([
      { id: "u1", userName: "ada@example.com", externalId: "W1001", emails: ["ada@example.com", "ada@home.example"], active: true, displayName: "ada" },
      { id: "u2", userName: "ben@example.com", externalId: "W1002", emails: ["ben@example.com"], active: false, displayName: "ben" },
      { id: "u3", userName: "cy@example.com", emails: [], active: true, displayName: "cy" },
      { id: "u4", userName: "dee@example.com", emails: ["dee@example.com"], active: true, displayName: "dee" },
    ]);
    expect(live.items).toEqual([
      { kind: "group", id: "g1", displayName: "Engineering", members: ["u1", "u2", "u3"] },
      { kind: "group", id: "g3", displayName: "IT Administrators", members: [] },
      { kind: "directoryRole", id: GLOBAL_ADMIN, displayName: "Global Administrator", members: ["u1"], memberships: { u1: "a1" } },
      { kind: "directoryRole", id: USER_ADMIN, displayName: "User Administrator", members: ["u3"], memberships: { u3: "a2" } },
      { kind: "directoryRole", id: `${USER_ADMIN}@/administrativeUnits/au1`, displayName: "User Administrator (scope /administrativeUnits/au1)", members: ["u4"], memberships: { u4: "a3" } },
    ]);
    expect(waits).toEqual([7000]);
    const users = api.requests.find((r) => r.url.pathname === "/v1.0/users")!;
    expect(users.url.searchParams.get("$top")).toBe("999");
    expect(users.url.searchParams.get("$select")).toContain("employeeId");
    expect(api.requests.filter((r) => r.url.pathname.endsWith("/oauth2/v2.0/token"))).toHaveLength(1);
  });

  it("takes onPremisesImmutableId as the worker ID on a federated domain only", async () => {
    api = await startJsonApi(tenant());
    const live = await readAzureAdInventory({ ...SETTINGS, federated: true }, options(api.origin));
    expect(live.accounts.find((a) => a.id === "u4")?.externalId).toBe("W1004");
  });

  it("throws when a page fails mid-listing", async () => {
    api = await startJsonApi(tenant((url) => (url.pathname === "/v1.0/roleManagement/directory/roleAssignments" && url.searchParams.has("$skiptoken") && url.searchParams.get("$filter")?.includes(USER_ADMIN) ? { status: 403, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } } } : undefined)));
    const read = readAzureAdInventory(SETTINGS, options(api.origin));
    await expect(read).rejects.toBeInstanceOf(LiveReadError);
    await expect(readAzureAdInventory(SETTINGS, options(api.origin))).rejects.toThrow(/assignments of directory role User Administrator failed with HTTP 403: Authorization_RequestDenied: Insufficient privileges/);
  });

  it("throws when a page is cut off, or answers without its value list", async () => {
    api = await startJsonApi(tenant((url) => (url.pathname === "/v1.0/users" && url.searchParams.has("$skiptoken") ? { body: { value: USERS }, breakOff: true } : undefined)));
    await expect(readAzureAdInventory(SETTINGS, { ...options(api.origin), maxRetries: 0 })).rejects.toThrow(/reading users (broke off|failed)/);
    await api.close();
    api = await startJsonApi(tenant((url) => (url.pathname === "/v1.0/groups" ? { body: { groups: [] } } : undefined)));
    await expect(readAzureAdInventory(SETTINGS, options(api.origin))).rejects.toThrow(/the answer listing groups is not a list/);
  });

  it("says which secret is wrong when the token is refused, and reads nothing", async () => {
    api = await startJsonApi(tenant());
    await expect(readAzureAdInventory(SETTINGS, options(api.origin, { ARM_CLIENT_ID: "app-1", ARM_CLIENT_SECRET: "wrong" }))).rejects.toThrow(/no Graph token .*HTTP 401: invalid_client: AADSTS7000215/);
    expect(api.requests.filter((r) => r.url.pathname.startsWith("/v1.0"))).toHaveLength(0);
  });

  it("exchanges a CI's OIDC token for the Graph token", async () => {
    const serve = tenant();
    api = await startJsonApi((request, origin) => {
      if (request.url.pathname === "/oidc") return request.headers.authorization === "Bearer ci-req" && request.url.searchParams.get("audience") === "api://AzureADTokenExchange" ? { body: { value: "federated-jwt" } } : { status: 403 };
      if (request.url.pathname === `/${TENANT}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(request.body);
        return form.get("client_assertion") === "federated-jwt" && form.get("client_assertion_type") === "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" ? { body: { access_token: "graph-at", expires_in: 3599 } } : { status: 400, body: { error: "invalid_request" } };
      }
      return serve(request, origin);
    });
    const env = { ARM_CLIENT_ID: "app-1", ARM_USE_OIDC: "true", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "ci-req", ACTIONS_ID_TOKEN_REQUEST_URL: `${api.origin}/oidc?api-version=2.0` };
    expect((await readAzureAdInventory(SETTINGS, options(api.origin, env))).accounts).toHaveLength(4);
  });

  it.each([
    ["no client ID", {}, /ARM_CLIENT_ID is not set/],
    ["no secret", { ARM_CLIENT_ID: "app-1" }, /ARM_CLIENT_SECRET is not set/],
    ["OIDC without a token", { ARM_CLIENT_ID: "app-1", ARM_USE_OIDC: "true" }, /ARM_USE_OIDC=true but no OIDC token/],
    ["an unknown cloud", { ...SECRET_ENV, ARM_ENVIRONMENT: "moon" }, /ARM_ENVIRONMENT=moon/],
  ])("refuses %s before any request, saying what to set", async (_, env, message) => {
    const read = readAzureAdInventory(SETTINGS, { env, sleep: async () => {} });
    await expect(read).rejects.toBeInstanceOf(EnvironmentError);
    await expect(readAzureAdInventory(SETTINGS, { env })).rejects.toThrow(message);
  });
});
