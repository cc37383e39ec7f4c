import { describe, expect, it } from "vitest";
import type { AzureAdProjection } from "../../../../src/model/desired-state.js";
import { AZUREAD_TYPES } from "../../../../src/targets/azuread/convert.js";
import { planAzureAd, plannedResources } from "../../../../src/targets/azuread/plan.js";
import { azureAdPrevious } from "../../../../src/targets/azuread/previous.js";
import { user } from "../../../support/directory-fixtures.js";

const holders = (...keys: string[]) => keys.map((k) => ({ user: k, because: ["r"] }));

const projection: AzureAdProjection = {
  users: [user("W1"), user("W2", { protected: true }), user("W3", { state: "prehire", active: false })],
  groups: [
    { key: "all-staff", displayName: "All Staff", members: holders("W1", "W2") },
    { key: "empty", displayName: "Empty", members: [] },
  ],
  directoryRoles: [
    { key: "helpdesk-administrator", displayName: "Helpdesk Administrator", members: holders("W1", "W2") },
    { key: "user-administrator", displayName: "User Administrator", members: holders("W2") },
  ],
};

describe("planAzureAd", () => {
  it("keeps the projection's order and names pairs <role key>/<user key>", () => {
    const plan = planAzureAd(projection, {});
    expect(plan.users.map((u) => u.key)).toEqual(["W1", "W2", "W3"]);
    expect(plan.groups).toMatchObject([
      { key: "all-staff", members: ["W1", "W2"] },
      { key: "empty", members: [] },
    ]);
    expect(plan.directoryRoles).toEqual([
      { key: "helpdesk-administrator", displayName: "Helpdesk Administrator" },
      { key: "user-administrator", displayName: "User Administrator" },
    ]);
    expect(plan.roleAssignments).toEqual([
      { name: "helpdesk-administrator/W1", role: "helpdesk-administrator", user: "W1", protect: false },
      { name: "helpdesk-administrator/W2", role: "helpdesk-administrator", user: "W2", protect: true },
      { name: "user-administrator/W2", role: "user-administrator", user: "W2", protect: true },
    ]);
  });

  it("puts every user after their manager, otherwise in the projection's order: the component declares a user with their manager's object ID", () => {
    const reports: AzureAdProjection = {
      ...projection,
      users: [user("W1", { managerId: "W2" }), user("W5"), user("W2", { managerId: "W3" }), user("W4", { managerId: "W1" }), user("W3"), user("W6", { managerId: "W9" })],
    };
    const order = planAzureAd(reports, {}).users.map((u) => u.key);
    expect(order).toEqual(["W5", "W3", "W6", "W2", "W1", "W4"]);
  });

  it("keeps a protected user's assignments the state holds, with their applied inputs; an unprotected user's go", () => {
    const component = { urn: "urn:pulumi:s::p::rolecall:targets:AzureAd::azuread", type: "rolecall:targets:AzureAd" };
    const child = (type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}) => ({ urn: `${component.urn}$${type}::${name}`, type, parent: component.urn, inputs, outputs });
    const previous = azureAdPrevious({
      deployment: {
        resources: [
          component,
          child(AZUREAD_TYPES.user, "W1", {}, { objectId: "oid-1" }),
          child(AZUREAD_TYPES.user, "W2", {}, { objectId: "oid-2" }),
          child(AZUREAD_TYPES.directoryRoleAssignment, "global-administrator/W2", { roleId: "tmpl-ga", principalObjectId: "oid-2", directoryScopeId: "/" }),
          child(AZUREAD_TYPES.directoryRoleAssignment, "global-administrator/W1", { roleId: "tmpl-ga", principalObjectId: "oid-1" }),
        ],
      },
    });
    expect(planAzureAd(projection, {}, previous).roleAssignments.slice(3)).toEqual([
      { name: "global-administrator/W2", role: "global-administrator", user: "W2", protect: true, kept: { roleId: "tmpl-ga", principalObjectId: "oid-2", directoryScopeId: "/" } },
    ]);
  });

  it("protects break-glass users and folds the lifecycle into accountEnabled", () => {
    const plan = planAzureAd(projection, {});
    expect(plan.users.map((u) => [u.key, u.protect, u.fields.accountEnabled])).toEqual([
      ["W1", false, true],
      ["W2", true, true],
      ["W3", false, false],
    ]);
  });

  it("applies the UPN domain setting to every user", () => {
    expect(planAzureAd(projection, { upnDomain: "contoso.onmicrosoft.com" }).users.map((u) => u.fields.userPrincipalName)).toEqual([
      "w1@contoso.onmicrosoft.com",
      "w2@contoso.onmicrosoft.com",
      "w3@contoso.onmicrosoft.com",
    ]);
  });

  it("is deterministic: the same projection gives the same plan", () => {
    expect(planAzureAd(structuredClone(projection), {})).toEqual(planAzureAd(projection, {}));
  });

  it.each([
    { where: "group 'all-staff'", change: (p: AzureAdProjection) => p.groups[0]!.members.push(...holders("W9")) },
    { where: "directory role 'user-administrator'", change: (p: AzureAdProjection) => p.directoryRoles[1]!.members.push(...holders("W9")) },
  ])("refuses a $where that names an undeclared user", ({ where, change }) => {
    const broken = structuredClone(projection);
    change(broken);
    expect(() => planAzureAd(broken, {})).toThrow(`azuread: ${where} names user 'W9', who is not among the projection's users`);
  });
});

describe("plannedResources", () => {
  it("lists every resource as (type, name) in registration order: provider, password + user per account, groups, roles, assignments", () => {
    expect(plannedResources(planAzureAd(projection, {}))).toEqual([
      { type: AZUREAD_TYPES.provider, name: "azuread" },
      { type: AZUREAD_TYPES.initialPassword, name: "W1" },
      { type: AZUREAD_TYPES.user, name: "W1" },
      { type: AZUREAD_TYPES.initialPassword, name: "W2" },
      { type: AZUREAD_TYPES.user, name: "W2" },
      { type: AZUREAD_TYPES.initialPassword, name: "W3" },
      { type: AZUREAD_TYPES.user, name: "W3" },
      { type: AZUREAD_TYPES.groupWithoutMembers, name: "all-staff" },
      { type: AZUREAD_TYPES.groupMember, name: "all-staff/W1" },
      { type: AZUREAD_TYPES.groupMember, name: "all-staff/W2" },
      { type: AZUREAD_TYPES.groupWithoutMembers, name: "empty" },
      { type: AZUREAD_TYPES.directoryRole, name: "helpdesk-administrator" },
      { type: AZUREAD_TYPES.directoryRole, name: "user-administrator" },
      { type: AZUREAD_TYPES.directoryRoleAssignment, name: "helpdesk-administrator/W1" },
      { type: AZUREAD_TYPES.directoryRoleAssignment, name: "helpdesk-administrator/W2" },
      { type: AZUREAD_TYPES.directoryRoleAssignment, name: "user-administrator/W2" },
    ]);
  });
});
