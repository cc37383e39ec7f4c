import { afterEach, describe, expect, it } from "vitest";
import { ScimClient, type ScimClientOptions } from "../../../src/targets/scim/provider/client.js";
import { ScimError } from "../../../src/targets/scim/provider/scim-error.js";
import { USER_SCHEMA, type ScimUser } from "../../../src/targets/scim/provider/scim-types.js";
import { scimError, startTestServer, type Reply, type RecordedRequest, type TestServer } from "./http-fixture.js";

const TOKEN = "s3cr3t-token-value";
const USER: ScimUser = { schemas: [USER_SCHEMA], userName: "ada", externalId: "W1" };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(reply: (r: RecordedRequest, i: number) => Reply, options: Partial<ScimClientOptions> = {}) {
  server = await startTestServer(reply);
  const delays: number[] = [];
  const client = new ScimClient({
    endpoint: `${server.endpoint}/`,
    token: TOKEN,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
  return { client, delays, requests: server.requests };
}

function sequence(...replies: Reply[]): (r: RecordedRequest, i: number) => Reply {
  return (_r, i) => replies[Math.min(i, replies.length - 1)] ?? { status: 500 };
}

async function failure(promise: Promise<unknown>): Promise<ScimError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScimError);
  return err as ScimError;
}

describe("ScimClient requests", () => {
  it("sends the bearer token and SCIM content type, and strips a trailing slash from the endpoint", async () => {
    const { client, requests } = await clientFor(() => ({ status: 201, body: { ...USER, id: "u1" } }));
    await expect(client.createUser(USER)).resolves.toMatchObject({ resource: { id: "u1" }, recovered: false });
    expect(requests[0]).toMatchObject({ method: "POST", url: "/Users", json: USER });
    expect(requests[0]?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    expect(requests[0]?.headers["content-type"]).toBe("application/scim+json");
  });

  it("escapes quotes and backslashes in the userName filter", async () => {
    const tricky = 'o"brien\\x" or userName pr';
    const { client, requests } = await clientFor(() => ({
      status: 200,
      body: { Resources: [{ ...USER, id: "u9", userName: tricky.toUpperCase() }] },
    }));
    const found = await client.findUserByUserName(tricky);
    expect(requests.at(-1)?.query.get("filter")).toBe('userName eq "o\\"brien\\\\x\\" or userName pr"');
    expect(found?.id).toBe("u9");
  });

  it("finds nothing when the list is empty or holds only other names", async () => {
    const { client } = await clientFor(sequence({ status: 200, body: { totalResults: 0 } }, { status: 200, body: { Resources: [{ ...USER, id: "x", userName: "bob" }] } }));
    await expect(client.findUserByUserName("ada")).resolves.toBeNull();
    await expect(client.findUserByUserName("ada")).resolves.toBeNull();
  });

  it("filters groups by displayName", async () => {
    const { client, requests } = await clientFor(() => ({ status: 200, body: { Resources: [{ id: "g1", displayName: "Eng" }] } }));
    await expect(client.findGroupByDisplayName("Eng")).resolves.toMatchObject({ id: "g1" });
    expect(requests.at(-1)?.query.get("filter")).toBe('displayName eq "Eng"');
  });

  it("returns null for a user or group the SP reports missing", async () => {
    const { client } = await clientFor(() => scimError(404, "Resource u1 not found"));
    await expect(client.getUser("u1")).resolves.toBeNull();
    await expect(client.getGroup("g1")).resolves.toBeNull();
  });

  it("treats 404 on DELETE as success, but not an HTML 404 from a wrong endpoint", async () => {
    const { client, requests } = await clientFor(sequence(scimError(404, "gone"), { status: 204 }, { status: 404, body: "<html>Cannot DELETE</html>" }));
    await expect(client.deleteUser("u1")).resolves.toBeUndefined();
    await expect(client.deleteGroup("g1")).resolves.toBeUndefined();
    const err = await failure(client.deleteUser("u2"));
    expect(err.status).toBe(404);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(["DELETE /Users/u1", "DELETE /Groups/g1", "DELETE /Users/u2"]);
  });

  it("URL-encodes ids in paths", async () => {
    const { client, requests } = await clientFor(() => ({ status: 200, body: { ...USER, id: "a/b c" } }));
    await client.getUser("a/b c");
    expect(requests[0]?.url).toBe("/Users/a%2Fb%20c");
  });

  it("rejects a create response without an id and a success that is not JSON", async () => {
    const { client } = await clientFor(sequence({ status: 201, body: { ...USER } }, { status: 200, body: "<html>app</html>" }));
    expect((await failure(client.createUser(USER))).detail).toMatch(/no resource id/);
    expect((await failure(client.getUser("u1"))).detail).toMatch(/not JSON/);
  });
});

describe("ScimClient membership PATCH", () => {
  it("sends one PATCH with exactly the added and removed members", async () => {
    const { client, requests } = await clientFor(() => ({ status: 204 }));
    await client.patchGroupMembers("g1", { add: ["u1", "u2"], remove: ["u3"] });
    expect(requests).toHaveLength(1);
    // Answered without the members: an SP returning the whole group would send them all back.
    expect(requests[0]).toMatchObject({ method: "PATCH", url: "/Groups/g1?excludedAttributes=members" });
    expect(requests[0]?.json).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "add", path: "members", value: [{ value: "u1" }, { value: "u2" }] },
        { op: "remove", path: 'members[value eq "u3"]' },
      ],
    });
  });

  it("asks an SP that refuses excludedAttributes again without it, and from then on never with it", async () => {
    const { client, requests } = await clientFor((r) => (r.url.includes("excludedAttributes") ? scimError(400, "unknown parameter", "invalidSyntax") : { status: 204 }));
    await client.patchGroupMembers("g1", { add: ["u1"], remove: [] });
    await client.patchGroupMembers("g2", { add: [], remove: ["u2"] });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(["PATCH /Groups/g1?excludedAttributes=members", "PATCH /Groups/g1", "PATCH /Groups/g2"]);
  });

  it("leaves a 400 that follows a possibly applied attempt to the caller, as the SP's verdict on that write", async () => {
    let patches = 0;
    const { client, requests } = await clientFor(() => (++patches === 1 ? { status: 503 } : scimError(400, "u2 is already a member", "invalidValue")));
    const err = await failure(client.patchGroupMembers("g1", { add: ["u2"], remove: [] }));
    expect(err.afterUncertainAttempt).toBe(true);
    expect(requests.map((r) => r.url)).toEqual(["/Groups/g1?excludedAttributes=members", "/Groups/g1?excludedAttributes=members"]);
  });

  it("passes on a PATCH refused for its own sake, still asking lean afterwards", async () => {
    const { client, requests } = await clientFor((r) => (r.url.startsWith("/Groups/g1") ? scimError(400, "no such member", "invalidValue") : { status: 204 }));
    expect((await failure(client.patchGroupMembers("g1", { add: ["u1"], remove: [] }))).status).toBe(400);
    await client.patchGroupMembers("g2", { add: ["u1"], remove: [] });
    expect(requests.map((r) => r.url)).toEqual(["/Groups/g1?excludedAttributes=members", "/Groups/g1", "/Groups/g2?excludedAttributes=members"]);
  });

  it("skips the request when nothing changes", async () => {
    const { client, requests } = await clientFor(() => ({ status: 204 }));
    await client.patchGroupMembers("g1", { add: [], remove: [] });
    expect(requests).toHaveLength(0);
  });

  it("chunks large changes into sequential requests of at most 500 members", async () => {
    const { client, requests } = await clientFor(() => ({ status: 200, body: { id: "g1", displayName: "x" } }));
    const add = Array.from({ length: 900 }, (_, i) => `a${i}`);
    const remove = Array.from({ length: 300 }, (_, i) => `r${i}`);
    await client.patchGroupMembers("g1", { add, remove });
    const counts = requests.map((r) => {
      const ops = (r.json as { Operations: { op: string; value?: unknown[] }[] }).Operations;
      return ops.reduce((n, op) => n + (op.op === "add" ? (op.value?.length ?? 0) : 1), 0);
    });
    expect(counts).toEqual([500, 500, 200]);
  });
});

describe("ScimClient membership PATCH on an SP refusing filtered removals", () => {
  const refusesFilters = (r: RecordedRequest): Reply =>
    (r.json as { Operations: { path?: string }[] }).Operations.some((op) => op.path?.startsWith("members["))
      ? { status: 501, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: 501, detail: "" } }
      : { status: 200, body: { id: "g1", displayName: "x" } };

  it("sends the refused chunk again with removals as a value array, and every later chunk in that form at once", async () => {
    const { client, requests } = await clientFor(refusesFilters);
    expect(client.removesMembersByValue()).toBe(false);
    const remove = Array.from({ length: 700 }, (_, i) => `r${i}`);
    await client.patchGroupMembers("g1", { add: ["a1"], remove });
    expect(requests.map((r) => (r.json as { Operations: { op: string; path: string; value?: unknown[] }[] }).Operations.map((op) => [op.op, op.path, op.value?.length]))).toEqual([
      [["add", "members", 1], ...Array.from({ length: 499 }, (_, i) => ["remove", `members[value eq "r${i}"]`, undefined])],
      [["add", "members", 1], ["remove", "members", 499]],
      [["remove", "members", 201]],
    ]);
    expect(client.removesMembersByValue()).toBe(true);
  });

  it("does not change form for a 501 on a request without removals, or for another refusal; never retries a 501", async () => {
    const { client, requests } = await clientFor(() => ({ status: 501, body: { detail: "" } }));
    await expect(client.patchGroupMembers("g1", { add: ["a1"], remove: [] })).rejects.toMatchObject({ status: 501, outcomeUnknown: false });
    expect(requests).toHaveLength(1);
    expect(client.removesMembersByValue()).toBe(false);
    const { client: other } = await clientFor(() => ({ status: 400, body: { scimType: "invalidPath", detail: "" } }));
    await expect(other.patchGroupMembers("g1", { add: [], remove: ["u1"] })).rejects.toMatchObject({ status: 400 });
    expect(other.removesMembersByValue()).toBe(false);
  });
});

describe("ScimClient retries", () => {
  it("honours Retry-After in seconds on 429, even for POST", async () => {
    const { client, delays, requests } = await clientFor(
      sequence({ status: 429, headers: { "retry-after": "3" } }, { status: 201, body: { ...USER, id: "u1" } }),
    );
    await client.createUser(USER);
    expect(delays).toEqual([3000]);
    expect(requests).toHaveLength(2);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const at = new Date(Date.now() + 10_000).toUTCString();
    const { client, delays } = await clientFor(sequence({ status: 429, headers: { "retry-after": at } }, { status: 200, body: { ...USER, id: "u1" } }));
    await client.getUser("u1");
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(7_000);
    expect(delays[0]).toBeLessThanOrEqual(10_000);
  });

  it("retries 5xx with bounded, growing jittered backoff, then succeeds", async () => {
    const { client, delays, requests } = await clientFor(
      sequence({ status: 500 }, { status: 502 }, { status: 504 }, { status: 200, body: { ...USER, id: "u1" } }),
      { baseDelayMs: 100 },
    );
    await expect(client.getUser("u1")).resolves.toMatchObject({ id: "u1" });
    expect(requests).toHaveLength(4);
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(100 * 2 ** i);
    });
  });

  it("gives up after maxRetries with a ScimError carrying the last status", async () => {
    const { client, requests } = await clientFor(() => scimError(503, "maintenance"), { maxRetries: 2 });
    const err = await failure(client.replaceUser("u1", USER));
    expect(requests).toHaveLength(3);
    expect(err).toMatchObject({ status: 503, method: "PUT", path: "/Users/u1", detail: "maintenance" });
  });

  it("never retries a 4xx other than 429", async () => {
    const { client, requests } = await clientFor(() => scimError(409, "userName taken", "uniqueness"));
    const err = await failure(client.createUser(USER));
    expect(requests).toHaveLength(1);
    expect(err).toMatchObject({ status: 409, scimType: "uniqueness", detail: "userName taken", method: "POST", path: "/Users" });
    expect(err.message).toBe("SCIM POST /Users failed: HTTP 409 (uniqueness): userName taken");
  });

  it("resolves a POST that answered 500 by looking the user up by externalId: the write had happened", async () => {
    const { client, requests } = await clientFor((r) =>
      r.method === "POST" ? { status: 500 } : r.url.startsWith("/ServiceProviderConfig") ? scimError(404, "none") : { status: 200, body: { totalResults: 1, Resources: [{ ...USER, id: "u1" }] } },
    );
    await expect(client.createUser(USER)).resolves.toMatchObject({ resource: { id: "u1" }, recovered: true });
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET", "GET"]);
    expect(requests[2]?.query.get("filter")).toBe('externalId eq "W1"');
  });

  it("sends the POST again only after the lookup finds nothing (503, 502, then created)", async () => {
    let posts = 0;
    const { client, requests } = await clientFor((r) => {
      if (r.method === "POST") return [{ status: 503 }, { status: 502 }][posts++] ?? { status: 201, body: { ...USER, id: "u2" } };
      if (r.url.startsWith("/ServiceProviderConfig")) return { status: 200, body: { filter: { supported: true, maxResults: 200 } } };
      return { status: 200, body: { totalResults: 0, Resources: [] } };
    });
    await expect(client.createUser(USER)).resolves.toMatchObject({ resource: { id: "u2" }, recovered: false });
    expect(requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual([
      "POST /Users",
      "GET /ServiceProviderConfig",
      "GET /Users",
      "POST /Users",
      "GET /Users",
      "POST /Users",
    ]);
    expect(requests[2]?.query.get("count")).toBe("200");
  });

  it("ignores a lookup match with another externalId, and refuses to pick between duplicates", async () => {
    const { client } = await clientFor((r) =>
      r.method === "POST"
        ? { status: 500 }
        : { status: 200, body: { totalResults: 2, Resources: [{ ...USER, id: "a" }, { ...USER, id: "b" }] } },
    );
    await expect(client.createUser(USER)).rejects.toThrow(/holds 2 users with externalId "W1" \(ids a, b\)/);
  });

  it("gives up with the SP's own error when every attempt is lost and nothing was created", async () => {
    const { client, requests } = await clientFor((r) =>
      r.method === "POST" ? scimError(500, "database unavailable") : { status: 200, body: { totalResults: 0, Resources: [] } },
      { maxRetries: 2 },
    );
    const err = await failure(client.createUser(USER));
    expect(err).toMatchObject({ status: 500, detail: "database unavailable", outcomeUnknown: true });
    expect(err.message).toBe("SCIM POST /Users failed: HTTP 500: database unavailable");
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(3);
  });

  it("resolves a timed-out POST by lookup before sending it again", async () => {
    const { client, requests } = await clientFor(
      (r) => (r.method === "POST" ? { status: 201, body: { ...USER, id: "u1" }, delayMs: 1_000 } : { status: 200, body: { totalResults: 1, Resources: [{ ...USER, id: "u1" }] } }),
      { timeoutMs: 100 },
    );
    await expect(client.createUser(USER)).resolves.toMatchObject({ resource: { id: "u1" }, recovered: true });
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("looks up a group by displayName and externalId together after a lost create, and reads its members", async () => {
    const group = { schemas: [], displayName: "Eng", externalId: "eng" };
    const { client, requests } = await clientFor((r) => {
      if (r.method === "POST") return { status: 502 };
      if (r.url.startsWith("/Groups/g2")) return { status: 200, body: { ...group, id: "g2", members: [{ value: "u1" }] } };
      return { status: 200, body: { totalResults: 2, Resources: [{ ...group, id: "g1", externalId: "someone-else" }, { ...group, id: "g2" }] } };
    });
    await expect(client.createGroup(group)).resolves.toMatchObject({ resource: { id: "g2", members: [{ value: "u1" }] }, recovered: true });
    expect(requests.some((r) => r.query.get("filter") === 'displayName eq "Eng"')).toBe(true);
  });

  it("retries a POST whose connection was refused at once, and resolves one reset mid-flight by lookup", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) });
    const reset = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("socket"), { code: "ECONNRESET" }) });
    const calls: string[] = [];
    const fakeFetch = (outcomes: (Error | Response)[]): typeof fetch =>
      (async (url: string, init: RequestInit) => {
        const next = outcomes.shift();
        calls.push(`${init.method} ${new URL(url).pathname} ${next instanceof Error ? "error" : "response"}`);
        if (next instanceof Error) throw next;
        return next as Response;
      }) as typeof fetch;
    const created = () => new Response(JSON.stringify({ ...USER, id: "u1" }), { status: 201 });
    const sleep = async () => {};
    const ok = new ScimClient({ endpoint: "http://127.0.0.1:1/scim/v2", token: TOKEN, sleep, fetch: fakeFetch([refused, created()]) });
    await expect(ok.createUser(USER)).resolves.toMatchObject({ resource: { id: "u1" } });
    const empty = new Response(JSON.stringify({ totalResults: 0, Resources: [] }), { status: 200 });
    const spc = new Response(JSON.stringify({}), { status: 200 });
    const bad = new ScimClient({ endpoint: "http://127.0.0.1:1/scim/v2", token: TOKEN, sleep, fetch: fakeFetch([reset, spc, empty, created()]) });
    await expect(bad.createUser(USER)).resolves.toMatchObject({ resource: { id: "u1" }, recovered: false });
    expect(calls).toEqual([
      "POST /scim/v2/Users error",
      "POST /scim/v2/Users response",
      "POST /scim/v2/Users error",
      "GET /scim/v2/ServiceProviderConfig response",
      "GET /scim/v2/Users response",
      "POST /scim/v2/Users response",
    ]);
  });

  it("retries network errors on idempotent requests against a closed port, bounded", async () => {
    const probe = await startTestServer(() => ({ status: 200 }));
    const endpoint = probe.endpoint;
    await probe.close();
    const delays: number[] = [];
    const client = new ScimClient({ endpoint, token: TOKEN, maxRetries: 3, sleep: async (ms) => void delays.push(ms) });
    const err = await failure(client.getUser("u1"));
    expect(err).toMatchObject({ status: 0, detail: "network error (ECONNREFUSED)" });
    expect(delays).toHaveLength(3);
  });

  it("fails instead of waiting when Retry-After is unreasonably long", async () => {
    const { client, delays } = await clientFor(() => ({ status: 429, headers: { "retry-after": "7200" } }));
    const err = await failure(client.getUser("u1"));
    expect(err.detail).toMatch(/retry after 7200 s/);
    expect(delays).toEqual([]);
  });

  it("stops at once when cancelled", async () => {
    const controller = new AbortController();
    const { client, requests } = await clientFor(() => ({ status: 200, body: {}, delayMs: 5_000 }), { signal: controller.signal });
    const pending = failure(client.getUser("u1"));
    setTimeout(() => controller.abort(), 50);
    expect((await pending).detail).toBe("cancelled");
    expect(requests).toHaveLength(1);
  });
});

describe("ScimClient errors never carry the token", () => {
  it("redacts a token the SP echoes into its error body", async () => {
    const { client } = await clientFor((r) => scimError(401, `bad credentials: ${String(r.headers["authorization"])}`));
    const err = await failure(client.getUser("u1"));
    expect(err.message).not.toContain(TOKEN);
    expect(JSON.stringify(err)).not.toContain(TOKEN);
    expect(err.detail).toBe("bad credentials: Bearer [redacted]");
  });

  it("keeps the token out of network error messages", async () => {
    const client = new ScimClient({
      endpoint: "http://127.0.0.1:1/scim/v2",
      token: TOKEN,
      maxRetries: 0,
      fetch: (async () => {
        throw new TypeError(`failed with ${TOKEN}`);
      }) as typeof fetch,
    });
    const err = await failure(client.getUser("u1"));
    expect(`${err.message} ${err.detail} ${err.stack ?? ""}`).not.toContain(TOKEN);
  });
});
