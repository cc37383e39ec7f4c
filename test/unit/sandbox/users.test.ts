import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestSandbox, USER_SCHEMA, type TestSandbox } from "./helpers.js";

describe("sandbox Users", () => {
  let sandbox: TestSandbox;
  beforeEach(async () => {
    sandbox = await startTestSandbox();
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  const ada = {
    schemas: [USER_SCHEMA],
    userName: "ada.lovelace@example.com",
    externalId: "W1001",
    active: true,
    displayName: "Ada Lovelace",
    title: "Analyst",
    name: { givenName: "Ada", familyName: "Lovelace", formatted: "Ada Lovelace" },
    emails: [{ value: "ada.lovelace@example.com", type: "work", primary: true }],
  };

  it("creates a user and returns it with id and meta", async () => {
    const created = await sandbox.scim("POST", "/Users", ada);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      userName: ada.userName,
      externalId: "W1001",
      active: true,
      displayName: "Ada Lovelace",
      title: "Analyst",
      name: ada.name,
      emails: ada.emails,
      meta: { resourceType: "User", version: 'W/"1"' },
    });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(created.body.meta.created)).not.toBeNaN();
    expect(created.body.meta.lastModified).toBe(created.body.meta.created);
    expect(created.body.meta.location).toBe(`${sandbox.server.url}/Users/${created.body.id}`);

    const fetched = await sandbox.scim("GET", `/Users/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
  });

  it("treats an absent active as enabled", async () => {
    const id = await sandbox.createUser("grace");
    expect((await sandbox.scim("GET", `/Users/${id}`)).body.active).toBe(true);
  });

  it("keeps the enterprise extension a client sends", async () => {
    const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const created = await sandbox.scim("POST", "/Users", {
      schemas: [USER_SCHEMA, enterprise],
      userName: "ext",
      [enterprise]: { employeeNumber: "W7", department: "Finance" },
    });
    expect(created.status).toBe(201);
    expect((await sandbox.scim("GET", `/Users/${created.body.id}`)).body[enterprise]).toEqual({
      employeeNumber: "W7",
      department: "Finance",
    });
  });

  it("answers 404 for an unknown id", async () => {
    const reply = await sandbox.scim("GET", "/Users/no-such-user");
    expect(reply.status).toBe(404);
    expect(reply.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });

  it("lists users", async () => {
    await sandbox.createUser("a");
    await sandbox.createUser("b");
    const list = await sandbox.scim("GET", "/Users");
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 2,
      startIndex: 1,
      itemsPerPage: 2,
    });
    expect(list.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(["a", "b"]);
  });

  it("refuses a duplicate userName, whatever its case, with 409 uniqueness", async () => {
    await sandbox.createUser("Ada.Lovelace@example.com");
    const duplicate = await sandbox.scim("POST", "/Users", { schemas: [USER_SCHEMA], userName: "ada.lovelace@EXAMPLE.com" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    expect((await sandbox.scim("GET", "/Users")).body.totalResults).toBe(1);
  });

  it("refuses a rename onto another user's userName", async () => {
    await sandbox.createUser("taken");
    const id = await sandbox.createUser("free");
    const put = await sandbox.scim("PUT", `/Users/${id}`, { schemas: [USER_SCHEMA], userName: "TAKEN" });
    expect(put.status).toBe(409);
    expect(put.body.scimType).toBe("uniqueness");
    const patch = await sandbox.patch(`/Users/${id}`, { op: "replace", path: "userName", value: "Taken" });
    expect(patch.status).toBe(409);
  });

  it("lets a user change the case of its own userName", async () => {
    const id = await sandbox.createUser("ada");
    const put = await sandbox.scim("PUT", `/Users/${id}`, { schemas: [USER_SCHEMA], userName: "Ada" });
    expect(put.status).toBe(200);
    expect(put.body.userName).toBe("Ada");
  });

  it("filters userName eq case-insensitively", async () => {
    const id = await sandbox.createUser("Ada.Lovelace@Example.com");
    await sandbox.createUser("grace@example.com");
    const filter = encodeURIComponent('userName eq "ada.lovelace@example.COM"');
    const reply = await sandbox.scim("GET", `/Users?filter=${filter}`);
    expect(reply.status).toBe(200);
    expect(reply.body.totalResults).toBe(1);
    expect(reply.body.Resources[0].id).toBe(id);
    expect(reply.body.Resources[0].userName).toBe("Ada.Lovelace@Example.com");
  });

  it("filters externalId eq exactly, displayName and id eq, and combines with and", async () => {
    const ada = await sandbox.createUser("ada", { externalId: "W1", displayName: "Ada Lovelace" });
    await sandbox.createUser("grace", { externalId: "W2", displayName: "Grace Hopper" });
    const find = async (filter: string) => {
      const reply = await sandbox.scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
      expect(reply.status, filter).toBe(200);
      return reply.body.Resources.map((user: { userName: string }) => user.userName);
    };
    expect(await find('externalId eq "W1"')).toEqual(["ada"]);
    expect(await find('externalId eq "w1"')).toEqual([]);
    expect(await find('displayName eq "ada lovelace"')).toEqual(["ada"]);
    expect(await find(`id eq "${ada}"`)).toEqual(["ada"]);
    expect(await find('userName eq "GRACE" and externalId eq "W2"')).toEqual(["grace"]);
    expect(await find('userName eq "grace" and externalId eq "W1"')).toEqual([]);
    expect(await find('userName sw "A" or externalId eq "W2"')).toEqual(["ada", "grace"]);
    // Neither user has emails; scimmy's own matcher would throw on that.
    expect(await find('emails.value eq "ada@example.com" or externalId eq "W2"')).toEqual(["grace"]);
  });

  it("searches with POST /.search and sorts with sortBy", async () => {
    await sandbox.createUser("bob");
    await sandbox.createUser("Alice");
    await sandbox.createUser("carol");
    const search = await sandbox.scim("POST", "/Users/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: 'userName eq "ALICE"',
    });
    expect(search.status).toBe(200);
    expect(search.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(["Alice"]);
    const sorted = await sandbox.scim("GET", "/Users?sortBy=userName&sortOrder=descending&count=2");
    expect(sorted.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(["carol", "bob"]);
  });

  it("rejects a malformed filter with 400 invalidFilter", async () => {
    const reply = await sandbox.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "a" )')}`);
    expect(reply.status).toBe(400);
    expect(reply.body.scimType).toBe("invalidFilter");
  });

  it("pages with startIndex and count", async () => {
    for (const name of ["u1", "u2", "u3", "u4", "u5"]) await sandbox.createUser(name);
    const page = async (query: string) => (await sandbox.scim("GET", `/Users?${query}`)).body;

    const second = await page("startIndex=2&count=2");
    expect(second).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(second.Resources.map((u: { userName: string }) => u.userName)).toEqual(["u2", "u3"]);

    const last = await page("startIndex=5&count=2");
    expect(last).toMatchObject({ totalResults: 5, itemsPerPage: 1 });
    expect(last.Resources.map((u: { userName: string }) => u.userName)).toEqual(["u5"]);

    const beyond = await page("startIndex=9&count=2");
    expect(beyond).toMatchObject({ totalResults: 5, startIndex: 9, itemsPerPage: 0 });
    expect(beyond.Resources ?? []).toEqual([]);

    const countOnly = await page("count=0");
    expect(countOnly).toMatchObject({ totalResults: 5, itemsPerPage: 0 });

    const filtered = await page(`filter=${encodeURIComponent('userName sw "u"')}&startIndex=4&count=10`);
    expect(filtered.Resources.map((u: { userName: string }) => u.userName)).toEqual(["u4", "u5"]);
  });

  it("replaces a user with PUT", async () => {
    const created = await sandbox.scim("POST", "/Users", ada);
    const id = created.body.id;
    const put = await sandbox.scim("PUT", `/Users/${id}`, {
      schemas: [USER_SCHEMA],
      userName: ada.userName,
      externalId: "W1001",
      active: true,
      name: { givenName: "Augusta", familyName: "King" },
    });
    expect(put.status).toBe(200);
    expect(put.body.name).toEqual({ givenName: "Augusta", familyName: "King" });
    expect(put.body.title).toBeUndefined();
    expect(put.body.emails).toBeUndefined();
    expect(put.body.meta.version).toBe('W/"2"');
    expect(put.body.meta.created).toBe(created.body.meta.created);
  });

  it("does not bump the version when a PUT changes nothing", async () => {
    const created = await sandbox.scim("POST", "/Users", ada);
    const put = await sandbox.scim("PUT", `/Users/${created.body.id}`, ada);
    expect(put.status).toBe(200);
    expect(put.body.meta.version).toBe('W/"1"');
  });

  it("answers 404 to PUT and DELETE of an unknown user", async () => {
    expect((await sandbox.scim("PUT", "/Users/nope", { schemas: [USER_SCHEMA], userName: "x" })).status).toBe(404);
    expect((await sandbox.scim("DELETE", "/Users/nope")).status).toBe(404);
  });

  it("deactivates with PATCH active false, as Okta sends it", async () => {
    const id = await sandbox.createUser("ada");
    const reply = await sandbox.patch(`/Users/${id}`, { op: "replace", value: { active: false } });
    expect(reply.status).toBe(200);
    expect(reply.body.active).toBe(false);
    expect((await sandbox.scim("GET", `/Users/${id}`)).body.active).toBe(false);
  });

  it('accepts Entra\'s "False" string, capitalised op and path', async () => {
    const id = await sandbox.createUser("ada");
    const reply = await sandbox.patch(`/Users/${id}`, { op: "Replace", path: "active", value: "False" });
    expect(reply.status).toBe(200);
    expect(reply.body.active).toBe(false);
    // Entra keeps soft-deleted users visible to its lookups.
    const list = await sandbox.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "ada"')}`);
    expect(list.body.Resources[0].active).toBe(false);

    const back = await sandbox.patch(`/Users/${id}`, { op: "Replace", value: { active: "True" } });
    expect(back.body.active).toBe(true);
  });

  it('accepts "False" in a POST body', async () => {
    const created = await sandbox.scim("POST", "/Users", { schemas: [USER_SCHEMA], userName: "ada", active: "False" });
    expect(created.status).toBe(201);
    expect(created.body.active).toBe(false);
  });

  it("patches attributes with add, replace and remove", async () => {
    const created = await sandbox.scim("POST", "/Users", ada);
    const id = created.body.id;
    const reply = await sandbox.patch(
      `/Users/${id}`,
      { op: "replace", path: "name.familyName", value: "King" },
      { op: "add", path: "title", value: "Countess" },
      { op: "remove", path: "displayName" },
    );
    expect(reply.status).toBe(200);
    expect(reply.body.name.familyName).toBe("King");
    expect(reply.body.title).toBe("Countess");
    expect(reply.body.displayName).toBeUndefined();
    expect(reply.body.meta.version).toBe('W/"2"');
  });

  it("deletes a user", async () => {
    const id = await sandbox.createUser("ada");
    expect((await sandbox.scim("DELETE", `/Users/${id}`)).status).toBe(204);
    expect((await sandbox.scim("GET", `/Users/${id}`)).status).toBe(404);
  });

  it("answers malformed JSON with a SCIM 400", async () => {
    const response = await fetch(`${sandbox.server.url}/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${sandbox.server.token}`, "content-type": "application/scim+json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: "400", scimType: "invalidSyntax" });
  });
});
