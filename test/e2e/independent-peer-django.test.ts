import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScimClient } from "../../src/targets/scim/provider/client.js";
import type { ValueMap } from "../../src/targets/scim/provider/values.js";
import { groupType } from "../../src/targets/scim/provider/group.js";
import { userType } from "../../src/targets/scim/provider/user.js";
import { ensureDjangoScim2, startDjangoScim2 } from "../support/django-scim2.js";
import type { RunningPeer } from "../support/scim2-server.js";
import { person, recordingClient, type Seen } from "./support/provider-wire.js";

/**
 * The provider against a second SCIM server nobody here wrote: django-scim2 (PyPI), a partial
 * implementation as many SaaS apps' are. It announces no filtering and 50 results per page,
 * drops the members of a group POST, keeps them through a PUT, and answers 501 to a filtered
 * member removal and to a PATCH of displayName. Driven at the provider's resource level, as
 * the engine calls it, with every request seen on the wire.
 */

const log = { info: () => {} };
const PEOPLE = 60;

describe("the SCIM provider against django-scim2, a second independent SCIM server", () => {
  let peer: RunningPeer;
  const seen: Seen[] = [];
  const newClient = () => recordingClient(peer, seen);
  let client: ScimClient;
  const ids: string[] = [];
  let groupId: string;
  let groupOutputs: ValueMap;

  const live = async (resource: string) => {
    const res = await fetch(`${peer.url}/${resource}`, { headers: { authorization: `Bearer ${peer.token}` } });
    return { status: res.status, body: res.status === 200 ? ((await res.json()) as Record<string, unknown>) : {} };
  };
  const liveMembers = async (id: string) => (((await live(`Groups/${id}`)).body["members"] ?? []) as { value: string }[]).map((m) => m.value).sort();

  beforeAll(async () => {
    peer = await startDjangoScim2(await ensureDjangoScim2((line) => process.stderr.write(`${line}\n`)));
    client = newClient();
  });
  afterAll(async () => peer?.stop());

  it("creates users, and adopts the one whose create answered 409 by finding it without a filter", async () => {
    const deps = { client, log };
    for (let i = 0; i < PEOPLE; i++) ids.push((await userType.create(deps, person(i, 2000), "urn:user")).id);
    const again = await userType.create(deps, { ...person(41, 2000), givenName: "Renamed" }, "urn:user");
    expect(again.id).toBe(ids[41]);
    expect((await live(`Users/${ids[41]}`)).body["name"]).toMatchObject({ givenName: "Renamed" });
  });

  it("creates a group whose POST the SP answers without members, then adds them by PATCH", async () => {
    const members = ids.slice(0, 50).sort();
    ({ id: groupId, outputs: groupOutputs } = await groupType.create({ client, log }, { displayName: "Everyone", externalId: "everyone", members }, "urn:group"));
    expect(await liveMembers(groupId)).toEqual(members);
  });

  it("renames and removes members although the SP refuses the RFC forms of both with 501", async () => {
    const members = [...ids.slice(10, 50), ...ids.slice(50, 55)].sort();
    groupOutputs = await groupType.update({ client, log }, groupId, groupOutputs, { displayName: "All staff", externalId: "everyone", members });
    expect(await liveMembers(groupId)).toEqual(members);
    expect((await live(`Groups/${groupId}`)).body["displayName"]).toBe("All staff");
    // One refusal of each form, then the fallback for the rest of the run.
    expect(seen.filter((s) => s.status === 501).map((s) => s.method)).toEqual(["PATCH", "PATCH"]);

    const fewer = members.slice(5);
    await groupType.update({ client, log }, groupId, groupOutputs, { displayName: "All staff", externalId: "everyone", members: fewer });
    expect(await liveMembers(groupId)).toEqual(fewer);
    expect(seen.filter((s) => s.status === 501)).toHaveLength(2);
  });

  it("reads every user back from listings of the SP's 50 per page, never with a filter", async () => {
    const reader = { client: newClient(), log };
    const before = seen.length;
    const read = await Promise.all(ids.map((id) => userType.read(reader, id)));
    expect(read.map((r) => r?.outputs["externalId"])).toEqual(ids.map((_, i) => `W${2000 + i}`));
    const requests = seen.slice(before);
    expect(requests.filter((s) => s.listed !== undefined).map((s) => [s.url.searchParams.get("count"), s.listed])).toEqual([
      ["50", 50],
      ["50", PEOPLE - 50],
    ]);
    expect(seen.some((s) => s.url.searchParams.has("filter"))).toBe(false);
  });

  it("deletes a user (gone from the group too) and the group", async () => {
    await userType.delete({ client, log }, ids[20]!);
    expect((await live(`Users/${ids[20]}`)).status).toBe(404);
    expect(await liveMembers(groupId)).not.toContain(ids[20]);
    await groupType.delete({ client, log }, groupId);
    expect((await live(`Groups/${groupId}`)).status).toBe(404);
    expect(seen.filter((s) => s.status >= 500 && s.status !== 501)).toEqual([]);
  });
});
