import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import type { Exclusion } from "../../../src/model/exclusion.js";
import type { Inputs } from "../../../src/model/inputs.js";

const asOf = "2026-11-25";
const sample = await loadDesiredState("desired-state");
const at = { file: "exclusions/review.yaml", line: 4 };
const withExclusions = (...list: Omit<Exclusion, "reason" | "decidedBy" | "decided">[]): Inputs => ({
  ...sample,
  exclusions: list.map((e, i) => ({ value: { reason: "revoked in review", decidedBy: "W1004", decided: asOf, ...e }, at: { ...at, line: at.line + i } })),
});
const rolesOf = (inputs: Inputs, id: string) => compile(inputs, asOf).people.find((p) => p.id === id)!.roles.map((r) => r.role);
const scimGroupsOf = (inputs: Inputs, id: string) =>
  compile(inputs, asOf).targets.scim!.groups.filter((g) => g.members.some((m) => m.user === id)).map((g) => g.key);

describe("exclusions", () => {
  it("take a rule-earned role away, and its entitlements in every target", () => {
    expect(rolesOf(sample, "W1030")).toContain("finance");
    const inputs = withExclusions({ worker: "W1030", role: "finance" });
    expect(rolesOf(inputs, "W1030")).not.toContain("finance");
    expect(scimGroupsOf(inputs, "W1030")).not.toContain("finance");
    expect(compile(inputs, asOf).targets.aws!.groups.find((g) => g.key === "finance-billing")!.members.map((m) => m.user)).not.toContain("W1030");
  });

  it("take away what the excluded role included, unless something else still gives it", () => {
    expect(rolesOf(sample, "W1011")).toEqual(expect.arrayContaining(["platform-engineer", "engineer"]));
    expect(rolesOf(withExclusions({ worker: "W1011", role: "platform-engineer" }), "W1011")).not.toEqual(expect.arrayContaining(["platform-engineer"]));
    expect(rolesOf(withExclusions({ worker: "W1011", role: "platform-engineer" }), "W1011")).not.toContain("engineer");
    expect(rolesOf(withExclusions({ worker: "W1011", role: "engineer" }), "W1011")).toContain("platform-engineer");
    expect(rolesOf(withExclusions({ worker: "W1011", role: "engineer" }), "W1011")).not.toContain("engineer");
  });

  it("leave a grant of that very role in force", () => {
    expect(rolesOf(withExclusions({ worker: "W1039", role: "finance" }), "W1039")).toContain("finance");
  });

  it("naming an unknown role is an error at its line; for a worker not in the roster, a warning", () => {
    const findings = compile(withExclusions({ worker: "W1030", role: "no-such-role" }, { worker: "W9999", role: "finance" }), asOf).findings;
    expect(findings).toContainEqual(expect.objectContaining({ severity: "error", code: "exclusion-unknown-role", file: at.file, line: 4 }));
    expect(findings).toContainEqual(expect.objectContaining({ severity: "warning", code: "unknown-worker", file: at.file, line: 5 }));
  });
});
