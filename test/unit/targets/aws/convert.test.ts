import { describe, expect, it } from "vitest";
import type { DirectoryUser } from "../../../../src/model/desired-state.js";
import {
  assignmentName,
  holdsAccess,
  identityStoreGroupArgs,
  identityStoreUserArgs,
  identityStoreUserName,
  isReservedName,
  membershipName,
  permissionSetArgs,
} from "../../../../src/targets/aws/convert.js";

const person: DirectoryUser = {
  key: "W1002",
  kind: "person",
  state: "active",
  userName: "bjorn.okafor@example.com",
  externalId: "W1002",
  givenName: "Björn",
  familyName: "Okafor",
  displayName: "Björn Okafor",
  email: "bjorn.okafor@example.com",
  active: true,
  title: "VP Engineering",
  department: "Engineering",
  protected: false,
};

describe("identityStoreUserName", () => {
  it.each([
    { key: "W1002", suffix: undefined, expected: "W1002" },
    { key: "W1002", suffix: "@example.com", expected: "W1002@example.com" },
    { key: "svc-payroll-export", suffix: "@id.example.com", expected: "svc-payroll-export@id.example.com" },
  ])("$key with suffix $suffix → $expected", ({ key, suffix, expected }) => {
    expect(identityStoreUserName({ key }, suffix ? { userNameSuffix: suffix } : {})).toBe(expected);
  });

  it("never uses the login or the email, so a rename cannot force a replacement", () => {
    const renamed = { ...person, userName: "bjorn.smith@example.com", email: "bjorn.smith@example.com", familyName: "Smith" };
    expect(identityStoreUserArgs(renamed, {}).userName).toBe(identityStoreUserArgs(person, {}).userName);
  });
});

describe("identityStoreUserArgs", () => {
  it("maps a person", () => {
    expect(identityStoreUserArgs(person, {})).toEqual({
      userName: "W1002",
      displayName: "Björn Okafor",
      name: { givenName: "Björn", familyName: "Okafor" },
      emails: { value: "bjorn.okafor@example.com", primary: true, type: "work" },
      userType: "Person",
      title: "VP Engineering",
    });
  });

  it("maps a service account and leaves out an absent title", () => {
    const sa: DirectoryUser = { ...person, key: "svc-x", kind: "service-account", email: "svc-x@example.com", title: undefined };
    delete (sa as Partial<DirectoryUser>).state;
    const args = identityStoreUserArgs(sa, {});
    expect(args.userType).toBe("ServiceAccount");
    expect(args).not.toHaveProperty("title");
  });
});

describe("holdsAccess (lifecycle → may the account hold memberships in Identity Center)", () => {
  it.each([
    { state: "active", active: true, expected: true },
    { state: "prehire", active: false, expected: false },
    { state: "leave", active: false, expected: false },
    { state: "leaver", active: false, expected: false },
    // A projection inconsistency must fail closed: a non-active state never holds access.
    { state: "leave", active: true, expected: false },
    { state: undefined, active: true, expected: true }, // a declared service account
    { state: undefined, active: false, expected: false },
  ] as const)("state $state, active $active → $expected", ({ state, active, expected }) => {
    expect(holdsAccess({ state, active })).toBe(expected);
  });
});

describe("groups, permission sets and names", () => {
  it.each([
    { group: { displayName: "Developers" }, expected: { displayName: "Developers" } },
    { group: { displayName: "Developers", description: "" }, expected: { displayName: "Developers" } },
    { group: { displayName: "Ops", description: "On call" }, expected: { displayName: "Ops", description: "On call" } },
  ])("group $group.displayName", ({ group, expected }) => {
    expect(identityStoreGroupArgs(group)).toEqual(expected);
  });

  it("maps a permission set without its key or policies", () => {
    expect(permissionSetArgs({ key: "read-only", name: "ViewOnlyAccess", sessionDuration: "PT8H", managedPolicies: ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"] })).toEqual({
      name: "ViewOnlyAccess",
      sessionDuration: "PT8H",
    });
    expect(permissionSetArgs({ key: "b", name: "Billing", description: "Pays", sessionDuration: "PT4H", managedPolicies: [] })).toEqual({
      name: "Billing",
      description: "Pays",
      sessionDuration: "PT4H",
    });
  });

  it.each([
    { fn: () => membershipName("developers", "W1002"), expected: "developers/W1002" },
    { fn: () => assignmentName({ group: "developers", account: "prod", permissionSet: "read-only" }), expected: "developers/prod/read-only" },
  ])("resource name $expected", ({ fn, expected }) => {
    expect(fn()).toBe(expected);
  });

  it.each([
    { name: "Administrator", reserved: true },
    { name: "awsadministrators", reserved: true },
    { name: "Administrators", reserved: false },
    { name: "W1001", reserved: false },
  ])("$name reserved: $reserved", ({ name, reserved }) => {
    expect(isReservedName(name)).toBe(reserved);
  });
});
