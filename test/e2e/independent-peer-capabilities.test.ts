import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { groupType } from "../../src/targets/scim/provider/group.js";
import { userType } from "../../src/targets/scim/provider/user.js";
import { startScim2Server, type RunningPeer } from "../support/scim2-server.js";
import { person, recordingClient, type Seen } from "./support/provider-wire.js";

/**
 * The provider against scim2-server told to announce less than it can: the server then refuses
 * (501) whatever its ServiceProviderConfig does not offer, so each fallback is checked against
 * a real SP that would fail a client ignoring the document. Driven at the provider's resource
 * level (create, read, update as the engine calls them), every request seen on the wire.
 */

const log = { info: () => {} };
const PEOPLE = 23;

async function withPeer(config: object) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-peer-spc-"));
  const file = path.join(dir, "service-provider-config.json");
  await writeFile(
    file,
    JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken", name: "bearer", description: "bearer token" }],
      ...config,
    }),
  );
  const peer = await startScim2Server(inject("scim2ServerBin"), { serviceProviderConfig: file });
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${peer.url}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${peer.token}` } }).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seen: Seen[] = [];
  // A new client is what the next engine run has: no reads cached, nothing written yet.
  const newClient = () => recordingClient(peer, seen);
  const stop = async () => {
    await peer.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return { peer, client: newClient(), newClient, seen, stop };
}

async function live(peer: RunningPeer, resource: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${peer.url}/${resource}`, { headers: { authorization: `Bearer ${peer.token}` } });
  return (await res.json()) as Record<string, unknown>;
}

describe("an SP without PATCH or filtering and with a page of 7 (scim2-server enforcing its ServiceProviderConfig)", () => {
  let ctx: Awaited<ReturnType<typeof withPeer>>;
  const ids: string[] = [];

  beforeAll(async () => {
    ctx = await withPeer({ patch: { supported: false }, filter: { supported: false, maxResults: 7 } });
  });
  afterAll(async () => ctx?.stop());

  it("creates users, and adopts one whose create answered 409 by finding it through the paged listing", async () => {
    const deps = { client: ctx.client, log };
    for (let i = 0; i < PEOPLE; i++) ids.push((await userType.create(deps, person(i, 1000), "urn:user")).id);
    const again = await userType.create(deps, { ...person(17, 1000), title: "Engineer" }, "urn:user");
    expect(again.id).toBe(ids[17]);
    expect((await live(ctx.peer, `Users/${ids[17]}`))["title"]).toBe("Engineer");
  });

  it("creates a group with its whole membership in the POST and changes it by PUT of a fresh read", async () => {
    const deps = { client: ctx.client, log };
    const members = ids.slice(0, 20).sort();
    const { id, outputs } = await groupType.create(deps, { displayName: "Everyone", externalId: "everyone", members }, "urn:group");
    const memberIds = async () => ((await live(ctx.peer, `Groups/${id}`))["members"] as { value: string }[]).map((m) => m.value).sort();
    expect(await memberIds()).toEqual(members);

    const next = [...ids.slice(3, 20), ...ids.slice(20, 22)].sort();
    await groupType.update(deps, id, outputs, { displayName: "All staff", externalId: "everyone", members: next });
    expect(await memberIds()).toEqual(next);
    expect((await live(ctx.peer, `Groups/${id}`))["displayName"]).toBe("All staff");
  });

  it("reads every user back from the listing, page by page at the SP's size", async () => {
    const deps = { client: ctx.newClient(), log };
    const before = ctx.seen.length;
    const read = await Promise.all(ids.map((id) => userType.read(deps, id)));
    expect(read.map((r) => r?.outputs["externalId"])).toEqual(ids.map((_, i) => `W${1000 + i}`));
    const requests = ctx.seen.slice(before);
    expect(requests.filter((s) => s.listed !== undefined)).toHaveLength(Math.ceil(PEOPLE / 7));
    expect(requests.filter((s) => /\/Users\/./.test(s.url.pathname))).toEqual([]);
  });

  it("sent no PATCH and no filter, and asked for no more than maxResults per page", () => {
    expect(ctx.seen.filter((s) => s.status === 501)).toEqual([]);
    expect(ctx.seen.filter((s) => s.method === "PATCH")).toEqual([]);
    expect(ctx.seen.filter((s) => s.url.searchParams.has("filter"))).toEqual([]);
    const lists = ctx.seen.filter((s) => s.listed !== undefined);
    expect(lists.length).toBeGreaterThanOrEqual(Math.ceil(PEOPLE / 7));
    expect(lists.every((s) => s.url.searchParams.get("count") === "7" && s.listed! <= 7)).toBe(true);
  });
});

describe("an SP paging by cursor only (RFC 9865), with PATCH and filters", () => {
  let ctx: Awaited<ReturnType<typeof withPeer>>;

  beforeAll(async () => {
    ctx = await withPeer({
      patch: { supported: true },
      filter: { supported: true, maxResults: 50 },
      pagination: { cursor: true, index: false, defaultPaginationMethod: "cursor", defaultPageSize: 5, maxPageSize: 5, cursorTimeout: 600 },
    });
  });
  afterAll(async () => ctx?.stop());

  it("lists, looks up and changes membership by PATCH without ever sending startIndex", async () => {
    const deps = { client: ctx.client, log };
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await userType.create(deps, person(i, 1000), "urn:user")).id);
    expect((await userType.create(deps, person(4, 1000), "urn:user")).id).toBe(ids[4]);
    const reader = { client: ctx.newClient(), log };
    const read = await Promise.all(ids.map((id) => userType.read(reader, id)));
    expect(read.map((r) => r?.outputs["userName"])).toEqual(ids.map((_, i) => `person${i}@example.com`));

    const { id, outputs } = await groupType.create(deps, { displayName: "Team", externalId: "team", members: ids.slice(0, 8).sort() }, "urn:group");
    await groupType.update(deps, id, outputs, { displayName: "Team", externalId: "team", members: ids.slice(4).sort() });
    expect(((await live(ctx.peer, `Groups/${id}`))["members"] as { value: string }[]).map((m) => m.value).sort()).toEqual(ids.slice(4).sort());

    expect(ctx.seen.filter((s) => s.status === 501)).toEqual([]);
    expect(ctx.seen.some((s) => s.method === "PATCH")).toBe(true);
    const lists = ctx.seen.filter((s) => s.listed !== undefined);
    expect(lists.some((s) => s.url.searchParams.has("filter"))).toBe(true);
    expect(lists.filter((s) => !s.url.searchParams.has("filter")).length).toBeGreaterThanOrEqual(3);
    expect(lists.every((s) => s.url.searchParams.has("cursor") && !s.url.searchParams.has("startIndex") && s.listed! <= 5)).toBe(true);
  });
});
