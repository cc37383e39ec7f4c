import { describe, expect, it } from "vitest";
import { applyPatch, PATCH_SCHEMA } from "../../../src/sandbox/scim/patch.js";
import { groupKind, userKind } from "../../../src/sandbox/scim/schema.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ops = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_SCHEMA], Operations });
const user = () => ({
  userName: "ada",
  active: true,
  name: { givenName: "Ada", familyName: "Lovelace" },
  emails: [
    { value: "ada@work.example", type: "work", primary: true },
    { value: "ada@home.example", type: "home" },
  ],
  phoneNumbers: [{ value: "555-0100", type: "work" }],
});
const patch = (...operations: Record<string, unknown>[]) => applyPatch(userKind, user(), ops(...operations));
const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return { status: (error as { status: number }).status, scimType: (error as { scimType?: string }).scimType };
  }
  throw new Error("the patch was not refused");
};

describe("PATCH (RFC 7644 §3.5.2)", () => {
  it("adds without a path: merges complex, appends multi-valued without duplicates, sets simple", () => {
    const out = patch({
      op: "add",
      value: { Name: { middleName: "Augusta" }, emails: [{ value: "ada@home.example", type: "home" }, { value: "a@x.example" }], title: "Countess" },
    });
    expect(out.name).toEqual({ givenName: "Ada", familyName: "Lovelace", middleName: "Augusta" });
    expect((out.emails as unknown[]).length).toBe(3);
    expect(out.title).toBe("Countess");
  });

  it("replaces without a path: complex sub-attributes merge, multi-valued lists are replaced", () => {
    const out = patch({ op: "replace", value: { name: { familyName: "King" }, emails: [{ value: "new@x.example" }], active: "False" } });
    expect(out.name).toEqual({ givenName: "Ada", familyName: "King" });
    expect(out.emails).toEqual([{ value: "new@x.example" }]);
    expect(out.active).toBe(false);
  });

  it("adds a phone through a value path whose element does not exist yet, as Entra ID sends it", () => {
    const out = patch({ op: "add", path: 'phoneNumbers[type eq "mobile"].value', value: "555-0199" });
    expect(out.phoneNumbers).toEqual([
      { value: "555-0100", type: "work" },
      { type: "mobile", value: "555-0199" },
    ]);
    const replaced = patch({ op: "replace", path: 'phoneNumbers[type eq "mobile"].value', value: "555-0199" });
    expect(replaced.phoneNumbers).toEqual(out.phoneNumbers);
    const twice = applyPatch(userKind, out, ops({ op: "replace", path: 'phoneNumbers[type eq "mobile"].value', value: "555-0142" }));
    expect(twice.phoneNumbers).toEqual([
      { value: "555-0100", type: "work" },
      { type: "mobile", value: "555-0142" },
    ]);
  });

  it("replaces only the matching elements of a value path", () => {
    const out = patch({ op: "replace", path: 'emails[type eq "work"].value', value: "ada@new.example" });
    expect(out.emails).toEqual([
      { value: "ada@new.example", type: "work", primary: true },
      { value: "ada@home.example", type: "home" },
    ]);
    const whole = patch({ op: "replace", path: 'emails[type eq "home"]', value: { value: "h@x.example", type: "home" } });
    expect((whole.emails as unknown[])[1]).toEqual({ value: "h@x.example", type: "home" });
  });

  it("answers noTarget when a value path matches nothing and says nothing about what to create", () => {
    expect(refusal(() => patch({ op: "replace", path: 'emails[value co "nobody"].type', value: "other" }))).toEqual({ status: 400, scimType: "noTarget" });
  });

  it("removes attributes, sub-attributes and the elements a filter picks; a filter matching nothing changes nothing", () => {
    expect(patch({ op: "remove", path: "name.familyName" }).name).toEqual({ givenName: "Ada" });
    expect(patch({ op: "remove", path: "emails" }).emails).toBeUndefined();
    expect(patch({ op: "remove", path: 'emails[type eq "home"]' }).emails).toEqual([{ value: "ada@work.example", type: "work", primary: true }]);
    expect(patch({ op: "remove", path: 'emails[type eq "nope"]' })).toEqual(user());
    expect(patch({ op: "remove", path: 'emails[type eq "work"].primary' }).emails).toEqual([
      { value: "ada@work.example", type: "work" },
      { value: "ada@home.example", type: "home" },
    ]);
  });

  it("reaches extension attributes by URN, one at a time or as a whole", () => {
    const added = patch({ op: "add", path: `${ENTERPRISE}:employeeNumber`, value: "W7" });
    expect(added[ENTERPRISE]).toEqual({ employeeNumber: "W7" });
    const merged = applyPatch(userKind, added, ops({ op: "add", path: ENTERPRISE, value: { schemas: [ENTERPRISE], department: "Finance" } }));
    expect(merged[ENTERPRISE]).toEqual({ employeeNumber: "W7", department: "Finance" });
    const qualified = applyPatch(userKind, merged, ops({ op: "replace", value: { [`${ENTERPRISE}:department`]: "Ops" } }));
    expect(qualified[ENTERPRISE]).toEqual({ employeeNumber: "W7", department: "Ops" });
    expect(applyPatch(userKind, merged, ops({ op: "remove", path: ENTERPRISE }))[ENTERPRISE]).toBeUndefined();
  });

  it("takes roles and x509Certificates with any type", () => {
    const out = patch(
      { op: "add", path: "roles", value: [{ value: "approver", type: "Entra app role", primary: true }] },
      { op: "add", value: { x509Certificates: [{ value: "MIIDQTCCAimgAwIBAgITBmyf", type: "signing" }] } },
    );
    expect(out.roles).toEqual([{ value: "approver", type: "Entra app role", primary: true }]);
    expect(out.x509Certificates).toEqual([{ value: "MIIDQTCCAimgAwIBAgITBmyf", type: "signing" }]);
  });

  it("removes group members by value alone and adds them once", () => {
    const group = { displayName: "Finance", members: [{ value: "a" }, { value: "b", display: "Bea" }] };
    const removed = applyPatch(groupKind, group, ops({ op: "remove", path: "members", value: [{ value: "b", display: "stale" }] }));
    expect(removed.members).toEqual([{ value: "a" }]);
    const added = applyPatch(groupKind, group, ops({ op: "add", path: "members", value: [{ value: "a", display: "other" }, { value: "c" }] }));
    expect(added.members).toEqual([{ value: "a" }, { value: "b", display: "Bea" }, { value: "c" }]);
  });

  it.each([
    [{ op: "add", path: "id", value: "x" }, "mutability"],
    [{ op: "replace", path: "meta.version", value: "x" }, "mutability"],
    [{ op: "add", path: "nosuch", value: "x" }, "invalidPath"],
    [{ op: "add", path: "emails[type eq", value: "x" }, "invalidPath"],
    [{ op: "add", path: 'emails[type eqq "work"].value', value: "x" }, "invalidFilter"],
    [{ op: "add", path: 'name[givenName eq "a"]', value: "x" }, "invalidPath"],
    [{ op: "remove" }, "noTarget"],
    [{ op: "remove", path: "userName" }, "invalidValue"],
    [{ op: "move", path: "title", value: "x" }, "invalidSyntax"],
    [{ op: "add", path: "title" }, "invalidSyntax"],
    [{ op: "add", path: "active", value: "maybe" }, "invalidValue"],
    [{ op: "add", value: { nosuch: 1 } }, "invalidSyntax"],
  ])("refuses %j with %s", (operation, scimType) => {
    expect(refusal(() => patch(operation))).toEqual({ status: 400, scimType });
  });

  it("applies all operations or none", () => {
    const before = user();
    expect(() => applyPatch(userKind, before, ops({ op: "replace", path: "title", value: "x" }, { op: "remove", path: "userName" }))).toThrow();
    expect(before).toEqual(user());
  });

  it("refuses a body that is not a PatchOp", () => {
    expect(refusal(() => applyPatch(userKind, user(), { Operations: [{ op: "add", path: "title", value: "x" }] }))).toEqual({ status: 400, scimType: "invalidSyntax" });
    expect(refusal(() => applyPatch(userKind, user(), ops()))).toEqual({ status: 400, scimType: "invalidSyntax" });
  });
});
