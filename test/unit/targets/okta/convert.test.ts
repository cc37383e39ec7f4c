import { describe, expect, it } from "vitest";
import type { DirectoryUser } from "../../../../src/model/desired-state.js";
import {
  adminRoleTypesByUser,
  oktaGroupFields,
  OKTA_USER_PROFILE_INPUTS,
  oktaUserFields,
  oktaUserOptions,
} from "../../../../src/targets/okta/convert.js";
import { wantedStatus } from "../../../../src/targets/okta/status.js";
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

describe("wantedStatus", () => {
  it.each([
    ["active, enabled", { state: "active", active: true }, "ACTIVE"],
    ["pre-hire: created, never activated", { state: "prehire", active: false }, "STAGED"],
    ["on leave: sign-in blocked, assignments kept", { state: "leave", active: false }, "SUSPENDED"],
    ["leaver in grace: deactivated", { state: "leaver", active: false }, "DEPROVISIONED"],
    ["a disabled account with no lifecycle state", { state: undefined, active: false }, "SUSPENDED"],
    ["a service account", { state: undefined, active: true }, "ACTIVE"],
  ] as const)("%s → %s", (_, user, status) => {
    expect(wantedStatus(user)).toBe(status);
  });
});

describe("oktaUserFields", () => {
  it("maps the profile, with the worker ID as employee number and the HR manager", () => {
    expect(oktaUserFields(person({ managerId: "W1000" }), "ACTIVE", "Grace Hopper")).toEqual({
      login: "ada.muller@example.com",
      email: "ada.muller@example.com",
      firstName: "Ada",
      lastName: "Müller",
      displayName: "Ada Müller",
      employeeNumber: "W1001",
      title: "Chief Executive Officer",
      department: "Executive",
      managerId: "W1000",
      manager: "Grace Hopper",
      status: "ACTIVE",
    });
  });

  it("sets managerId alone when the manager holds no account here, and no manager when HR names none", () => {
    expect(oktaUserFields(person({ managerId: "W1000" }), "ACTIVE")).toMatchObject({ managerId: "W1000" });
    expect(oktaUserFields(person({ managerId: "W1000" }), "ACTIVE")).not.toHaveProperty("manager");
    expect(oktaUserFields(person(), "ACTIVE", "Grace Hopper")).not.toHaveProperty("manager");
  });

  it("leaves out what HR does not say, and the employee number of a service account", () => {
    expect(oktaUserFields(serviceAccount, "ACTIVE")).toEqual({
      login: "svc-payroll-export@example.com",
      email: "svc-payroll-export@example.com",
      firstName: "Service Account",
      lastName: "payroll-export",
      displayName: "payroll-export (service account)",
      status: "ACTIVE",
    });
  });

  it("sets only inputs that are okta.user.User profile inputs, plus status", () => {
    const profile = new Set<string>(OKTA_USER_PROFILE_INPUTS);
    for (const key of Object.keys(oktaUserFields(person({ managerId: "W1000" }), "ACTIVE", "M"))) expect(key === "status" || profile.has(key)).toBe(true);
  });
});

describe("oktaUserOptions", () => {
  const change = { status: "ACTIVE", holdStatus: false, freezeProfile: false } as const;
  const unowned = (fields: object) => OKTA_USER_PROFILE_INPUTS.filter((k) => !(k in fields));

  it("ignores every profile input rolecall does not set, so the strict-replace update re-sends what others set", () => {
    const fields = oktaUserFields(person(), "ACTIVE");
    const { ignoreChanges } = oktaUserOptions(person(), fields, change);
    expect(ignoreChanges).toEqual(unowned(fields));
    for (const other of ["mobilePhone", "secondEmail", "primaryPhone", "customProfileAttributes", "managerId", "manager", "city"]) expect(ignoreChanges).toContain(other);
    for (const owned of ["login", "email", "firstName", "lastName", "displayName", "employeeNumber", "title", "department", "status"]) expect(ignoreChanges).not.toContain(owned);
  });

  it("owns the manager only while HR names one", () => {
    const fields = oktaUserFields(person({ managerId: "W1000" }), "ACTIVE", "Grace Hopper");
    const { ignoreChanges } = oktaUserOptions(person(), fields, change);
    expect(ignoreChanges).not.toContain("managerId");
    expect(ignoreChanges).not.toContain("manager");
  });

  it("holds the status, and freezes the whole profile of a DEPROVISIONED account", () => {
    const fields = oktaUserFields(person(), "DEPROVISIONED");
    expect(oktaUserOptions(person(), fields, { status: "DEPROVISIONED", holdStatus: false, freezeProfile: true }).ignoreChanges).toEqual([...OKTA_USER_PROFILE_INPUTS]);
    expect(oktaUserOptions(person(), fields, { status: "ACTIVE", holdStatus: true, freezeProfile: false }).ignoreChanges).toContain("status");
  });

  it("protects a break-glass account", () => {
    expect(oktaUserOptions(person({ protected: true }), oktaUserFields(person(), "ACTIVE"), change).protect).toBe(true);
    expect(oktaUserOptions(person(), oktaUserFields(person(), "ACTIVE"), change).protect).toBe(false);
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
