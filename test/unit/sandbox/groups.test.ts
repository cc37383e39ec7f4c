import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GROUP_SCHEMA, startTestSandbox, USER_SCHEMA, type TestSandbox } from "./helpers.js";

interface Member {
  value: string;
  display?: string;
  $ref?: string;
}

describe("sandbox Groups", () => {
  let sandbox: TestSandbox;
  beforeEach(async () => {
    sandbox = await startTestSandbox();
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  const memberIds = async (groupId: string): Promise<string[]> => {
    const reply = await sandbox.scim("GET", `/Groups/${groupId}`);
    expect(reply.status).toBe(200);
    return ((reply.body.members ?? []) as Member[]).map((member) => member.value).sort();
  };

  it("creates a group, keeping the display and $ref a client gives and filling in the others", async () => {
    const ada = await sandbox.createUser("ada");
    const grace = await sandbox.createUser("grace");
    const created = await sandbox.scim("POST", "/Groups", {
      schemas: [GROUP_SCHEMA],
      displayName: "Finance",
      externalId: "finance",
      members: [{ value: ada }, { value: grace, display: "Grace Hopper", $ref: `/scim/v2/Users/${grace}` }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      displayName: "Finance",
      externalId: "finance",
      meta: { resourceType: "Group", version: 'W/"1"', location: `${sandbox.server.url}/Groups/${created.body.id}` },
    });
    expect(created.body.members).toEqual([
      { value: ada, display: "ada", $ref: `${sandbox.server.url}/Users/${ada}`, type: "User" },
      { value: grace, display: "Grace Hopper", $ref: `/scim/v2/Users/${grace}`, type: "User" },
    ]);
    expect((await sandbox.scim("GET", `/Groups/${created.body.id}`)).body.members).toEqual(created.body.members);
  });

  it("rejects unknown member ids with 400 invalidValue", async () => {
    const ada = await sandbox.createUser("ada");
    const created = await sandbox.scim("POST", "/Groups", {
      schemas: [GROUP_SCHEMA],
      displayName: "Finance",
      members: [{ value: ada }, { value: "ghost" }],
    });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ scimType: "invalidValue" });
    expect(created.body.detail).toContain("ghost");

    const group = await sandbox.createGroup("Ops");
    const patched = await sandbox.patch(`/Groups/${group}`, { op: "add", path: "members", value: [{ value: "ghost" }] });
    expect(patched.status).toBe(400);
    expect(patched.body.scimType).toBe("invalidValue");
    expect(await memberIds(group)).toEqual([]);
  });

  it("refuses a second group with the same displayName, whatever its case", async () => {
    await sandbox.createGroup("Finance");
    const duplicate = await sandbox.scim("POST", "/Groups", { schemas: [GROUP_SCHEMA], displayName: "FINANCE" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.scimType).toBe("uniqueness");
  });

  it("filters groups by displayName case-insensitively and by member", async () => {
    const ada = await sandbox.createUser("ada");
    const finance = await sandbox.createGroup("Finance", [ada]);
    await sandbox.createGroup("Ops");
    const byName = await sandbox.scim("GET", `/Groups?filter=${encodeURIComponent('displayName eq "finance"')}`);
    expect(byName.body.Resources.map((group: { id: string }) => group.id)).toEqual([finance]);
    const byMember = await sandbox.scim("GET", `/Groups?filter=${encodeURIComponent(`members.value eq "${ada}"`)}`);
    expect(byMember.body.Resources.map((group: { id: string }) => group.id)).toEqual([finance]);
  });

  it("adds members with PATCH, ignoring ones already present", async () => {
    const [ada, grace] = [await sandbox.createUser("ada"), await sandbox.createUser("grace")];
    const group = await sandbox.createGroup("Finance", [ada]);
    const added = await sandbox.patch(`/Groups/${group}`, { op: "Add", path: "members", value: [{ value: grace }, { value: ada }] });
    expect(added.status).toBe(200);
    expect(added.body.members.map((member: Member) => member.value)).toEqual([ada, grace]);
    expect(added.body.meta.version).toBe('W/"2"');

    const again = await sandbox.patch(`/Groups/${group}`, { op: "add", path: "members", value: [{ value: grace }] });
    expect(again.status).toBe(200);
    expect(again.body.meta.version).toBe('W/"2"');
    expect((await sandbox.scim("GET", `/Groups/${group}`)).body.meta.version).toBe('W/"2"');
  });

  it("applies 50 concurrent member additions to one group without losing any", async () => {
    const users = await Promise.all(Array.from({ length: 50 }, (_, index) => sandbox.createUser(`user${index}`)));
    const group = await sandbox.createGroup("Everyone");
    const replies = await Promise.all(
      users.map((id) => sandbox.patch(`/Groups/${group}`, { op: "add", path: "members", value: [{ value: id }] })),
    );
    expect(replies.map((reply) => reply.status)).toEqual(users.map(() => 200));
    expect(await memberIds(group)).toEqual([...users].sort());
    expect((await sandbox.scim("GET", `/Groups/${group}`)).body.meta.version).toBe('W/"51"');
  });

  it("applies concurrent additions and removals on one group without losing any", async () => {
    const users = await Promise.all(Array.from({ length: 40 }, (_, index) => sandbox.createUser(`user${index}`)));
    const [kept, removed] = [users.slice(0, 20), users.slice(20)];
    const group = await sandbox.createGroup("Mixed", removed);
    await Promise.all([
      ...kept.map((id) => sandbox.patch(`/Groups/${group}`, { op: "add", path: "members", value: [{ value: id }] })),
      ...removed.map((id) => sandbox.patch(`/Groups/${group}`, { op: "remove", path: `members[value eq "${id}"]` })),
    ]);
    expect(await memberIds(group)).toEqual([...kept].sort());
  });

  it("removes members by value array, as Entra sends it", async () => {
    const [ada, grace, alan] = [await sandbox.createUser("ada"), await sandbox.createUser("grace"), await sandbox.createUser("alan")];
    const group = await sandbox.createGroup("Finance", [ada, grace, alan]);
    const reply = await sandbox.patch(`/Groups/${group}`, {
      op: "Remove",
      path: "members",
      value: [{ value: ada }, { value: alan }],
    });
    expect(reply.status).toBe(200);
    expect(await memberIds(group)).toEqual([grace]);
  });

  it("removes members by value even when the client's display is stale", async () => {
    const [ada, grace] = [await sandbox.createUser("ada"), await sandbox.createUser("grace")];
    const group = await sandbox.createGroup("Finance", [ada, grace]);
    const reply = await sandbox.patch(`/Groups/${group}`, {
      op: "remove",
      path: "members",
      value: [{ value: ada, display: "Ada Lovelace" }],
    });
    expect(reply.status).toBe(200);
    expect(await memberIds(group)).toEqual([grace]);
  });

  it("removes a member by filter path", async () => {
    const [ada, grace] = [await sandbox.createUser("ada"), await sandbox.createUser("grace")];
    const group = await sandbox.createGroup("Finance", [ada, grace]);
    const reply = await sandbox.patch(`/Groups/${group}`, { op: "remove", path: `members[value eq "${ada}"]` });
    expect(reply.status).toBe(200);
    expect(await memberIds(group)).toEqual([grace]);
  });

  it("replaces the member list and the displayName", async () => {
    const [ada, grace] = [await sandbox.createUser("ada"), await sandbox.createUser("grace")];
    const group = await sandbox.createGroup("Finance", [ada]);
    const reply = await sandbox.patch(
      `/Groups/${group}`,
      { op: "replace", path: "members", value: [{ value: grace }] },
      { op: "replace", value: { displayName: "Finance EU" } },
    );
    expect(reply.status).toBe(200);
    expect(reply.body.displayName).toBe("Finance EU");
    expect(await memberIds(group)).toEqual([grace]);
  });

  it("replaces a group with PUT", async () => {
    const [ada, grace] = [await sandbox.createUser("ada"), await sandbox.createUser("grace")];
    const group = await sandbox.createGroup("Finance", [ada]);
    const reply = await sandbox.scim("PUT", `/Groups/${group}`, {
      schemas: [GROUP_SCHEMA],
      displayName: "Finance",
      members: [{ value: grace }],
    });
    expect(reply.status).toBe(200);
    expect(await memberIds(group)).toEqual([grace]);
  });

  it("removes a deleted user from every group", async () => {
    const [ada, grace] = [await sandbox.createUser("ada"), await sandbox.createUser("grace")];
    const finance = await sandbox.createGroup("Finance", [ada, grace]);
    const ops = await sandbox.createGroup("Ops", [ada]);
    expect((await sandbox.scim("DELETE", `/Users/${ada}`)).status).toBe(204);
    expect(await memberIds(finance)).toEqual([grace]);
    expect(await memberIds(ops)).toEqual([]);
    expect((await sandbox.scim("GET", `/Groups/${ops}`)).body.meta.version).toBe('W/"2"');
  });

  it("shows a member's current userName after a rename", async () => {
    const ada = await sandbox.createUser("ada");
    const group = await sandbox.createGroup("Finance", [ada]);
    await sandbox.scim("PUT", `/Users/${ada}`, { schemas: [USER_SCHEMA], userName: "ada.king" });
    expect((await sandbox.scim("GET", `/Groups/${group}`)).body.members[0].display).toBe("ada.king");
  });

  it("deletes a group", async () => {
    const group = await sandbox.createGroup("Finance");
    expect((await sandbox.scim("DELETE", `/Groups/${group}`)).status).toBe(204);
    expect((await sandbox.scim("GET", `/Groups/${group}`)).status).toBe(404);
    expect((await sandbox.scim("DELETE", `/Groups/${group}`)).status).toBe(404);
  });
});
