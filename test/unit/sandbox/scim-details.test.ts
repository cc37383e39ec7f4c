import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GROUP_SCHEMA, startTestSandbox, USER_SCHEMA, type TestSandbox } from "./helpers.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** The cases scim2-tester, Okta and Entra ID found wrong in the sandbox before, one by one. */
describe("sandbox SCIM details", () => {
  let sandbox: TestSandbox;
  beforeEach(async () => {
    sandbox = await startTestSandbox();
  });
  afterEach(async () => {
    await sandbox.stop();
  });
  const raw = (method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${sandbox.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.server.token}`, "content-type": "application/scim+json", ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  it("accepts roles and x509Certificates with a type, as an Entra app-role mapping sends them", async () => {
    const created = await sandbox.scim("POST", "/Users", {
      schemas: [USER_SCHEMA],
      userName: "ada",
      roles: [{ value: "Approver", type: "WindowsAzureActiveDirectoryRole", primary: true }],
      x509Certificates: [{ value: "MIIDQTCCAimgAwIBAgITBmyf", type: "signing" }],
    });
    expect(created.status).toBe(201);
    expect(created.body.roles).toEqual([{ value: "Approver", type: "WindowsAzureActiveDirectoryRole", primary: true }]);
    const schema = await sandbox.scim("GET", `/Schemas/${USER_SCHEMA}`);
    const roles = schema.body.attributes.find((attribute: { name: string }) => attribute.name === "roles");
    const type = roles.subAttributes.find((attribute: { name: string }) => attribute.name === "type");
    expect(type.canonicalValues).toBeUndefined();
  });

  it("creates the element a PATCH value path names when there is none yet", async () => {
    const id = await sandbox.createUser("ada");
    const reply = await sandbox.patch(`/Users/${id}`, { op: "add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0199" });
    expect(reply.status).toBe(200);
    expect(reply.body.phoneNumbers).toEqual([{ type: "mobile", value: "+1 555 0199" }]);
  });

  it("filters on URN-qualified attributes, so a client matching on employeeNumber finds the user", async () => {
    const id = await sandbox.createUser("ada", { schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { employeeNumber: "W7" } });
    await sandbox.createUser("grace", { schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { employeeNumber: "W8" } });
    for (const filter of [`${ENTERPRISE}:employeeNumber eq "W7"`, `${USER_SCHEMA}:userName eq "ADA"`]) {
      const reply = await sandbox.scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
      expect(reply.status, filter).toBe(200);
      expect(reply.body.Resources.map((user: { id: string }) => user.id), filter).toEqual([id]);
    }
  });

  it("reads null on POST as unassigned (RFC 7643 §2.5)", async () => {
    const created = await sandbox.scim("POST", "/Users", { schemas: [USER_SCHEMA], userName: "ada", phoneNumbers: null, title: null, name: { givenName: "Ada", familyName: null } });
    expect(created.status).toBe(201);
    expect(created.body.phoneNumbers).toBeUndefined();
    expect(created.body.title).toBeUndefined();
    expect(created.body.name).toEqual({ givenName: "Ada" });
  });

  it("answers 201 with a Location header naming the new resource", async () => {
    for (const [path, body] of [
      ["/Users", { schemas: [USER_SCHEMA], userName: "ada" }],
      ["/Groups", { schemas: [GROUP_SCHEMA], displayName: "Finance" }],
    ] as const) {
      const response = await raw("POST", path, { body });
      expect(response.status).toBe(201);
      const created = (await response.json()) as { id: string; meta: { location: string } };
      expect(response.headers.get("location")).toBe(`${sandbox.server.url}${path}/${created.id}`);
      expect(created.meta.location).toBe(response.headers.get("location"));
      expect((await fetch(response.headers.get("location")!, { headers: { authorization: `Bearer ${sandbox.server.token}` } })).status).toBe(200);
    }
  });

  it("keeps schemas, id and meta whatever attributes= asks for, and drops what excludedAttributes names", async () => {
    const id = await sandbox.createUser("ada", { externalId: "W1", title: "Analyst", name: { givenName: "Ada", familyName: "Lovelace" } });
    const one = await sandbox.scim("GET", `/Users/${id}?attributes=userName,name.givenName`);
    expect(one.body).toEqual({ schemas: [USER_SCHEMA], id, userName: "ada", name: { givenName: "Ada" }, meta: expect.objectContaining({ version: 'W/"1"' }) });
    const listed = await sandbox.scim("GET", "/Users?attributes=externalId");
    expect(Object.keys(listed.body.Resources[0]).sort()).toEqual(["externalId", "id", "meta", "schemas"]);
    const without = await sandbox.scim("GET", `/Users/${id}?excludedAttributes=title,name.familyName,id`);
    expect(without.body).toMatchObject({ id, userName: "ada", name: { givenName: "Ada" } });
    expect(without.body.title).toBeUndefined();
    expect(without.body.name.familyName).toBeUndefined();
    expect((await sandbox.scim("GET", `/Users/${id}?attributes=nosuch`)).status).toBe(400);
  });

  it("keeps the $ref and display a client gives group members, through PATCH too", async () => {
    const ada = await sandbox.createUser("ada");
    const group = await sandbox.createGroup("Finance");
    const member = { value: ada, display: "Ada Lovelace", $ref: `${sandbox.server.url}/Users/${ada}` };
    const reply = await sandbox.patch(`/Groups/${group}`, { op: "add", path: "members", value: [member] });
    expect(reply.body.members).toEqual([{ ...member, type: "User" }]);
    expect((await sandbox.scim("GET", `/Groups/${group}`)).body.members).toEqual([{ ...member, type: "User" }]);
  });

  it.each(["/ServiceProviderConfig", "/Schemas", "/ResourceTypes", "/Schemas/" + USER_SCHEMA, "/ResourceTypes/User"])(
    "answers writes to %s with 405 and an Allow header",
    async (path) => {
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        const response = await raw(method, path, { body: method === "DELETE" ? undefined : {} });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.get("allow")).toBe("GET");
        expect(await response.json()).toMatchObject({ status: "405" });
      }
    },
  );

  it("answers an unparseable filter with 400 invalidFilter, on GET and on .search", async () => {
    for (const filter of ['userName eq "a" )', "userName eq", 'nosuch eq "a"', "(userName pr"]) {
      const reply = await sandbox.scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
      expect(reply.status, filter).toBe(400);
      expect(reply.body.scimType, filter).toBe("invalidFilter");
    }
    const search = await sandbox.scim("POST", "/Groups/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: "displayName xx 1" });
    expect(search.body).toMatchObject({ status: "400", scimType: "invalidFilter" });
  });

  it("serves real ETags: meta.version is the ETag header, If-Match is honoured with 412, and the config says so", async () => {
    const created = await raw("POST", "/Users", { body: { schemas: [USER_SCHEMA], userName: "ada" } });
    const user = (await created.json()) as { id: string; meta: { version: string } };
    expect(created.headers.get("etag")).toBe(user.meta.version);

    const stale = await raw("PATCH", `/Users/${user.id}`, {
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "x" }] },
      headers: { "if-match": 'W/"999"' },
    });
    expect(stale.status).toBe(412);
    expect((await sandbox.scim("GET", `/Users/${user.id}`)).body.title).toBeUndefined();

    const fresh = await raw("PUT", `/Users/${user.id}`, { body: { schemas: [USER_SCHEMA], userName: "ada", title: "Analyst" }, headers: { "if-match": user.meta.version } });
    expect(fresh.status).toBe(200);
    const next = fresh.headers.get("etag");
    expect(next).toBe('W/"2"');
    expect(((await fresh.json()) as { meta: { version: string } }).meta.version).toBe(next);

    expect((await raw("GET", `/Users/${user.id}`, { headers: { "if-none-match": next! } })).status).toBe(304);
    expect((await raw("DELETE", `/Users/${user.id}`, { headers: { "if-match": user.meta.version } })).status).toBe(412);
    expect((await raw("DELETE", `/Users/${user.id}`, { headers: { "if-match": next! } })).status).toBe(204);
    expect((await sandbox.scim("GET", "/ServiceProviderConfig")).body.etag).toEqual({ supported: true });
  });

  it("takes a group created with thousands of members in one POST", async () => {
    const ids: string[] = [];
    for (let start = 0; start < 3000; start += 100) {
      ids.push(...(await Promise.all(Array.from({ length: 100 }, (_, index) => sandbox.createUser(`user${start + index}`)))));
    }
    const created = await sandbox.scim("POST", "/Groups", { schemas: [GROUP_SCHEMA], displayName: "Everyone", members: ids.map((value) => ({ value, display: `display of ${value}` })) });
    expect(created.status).toBe(201);
    expect(created.body.members).toHaveLength(3000);
    const byMember = await sandbox.scim("GET", `/Groups?filter=${encodeURIComponent(`members[value eq "${ids[2999]}"]`)}&attributes=displayName`);
    expect(byMember.body.Resources.map((group: { displayName: string }) => group.displayName)).toEqual(["Everyone"]);
    const user = await sandbox.scim("GET", `/Users/${ids[0]}`);
    expect(user.body.groups).toEqual([{ value: created.body.id, $ref: `${sandbox.server.url}/Groups/${created.body.id}`, display: "Everyone", type: "direct" }]);
  }, 120_000);
});
