import { describe, expect, it } from "vitest";
import { userType } from "../../../src/targets/scim/provider/user.js";
import { conflict, fakeClient, recordingLog } from "./fakes.js";
import { ada } from "./inputs.js";

const URN = "urn:pulumi:local::rolecall::rolecall-scim:index:User::W1";
const scimAda = (id: string, externalId = "W1") => ({
  schemas: [],
  id,
  userName: "ada",
  externalId,
  name: { givenName: "Ada", familyName: "Lovelace" },
  displayName: "Ada Lovelace",
  emails: [{ value: "ada@example.com", primary: true }],
  active: true,
});

describe("User create", () => {
  it("POSTs and returns the SP's id with the inputs as outputs", async () => {
    const { client, calls } = fakeClient();
    const result = await userType.create({ client, log: recordingLog() }, ada, URN);
    expect(result).toEqual({ id: "new-user", outputs: { ...ada, scimId: "new-user" } });
    expect(calls.map((c) => c[0])).toEqual(["createUser"]);
  });

  it("adopts an existing account on 409 when its externalId is ours, and PUTs our values", async () => {
    const log = recordingLog();
    const { client, calls } = fakeClient({
      createUser: async () => {
        throw conflict();
      },
      findUserByUserName: async () => ({ ...scimAda("u-old"), displayName: "Old Name" }),
    });
    const result = await userType.create({ client, log }, ada, URN);
    expect(result.id).toBe("u-old");
    expect(calls.map((c) => c[0])).toEqual(["createUser", "findUserByUserName", "replaceUser"]);
    expect(calls[2]?.[1]).toBe("u-old");
    expect(calls[2]?.[2]).toMatchObject({ id: "u-old", displayName: "Ada Lovelace", externalId: "W1" });
    expect(log.messages[0]).toMatch(/adopted existing SCIM user "ada" \(id u-old\)/);
  });

  it("refuses to adopt another worker's account and says what to do", async () => {
    const { client, calls } = fakeClient({
      createUser: async () => {
        throw conflict();
      },
      findUserByUserName: async () => scimAda("u-other", "W999"),
    });
    const attempt = userType.create({ client, log: recordingLog() }, ada, URN);
    await expect(attempt).rejects.toThrow(/SCIM user "ada" already exists \(id u-other\) with externalId "W999", not worker W1/);
    await expect(attempt).rejects.toThrow(/set the account's externalId to "W1"/);
    expect(calls.map((c) => c[0])).toEqual(["createUser", "findUserByUserName"]);
  });

  it("refuses an account without externalId too", async () => {
    const { client } = fakeClient({
      createUser: async () => {
        throw conflict();
      },
      findUserByUserName: async () => ({ schemas: [], id: "u-x", userName: "ada" }),
    });
    await expect(userType.create({ client, log: recordingLog() }, ada, URN)).rejects.toThrow(/with externalId unset/);
  });

  it("explains a 409 whose userName is free (another unique attribute clashes)", async () => {
    const { client } = fakeClient({
      createUser: async () => {
        throw conflict();
      },
    });
    await expect(userType.create({ client, log: recordingLog() }, ada, URN)).rejects.toThrow(/another unique attribute/);
  });

  it("adopts quietly what a create whose answer was lost left behind, with no second write when it matches", async () => {
    const log = recordingLog();
    const { client, calls } = fakeClient({ createUser: async () => ({ resource: scimAda("u-lost"), recovered: true }) });
    const result = await userType.create({ client, log }, { ...ada, email: "ada@example.com" }, URN);
    expect(result.id).toBe("u-lost");
    expect(calls.map((c) => c[0])).toEqual(["createUser"]);
    expect(log.messages[0]).toMatch(/answer was lost; found it by externalId W1/);
  });

  it("makes a recovered account ours when an earlier attempt wrote other values", async () => {
    const { client, calls } = fakeClient({ createUser: async () => ({ resource: { ...scimAda("u-lost"), displayName: "Old" }, recovered: true }) });
    await userType.create({ client, log: recordingLog() }, ada, URN);
    expect(calls.map((c) => c[0])).toEqual(["createUser", "replaceUser"]);
    expect(calls[1]?.[2]).toMatchObject({ id: "u-lost", displayName: "Ada Lovelace" });
  });

  it("passes other errors through untouched", async () => {
    const boom = new Error("boom");
    const { client } = fakeClient({
      createUser: async () => {
        throw boom;
      },
    });
    await expect(userType.create({ client, log: recordingLog() }, ada, URN)).rejects.toBe(boom);
  });
});

describe("User read, update, delete", () => {
  it("reads live values as outputs and inputs", async () => {
    const { client } = fakeClient({ readUser: async () => ({ ...scimAda("u1"), active: "False" }) });
    const found = await userType.read({ client, log: recordingLog() }, "u1");
    expect(found).toEqual({ outputs: { ...ada, active: false, scimId: "u1" }, inputs: { ...ada, active: false } });
  });

  it("reads a vanished user as null", async () => {
    const { client } = fakeClient();
    await expect(userType.read({ client, log: recordingLog() }, "u1")).resolves.toBeNull();
  });

  it("updates with one full PUT", async () => {
    const { client, calls } = fakeClient();
    const outputs = await userType.update({ client, log: recordingLog() }, "u1", { ...ada, scimId: "u1" }, { ...ada, userName: "ada.l" });
    expect(outputs).toEqual({ ...ada, userName: "ada.l", scimId: "u1" });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBe("replaceUser");
    expect(calls[0]?.[2]).toMatchObject({ id: "u1", userName: "ada.l", emails: [{ value: "ada@example.com", type: "work", primary: true }] });
  });

  it("deletes by id", async () => {
    const { client, calls } = fakeClient();
    await userType.delete({ client, log: recordingLog() }, "u1");
    expect(calls).toEqual([["deleteUser", "u1"]]);
  });

  it("refuses inputs that did not pass Check", async () => {
    const { client } = fakeClient();
    await expect(userType.create({ client, log: recordingLog() }, { ...ada, active: "yes" }, URN)).rejects.toThrow(/active must be a boolean/);
  });
});
