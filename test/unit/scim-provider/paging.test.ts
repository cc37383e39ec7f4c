import { afterEach, describe, expect, it } from "vitest";
import { ScimClient } from "../../../src/targets/scim/provider/client.js";
import { startTestServer, type TestServer } from "./http-fixture.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const users = Array.from({ length: 23 }, (_, i) => ({ schemas: [], id: `u${i}`, userName: `user${i}`, externalId: `W${i}` }));

/** An SP whose own page is `spPage` whatever count we ask for, and whose maxResults is `maxResults`. */
async function pagingSp(spPage: number, maxResults: number) {
  server = await startTestServer((r) => {
    if (r.url.startsWith("/ServiceProviderConfig")) return { status: 200, body: { filter: { supported: true, maxResults } } };
    const start = Number(r.query.get("startIndex") ?? "1");
    const count = Math.min(Number(r.query.get("count") ?? spPage), spPage);
    return { status: 200, body: { totalResults: users.length, itemsPerPage: count, startIndex: start, Resources: users.slice(start - 1, start - 1 + count) } };
  });
  return { client: new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} }), requests: server.requests };
}

describe("paged lists", () => {
  it("asks for the SP's maxResults per page and follows what the SP actually sends", async () => {
    const { client, requests } = await pagingSp(7, 10);
    expect((await client.listUsers()).map((u) => u.id)).toEqual(users.map((u) => u.id));
    const pages = requests.filter((r) => r.url.startsWith("/Users"));
    expect(pages.map((r) => [r.query.get("startIndex"), r.query.get("count")])).toEqual([
      ["1", "10"],
      ["8", "10"],
      ["15", "10"],
      ["22", "10"],
    ]);
  });

  it("fails instead of looping on an SP that ignores startIndex", async () => {
    server = await startTestServer(() => ({ status: 200, body: { totalResults: 50, Resources: users.slice(0, 5) } }));
    const client = new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} });
    await expect(client.listUsers()).rejects.toThrow(/does not page/);
  });
});

describe("refresh reads from the listing", () => {
  it("serves every user read of a run from one paged listing: O(N / page) requests, not one per user", async () => {
    const { client, requests } = await pagingSp(10, 10);
    const read = await Promise.all(users.map((u) => client.readUser(u.id)));
    expect(read.map((u) => u?.userName)).toEqual(users.map((u) => u.userName));
    expect(requests.map((r) => r.url.split("?")[0])).toEqual(["/ServiceProviderConfig", "/Users", "/Users", "/Users"]);
  });

  it("fetches by id what the listing lacks and what we wrote since, so nothing live looks deleted", async () => {
    const { client, requests } = await pagingSp(10, 10);
    await client.readUser("u1");
    await client.replaceUser("u2", { schemas: [], userName: "user2" });
    requests.length = 0;
    await client.readUser("u2");
    await client.readUser("u-not-listed");
    await client.readUser("u3");
    expect(requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual(["GET /Users/u2", "GET /Users/u-not-listed"]);
  });

  it("falls back to one GET per resource when the SP refuses a plain listing", async () => {
    server = await startTestServer((r) =>
      r.url.startsWith("/Users?") ? { status: 403, body: { detail: "filter required" } } : { status: 200, body: { schemas: [], id: "u1", userName: "a" } },
    );
    const client = new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} });
    await expect(client.readUser("u1")).resolves.toMatchObject({ id: "u1" });
    await expect(client.readUser("u1")).resolves.toMatchObject({ id: "u1" });
    expect(server.requests.filter((r) => r.url.startsWith("/Users?"))).toHaveLength(1);
  });

  it("re-lists groups after a user delete, whose memberships the SP drops everywhere", async () => {
    server = await startTestServer((r) => {
      if (r.url.startsWith("/Groups?")) return { status: 200, body: { totalResults: 1, Resources: [{ schemas: [], id: "g1", displayName: "G", members: [] }] } };
      return { status: 204 };
    });
    const client = new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} });
    await client.readGroup("g1");
    await client.deleteUser("u1");
    await client.readGroup("g1");
    expect(server.requests.filter((r) => r.url.startsWith("/Groups?"))).toHaveLength(2);
  });
});
