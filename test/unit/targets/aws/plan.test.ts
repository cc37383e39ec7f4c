import { describe, expect, it } from "vitest";
import type { AwsProjection } from "../../../../src/model/desired-state.js";
import { AwsPlanError, planAwsTarget } from "../../../../src/targets/aws/plan.js";
import { user } from "../../../support/directory-fixtures.js";

const because: AwsProjection["groups"][number]["members"][number]["because"] = ["engineer"];

function projection(over: Partial<AwsProjection> = {}): AwsProjection {
  return {
    users: [user("W1"), user("W2", { state: "leave", active: false }), user("W3", { protected: true })],
    groups: [
      { key: "developers", displayName: "Developers", members: [{ user: "W1", because }, { user: "W2", because }, { user: "W3", because }] },
      { key: "admins", displayName: "Admins", members: [{ user: "W3", because }] },
    ],
    accounts: [{ key: "prod", id: "111111111111" }],
    permissionSets: [{ key: "read-only", name: "ViewOnlyAccess", sessionDuration: "PT8H", managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }],
    assignments: [{ group: "developers", account: "prod", permissionSet: "read-only" }],
    ...over,
  };
}

describe("planAwsTarget", () => {
  it("walks the projection in order and names resources by keys", () => {
    const plan = planAwsTarget(projection(), {});
    expect(plan.users.map((u) => [u.name, u.args.userName, u.protect])).toEqual([
      ["W1", "W1", false],
      ["W2", "W2", false],
      ["W3", "W3", true],
    ]);
    expect(plan.groups.map((g) => g.name)).toEqual(["developers", "admins"]);
    expect(plan.memberships).toEqual([
      { name: "developers/W1", group: "developers", user: "W1" },
      { name: "developers/W3", group: "developers", user: "W3" },
      { name: "admins/W3", group: "admins", user: "W3" },
    ]);
    expect(plan.permissionSets).toEqual([
      { name: "read-only", args: { name: "ViewOnlyAccess", sessionDuration: "PT8H" }, managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
    ]);
    expect(plan.assignments).toEqual([
      { name: "developers/prod/read-only", group: "developers", permissionSet: "read-only", accountId: "111111111111", after: ["read-only"] },
    ]);
  });

  it("keeps an account that may not sign in but withholds its memberships", () => {
    const plan = planAwsTarget(projection(), {});
    expect(plan.users.map((u) => u.name)).toContain("W2");
    expect(plan.memberships.map((m) => m.user)).not.toContain("W2");
    expect(plan.withheld).toEqual([{ user: "W2", groups: ["developers"] }]);
  });

  it("applies the userName suffix", () => {
    expect(planAwsTarget(projection(), { userNameSuffix: "@example.com" }).users[0]!.args.userName).toBe("W1@example.com");
  });

  it("is a pure function of its input", () => {
    expect(JSON.stringify(planAwsTarget(projection(), {}))).toBe(JSON.stringify(planAwsTarget(structuredClone(projection()), {})));
  });

  it("lists every problem at once", () => {
    const bad = projection({
      users: [user("W1"), user("Administrator"), user("W9", { email: "w1@example.com" })],
      groups: [
        { key: "developers", displayName: "Developers", members: [{ user: "W404", because }] },
        { key: "devs", displayName: "developers", members: [] },
      ],
      assignments: [
        { group: "developers", account: "staging", permissionSet: "admin" },
        { group: "developers", account: "prod", permissionSet: "read-only" },
        { group: "developers", account: "prod", permissionSet: "read-only" },
      ],
    });
    let error: unknown;
    try {
      planAwsTarget(bad, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AwsPlanError);
    const problems = (error as AwsPlanError).problems;
    expect(problems).toHaveLength(6);
    expect(problems.join("\n")).toMatch(/Administrator.*reserved/);
    expect(problems.join("\n")).toMatch(/W1, W9 would share the email w1@example.com/);
    expect(problems.join("\n")).toMatch(/developers, devs share the displayName/);
    expect(problems.join("\n")).toMatch(/member W404/);
    expect(problems.join("\n")).toMatch(/developers\/staging\/admin refers to account 'staging', permission set 'admin'/);
    expect(problems.join("\n")).toMatch(/developers\/prod\/read-only is declared twice/);
  });
});
