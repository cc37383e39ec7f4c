import { describe, expect, it } from "vitest";
import { groupType } from "../../../src/targets/scim/provider/group.js";
import { conflict, fakeClient, recordingLog } from "./fakes.js";

const URN = "urn:pulumi:local::rolecall::rolecall-scim:index:Group::eng";
const eng = { displayName: "Engineering", externalId: "eng", members: ["u1", "u2", "u3"] };
const state = { ...eng, scimId: "g1" };

describe("Group create", () => {
  it("POSTs the group with its members", async () => {
    const { client, calls } = fakeClient();
    const result = await groupType.create({ client, log: recordingLog() }, eng, URN);
    expect(result).toEqual({ id: "new-group", outputs: { ...eng, scimId: "new-group" } });
    expect(calls[0]?.[1]).toMatchObject({ displayName: "Engineering", members: [{ value: "u1" }, { value: "u2" }, { value: "u3" }] });
  });

  it("adopts on 409 when the externalId matches, then PUTs and patches the membership to ours", async () => {
    const log = recordingLog();
    const { client, calls } = fakeClient({
      createGroup: async () => {
        throw conflict();
      },
      findGroupByDisplayName: async () => ({ schemas: [], id: "g-old", displayName: "Engineering", externalId: "eng" }),
      replaceGroup: async (id, body) => ({ ...body, id, members: [{ value: "u1" }, { value: "stale" }] }),
    });
    const result = await groupType.create({ client, log }, eng, URN);
    expect(result.id).toBe("g-old");
    expect(calls.map((c) => c[0])).toEqual(["createGroup", "findGroupByDisplayName", "replaceGroup", "patchGroupMembers"]);
    expect(calls[2]?.[2]).not.toHaveProperty("members");
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
    expect(outputs).toEqual({ ...eng, members: ["u1", "u3", "u4"], scimId: "g1" });
  });

  it("PUTs without members, then patches against the membership the PUT response shows", async () => {
    const { client, calls } = fakeClient({
      replaceGroup: async (id, body) => ({ ...body, id, members: [{ value: "u1" }, { value: "u2" }, { value: "u3" }] }),
    });
    await groupType.update({ client, log: recordingLog() }, "g1", state, { displayName: "Eng", externalId: "eng", members: ["u1", "u9"] });
    expect(calls.map((c) => c[0])).toEqual(["replaceGroup", "patchGroupMembers"]);
    expect(calls[0]?.[2]).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      id: "g1",
      displayName: "Eng",
      externalId: "eng",
    });
    expect(calls[1]).toEqual(["patchGroupMembers", "g1", { add: ["u9"], remove: ["u2", "u3"] }]);
  });

  it("re-adds every member and removes dropped ones when the PUT response does not show members", async () => {
    const { client, calls } = fakeClient({ replaceGroup: async () => undefined });
    await groupType.update({ client, log: recordingLog() }, "g1", state, { displayName: "Eng", externalId: "eng", members: ["u1", "u9"] });
    expect(calls[1]).toEqual(["patchGroupMembers", "g1", { add: ["u1", "u9"], remove: ["u2", "u3"] }]);
  });

  it("reads the live membership and deletes by id", async () => {
    const { client, calls } = fakeClient({
      getGroup: async () => ({ schemas: [], id: "g1", displayName: "Engineering", externalId: "eng", members: [{ value: "u3" }, { value: "u1" }] }),
    });
    const found = await groupType.read({ client, log: recordingLog() }, "g1");
    expect(found?.outputs).toEqual({ displayName: "Engineering", externalId: "eng", members: ["u1", "u3"], scimId: "g1" });
    expect(found?.inputs).not.toHaveProperty("scimId");
    await groupType.delete({ client, log: recordingLog() }, "g1");
    expect(calls.map((c) => c[0])).toEqual(["getGroup", "deleteGroup"]);
  });
});
