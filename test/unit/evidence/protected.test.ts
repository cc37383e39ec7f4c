import { describe, expect, it } from "vitest";
import { harmsProtected } from "../../../src/evidence/protected.js";

const loss = { target: "scim", kind: "group", item: "admins", because: [] };

describe("what a protected account may not suffer", () => {
  it("creation, renames and gains are allowed", () => {
    expect(harmsProtected({ change: "joiner", account: [{ target: "scim", op: "create", changed: [] }], losses: [] })).toEqual([]);
    expect(harmsProtected({ change: "updated", account: [{ target: "scim", op: "update", changed: ["userName", "email"] }], losses: [] })).toEqual([]);
    expect(harmsProtected({ change: "mover", account: [], losses: [] })).toEqual([]);
  });

  it("a delete, a replace, a disable or any loss of access is a harm", () => {
    expect(harmsProtected({ change: "leaver", account: [{ target: "scim", op: "delete", changed: [] }], losses: [loss] })).toEqual(["scim account deleted", "loses scim group admins"]);
    expect(harmsProtected({ change: "updated", account: [{ target: "okta", op: "replace", changed: ["login"] }], losses: [] })).toEqual(["okta account replaced"]);
    expect(harmsProtected({ change: "disabled", account: [{ target: "scim", op: "update", changed: ["active"] }], losses: [] })).toEqual(["account disabled"]);
    expect(harmsProtected({ change: "leaver", account: [{ target: "scim", op: "update", changed: ["active"] }], losses: [] })).toEqual(["account disabled"]);
    expect(harmsProtected({ change: "mover", account: [], losses: [loss] })).toEqual(["loses scim group admins"]);
  });
});
