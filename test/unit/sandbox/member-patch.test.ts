import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberOperations, PATCH_SCHEMA } from "../../../src/sandbox/scim/patch.js";
import { memberPatchRequest } from "../../../src/targets/scim/provider/member-patch.js";
import { GROUP_SCHEMA, startTestSandbox, type TestSandbox } from "./helpers.js";

/** An operation on members, as the property draws it: which user (or an id no user has), and for removals how the value is cased. */
type Drawn = { op: "add"; users: number[] } | { op: "remove"; user: number; upper: boolean };

const UNKNOWN = "00000000-0000-4000-8000-000000000000";

describe("sandbox: a PATCH of members alone", () => {
  let sandbox: TestSandbox;
  let users: string[];
  let groups = 0;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    users = [];
    for (const name of ["ada", "grace", "edsger", "barbara", "alan"]) users.push(await sandbox.createUser(name));
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const idOf = (i: number) => users[i] ?? UNKNOWN;
  const operation = (d: Drawn) =>
    d.op === "add"
      ? { op: "add", path: "members", value: d.users.map((i) => ({ value: idOf(i) })) }
      : { op: "remove", path: `members[value eq ${JSON.stringify(d.upper ? idOf(d.user).toUpperCase() : idOf(d.user))}]` };
  const state = async (id: string) => {
    const reply = await sandbox.scim("GET", `/Groups/${id}`);
    return { members: reply.body.members, version: reply.body.meta.version };
  };

  it("answers, writes and versions exactly as the general PATCH does", async () => {
    const user = fc.integer({ min: 0, max: 5 });
    const drawn: fc.Arbitrary<Drawn> = fc.oneof(
      fc.record({ op: fc.constant("add" as const), users: fc.array(user, { minLength: 1, maxLength: 4 }) }),
      fc.record({ op: fc.constant("remove" as const), user, upper: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.subarray([0, 1, 2, 3, 4]), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), fc.array(drawn, { minLength: 1, maxLength: 6 }), async (initial, named, ops) => {
        groups += 1;
        // Some members stored with a display of their own, as a client may have given it.
        const members = initial.map((i) => ({ value: idOf(i), ...(named[i] ? { display: `Member ${i}` } : {}) }));
        const create = async (displayName: string) => (await sandbox.scim("POST", "/Groups", { schemas: [GROUP_SCHEMA], displayName, members })).body.id as string;
        const fast = await create(`fast-${groups}`);
        const general = await create(`general-${groups}`);
        const operations = ops.map(operation);
        // A replace of the displayName with itself changes nothing, and takes the PATCH off the members-only path.
        const a = await sandbox.patch(`/Groups/${fast}`, ...operations);
        const b = await sandbox.patch(`/Groups/${general}`, ...operations, { op: "replace", path: "displayName", value: `general-${groups}` });
        expect(a.status).toBe(b.status);
        expect(a.body.detail).toBe(b.body.detail);
        expect(await state(fast)).toEqual(await state(general));
      }),
      { numRuns: 150 },
    );
  });

  it("refuses a malformed value in a removal as the general path does", async () => {
    const group = await sandbox.createGroup("malformed", [users[0]!]);
    for (const literal of ['"x\\Ty"', '"x\\U0041"', '"x']) {
      const fast = await sandbox.patch(`/Groups/${group}`, { op: "remove", path: `members[value eq ${literal}]` });
      const general = await sandbox.patch(`/Groups/${group}`, { op: "remove", path: `members[value eq ${literal}]` }, { op: "replace", path: "displayName", value: "malformed" });
      expect([fast.status, fast.body.detail]).toEqual([general.status, general.body.detail]);
      expect(fast.status, literal).toBe(400);
    }
  });

  it("is what rolecall's provider sends, in both forms of removal", () => {
    const changes = { add: ["u-1", "u-2"], remove: ["u-3", 'odd "id"\\'] };
    expect(memberOperations(memberPatchRequest(changes, "filter"))).toEqual([
      { op: "add", ids: ["u-1", "u-2"] },
      { op: "remove", value: "u-3" },
      { op: "remove", value: 'odd "id"\\' },
    ]);
    // The value-array removal Entra ID sends goes the general way, as do members given with more than their id.
    expect(memberOperations(memberPatchRequest(changes, "values"))).toBeUndefined();
    expect(memberOperations({ schemas: [PATCH_SCHEMA], Operations: [{ op: "add", path: "members", value: [{ value: "u-1", display: "Ada" }] }] })).toBeUndefined();
    expect(memberOperations({ schemas: [PATCH_SCHEMA], Operations: [{ op: "remove", path: 'members[display eq "Ada"]' }] })).toBeUndefined();
  });

  it("leaves members out of the answer when the request excludes them, and users' groups out of a list", async () => {
    const group = await sandbox.createGroup("answered", [users[0]!]);
    const add = { op: "add", path: "members", value: [{ value: users[1] }] };
    const lean = await sandbox.scim("PATCH", `/Groups/${group}?excludedAttributes=members`, { schemas: [PATCH_SCHEMA], Operations: [add] });
    expect(lean.status).toBe(200);
    expect(lean.body).toMatchObject({ id: group, displayName: "answered", meta: { version: 'W/"2"' } });
    expect(lean.body.members).toBeUndefined();
    const values = await sandbox.scim("GET", `/Groups/${group}?attributes=members.value`);
    expect(values.body.members).toEqual([{ value: users[0] }, { value: users[1] }]);
    const listed = await sandbox.scim("GET", "/Users?excludedAttributes=groups");
    expect(listed.body.Resources.map((u: { userName: string }) => u.userName)).toContain("ada");
    expect(listed.body.Resources.every((u: { groups?: unknown }) => u.groups === undefined)).toBe(true);
    const full = await sandbox.scim("GET", `/Users/${users[0]}`);
    expect(full.body.groups.map((g: { value: string }) => g.value)).toContain(group);
  });
});
