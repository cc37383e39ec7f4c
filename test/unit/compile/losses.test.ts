import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { CatalogSchema } from "../../../src/model/catalog.js";
import type { DesiredState } from "../../../src/model/desired-state.js";
import { GrantSchema } from "../../../src/model/grant.js";
import type { Inputs } from "../../../src/model/inputs.js";
import { WorkerSchema, type Worker } from "../../../src/model/person.js";
import { PolicySchema } from "../../../src/model/policy.js";
import { RoleSchema, type Role } from "../../../src/model/role.js";
import { RuleSchema, type Rule } from "../../../src/model/rule.js";
import { stackRecord } from "../../../src/targets/record.js";

const AS_OF = "2026-11-25";
const at = (file: string, line = 2) => ({ file, line });
const worker = (workerId: string, more: Partial<Worker> = {}) =>
  WorkerSchema.parse({ workerId, givenName: "Ada", familyName: workerId, startDate: "2024-01-01", department: "Engineering", location: "Berlin", ...more });
const role = (id: string, groups: string[], includes: string[] = []): Role => RoleSchema.parse({ id, description: id, owner: "W1", includes, entitlements: { scim: { groups } } });
const rule = (id: string, when: Rule["when"], assign: string[]): Rule => RuleSchema.parse({ id, description: id, when, assign });

interface World {
  workers: Worker[];
  roles: Role[];
  rules: Rule[];
  grants?: Inputs["grants"];
}

function inputs(world: World, previous?: DesiredState): Inputs {
  return {
    policy: PolicySchema.parse({ organization: { domain: "example.com" } }),
    catalog: CatalogSchema.parse({ scim: { groups: { eng: { displayName: "Eng" }, berlin: { displayName: "Berlin" }, audit: { displayName: "Audit" }, tools: { displayName: "Tools" } } } }),
    roster: world.workers.map((value, i) => ({ value, at: at("hr/roster.csv", i + 2) })),
    roles: world.roles.map((value) => ({ value, at: at("roles/r.yaml") })),
    rules: world.rules.map((value) => ({ value, at: at("rules/r.yaml") })),
    grants: world.grants ?? [],
    serviceAccounts: [],
    files: [],
    findings: [],
    ...(previous ? { previous: stackRecord(previous, ["scim"]) } : {}),
  };
}
const lossesOf = (d: DesiredState, user: string) => d.losses.filter((l) => l.user === user).map((l) => [l.item, l.reasons]);

const base: World = {
  workers: [worker("W1"), worker("W2")],
  roles: [role("engineer", ["eng"]), role("berliner", ["berlin"]), role("auditor", ["audit"]), role("toolbox", ["tools"]), role("senior", [], ["toolbox"])],
  rules: [rule("eng", { department: "Engineering" }, ["engineer"]), rule("berlin", { location: "Berlin" }, ["berliner"]), rule("seniors", { department: "Engineering" }, ["senior"])],
};

describe("why access is lost", () => {
  it("a mover: the rule that stopped matching, with the attribute from → to; an expired grant of someone else's is not blamed", () => {
    const grants = [{ value: GrantSchema.parse({ id: "g1", worker: "W1", role: "auditor", reason: "audit", ticket: "T-1", approvedBy: "W2", granted: "2026-11-01", expires: "2026-11-30" }), at: at("grants/g.yaml") }];
    const before = compile(inputs({ ...base, grants }), AS_OF);
    const expiredGrant = [{ ...grants[0]!, value: { ...grants[0]!.value, worker: "W2", expires: "2026-11-20" } }];
    const after = compile(inputs({ ...base, workers: [worker("W1"), worker("W2", { department: "Sales" })], grants: expiredGrant }, before), AS_OF);
    expect(lossesOf(after, "W2")).toEqual([
      ["group:eng", [{ kind: "rule", rule: "eng", changed: [{ attribute: "department", from: "Engineering", to: "Sales" }] }]],
      ["group:tools", [{ kind: "rule", rule: "seniors", changed: [{ attribute: "department", from: "Engineering", to: "Sales" }] }]],
    ]);
  });

  it("an expired grant names the grant, its ticket and the day", () => {
    const grant = (expires: string) => [{ value: GrantSchema.parse({ id: "g1", worker: "W1", role: "auditor", reason: "audit", ticket: "T-1", approvedBy: "W2", granted: "2026-11-01", expires }), at: at("grants/g.yaml") }];
    const before = compile(inputs({ ...base, grants: grant("2026-11-30") }), AS_OF);
    const after = compile(inputs({ ...base, grants: grant("2026-11-24") }, before), AS_OF);
    expect(lossesOf(after, "W1")).toEqual([["group:audit", [{ kind: "grant", grant: "g1", ticket: "T-1", expires: "2026-11-24", status: "expired" }]]]);
  });

  it("a role the person still holds that no longer includes the role granting it, or no longer grants it itself", () => {
    const before = compile(inputs(base), AS_OF);
    const dropped = compile(inputs({ ...base, roles: base.roles.map((r) => (r.id === "senior" ? role("senior", []) : r)) }, before), AS_OF);
    expect(lossesOf(dropped, "W1")).toEqual([["group:tools", [{ kind: "include", role: "senior", included: "toolbox" }]]]);
    const emptied = compile(inputs({ ...base, roles: base.roles.map((r) => (r.id === "engineer" ? role("engineer", []) : r)) }, before), AS_OF);
    expect(lossesOf(emptied, "W1")).toEqual([["group:eng", [{ kind: "role", role: "engineer", change: "no-longer-grants" }]]]);
  });

  it("a leaver, someone on leave, and someone gone from the roster lose everything for that one reason", () => {
    const before = compile(inputs({ ...base, workers: [worker("W1"), worker("W2"), worker("W3")] }), AS_OF);
    const after = compile(inputs({ ...base, workers: [worker("W1", { status: "terminated" }), worker("W2", { status: "leave" })] }, before), AS_OF);
    const reasonKinds = (user: string) => [...new Set(lossesOf(after, user).flatMap(([, reasons]) => (reasons as { kind: string; state?: string }[]).map((r) => `${r.kind}:${r.state}`)))];
    expect(reasonKinds("W1")).toEqual(["lifecycle:leaver"]);
    expect(reasonKinds("W2")).toEqual(["lifecycle:leave"]);
    expect(reasonKinds("W3")).toEqual(["lifecycle:removed"]);
    expect(lossesOf(after, "W1").length).toBe(3);
  });

  it("a rule edited so it no longer matches unchanged attributes is not blamed on the person", () => {
    const before = compile(inputs(base), AS_OF);
    const after = compile(inputs({ ...base, rules: base.rules.map((r) => (r.id === "berlin" ? rule("berlin", { location: "Paris" }, ["berliner"]) : r)) }, before), AS_OF);
    expect(lossesOf(after, "W1")).toEqual([["group:berlin", [{ kind: "no-longer-earned" }]]]);
  });

  it("nothing lost, nothing listed; no previous record, no losses", () => {
    const before = compile(inputs(base), AS_OF);
    expect(before.losses).toEqual([]);
    expect(compile(inputs(base, before), AS_OF).losses).toEqual([]);
  });
});
