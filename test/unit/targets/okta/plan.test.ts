import { describe, expect, it } from "vitest";
import type { OktaProjection } from "../../../../src/model/desired-state.js";
import { planOkta } from "../../../../src/targets/okta/plan.js";
import { user } from "../../../support/directory-fixtures.js";

const holders = (...keys: string[]) => keys.map((k) => ({ user: k, because: [] }));

const projection: OktaProjection = {
  users: [user("W1"), user("W2", { protected: true }), user("W3", { state: "prehire", active: false })],
  groups: [
    { key: "all-staff", displayName: "All Staff", members: holders("W1", "W2") },
    { key: "auditors", displayName: "Auditors", description: "Nobody yet", members: [] },
  ],
  adminRoles: [
    { key: "user-admin", type: "USER_ADMIN", members: holders("W2") },
    { key: "help-desk", type: "HELP_DESK_ADMIN", members: holders("W1", "W2") },
    { key: "super", type: "SUPER_ADMIN", members: [] },
  ],
};

describe("planOkta", () => {
  it("plans users and groups in projection order, memberships only for groups with members", () => {
    const plan = planOkta(projection);
    expect(plan.users.map((u) => [u.key, u.fields.status, u.options])).toEqual([
      ["W1", "ACTIVE", { protect: false, ignoreChanges: [] }],
      ["W2", "ACTIVE", { protect: true, ignoreChanges: [] }],
      ["W3", "STAGED", { protect: false, ignoreChanges: ["status"] }],
    ]);
    expect(plan.groups).toEqual([
      { key: "all-staff", fields: { name: "All Staff" } },
      { key: "auditors", fields: { name: "Auditors", description: "Nobody yet" } },
    ]);
    // An empty group has no GroupMemberships: its last members leave when that resource is deleted.
    expect(plan.memberships).toEqual([{ group: "all-staff", users: ["W1", "W2"] }]);
  });

  it("plans one admin-role set per user holding any, protected with its break-glass owner", () => {
    expect(planOkta(projection).adminRoles).toEqual([
      { user: "W1", roleTypes: ["HELP_DESK_ADMIN"], protect: false },
      { user: "W2", roleTypes: ["HELP_DESK_ADMIN", "USER_ADMIN"], protect: true },
    ]);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(planOkta(structuredClone(projection)))).toBe(JSON.stringify(planOkta(projection)));
  });

  it("refuses a member or admin who is not a declared user (a compile bug), naming both", () => {
    const strayMember = { ...projection, groups: [{ key: "all-staff", displayName: "All Staff", members: holders("W9") }] };
    expect(() => planOkta(strayMember)).toThrow(/group 'all-staff' names user 'W9'/);
    const strayAdmin = { ...projection, adminRoles: [{ key: "user-admin", type: "USER_ADMIN", members: holders("W9") }] };
    expect(() => planOkta(strayAdmin)).toThrow(/admin role 'user-admin' names user 'W9'/);
  });

  it("plans nothing but the empty lists for an empty projection", () => {
    expect(planOkta({ users: [], groups: [], adminRoles: [] })).toEqual({ users: [], groups: [], memberships: [], adminRoles: [] });
  });
});
