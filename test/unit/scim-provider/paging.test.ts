import { afterEach, describe, expect, it } from "vitest";
import { EnvironmentError } from "../../../src/engine/errors.js";
import { readScimInventory } from "../../../src/targets/scim/inventory.js";
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
  it("reads groups a few to a page, whatever maxResults allows: one answer never holds every membership", async () => {
    const groups = Array.from({ length: 45 }, (_, i) => ({ schemas: [], id: `g${i}`, displayName: `group ${i}`, members: [{ value: "u1" }] }));
    server = await startTestServer((r) => {
      if (r.url.startsWith("/ServiceProviderConfig")) return { status: 200, body: { filter: { supported: true, maxResults: 1000 } } };
      const start = Number(r.query.get("startIndex") ?? "1");
      const count = Number(r.query.get("count") ?? "1000");
      return { status: 200, body: { totalResults: groups.length, startIndex: start, Resources: groups.slice(start - 1, start - 1 + count) } };
    });
    const client = new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} });
    expect((await client.listGroups()).map((g) => g.id)).toEqual(groups.map((g) => g.id));
    expect(server.requests.filter((r) => r.url.startsWith("/Groups")).map((r) => [r.query.get("startIndex"), r.query.get("count")])).toEqual([
      ["1", "20"],
      ["21", "20"],
      ["41", "20"],
    ]);
  });

  it("lists users without their groups, and in full from an SP that refuses to leave them out", async () => {
    const { client, requests } = await pagingSp(10, 10);
    await client.listUsers();
    expect(requests.filter((r) => r.url.startsWith("/Users")).every((r) => r.query.get("excludedAttributes") === "groups")).toBe(true);
    await server!.close();
    server = await startTestServer((r) =>
      r.query.has("excludedAttributes") ? { status: 400, body: { status: "400", detail: "unsupported" } } : { status: 200, body: { totalResults: 1, Resources: [users[0]] } },
    );
    const strict = new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} });
    expect((await strict.listUsers()).map((u) => u.id)).toEqual(["u0"]);
    expect((await strict.listUsers()).map((u) => u.id)).toEqual(["u0"]);
    expect(server.requests.filter((r) => r.url.startsWith("/Users")).map((r) => r.query.has("excludedAttributes"))).toEqual([true, false, false]);
  });

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
    // Read live, it is the environment's to fix (exit 2 with a hint), not a rolecall defect.
    await expect(readScimInventory({ endpoint: server.endpoint, token: "t" }, { sleep: async () => {} })).rejects.toBeInstanceOf(EnvironmentError);
  });
});

describe("cursor-paged lists (RFC 9865)", () => {
  /** An SP that pages by cursor only: the cursor is an opaque token for the next offset. */
  async function cursorSp(spPage: number) {
    server = await startTestServer((r) => {
      if (r.url.startsWith("/ServiceProviderConfig")) return { status: 200, body: { pagination: { cursor: true, index: false, maxPageSize: 9 } } };
      if (r.query.has("startIndex")) return { status: 501, body: { detail: "Pagination by index is not supported" } };
      const offset = r.query.get("cursor") === "" ? 0 : Number(Buffer.from(r.query.get("cursor") ?? "", "base64url").toString());
      const pool = r.query.has("filter") ? users.filter((u) => r.query.get("filter") === `externalId eq "${u.externalId}"`) : users;
      const count = Math.min(Number(r.query.get("count")), spPage);
      const next = offset + count < pool.length ? { nextCursor: Buffer.from(String(offset + count)).toString("base64url") } : {};
      return { status: 200, body: { totalResults: pool.length, itemsPerPage: count, Resources: pool.slice(offset, offset + count), ...next } };
    });
    return { client: new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} }), requests: server.requests };
  }

  it("follows nextCursor from an empty first cursor until the last page, asking for the SP's page size", async () => {
    const { client, requests } = await cursorSp(5);
    expect((await client.listUsers()).map((u) => u.id)).toEqual(users.map((u) => u.id));
    const pages = requests.filter((r) => r.url.startsWith("/Users"));
    expect(pages).toHaveLength(5);
    expect(pages.every((r) => r.query.get("count") === "9" && !r.query.has("startIndex"))).toBe(true);
    expect(pages[0]!.query.get("cursor")).toBe("");
  });

  it("looks users up by filter through the cursor pages too", async () => {
    const { client, requests } = await cursorSp(9);
    await expect(client.findUsersByExternalId("W3")).resolves.toMatchObject([{ id: "u3" }]);
    const lookups = requests.filter((r) => r.url.startsWith("/Users"));
    expect(lookups.map((r) => [r.query.get("filter"), r.query.get("cursor")])).toEqual([['externalId eq "W3"', ""]]);
  });

  it("fails instead of looping on an SP that hands back the same cursor page", async () => {
    server = await startTestServer((r) =>
      r.url.startsWith("/ServiceProviderConfig")
        ? { status: 200, body: { pagination: { cursor: true, index: false } } }
        : { status: 200, body: { Resources: users.slice(0, 3), nextCursor: "again" } },
    );
    const client = new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} });
    await expect(client.listUsers()).rejects.toThrow(/does not page/);
  });
});

describe("lookups on an SP without filtering", () => {
  it("never sends filter= when the ServiceProviderConfig says filtering is unsupported, and matches by listing", async () => {
    server = await startTestServer((r) => {
      if (r.url.startsWith("/ServiceProviderConfig")) return { status: 200, body: { filter: { supported: false, maxResults: 6 } } };
      if (r.query.has("filter")) return { status: 501, body: { detail: "Filtering is not supported" } };
      const start = Number(r.query.get("startIndex"));
      return { status: 200, body: { totalResults: users.length, Resources: users.slice(start - 1, start - 1 + Number(r.query.get("count"))) } };
    });
    const client = new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} });
    await expect(client.findUserByUserName("USER17")).resolves.toMatchObject({ id: "u17" });
    await expect(client.findUsersByExternalId("W22")).resolves.toMatchObject([{ id: "u22" }]);
    await expect(client.findUsersByExternalId("w22")).resolves.toEqual([]);
    const lists = server.requests.filter((r) => r.url.startsWith("/Users"));
    expect(lists.some((r) => r.query.has("filter"))).toBe(false);
    expect(lists.every((r) => r.query.get("count") === "6")).toBe(true);
  });

  it("falls back to listing when an SP announcing filters refuses one with 400 or 501", async () => {
    for (const status of [400, 501]) {
      server = await startTestServer((r) => {
        if (r.url.startsWith("/ServiceProviderConfig")) return { status: 200, body: { filter: { supported: true, maxResults: 50 } } };
        if (r.query.has("filter")) return { status, body: { scimType: status === 400 ? "invalidFilter" : undefined, detail: "no" } };
        return { status: 200, body: { totalResults: users.length, Resources: users } };
      });
      const client = new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} });
      await expect(client.findUserByUserName("user4")).resolves.toMatchObject({ id: "u4" });
      await server.close();
      server = undefined;
    }
  });

  it("does not take a refusal of another kind as 'no filtering'", async () => {
    server = await startTestServer((r) =>
      r.url.startsWith("/ServiceProviderConfig") ? { status: 200, body: {} } : { status: 403, body: { detail: "forbidden" } },
    );
    const client = new ScimClient({ endpoint: server.endpoint, token: "t", sleep: async () => {} });
    await expect(client.findUserByUserName("user4")).rejects.toThrow(/403/);
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
