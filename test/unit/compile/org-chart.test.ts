import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { CatalogSchema } from "../../../src/model/catalog.js";
import type { Inputs } from "../../../src/model/inputs.js";
import { WorkerSchema, type Worker } from "../../../src/model/person.js";
import { PolicySchema } from "../../../src/model/policy.js";
import { RoleSchema } from "../../../src/model/role.js";
import { RuleSchema } from "../../../src/model/rule.js";

const AS_OF = "2026-11-25";
const worker = (workerId: string, more: Partial<Worker> = {}) => WorkerSchema.parse({ workerId, givenName: "Ada", familyName: workerId, startDate: "2024-01-01", ...more });

function run(workers: Worker[]) {
  const inputs: Inputs = {
    policy: PolicySchema.parse({ organization: { domain: "example.com" } }),
    catalog: CatalogSchema.parse({ scim: { groups: { managers: { displayName: "Managers" } } } }),
    roster: workers.map((value, i) => ({ value, at: { file: "hr/roster.csv", line: i + 2 } })),
    roles: [{ value: RoleSchema.parse({ id: "manager", description: "m", owner: "W1", entitlements: { scim: { groups: ["managers"] } } }), at: { file: "roles/r.yaml", line: 2 } }],
    rules: [{ value: RuleSchema.parse({ id: "managers", description: "m", when: { isManager: true }, assign: ["manager"] }), at: { file: "rules/r.yaml", line: 2 } }],
    grants: [],
    serviceAccounts: [],
    files: [],
    findings: [],
  };
  return compile(inputs, AS_OF);
}
const isManager = (d: ReturnType<typeof run>, id: string) => d.people.find((p) => p.id === id)!.roles.some((r) => r.role === "manager");

describe("the org chart", () => {
  it("a manager whose only report left is no longer a manager, and loses manager-only roles", () => {
    expect(isManager(run([worker("W1"), worker("W2", { managerId: "W1" })]), "W1")).toBe(true);
    const after = run([worker("W1"), worker("W2", { managerId: "W1", status: "terminated" })]);
    expect(isManager(after, "W1")).toBe(false);
    expect(after.people.find((p) => p.id === "W1")!.attributes).toEqual({ isManager: false });
  });

  it("reports who have not started or are on leave still count", () => {
    expect(isManager(run([worker("W1"), worker("W2", { managerId: "W1", status: "leave" })]), "W1")).toBe(true);
    expect(isManager(run([worker("W1"), worker("W2", { managerId: "W1", startDate: "2026-12-01" })]), "W1")).toBe(true);
  });

  it("names, at their row, everyone who has not left and reports to someone who has", () => {
    const d = run([worker("W1", { status: "terminated" }), worker("W2", { managerId: "W1" }), worker("W3", { managerId: "W1", status: "terminated" }), worker("W4", { managerId: "W2" })]);
    expect(d.findings.filter((f) => f.code === "manager-left")).toEqual([expect.objectContaining({ severity: "warning", file: "hr/roster.csv", line: 3, message: expect.stringContaining("W2") })]);
  });
});
