import { describe, expect, it } from "vitest";
import type { OktaProjection } from "../../../../src/model/desired-state.js";
import { planOkta } from "../../../../src/targets/okta/plan.js";
import { oktaPrevious } from "../../../../src/targets/okta/previous.js";
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
  it("plans users and groups in projection order, one membership set per user in any group", () => {
    const plan = planOkta(projection, { previous: { users: new Map(), legacyMemberships: [] } });
    expect(plan.users.map((u) => [u.key, u.fields.status, u.decision.holdStatus, u.options.protect])).toEqual([
      ["W1", "ACTIVE", false, false],
      ["W2", "ACTIVE", false, true],
      ["W3", "STAGED", false, false],
    ]);
    expect(plan.groups).toEqual([
      { key: "all-staff", fields: { name: "All Staff" } },
      { key: "auditors", fields: { name: "Auditors", description: "Nobody yet" } },
    ]);
    // A user in no group has no UserGroupMemberships: deleting it removes the user from the groups it recorded.
    expect(plan.memberships).toEqual([
      { user: "W1", groups: ["all-staff"] },
      { user: "W2", groups: ["all-staff"] },
    ]);
  });

  it("reports a status another writer set on an account it holds", () => {
    const previous = { users: new Map([["W1", { declared: "ACTIVE" as const, observed: "LOCKED_OUT" }], ["W2", { declared: "ACTIVE" as const, observed: "PASSWORD_EXPIRED" }]]), legacyMemberships: [] };
    const plan = planOkta(projection, { previous });
    expect(plan.users.map((u) => [u.key, u.drift])).toEqual([["W1", "LOCKED_OUT"], ["W2", undefined], ["W3", undefined]]);
  });

  it("plans one admin-role set per user holding any, protected with its break-glass owner", () => {
    expect(planOkta(projection).adminRoles).toEqual([
      { user: "W1", roleTypes: ["HELP_DESK_ADMIN"], protect: false },
      { user: "W2", roleTypes: ["HELP_DESK_ADMIN", "USER_ADMIN"], protect: true },
    ]);
  });

  it("keeps every role type a protected user last held, read from the state's inputs; an unprotected user's go", () => {
    const state = (name: string, adminRoles: string[]) => ({
      urn: `urn:pulumi:s::p::rolecall:targets:Okta$okta:index/userAdminRoles:UserAdminRoles::${name}`,
      type: "okta:index/userAdminRoles:UserAdminRoles",
      parent: "urn:pulumi:s::p::rolecall:targets:Okta::okta",
      inputs: { userId: `id-${name}`, adminRoles },
    });
    const component = { urn: "urn:pulumi:s::p::rolecall:targets:Okta::okta", type: "rolecall:targets:Okta" };
    const previous = oktaPrevious({ deployment: { resources: [component, state("W1", ["SUPER_ADMIN"]), state("W2", ["SUPER_ADMIN", "USER_ADMIN"])] } });
    const lost = { ...projection, adminRoles: projection.adminRoles.map((r) => ({ ...r, members: [] })) };
    expect(planOkta(lost, { previous }).adminRoles).toEqual([{ user: "W2", roleTypes: ["SUPER_ADMIN", "USER_ADMIN"], protect: true }]);
    expect(planOkta(projection, { previous }).adminRoles).toEqual([
      { user: "W1", roleTypes: ["HELP_DESK_ADMIN"], protect: false },
      { user: "W2", roleTypes: ["HELP_DESK_ADMIN", "SUPER_ADMIN", "USER_ADMIN"], protect: true },
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
