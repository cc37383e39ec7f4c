import { describe, expect, it } from "vitest";
import type { Declared } from "./support/capture.js";
import { replacements, replacingInputs } from "./support/replacement.js";

const declared = (type: string, name: string, inputs: Record<string, unknown>): Declared => ({ type, name, inputs, ignoreChanges: [], protect: false, aliases: [] });

describe("the replacement check the lifecycle tables use", () => {
  it.each([
    { type: "okta:index/userGroupMemberships:UserGroupMemberships", input: "userId" },
    { type: "azuread:index/group:Group", input: "mailNickname" },
    { type: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment", input: "principalObjectId" },
    { type: "aws:identitystore/user:User", input: "userName" },
    { type: "aws:ssoadmin/permissionSet:PermissionSet", input: "name" },
  ])("flags a change of $input on $type, which the provider's schema marks as forcing a new resource", ({ type, input }) => {
    const before = [declared(type, "x", { [input]: "a", other: 1 })];
    const after = [declared(type, "x", { [input]: "b", other: 2 })];
    expect(replacements(before, after).replaced).toEqual({ [`${type}::x`]: [input] });
  });

  it("refuses a resource type it has no facts for, rather than calling it safe", () => {
    expect(() => replacingInputs("okta:index/somethingNew:SomethingNew")).toThrow(/no replacement facts/);
  });
});
