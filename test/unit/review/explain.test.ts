import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import type { Inputs } from "../../../src/model/inputs.js";
import { explain, ExplainError } from "../../../src/review/explain.js";

const asOf = "2026-11-25";
const sample = await loadDesiredState("desired-state");
const run = (inputs: Inputs, worker: string, subject: string) => explain(compile(inputs, asOf), inputs, worker, subject);

describe("rolecall explain", () => {
  it("why: the role that gives an entitlement, with the rule and the HR facts it matched", () => {
    const e = run(sample, "W1039", "it-admins");
    expect(e.held).toBe(true);
    expect(e.why).toEqual([{ role: "it-admin", reasons: [expect.objectContaining({ kind: "rule", rule: "it-admins", matched: { department: "IT", title: "IT Engineer" } })] }]);
  });

  it("why not: each condition of each rule that would give it, with the person's own value", () => {
    const e = run(sample, "W1020", "it-admins");
    expect(e.held).toBe(false);
    const rule = e.whyNot.find((w) => w.startsWith("rule it-admins"))!;
    expect(rule).toContain("rules/departments.yaml:30");
    expect(rule).toContain("department is Engineering, not IT");
    expect(rule).toContain("title is Software Engineer, not one of IT Engineer, Head of IT");
    expect(e.whyNot.some((w) => w.includes("no grant") && w.includes("it-admin"))).toBe(true);
  });

  it("why not: an expired grant, by its place and date", () => {
    const e = run(sample, "W1024", "marketing");
    expect(e.held).toBe(false);
    expect(e.whyNot).toContainEqual(expect.stringMatching(/^grant marketing-launch-q3 \(grants\/2026-q4\.yaml:20\) .*expired on 2026-10-29/));
  });

  it("why not: a rule's `not` that excludes the person, naming the value", () => {
    const e = run(sample, "W1008", "platform-team");
    expect(e.whyNot.find((w) => w.startsWith("rule platform-team"))).toContain("reportsTo is [W1002, W1001], not W1009");
    // W1011 reports to W1009, which the engineering rule excludes: it holds engineer only through platform-engineer.
    const included = run(sample, "W1011", "engineer");
    expect(included.why).toEqual([{ role: "engineer", reasons: [expect.objectContaining({ kind: "include", via: ["platform-engineer"] })] }]);
  });

  it("why not: a grant policy refuses, with the finding's code", () => {
    const inputs: Inputs = { ...sample, grants: sample.grants.map((g) => (g.value.id === "fin-audit-support" ? { ...g, value: { ...g.value, approvedBy: "W1012" } } : g)) };
    const e = run(inputs, "W1012", "finance");
    expect(e.held).toBe(false);
    expect(e.whyNot).toContainEqual(expect.stringContaining("grant fin-audit-support (grants/2026-q4.yaml:3) of role finance is not honoured: grant-self-approved"));
  });

  it("why not: the lifecycle state of someone who is not active", () => {
    const leaver = compile(sample, asOf).people.find((p) => p.state === "leaver")!;
    const e = run(sample, leaver.id, "all-staff");
    expect(e.held).toBe(false);
    expect(e.whyNot[0]).toContain(`${leaver.id} is leaver`);
    expect(run(sample, "W9999", "staff").whyNot).toEqual(["W9999 is not in the HR roster"]);
  });

  it("why not: an exclusion from an access review", () => {
    const inputs: Inputs = { ...sample, exclusions: [{ value: { worker: "W1030", role: "finance", reason: "moved to treasury", decidedBy: "W1004", decided: asOf }, at: { file: "exclusions/q4.yaml", line: 3 } }] };
    const e = run(inputs, "W1030", "finance");
    expect(e.held).toBe(false);
    expect(e.whyNot).toContainEqual(expect.stringContaining("an exclusion takes it away: exclusions/q4.yaml:3"));
  });

  it("refuses a subject that is neither a role nor an entitlement", () => {
    expect(() => run(sample, "W1020", "no-such-thing")).toThrow(ExplainError);
  });
});
