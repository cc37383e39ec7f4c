import { generateKeyPairSync, verify } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { EnvironmentError } from "../../../../src/engine/errors.js";
import { LiveReadError } from "../../../../src/targets/live-http.js";
import { nextLink, oktaPace, readOktaInventory } from "../../../../src/targets/okta/inventory.js";
import { startJsonApi, type Answer, type JsonApi } from "../../../support/json-api.js";

const TOKEN = "00test-token";
const user = (id: string, login: string, status: string, extra: Record<string, string> = {}) => ({
  id,
  status,
  profile: { login, email: login, firstName: id, lastName: "Test", ...extra },
});

/** Users as Okta's Users API lists them: 2 + 1 per page with Link: rel="next", one deactivated user only by search. */
const USERS = [
  user("00u1", "ada@example.com", "ACTIVE", { employeeNumber: "W1001", displayName: "Ada Muller", secondEmail: "ada@home.example" }),
  user("00u2", "ben@example.com", "PROVISIONED", { employeeNumber: "W1002" }),
  user("00u3", "cy@example.com", "LOCKED_OUT"),
  user("00u4", "dee@example.com", "SUSPENDED", { employeeNumber: "W1004" }),
  user("00u5", "eve@example.com", "STAGED"),
];
const DEPROVISIONED = user("00u6", "fay@example.com", "DEPROVISIONED", { employeeNumber: "W1006" });

const link = (origin: string, path: string, after: string) => ({ link: `<${origin}${path}?limit=2>; rel="self", <${origin}${path}?after=${after}&limit=2>; rel="next"` });

/** An org as the Management API shows it; `fault` changes the answer to one request. */
function org(fault?: (url: URL) => Answer | undefined) {
  return (request: { url: URL; headers: Record<string, unknown> }, origin: string): Answer => {
    const { url } = request;
    const injected = fault?.(url);
    if (injected) return injected;
    const after = url.searchParams.get("after");
    if (url.pathname === "/api/v1/users") {
      if (url.searchParams.get("search") === 'status eq "DEPROVISIONED"') return { body: [DEPROVISIONED] };
      if (!after) return { body: USERS.slice(0, 2), headers: link(origin, "/api/v1/users", "00u2") };
      if (after === "00u2") return { body: USERS.slice(2, 4), headers: link(origin, "/api/v1/users", "00u4") };
      return { body: USERS.slice(4) };
    }
    if (url.pathname === "/api/v1/groups") {
      // Answers every type: the reader must keep OKTA_GROUP only even when the filter is not applied.
      return {
        body: [
          { id: "00g1", type: "OKTA_GROUP", profile: { name: "Engineering" } },
          { id: "00g2", type: "APP_GROUP", profile: { name: "AD Domain Users" } },
          { id: "00g3", type: "BUILT_IN", profile: { name: "Everyone" } },
          { id: "00g4", type: "OKTA_GROUP", profile: { name: "IT Administrators" } },
        ],
      };
    }
    if (url.pathname === "/api/v1/groups/00g1/users") {
      if (!after) return { body: [{ id: "00u1" }, { id: "00u2" }], headers: link(origin, "/api/v1/groups/00g1/users", "00u2") };
      return { body: [{ id: "00u3" }] };
    }
    if (url.pathname === "/api/v1/groups/00g4/users") return { body: [] };
    if (url.pathname === "/api/v1/iam/assignees/users") {
      if (!after) return { body: { value: [{ id: "00u1", orn: "orn:okta:directory:1:users:00u1" }], _links: { next: { href: `${origin}/api/v1/iam/assignees/users?after=00u1&limit=1` } } } };
      return { body: { value: [{ id: "00u3" }], _links: {} } };
    }
    if (url.pathname === "/api/v1/users/00u1/roles") {
      return { body: [{ id: "ra1", type: "USER_ADMIN", label: "User Administrator", status: "ACTIVE", assignmentType: "USER" }, { id: "ra2", type: "CUSTOM", label: "Helpdesk Plus", assignmentType: "GROUP" }] };
    }
    if (url.pathname === "/api/v1/users/00u3/roles") return { body: [{ id: "ra3", type: "USER_ADMIN", label: "User Administrator", assignmentType: "GROUP" }] };
    return { status: 404, body: { errorCode: "E0000007", errorSummary: `Not found: ${url.pathname}` } };
  };
}

let api: JsonApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const waits: number[] = [];
const options = (origin: string, env: Record<string, string> = { OKTA_API_TOKEN: TOKEN }) => ({ env, orgUrl: origin, sleep: async (ms: number) => void waits.push(ms) });

describe("readOktaInventory", () => {
  it("reads every page of users (deactivated ones too), OKTA_GROUP groups with their paged members and admin roles per holder, waiting out a 429", async () => {
    waits.length = 0;
    let throttled = false;
    const throttleOnce = (url: URL): Answer | undefined => {
      if (throttled || url.pathname !== "/api/v1/users" || url.searchParams.get("after") !== "00u2") return undefined;
      throttled = true;
      return { status: 429, headers: { "retry-after": "2" }, body: { errorCode: "E0000047" } };
    };
    api = await startJsonApi(org(throttleOnce));
    const live = await readOktaInventory({}, options(api.origin));

    expect(live.accounts).toEqual([
      { id: "00u1", userName: "ada@example.com", externalId: "W1001", emails: ["ada@example.com", "ada@home.example"], active: true, displayName: "Ada Muller" },
      { id: "00u2", userName: "ben@example.com", externalId: "W1002", emails: ["ben@example.com"], active: true },
      { id: "00u3", userName: "cy@example.com", emails: ["cy@example.com"], active: true },
      { id: "00u4", userName: "dee@example.com", externalId: "W1004", emails: ["dee@example.com"], active: false },
      { id: "00u5", userName: "eve@example.com", emails: ["eve@example.com"], active: false },
      { id: "00u6", userName: "fay@example.com", externalId: "W1006", emails: ["fay@example.com"], active: false },
    ]);
    expect(live.items).toEqual([
      { kind: "group", id: "00g1", displayName: "Engineering", members: ["00u1", "00u2", "00u3"] },
      { kind: "group", id: "00g4", displayName: "IT Administrators", members: [] },
      { kind: "adminRole", id: "CUSTOM:Helpdesk Plus", displayName: "CUSTOM:Helpdesk Plus", members: ["00u1"] },
      { kind: "adminRole", id: "USER_ADMIN", displayName: "USER_ADMIN", members: ["00u1", "00u3"] },
    ]);
    expect(waits).toEqual([2000]);
    expect(api.requests.every((r) => r.headers.authorization === `SSWS ${TOKEN}`)).toBe(true);
    const groups = api.requests.find((r) => r.url.pathname === "/api/v1/groups")!;
    expect(groups.url.searchParams.get("filter")).toBe('type eq "OKTA_GROUP"');
    // One roles request per administrator, none per ordinary user.
    expect(api.requests.filter((r) => /^\/api\/v1\/users\/[^/]+\/roles$/.test(r.url.pathname)).map((r) => r.url.pathname)).toEqual(["/api/v1/users/00u1/roles", "/api/v1/users/00u3/roles"]);
  });

  it("throws when a page fails mid-listing, instead of returning the users read so far", async () => {
    api = await startJsonApi(org((url) => (url.pathname === "/api/v1/users" && url.searchParams.get("after") === "00u4" ? { status: 500, body: { errorCode: "E0000009", errorSummary: "Internal Server Error" } } : undefined)));
    const read = readOktaInventory({}, options(api.origin));
    await expect(read).rejects.toBeInstanceOf(LiveReadError);
    await expect(readOktaInventory({}, options(api.origin))).rejects.toThrow(/reading users failed with HTTP 500: Internal Server Error/);
  });

  it("throws when a page breaks off mid-body", async () => {
    api = await startJsonApi(org((url) => (url.pathname === "/api/v1/groups/00g1/users" && url.searchParams.get("after") ? { body: [{ id: "00u3" }, { id: "00u4" }], breakOff: true } : undefined)));
    await expect(readOktaInventory({}, { ...options(api.origin), maxRetries: 0 })).rejects.toThrow(/members of group Engineering/);
  });

  it("throws when a forbidden listing (a token without role rights) would hide admin roles", async () => {
    api = await startJsonApi(org((url) => (url.pathname === "/api/v1/iam/assignees/users" ? { status: 403, body: { errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action" } } : undefined)));
    await expect(readOktaInventory({}, options(api.origin))).rejects.toThrow(/users holding admin roles failed with HTTP 403: You do not have permission/);
  });

  it("gives up when throttling lasts past its retries", async () => {
    api = await startJsonApi(org((url) => (url.pathname === "/api/v1/groups" ? { status: 429, headers: { "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + 5) } } : undefined)));
    await expect(readOktaInventory({}, { ...options(api.origin), maxRetries: 2 })).rejects.toThrow(/reading groups failed with HTTP 429 after 3 tries/);
  });

  it("never follows a next link to another host with the token", async () => {
    const elsewhere = await startJsonApi(() => ({ body: [] }));
    try {
      api = await startJsonApi(org((url) => (url.pathname === "/api/v1/users" && !url.searchParams.has("search") ? { body: USERS.slice(0, 1), headers: { link: `<${elsewhere.origin}/api/v1/users?after=x>; rel="next"` } } : undefined)));
      await expect(readOktaInventory({}, options(api.origin))).rejects.toThrow(/stopped so the credentials stay with/);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it("exchanges an OAuth service app's private key for a read-only token (private_key_jwt) and reads with it", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const serve = org();
    api = await startJsonApi((request, origin) => {
      if (request.url.pathname !== "/oauth2/v1/token") return request.headers.authorization === "Bearer at-1" ? serve(request, origin) : { status: 401, body: { errorSummary: "Invalid token provided" } };
      const form = new URLSearchParams(request.body);
      const [header, claims, signature] = form.get("client_assertion")!.split(".");
      const payload = JSON.parse(Buffer.from(claims!, "base64url").toString()) as Record<string, unknown>;
      const valid = verify("sha256", Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature!, "base64url"));
      const ok = valid && payload.iss === "0oa1" && payload.sub === "0oa1" && payload.aud === `${origin}/oauth2/v1/token` && form.get("scope") === "okta.users.read okta.groups.read okta.roles.read";
      return ok ? { body: { token_type: "Bearer", access_token: "at-1", expires_in: 3600 } } : { status: 401, body: { error: "invalid_client" } };
    });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const env = { OKTA_API_CLIENT_ID: "0oa1", OKTA_API_PRIVATE_KEY: pem, OKTA_API_SCOPES: "okta.users.read,okta.users.manage,okta.groups.read,okta.groups.manage,okta.roles.read" };
    const live = await readOktaInventory({}, options(api.origin, env));
    expect(live.accounts).toHaveLength(6);
  });

  it("refuses an OAuth service app without the role read scope before any request", async () => {
    api = await startJsonApi(org());
    const env = { OKTA_API_CLIENT_ID: "0oa1", OKTA_API_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----", OKTA_API_SCOPES: "okta.users.read,okta.groups.read" };
    await expect(readOktaInventory({}, options(api.origin, env))).rejects.toThrow(EnvironmentError);
    await expect(readOktaInventory({}, options(api.origin, env))).rejects.toThrow(/needs okta.roles.read in OKTA_API_SCOPES/);
    expect(api.requests).toHaveLength(0);
  });
});

describe("nextLink", () => {
  it.each([
    ['<https://x/a?after=1>; rel="next"', "https://x/a?after=1"],
    ['<https://x/a>; rel="self", <https://x/a?after=2>; rel="next"', "https://x/a?after=2"],
    ['<https://x/a?after=3>; rel=next', "https://x/a?after=3"],
    ['<https://x/a>; rel="self"', undefined],
    [null, undefined],
  ])("%s → %s", (header, expected) => expect(nextLink(header)).toBe(expected));
});

describe("oktaPace", () => {
  const headers = (limit: number, remaining: number, reset: number) => new Headers({ "x-rate-limit-limit": String(limit), "x-rate-limit-remaining": String(remaining), "x-rate-limit-reset": String(reset) });
  const now = () => 1_000_000_000_000;
  const reset = now() / 1000 + 20;

  it("waits for the bucket's reset once the read has used its share of it, not before", () => {
    expect(oktaPace(50, now)(headers(600, 301, reset))).toBe(0);
    expect(oktaPace(50, now)(headers(600, 300, reset))).toBe(21_000);
    expect(oktaPace(100, now)(headers(600, 1, reset))).toBe(0);
    expect(oktaPace(100, now)(headers(600, 0, reset))).toBe(21_000);
  });

  it("does not wait on an answer without rate-limit headers", () => {
    expect(oktaPace(50, now)(new Headers())).toBe(0);
  });

  it("paces a read whose answers show the bucket at its share", async () => {
    const waits: number[] = [];
    api = await startJsonApi(org((url) => (url.pathname === "/api/v1/groups" ? { body: [], headers: { "x-rate-limit-limit": "100", "x-rate-limit-remaining": "10", "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + 30) } } : undefined)));
    await readOktaInventory({ maxApiCapacity: 80 }, { env: { OKTA_API_TOKEN: TOKEN }, orgUrl: api.origin, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(25_000);
  });
});
