import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";

const asOf = "2026-11-25";
const inputs = await loadDesiredState("desired-state");
const desired = compile(inputs, asOf);
const person = (id: string) => desired.people.find((p) => p.id === id)!;
const scimUser = (id: string) => desired.targets.scim!.users.find((u) => u.key === id);
const groupsOf = (key: string) => desired.targets.scim!.groups.filter((g) => g.members.some((m) => m.user === key)).map((g) => g.key);

describe("the sample organisation", () => {
  it("validates without errors, showing each lifecycle finding once, and hashes every input file", () => {
    expect(desired.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(desired.findings.map((f) => f.code).sort()).toEqual(["grant-expired", "service-account-invalid", "service-account-invalid", "sod-exception"]);
    expect(desired.inputs.map((i) => i.path)).toContain("hr/roster.csv");
    expect(desired.inputs.every((i) => /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
  });

  it("has active people, a contractor, a pre-hire, someone on leave and a leaver", () => {
    const states = new Set(desired.people.map((p) => p.state));
    expect(states).toEqual(new Set(["active", "prehire", "leave", "leaver"]));
    expect(desired.people.some((p) => p.workerType === "contractor" && p.state === "active")).toBe(true);
  });

  it("declares no account for a leaver past grace, a disabled one without groups for a pre-hire", () => {
    const leaver = desired.people.find((p) => p.state === "leaver")!;
    expect(leaver.roles).toEqual([]);
    expect(scimUser(leaver.id)).toBeUndefined();
    const prehire = desired.people.find((p) => p.state === "prehire")!;
    expect(scimUser(prehire.id)).toMatchObject({ active: false });
    expect(groupsOf(prehire.id)).toEqual([]);
  });

  it("gives contractors the contractor baseline but not all-staff", () => {
    const contractor = desired.people.find((p) => p.workerType === "contractor")!;
    expect(groupsOf(contractor.id)).toContain("contractors");
    expect(groupsOf(contractor.id)).not.toContain("all-staff");
  });

  it("says why: rule with matched attributes, include chain, grant with ticket", () => {
    const roles = Object.fromEntries(person("W1012").roles.map((r) => [r.role, r.reasons]));
    expect(roles["platform-engineer"]).toEqual([{ kind: "rule", rule: "platform-team", matched: { reportsTo: "W1009" } }]);
    expect(roles["engineer"]).toEqual([{ kind: "include", via: ["platform-engineer"] }]);
    expect(roles["finance"]).toEqual([{ kind: "grant", grant: "fin-audit-support", ticket: "IAM-4711", expires: "2027-01-31" }]);
  });

  it("declares a service account while its owner is active and it has not expired", () => {
    expect(desired.serviceAccounts.map((s) => [s.id, s.declared])).toEqual([["ci-deployer", false], ["legacy-sync", false], ["payroll-export", true]]);
    expect(groupsOf("svc-payroll-export")).toEqual(["finance"]);
  });

  it("stops declaring an expired grant", () => {
    const later = compile(inputs, "2027-02-01");
    expect(later.people.find((p) => p.id === "W1012")!.roles.map((r) => r.role)).not.toContain("finance");
  });

  it("is deterministic: the same inputs and date give byte-identical JSON", () => {
    expect(JSON.stringify(compile(inputs, asOf))).toBe(JSON.stringify(desired));
  });
});
