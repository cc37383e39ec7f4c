import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { CatalogSchema } from "../../../src/model/catalog.js";
import type { DesiredState } from "../../../src/model/desired-state.js";
import type { Inputs } from "../../../src/model/inputs.js";
import { WorkerSchema, type Worker } from "../../../src/model/person.js";
import { PolicySchema } from "../../../src/model/policy.js";
import { RoleSchema } from "../../../src/model/role.js";
import { RuleSchema } from "../../../src/model/rule.js";
import { buildPlan } from "../../../src/evidence/plan-model.js";
import type { PlanStep } from "../../../src/model/plan.js";
import { notRevocations } from "../../../src/offboard/only-revocations.js";
import { AppliedRecordSchema, revocationsOnly, type AppliedRecord } from "../../../src/offboard/revocations.js";
import { settleRecord, stackRecord } from "../../../src/targets/record.js";

const AS_OF = "2026-11-25";
const at = (line: number) => ({ file: "hr/roster.csv", line });
const worker = (workerId: string, more: Partial<Worker> = {}) =>
  WorkerSchema.parse({ workerId, givenName: "Ada", familyName: workerId, startDate: "2024-01-01", department: "Engineering", location: "Berlin", title: "Engineer", ...more });

const OWNER = worker("W0", { department: "Executive", location: "Paris" });
const GROUPS = ["eng", "berlin", "sales", "everyone"] as const;

function compileWorld(
  workers: Worker[],
  opts: { previous?: AppliedRecord; grace?: number; onLeave?: "suspend" | "keep-entitlements"; groups?: readonly string[]; names?: Record<string, string> } = {},
): DesiredState {
  const groups = opts.groups ?? GROUPS;
  const inputs: Inputs = {
    policy: PolicySchema.parse({ organization: { domain: "example.com" }, lifecycle: { leaverGraceDays: opts.grace ?? 0, onLeave: opts.onLeave ?? "suspend" } }),
    catalog: CatalogSchema.parse({ scim: { groups: Object.fromEntries(groups.map((g) => [g, { displayName: opts.names?.[g] ?? g }])) } }),
    // W0 owns the roles and holds none of them: whoever else leaves, the roles keep an owner.
    roster: [OWNER, ...workers].map((value, i) => ({ value, at: at(i + 2) })),
    roles: [
      { value: RoleSchema.parse({ id: "eng", description: "eng", owner: "W0", entitlements: { scim: { groups: ["eng"] } } }), at: { file: "roles/r.yaml", line: 1 } },
      { value: RoleSchema.parse({ id: "berlin", description: "berlin", owner: "W0", entitlements: { scim: { groups: ["berlin"] } } }), at: { file: "roles/r.yaml", line: 5 } },
      { value: RoleSchema.parse({ id: "sales", description: "sales", owner: "W0", entitlements: { scim: { groups: ["sales"] } } }), at: { file: "roles/r.yaml", line: 9 } },
    ],
    rules: [
      { value: RuleSchema.parse({ id: "eng", description: "eng", when: { department: "Engineering" }, assign: ["eng"] }), at: { file: "rules/r.yaml", line: 1 } },
      { value: RuleSchema.parse({ id: "berlin", description: "berlin", when: { location: "Berlin" }, assign: ["berlin"] }), at: { file: "rules/r.yaml", line: 5 } },
      { value: RuleSchema.parse({ id: "sales", description: "sales", when: { department: "Sales" }, assign: ["sales"] }), at: { file: "rules/r.yaml", line: 9 } },
    ],
    grants: [],
    serviceAccounts: [],
    files: [],
    findings: [],
    ...(opts.previous ? { previous: opts.previous } : {}),
  };
  const desired = compile(inputs, AS_OF);
  expect(desired.findings.filter((f) => f.severity === "error")).toEqual([]);
  return desired;
}

/** What an apply of this desired state records, parsed as the fast path reads it. */
const applied = (desired: DesiredState): AppliedRecord => AppliedRecordSchema.parse(JSON.parse(JSON.stringify(stackRecord(desired, ["scim"]))));
const members = (d: DesiredState, group: string) => d.targets.scim!.groups.find((g) => g.key === group)?.members.map((m) => m.user) ?? [];
const user = (d: DesiredState, key: string) => d.targets.scim!.users.find((u) => u.key === key);

const team = [worker("W1"), worker("W2"), worker("W3", { location: "London" })];

describe("the leaver fast path's desired state", () => {
  it("revokes a leaver's account and holdings and leaves a mover's change and a joiner for the full run", () => {
    const before = applied(compileWorld(team));
    const now = compileWorld(
      [worker("W1", { status: "terminated", endDate: "2026-11-20" }), worker("W2", { department: "Sales", title: "Account Executive" }), worker("W3", { location: "London" }), worker("W4")],
      { previous: before },
    );
    const fast = revocationsOnly(now, before, ["scim"]);

    expect(fast.blockers).toEqual([]);
    expect(fast.revocations).toEqual([{ id: "W1", state: "leaver", reason: expect.any(String), accounts: { scim: "deleted" }, removed: { scim: ["group:berlin", "group:eng"] } }]);
    expect(user(fast.desired, "W1")).toBeUndefined();
    // The mover keeps what was applied: the old group, not the new one, and the old title.
    expect(members(fast.desired, "eng")).toEqual(["W2", "W3"]);
    expect(members(fast.desired, "sales")).toEqual([]);
    expect(user(fast.desired, "W2")).toEqual({ key: "W2", ...before.accounts["W2"] });
    expect(user(fast.desired, "W4")).toBeUndefined();
    expect(fast.desired.people.find((p) => p.id === "W4")?.account).toBe("absent");
  });

  it("disables a leaver within their grace days, changing nothing else about the account", () => {
    const before = applied(compileWorld(team, { grace: 30 }));
    const now = compileWorld([worker("W1", { status: "terminated", endDate: "2026-11-20", title: "Renamed title" }), ...team.slice(1)], { previous: before, grace: 30 });
    const fast = revocationsOnly(now, before, ["scim"]);
    expect(fast.revocations.map((r) => [r.id, r.accounts])).toEqual([["W1", { scim: "disabled" }]]);
    expect(user(fast.desired, "W1")).toEqual({ key: "W1", ...before.accounts["W1"], active: false, state: "leaver" });
    expect(members(fast.desired, "berlin")).toEqual(["W2"]);
  });

  it("deletes someone who dropped out of the export and suspends someone on leave", () => {
    const before = applied(compileWorld(team));
    const now = compileWorld([worker("W1", { status: "leave" }), worker("W3", { location: "London" })], { previous: before });
    const fast = revocationsOnly(now, before, ["scim"]);
    expect(fast.revocations.map((r) => [r.id, r.state, r.accounts, r.removed])).toEqual([
      ["W1", "leave", { scim: "disabled" }, { scim: ["group:berlin", "group:eng"] }],
      ["W2", "removed", { scim: "deleted" }, { scim: ["group:berlin", "group:eng"] }],
    ]);
    expect(members(fast.desired, "eng")).toEqual(["W3"]);
  });

  it("lets someone on leave keep what policy keeps, and revokes nothing from people who stay", () => {
    const before = applied(compileWorld(team, { onLeave: "keep-entitlements" }));
    const now = compileWorld([worker("W1", { status: "leave" }), ...team.slice(1)], { previous: before, onLeave: "keep-entitlements" });
    const fast = revocationsOnly(now, before, ["scim"]);
    expect(fast.revocations.map((r) => [r.id, r.accounts, r.removed])).toEqual([["W1", { scim: "disabled" }, {}]]);
    expect(members(fast.desired, "eng")).toEqual(["W1", "W2", "W3"]);
  });

  it("does not bring back a rehire: re-enabling waits for the full run", () => {
    const before = applied(compileWorld([worker("W1", { status: "terminated", endDate: "2026-11-20" }), ...team.slice(1)], { grace: 30 }));
    const now = compileWorld(team, { previous: before, grace: 30 });
    const fast = revocationsOnly(now, before, ["scim"]);
    expect(fast.revocations).toEqual([]);
    expect(user(fast.desired, "W1")?.active).toBe(false);
    expect(members(fast.desired, "eng")).toEqual(["W2", "W3"]);
    expect(fast.desired.people.find((p) => p.id === "W1")).toMatchObject({ state: "leaver", account: "disabled" });
  });

  it("declares a group a leaver is in as applied — its name and its other members — while its rename waits for the full run", () => {
    const before = applied(compileWorld(team));
    expect(before.items?.scim?.["group:eng"]).toEqual({ displayName: "eng" });
    const now = compileWorld([worker("W1", { status: "terminated", endDate: "2026-11-20" }), ...team.slice(1)], { previous: before, names: { eng: "Engineering (renamed)" } });
    expect(now.targets.scim!.groups.find((g) => g.key === "eng")!.displayName).toBe("Engineering (renamed)");
    const fast = revocationsOnly(now, before, ["scim"]);
    expect(fast).toMatchObject({ blockers: [], fromCatalog: [] });
    expect(fast.revocations.map((r) => [r.id, r.removed])).toEqual([["W1", { scim: ["group:berlin", "group:eng"] }]]);
    const eng = fast.desired.targets.scim!.groups.find((g) => g.key === "eng")!;
    expect({ ...eng, members: eng.members.map((m) => m.user) }).toEqual({ key: "eng", displayName: "eng", members: ["W2", "W3"] });
    // What the fast path records is still the applied name: the next full run's preview shows the rename.
    expect(stackRecord(fast.desired, ["scim"]).items?.scim?.["group:eng"]).toEqual({ displayName: "eng" });
  });

  it("keeps a group gone from the catalog as applied, less the leaver: its delete waits for the full run", () => {
    const before = applied(compileWorld(team));
    // As if an earlier catalog and role gave `everyone` to W1 and W2; today's catalog has no such group.
    before.holdings.scim!["group:everyone"] = ["W1", "W2"];
    const now = compileWorld([worker("W1", { status: "terminated", endDate: "2026-11-20" }), ...team.slice(1)], { previous: before, groups: ["eng", "berlin", "sales"] });
    const fast = revocationsOnly(now, before, ["scim"]);
    expect(fast.blockers).toEqual([]);
    expect(members(fast.desired, "everyone")).toEqual(["W2"]);
    expect(fast.desired.targets.scim!.groups.find((g) => g.key === "everyone")!.displayName).toBe("everyone");
    expect(fast.revocations[0]!.removed.scim).toEqual(["group:berlin", "group:eng", "group:everyone"]);
  });

  it("with a record from before items kept their fields, declares today's catalog fields and says whose — so an edit refuses, and a gone item cannot run", () => {
    const old = (record: AppliedRecord): AppliedRecord => AppliedRecordSchema.parse({ ...record, items: undefined });
    const before = old(applied(compileWorld(team)));
    const leaver = [worker("W1", { status: "terminated", endDate: "2026-11-20" }), ...team.slice(1)];
    const renamed = revocationsOnly(compileWorld(leaver, { previous: before, names: { eng: "Engineering (renamed)" } }), before, ["scim"]);
    expect(renamed.blockers).toEqual([]);
    expect(renamed.fromCatalog).toEqual(["scim group:berlin", "scim group:eng", "scim group:everyone", "scim group:sales"]);
    expect(renamed.desired.targets.scim!.groups.find((g) => g.key === "eng")!.displayName).toBe("Engineering (renamed)");
    const gone = revocationsOnly(compileWorld(leaver, { previous: before, groups: ["eng", "berlin", "sales"] }), before, ["scim"]);
    expect(gone.blockers).toEqual(["scim group:everyone is no longer in the catalog"]);
  });

  it("records an item's fields as applied when its own step failed: the next fast path declares what the target holds", () => {
    const was = stackRecord(compileWorld(team), ["scim"]);
    const declared = stackRecord(compileWorld(team, { names: { eng: "Engineering (renamed)" } }), ["scim"]);
    const failed = settleRecord(was, declared, [{ target: "scim", name: "eng", account: false }]);
    expect(failed.items?.scim?.["group:eng"]).toEqual({ displayName: "eng" });
    expect(settleRecord(was, declared, [{ target: "scim", name: "berlin", account: false }]).items?.scim?.["group:eng"]).toEqual({ displayName: "Engineering (renamed)" });
  });

  it("refuses a record written before accounts kept every field", () => {
    const record = JSON.parse(JSON.stringify(stackRecord(compileWorld(team), ["scim"])));
    for (const account of Object.values(record.accounts) as Record<string, unknown>[]) {
      delete account.givenName;
      delete account.active;
    }
    expect(AppliedRecordSchema.safeParse(record).success).toBe(false);
  });

  it("never gives access: every holding and every enabled account was already applied", () => {
    const person = fc.record({
      status: fc.constantFrom("active", "leave", "terminated"),
      department: fc.constantFrom("Engineering", "Sales", "Finance"),
      location: fc.constantFrom("Berlin", "London"),
      present: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(person, { minLength: 1, maxLength: 6 }), fc.array(person, { minLength: 1, maxLength: 6 }), (was, is) => {
        const row = (p: typeof was[number], i: number) =>
          worker(`W${i + 1}`, { status: p.status as Worker["status"], department: p.department, location: p.location, ...(p.status === "terminated" ? { endDate: "2026-11-20" } : {}) });
        const before = applied(compileWorld(was.map(row)));
        const now = compileWorld(is.map(row).filter((_, i) => is[i]!.present), { previous: before });
        const fast = revocationsOnly(now, before, ["scim"]);
        for (const g of fast.desired.targets.scim!.groups) {
          for (const m of g.members) expect(before.holdings.scim![`group:${g.key}`]).toContain(m.user);
        }
        for (const u of fast.desired.targets.scim!.users) {
          expect(before.accounts[u.key]).toBeDefined();
          if (u.active) expect(before.accounts[u.key]!.active).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("what refuses a fast-path preview", () => {
  const step = (op: string, name: string, type: string, diffs: string[] = []): PlanStep => ({ op, urn: `urn:pulumi:local::rolecall::rolecall:targets:Scim$${type}::${name}`, type, name, target: "scim", diffs });
  const USER = "rolecall-scim:index:User";
  const GROUP = "rolecall-scim:index:Group";
  const before = applied(compileWorld(team, { grace: 30 }));
  const now = compileWorld([worker("W1", { status: "terminated", endDate: "2026-11-20" }), ...team.slice(1)], { previous: before, grace: 30 });
  const fast = revocationsOnly(now, before, ["scim"]);
  const record = stackRecord(fast.desired, ["scim"]);
  const problems = (steps: PlanStep[]) => notRevocations(buildPlan(steps, fast.desired, { ...before, holdings: before.holdings } as never, ["scim"]), fast.revocations);

  it("passes the leaver's disable and their removal from groups", () => {
    expect(record.holdings.scim!["group:eng"]).toEqual(["W2", "W3"]);
    expect(problems([step("update", "W1", USER, ["active"]), step("update", "eng", GROUP, ["members"]), step("update", "berlin", GROUP, ["members"]), step("same", "W2", USER)])).toEqual([]);
  });

  it("refuses a create, a replace, another person's account change and more than a disable", () => {
    expect(problems([step("create", "W9", USER)])).toEqual(expect.arrayContaining([expect.stringContaining("only updates and deletes")]));
    expect(problems([step("replace", "W1", USER, ["userName"])])).toEqual([expect.stringContaining("only updates and deletes")]);
    expect(problems([step("update", "W2", USER, ["title"])])).toEqual(expect.arrayContaining([expect.stringContaining("not leaving")]));
    expect(problems([step("update", "W1", USER, ["active", "displayName"])])).toEqual([expect.stringContaining("changes displayName")]);
    expect(problems([step("delete", "sales", GROUP)])).toEqual([expect.stringContaining("not a leaver's")]);
  });

  it("refuses a change to a group beyond its members, also when a leaver leaves it", () => {
    expect(problems([step("update", "W1", USER, ["active"]), step("update", "eng", GROUP, ["displayName", "members"]), step("update", "berlin", GROUP, ["members"])])).toEqual([
      expect.stringContaining("changes displayName, not only who holds it"),
    ]);
  });

  it("refuses a group change nobody's membership explains (drift put back)", () => {
    expect(problems([step("update", "W1", USER, ["active"]), step("update", "eng", GROUP, ["members"]), step("update", "berlin", GROUP, ["members"]), step("update", "sales", GROUP, ["members"])])).toEqual([
      expect.stringContaining("sales differs from what was applied"),
    ]);
  });
});
