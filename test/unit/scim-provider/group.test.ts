import { describe, expect, it } from "vitest";
import { groupType } from "../../../src/targets/scim/provider/group.js";
import { ScimError } from "../../../src/targets/scim/provider/scim-error.js";
import { conflict, fakeClient, recordingLog } from "./fakes.js";

const URN = "urn:pulumi:local::rolecall::rolecall-scim:index:Group::eng";
const eng = { displayName: "Engineering", externalId: "eng", members: ["u1", "u2", "u3"] };
const state = { ...eng, scimId: "g1" };
const noPatch = async () => ({ patch: false, filter: true, pageSize: 100, paging: "index" as const });
const liveGroup = (members: string[], extra: object = {}) => ({
  schemas: [],
  id: "g1",
  displayName: "Engineering",
  externalId: "eng",
  members: members.map((value) => ({ value })),
  ...extra,
});

describe("Group create", () => {
  it("POSTs the group with its members and sends nothing more when the SP shows them all", async () => {
    const { client, calls } = fakeClient();
    const result = await groupType.create({ client, log: recordingLog() }, eng, URN);
    expect(result).toEqual({ id: "new-group", outputs: { ...eng, members: ["u1\nu2\nu3"], scimId: "new-group" } });
    expect(calls.map((c) => c[0])).toEqual(["createGroup"]);
    expect(calls[0]?.[1]).toMatchObject({ displayName: "Engineering", members: [{ value: "u1" }, { value: "u2" }, { value: "u3" }] });
  });

  it("sends a large membership as one chunk in the POST and the rest as member PATCHes", async () => {
    const members = Array.from({ length: 1_234 }, (_, i) => `u${String(i).padStart(5, "0")}`);
    const { client, calls } = fakeClient();
    await groupType.create({ client, log: recordingLog() }, { ...eng, members }, URN);
    expect(calls.map((c) => c[0])).toEqual(["createGroup", "patchGroupMembers"]);
    expect((calls[0]?.[1] as { members: unknown[] }).members).toHaveLength(500);
    expect(calls[1]).toEqual(["patchGroupMembers", "new-group", { add: members.slice(500), remove: [] }]);
  });

  it("POSTs the whole membership at once when the SP has no PATCH", async () => {
    const members = Array.from({ length: 700 }, (_, i) => `u${i}`);
    const { client, calls } = fakeClient({ capabilities: noPatch });
    await groupType.create({ client, log: recordingLog() }, { ...eng, members }, URN);
    expect((calls[0]?.[1] as { members: unknown[] }).members).toHaveLength(700);
  });

  it("reads the group back when the POST response does not show members, and adds only what is missing", async () => {
    const { client, calls } = fakeClient({
      createGroup: async (body) => ({ resource: { ...body, id: "g1", members: undefined }, recovered: false }),
      getGroup: async () => liveGroup(["u1"]),
    });
    await groupType.create({ client, log: recordingLog() }, eng, URN);
    expect(calls.map((c) => c[0])).toEqual(["createGroup", "getGroup", "patchGroupMembers"]);
    expect(calls[2]).toEqual(["patchGroupMembers", "g1", { add: ["u2", "u3"], remove: [] }]);
  });

  it("completes a recovered create (answer lost) from the members the SP really holds", async () => {
    const log = recordingLog();
    const { client, calls } = fakeClient({ createGroup: async () => ({ resource: liveGroup(["u2"]), recovered: true }) });
    await groupType.create({ client, log }, eng, URN);
    expect(calls[1]).toEqual(["patchGroupMembers", "g1", { add: ["u1", "u3"], remove: [] }]);
    expect(log.messages[0]).toMatch(/answer was lost; found it by externalId eng/);
  });

  it("adopts on 409 when the externalId matches, then moves the membership to ours by PATCH, never PUT", async () => {
    const log = recordingLog();
    const { client, calls } = fakeClient({
      createGroup: async () => {
        throw conflict();
      },
      findGroupByDisplayName: async () => liveGroup([], { id: "g-old" }),
      getGroup: async () => liveGroup(["u1", "stale"], { id: "g-old" }),
    });
    const result = await groupType.create({ client, log }, eng, URN);
    expect(result.id).toBe("g-old");
    expect(calls.map((c) => c[0])).toEqual(["createGroup", "findGroupByDisplayName", "getGroup", "patchGroupMembers"]);
    expect(calls[3]).toEqual(["patchGroupMembers", "g-old", { add: ["u2", "u3"], remove: ["stale"] }]);
    expect(log.messages[0]).toMatch(/adopted existing SCIM group "Engineering"/);
  });

  it("refuses a same-named group with another externalId", async () => {
    const { client, calls } = fakeClient({
      createGroup: async () => {
        throw conflict();
      },
      findGroupByDisplayName: async () => ({ schemas: [], id: "g-x", displayName: "Engineering", externalId: "manual" }),
    });
    await expect(groupType.create({ client, log: recordingLog() }, eng, URN)).rejects.toThrow(
      /SCIM group "Engineering" already exists \(id g-x\) with externalId "manual", not catalog key eng/,
    );
    expect(calls.map((c) => c[0])).toEqual(["createGroup", "findGroupByDisplayName"]);
  });
});

describe("Group update", () => {
  it("sends only a member PATCH with exactly the changed members when only members change", async () => {
    const { client, calls } = fakeClient();
    const outputs = await groupType.update({ client, log: recordingLog() }, "g1", state, { ...eng, members: ["u1", "u3", "u4"] });
    expect(calls).toEqual([["patchGroupMembers", "g1", { add: ["u4"], remove: ["u2"] }]]);
    expect(outputs).toEqual({ ...eng, members: ["u1\nu3\nu4"], scimId: "g1" });
  });

  it("renames with a PATCH replace of the attribute: the membership is never restated", async () => {
    const { client, calls } = fakeClient();
    await groupType.update({ client, log: recordingLog() }, "g1", state, { displayName: "Eng", externalId: "eng", members: ["u1", "u9"] });
    expect(calls).toEqual([
      ["patchGroup", "g1", [{ op: "replace", path: "displayName", value: "Eng" }]],
      ["patchGroupMembers", "g1", { add: ["u9"], remove: ["u2", "u3"] }],
    ]);
  });

  it("re-reads and patches only what is still missing when a removal has no target (already applied)", async () => {
    let attempts = 0;
    const { client, calls } = fakeClient({
      patchGroupMembers: async () => {
        if (attempts++ === 0) throw new ScimError({ method: "PATCH", path: "/Groups/g1", status: 400, scimType: "noTarget", detail: "no member u2", structured: true });
      },
      getGroup: async () => liveGroup(["u1", "u3"]),
    });
    await groupType.update({ client, log: recordingLog() }, "g1", state, { ...eng, members: ["u1", "u3", "u4"] });
    expect(calls.map((c) => c[0])).toEqual(["patchGroupMembers", "getGroup", "patchGroupMembers"]);
    expect(calls[2]).toEqual(["patchGroupMembers", "g1", { add: ["u4"], remove: [] }]);
  });

  it("does not retry a definitive refusal", async () => {
    const refusal = new ScimError({ method: "PATCH", path: "/Groups/g1", status: 403, detail: "read-only group", structured: true });
    const { client, calls } = fakeClient({
      patchGroupMembers: async () => {
        throw refusal;
      },
    });
    await expect(groupType.update({ client, log: recordingLog() }, "g1", state, { ...eng, members: ["u1"] })).rejects.toBe(refusal);
    expect(calls.map((c) => c[0])).toEqual(["patchGroupMembers"]);
  });

  it("renames by PUT of the live members when the SP refuses a PATCH of displayName as not implemented", async () => {
    const { client, calls } = fakeClient({
      patchGroup: async () => {
        throw new ScimError({ method: "PATCH", path: "/Groups/g1", status: 501, detail: "", structured: true });
      },
      getGroup: async () => liveGroup(["u1", "u2", "u3", "added-by-hand"]),
    });
    await groupType.update({ client, log: recordingLog() }, "g1", state, { displayName: "Eng", externalId: "eng", members: ["u1", "u2", "u3"] });
    expect(calls.map((c) => c[0])).toEqual(["patchGroup", "getGroup", "replaceGroup"]);
    expect(calls[2]).toEqual([
      "replaceGroup",
      "g1",
      expect.objectContaining({ id: "g1", displayName: "Eng", members: ["added-by-hand", "u1", "u2", "u3"].map((value) => ({ value })) }),
    ]);
  });

  it("reads back removals sent as a value array, and puts back members an SP took it as 'remove all' for", async () => {
    const held = new Set(["u1", "u2", "u3"]);
    let removeAllOnce = true;
    const { client, calls } = fakeClient({
      removesMembersByValue: () => true,
      patchGroupMembers: async (_id, changes) => {
        if (changes.remove.length > 0 && removeAllOnce) {
          removeAllOnce = false;
          held.clear();
        }
        for (const m of changes.remove) held.delete(m);
        for (const m of changes.add) held.add(m);
      },
      getGroup: async () => liveGroup([...held].sort()),
    });
    await groupType.update({ client, log: recordingLog() }, "g1", state, { ...eng, members: ["u1", "u3"] });
    expect([...held].sort()).toEqual(["u1", "u3"]);
    expect(calls.map((c) => c[0])).toEqual(["patchGroupMembers", "getGroup", "patchGroupMembers"]);
    expect(calls[2]).toEqual(["patchGroupMembers", "g1", { add: ["u1", "u3"], remove: [] }]);
  });

  it("fails, saying so, when value-array removals never take effect", async () => {
    const { client } = fakeClient({ removesMembersByValue: () => true, getGroup: async () => liveGroup(["u1", "u2", "u3"]) });
    await expect(groupType.update({ client, log: recordingLog() }, "g1", state, { ...eng, members: ["u1"] })).rejects.toThrow(/refuses member removals by filter/);
  });

  it("without PATCH, re-reads the group and PUTs its live members with exactly our changes applied", async () => {
    const { client, calls } = fakeClient({ capabilities: noPatch, getGroup: async () => liveGroup(["u1", "u2", "u3", "added-by-hand"]) });
    await groupType.update({ client, log: recordingLog() }, "g1", state, { displayName: "Eng", externalId: "eng", members: ["u1", "u3", "u4"] });
    expect(calls.map((c) => c[0])).toEqual(["getGroup", "replaceGroup"]);
    expect(calls[1]?.[2]).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      id: "g1",
      displayName: "Eng",
      externalId: "eng",
      members: ["added-by-hand", "u1", "u3", "u4"].map((value) => ({ value })),
    });
  });

  it("refuses a live member id holding a line break: packed, it would read back as two members", async () => {
    const { client } = fakeClient({ readGroup: async () => liveGroup(["u1", "u2\nu3"]) });
    await expect(groupType.read({ client, log: recordingLog() }, "g1")).rejects.toThrow(/line break/);
  });

  it("reads the live membership (through the refresh cache) and deletes by id", async () => {
    const { client, calls } = fakeClient({ readGroup: async () => liveGroup(["u3", "u1"]) });
    const found = await groupType.read({ client, log: recordingLog() }, "g1");
    expect(found?.outputs).toEqual({ displayName: "Engineering", externalId: "eng", members: ["u1\nu3"], scimId: "g1" });
    expect(found?.inputs).not.toHaveProperty("scimId");
    await groupType.delete({ client, log: recordingLog() }, "g1");
    expect(calls.map((c) => c[0])).toEqual(["readGroup", "deleteGroup"]);
  });
});
