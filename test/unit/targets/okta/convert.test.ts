import { describe, expect, it } from "vitest";
import type { DirectoryUser } from "../../../../src/model/desired-state.js";
import {
  adminRoleTypesByUser,
  oktaGroupFields,
  oktaStatus,
  oktaUserFields,
  oktaUserOptions,
  USER_PROFILE_INPUTS,
} from "../../../../src/targets/okta/convert.js";
import { person } from "../../../support/directory-fixtures.js";

const serviceAccount: DirectoryUser = {
  key: "svc-payroll-export",
  kind: "service-account",
  userName: "svc-payroll-export@example.com",
  externalId: "svc-payroll-export",
  givenName: "Service Account",
  familyName: "payroll-export",
  displayName: "payroll-export (service account)",
  email: "svc-payroll-export@example.com",
  active: true,
  protected: false,
};

describe("oktaStatus", () => {
  it.each([
    ["active, enabled", { state: "active", active: true }, "ACTIVE"],
    ["pre-hire: created, never activated", { state: "prehire", active: false }, "STAGED"],
    ["on leave: sign-in blocked, assignments kept", { state: "leave", active: false }, "SUSPENDED"],
    ["on leave keeping entitlements (still disabled)", { state: "leave", active: false }, "SUSPENDED"],
    ["leaver in grace: deactivated", { state: "leaver", active: false }, "DEPROVISIONED"],
    ["a disabled account with no lifecycle state", { state: undefined, active: false }, "SUSPENDED"],
    ["a service account", { state: undefined, active: true }, "ACTIVE"],
  ] as const)("%s → %s", (_, user, status) => {
    expect(oktaStatus(user)).toBe(status);
  });
});

describe("oktaUserFields", () => {
  it("maps the profile, with the worker ID as employee number", () => {
    expect(oktaUserFields(person())).toEqual({
      login: "ada.muller@example.com",
      email: "ada.muller@example.com",
      firstName: "Ada",
      lastName: "Müller",
      displayName: "Ada Müller",
      employeeNumber: "W1001",
      title: "Chief Executive Officer",
      department: "Executive",
      status: "ACTIVE",
    });
  });

  it("leaves out what HR does not say, and the employee number of a service account", () => {
    const fields = oktaUserFields(serviceAccount);
    expect(fields).toEqual({
      login: "svc-payroll-export@example.com",
      email: "svc-payroll-export@example.com",
      firstName: "Service Account",
      lastName: "payroll-export",
      displayName: "payroll-export (service account)",
      status: "ACTIVE",
    });
  });

  it("sets only the inputs it names as profile inputs, plus status", () => {
    expect(Object.keys(oktaUserFields(person())).sort()).toEqual([...USER_PROFILE_INPUTS, "status"].sort());
  });
});

describe("oktaUserOptions", () => {
  it.each([
    ["active", person(), []],
    ["pre-hire: STAGED is creation-only", person({ state: "prehire", active: false }), ["status"]],
    ["on leave: profile edits allowed while suspended", person({ state: "leave", active: false }), []],
    ["leaver in grace: the provider takes only status changes", person({ state: "leaver", active: false }), [...USER_PROFILE_INPUTS]],
  ] as const)("%s", (_, user, ignoreChanges) => {
    expect(oktaUserOptions(user)).toEqual({ protect: false, ignoreChanges });
  });

  it("protects a break-glass account, also once it has left", () => {
    expect(oktaUserOptions(person({ protected: true }))).toEqual({ protect: true, ignoreChanges: [] });
    expect(oktaUserOptions(person({ protected: true, state: "leaver", active: false })).protect).toBe(true);
  });
});

describe("oktaGroupFields", () => {
  it("uses the catalog name and a description only when there is one", () => {
    expect(oktaGroupFields({ displayName: "All Staff" })).toEqual({ name: "All Staff" });
    expect(oktaGroupFields({ displayName: "IT", description: "Directory admins" })).toEqual({ name: "IT", description: "Directory admins" });
  });
});

describe("adminRoleTypesByUser", () => {
  it("collects each user's role types, sorted and once each", () => {
    const roles = [
      { type: "USER_ADMIN", members: [{ user: "W2" }, { user: "W1" }] },
      { type: "HELP_DESK_ADMIN", members: [{ user: "W1" }] },
      { type: "USER_ADMIN", members: [{ user: "W1" }] },
    ];
    expect([...adminRoleTypesByUser(roles)]).toEqual([
      ["W2", ["USER_ADMIN"]],
      ["W1", ["HELP_DESK_ADMIN", "USER_ADMIN"]],
    ]);
  });

  it("gives nobody a role when no catalog role has members", () => {
    expect(adminRoleTypesByUser([{ type: "SUPER_ADMIN", members: [] }]).size).toBe(0);
  });
});
