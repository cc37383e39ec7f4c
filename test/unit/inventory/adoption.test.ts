import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { decideAdoption, matchesPattern } from "../../../src/inventory/adoption.js";
import { correlate } from "../../../src/inventory/correlate.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import type { AdoptionDecision } from "../../../src/model/adoption.js";
import type { LiveAccount, LiveDirectory } from "../../../src/model/inventory.js";
import { PolicySchema, type OrphanPolicy } from "../../../src/model/policy.js";
import type { AdoptionFacts } from "../../../src/targets/target.js";
import { scimTarget } from "../../../src/targets/scim/index.js";

const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
const person = (id: string) => desired.people.find((p) => p.id === id)!;
const user = (id: string) => desired.targets.scim!.users.find((u) => u.key === id)!;
const RULES = ["externalId", "email", "userName"] as const;
const account = (id: string, over: Partial<LiveAccount> = {}): LiveAccount => ({ id, userName: `${id}@example.com`, emails: [], ...over });

interface Options {
  record?: { accounts: Record<string, never>; holdings: Record<string, Record<string, string[]>> };
  decisions?: AdoptionDecision[];
  orphans?: Record<string, OrphanPolicy>;
  facts?: AdoptionFacts;
}

function decide(accounts: LiveAccount[], items: LiveDirectory["items"] = [], opts: Options = {}) {
  const live = { accounts, items };
  const { inventory } = correlate({ target: "scim", live, desired, record: opts.record, rules: RULES, held: scimTarget.held, readAt: "2026-11-25T00:00:00Z" });
  return decideAdoption({
    inventory: { schemaVersion: 1, stack: "local", asOf: desired.asOf, correlation: [...RULES], targets: [inventory], unread: [] },
    live: { scim: live },
    desired,
    ...(opts.record ? { record: opts.record } : {}),
    decisions: (opts.decisions ?? []).map((value, i) => ({ value, at: { file: "adoption.yaml", line: 2 + i } })),
    orphans: opts.orphans ?? {},
    facts: opts.facts ? { scim: opts.facts } : {},
  });
}

describe("deciding brownfield adoption from the live inventory", () => {
  it("adopts each linked account into its worker, with what adoption changes on it", () => {
    const { plan, findings } = decide([account("a", { userName: "bokafor", externalId: "W1002", active: false }), account("b", { userName: "CD", emails: [person("W1003").email.toUpperCase()] })]);
    expect(findings).toEqual([]);
    expect(plan.adoptions.map((a) => [a.key, a.id, a.because])).toEqual([
      ["W1002", "a", "matched by externalId"],
      ["W1003", "b", "matched by email"],
    ]);
    expect(plan.adoptions[0]!.changes).toEqual([
      { field: "userName", from: "bokafor", to: user("W1002").userName },
      { field: "email", to: user("W1002").email },
      { field: "active", from: "false", to: "true" },
    ]);
    expect(plan.adoptions[1]!.changes).toContainEqual({ field: "externalId", to: "W1003" });
  });

  it("refuses to adopt on an email or login match an account whose externalId names someone else, until a decision says so", () => {
    const other = [account("o", { userName: user("W1003").userName, externalId: "HRIS-77" })];
    const refused = decide(other);
    expect(refused.findings.map((f) => [f.code, f.file, f.line])).toEqual([["adoption-externalid-differs", "hr/roster.csv", person("W1003").source.line]]);
    expect(refused.plan.adoptions).toEqual([]);
    const decided = decide(other, [], { decisions: [{ target: "scim", account: "o", userName: user("W1003").userName, belongsTo: "W1003", reason: "HRIS-77 is the old HRIS id" }] });
    expect(decided.findings).toEqual([]);
    expect(decided.plan.adoptions.map((a) => a.key)).toEqual(["W1003"]);
  });

  it("never adopts an account for a worker the stack already manages there", () => {
    const record = { accounts: { W1002: {} as never }, holdings: { scim: {} } };
    const { plan } = decide([account("a", { userName: "second", emails: [person("W1002").email] })], [], { record });
    expect(plan.adoptions).toEqual([]);
  });

  it("refuses a disputed account at the roster row, with the decision to write, until adoption.yaml settles it", () => {
    const twins = [account("d1", { userName: "d1", emails: [person("W1005").email] }), account("d2", { userName: "d2", emails: [person("W1005").email] })];
    const refused = decide(twins);
    expect(refused.findings.map((f) => [f.code, f.file, f.line])).toEqual([
      ["disputed-account", "hr/roster.csv", person("W1005").source.line],
      ["disputed-account", "hr/roster.csv", person("W1005").source.line],
    ]);
    expect(refused.findings[0]!.hint).toContain("adoption.yaml");
    expect(refused.plan.adoptions).toEqual([]);

    const settled = decide(twins, [], {
      decisions: [
        { target: "scim", account: "d1", userName: "D1", belongsTo: "W1005", reason: "checked" },
        { target: "scim", account: "d2", userName: "d2", belongsTo: "orphan", reason: "test account" },
      ],
      orphans: { scim: { action: "remove", exclude: [] } },
    });
    expect(settled.findings).toEqual([]);
    expect(settled.plan.adoptions.map((a) => [a.key, a.id])).toEqual([["W1005", "d1"]]);
    expect(settled.plan.adoptions[0]!.because).toMatch(/^decided in adoption\.yaml:2: checked$/);
    expect(settled.plan.orphans).toEqual([expect.objectContaining({ id: "d2", action: "remove" })]);
  });

  it("refuses a decision whose account now has another userName, or that names no declared identity, at the decision's line", () => {
    const { findings, plan } = decide([account("x", { userName: "now-someone" }), account("y", { userName: "y" })], [], {
      decisions: [
        { target: "scim", account: "x", userName: "was-someone", belongsTo: "W1001", reason: "r" },
        { target: "scim", account: "y", userName: "y", belongsTo: "W9999", reason: "r" },
      ],
    });
    expect(findings.map((f) => [f.code, f.file, f.line])).toEqual([
      ["adoption-decision-stale", "adoption.yaml", 2],
      ["adoption-decision-invalid", "adoption.yaml", 3],
    ]);
    expect(plan.adoptions).toEqual([]);
  });

  it("refuses two accounts decided into one worker", () => {
    const { findings } = decide([account("p", { userName: "p" }), account("q", { userName: "q" })], [], {
      decisions: [
        { target: "scim", account: "p", userName: "p", belongsTo: "W1001", reason: "r" },
        { target: "scim", account: "q", userName: "q", belongsTo: "W1001", reason: "r" },
      ],
    });
    expect(findings.map((f) => f.code)).toEqual(["adoption-conflict"]);
  });

  it("gives orphans policy's action, except those an exclusion pattern matches; report by default", () => {
    const accounts = [account("r", { userName: "rogue.admin@example.com" }), account("bg", { userName: "BreakGlass-Ops" }), account("svc", { userName: "okta-svc-sync" })];
    expect(decide(accounts).plan.orphans.map((o) => o.action)).toEqual(["report", "report", "report"]);
    const { plan } = decide(accounts, [], { orphans: { scim: { action: "disable", exclude: ["breakglass-*", "*-svc-*"] } } });
    expect(Object.fromEntries(plan.orphans.map((o) => [o.id, o.action]))).toEqual({ r: "disable", bg: "report", svc: "report" });
    expect(plan.orphans.find((o) => o.id === "bg")!.because).toContain("excluded by pattern 'breakglass-*'");
  });

  it("refuses an adoption that would replace the account (a replace-on-change attribute differs)", () => {
    const { findings, plan } = decide([account("a", { userName: "bokafor", externalId: "W1002" })], [], { facts: { replacesOn: ["userName"], importId: (_k, id) => `store/${id}` } });
    expect(findings.map((f) => [f.code, f.file, f.line])).toEqual([["adoption-replaces", "hr/roster.csv", person("W1002").source.line]]);
    expect(plan.adoptions).toEqual([]);
    const same = decide([account("a", { userName: user("W1002").userName, externalId: "W1002" })], [], { facts: { replacesOn: ["userName"], importId: (_k, id) => `store/${id}` } });
    expect(same.plan.adoptions).toEqual([expect.objectContaining({ key: "W1002", importId: "store/a" })]);
  });

  it("adopts a group of a catalog group's displayName not yet in the stack; two candidates are disputed", () => {
    const group = desired.targets.scim!.groups[0]!;
    const one = decide([], [{ kind: "group", id: "g1", displayName: group.displayName.toUpperCase(), members: [] }]);
    expect(one.plan.adoptions).toEqual([expect.objectContaining({ kind: "group", key: group.key, id: "g1", because: "matched by displayName" })]);
    const two = decide([], [
      { kind: "group", id: "g1", displayName: group.displayName, members: [] },
      { kind: "group", id: "g2", displayName: group.displayName, members: [] },
    ]);
    expect(two.findings.map((f) => f.code)).toEqual(["disputed-group"]);
  });
});

describe("exclusion patterns", () => {
  it.each([
    ["breakglass-*", "breakglass-ops", true],
    ["breakglass-*", "BREAKGLASS-x", true],
    ["*@partner.example", "ana@partner.example", true],
    ["svc.*", "svcx", false],
    ["a+b", "aab", false],
    ["exact", "exact-not", false],
  ])("%s matches %s: %s", (pattern, value, expected) => {
    expect(matchesPattern(pattern, value)).toBe(expected);
  });
});

describe("policy.orphans", () => {
  const base = { organization: { domain: "example.com" } };
  it("defaults every target to report", () => {
    expect(PolicySchema.parse(base).orphans).toEqual({});
    expect(PolicySchema.parse({ ...base, orphans: { scim: {} } }).orphans).toEqual({ scim: { action: "report", exclude: [] } });
  });

  it("refuses disable or remove for a target that cannot do it through the engine, at the action", () => {
    for (const target of ["okta", "azuread", "aws"]) {
      const result = PolicySchema.safeParse({ ...base, orphans: { [target]: { action: "remove" } } });
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.path.join("."))).toEqual([`orphans.${target}.action`]);
    }
    expect(PolicySchema.safeParse({ ...base, orphans: { scim: { action: "remove" } } }).success).toBe(true);
    expect(PolicySchema.safeParse({ ...base, orphans: { nope: { action: "report" } } }).success).toBe(false);
  });
});
