import { describe, expect, it } from "vitest";
import type { DirectoryUser } from "../../../../src/model/desired-state.js";
import {
  accountEnabled,
  azureAdGroupFields,
  azureAdUserFields,
  EMPLOYEE_ID_MAX,
  employeeId,
  INITIAL_PASSWORD,
  AZUREAD_TYPES,
  roleAssignmentName,
  userPrincipalName,
} from "../../../../src/targets/azuread/convert.js";
import { person } from "../../../support/directory-fixtures.js";
import { replacingInputs } from "../../../program/support/replacement.js";

const serviceAccount = (): DirectoryUser => {
  const { state: _state, title: _title, department: _department, ...rest } = person();
  return { ...rest, key: "svc-payroll-export", kind: "service-account", userName: "svc-payroll-export@example.com", externalId: "svc-payroll-export", email: "svc-payroll-export@example.com" };
};

describe("userPrincipalName", () => {
  it.each([
    { userName: "ada.muller@example.com", upnDomain: undefined, upn: "ada.muller@example.com" },
    { userName: "ada.muller@example.com", upnDomain: "contoso.onmicrosoft.com", upn: "ada.muller@contoso.onmicrosoft.com" },
    { userName: "o'brien@sub.example.com", upnDomain: "example.com", upn: "o'brien@example.com" },
  ])("$userName with upnDomain $upnDomain → $upn", ({ userName, upnDomain, upn }) => {
    expect(userPrincipalName({ key: "W1", userName }, upnDomain)).toBe(upn);
  });

  it.each(["ada.muller", "@example.com", "ada@"])("refuses a user name that is not an email address: %s", (userName) => {
    expect(() => userPrincipalName({ key: "W1", userName })).toThrow(/W1 has user name .* not an email address/);
  });
});

describe("accountEnabled", () => {
  it.each([
    { state: "active", active: true, enabled: true },
    { state: "active", active: false, enabled: false },
    { state: "prehire", active: false, enabled: false },
    { state: "leave", active: false, enabled: false },
    { state: "leaver", active: false, enabled: false },
    // A projection that got `active` wrong still cannot enable someone who is not active.
    { state: "prehire", active: true, enabled: false },
    { state: "leave", active: true, enabled: false },
    { state: "leaver", active: true, enabled: false },
    { state: undefined, active: true, enabled: true },
    { state: undefined, active: false, enabled: false },
  ] as const)("state $state, active $active → $enabled", ({ state, active, enabled }) => {
    expect(accountEnabled({ state, active })).toBe(enabled);
  });
});

describe("employeeId", () => {
  it("is the worker ID for a person and absent for a service account", () => {
    expect(employeeId(person())).toBe("W1001");
    expect(employeeId(serviceAccount())).toBeUndefined();
  });
  it(`accepts ${EMPLOYEE_ID_MAX} characters and refuses more, naming the user`, () => {
    expect(employeeId(person({ externalId: "X".repeat(EMPLOYEE_ID_MAX) }))).toHaveLength(EMPLOYEE_ID_MAX);
    expect(() => employeeId(person({ key: "W9", externalId: "X".repeat(EMPLOYEE_ID_MAX + 1) }))).toThrow(/user W9\) is 17 characters.*at most 16/);
  });
});

describe("azureAdUserFields", () => {
  it("maps a person's attributes and forces a password change at first sign-in", () => {
    expect(azureAdUserFields(person(), {})).toEqual({
      userPrincipalName: "ada.muller@example.com",
      displayName: "Ada Müller",
      givenName: "Ada",
      surname: "Müller",
      mail: "ada.muller@example.com",
      accountEnabled: true,
      forcePasswordChange: true,
      employeeId: "W1001",
      department: "Executive",
      jobTitle: "Chief Executive Officer",
    });
  });
  it("keeps mail on the email domain when the UPN moves to another domain", () => {
    expect(azureAdUserFields(person(), { upnDomain: "contoso.onmicrosoft.com" })).toMatchObject({
      userPrincipalName: "ada.muller@contoso.onmicrosoft.com",
      mail: "ada.muller@example.com",
    });
  });
  it("leaves out what a service account does not have", () => {
    const fields = azureAdUserFields(serviceAccount(), {});
    expect(fields).toMatchObject({ userPrincipalName: "svc-payroll-export@example.com", accountEnabled: true });
    expect(fields).not.toHaveProperty("employeeId");
    expect(fields).not.toHaveProperty("department");
    expect(fields).not.toHaveProperty("jobTitle");
  });
  it("disables a pre-hire", () => {
    expect(azureAdUserFields(person({ state: "prehire", active: false }), {}).accountEnabled).toBe(false);
  });
  it("sets no replacement-forcing field, so a rename is an update", () => {
    const fields = Object.keys(azureAdUserFields(person(), {}));
    expect(fields.filter((f) => replacingInputs(AZUREAD_TYPES.user).includes(f))).toEqual([]);
  });
});

describe("azureAdGroupFields", () => {
  it.each([
    { group: { displayName: "All Staff" }, fields: { displayName: "All Staff", securityEnabled: true, mailEnabled: false, preventDuplicateNames: true } },
    {
      group: { displayName: "IT Administrators", description: "Privileged directory administration" },
      fields: { displayName: "IT Administrators", description: "Privileged directory administration", securityEnabled: true, mailEnabled: false, preventDuplicateNames: true },
    },
  ])("$group.displayName → a security group", ({ group, fields }) => {
    expect(azureAdGroupFields(group)).toEqual(fields);
  });
  it("sets no replacement-forcing field", () => {
    const fields = Object.keys(azureAdGroupFields({ displayName: "X", description: "Y" }));
    expect(fields.filter((f) => replacingInputs(AZUREAD_TYPES.group).includes(f))).toEqual([]);
  });
});

describe("INITIAL_PASSWORD", () => {
  it("satisfies Entra ID's password policy: 8–256 characters, at least three character classes", () => {
    expect(INITIAL_PASSWORD.length).toBeGreaterThanOrEqual(8);
    expect(INITIAL_PASSWORD.length).toBeLessThanOrEqual(256);
    const classes = [INITIAL_PASSWORD.minUpper, INITIAL_PASSWORD.minLower, INITIAL_PASSWORD.minNumeric, INITIAL_PASSWORD.minSpecial].filter((n) => n > 0);
    expect(classes.length).toBeGreaterThanOrEqual(3);
  });
});

describe("roleAssignmentName", () => {
  it.each([
    ["user-administrator", "W1006", "user-administrator/W1006"],
    ["helpdesk-administrator", "svc-payroll-export", "helpdesk-administrator/svc-payroll-export"],
  ])("%s + %s → %s", (role, user, name) => {
    expect(roleAssignmentName(role, user)).toBe(name);
  });
});
