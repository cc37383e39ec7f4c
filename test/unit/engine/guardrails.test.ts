/** The reactivation and rename guardrails: what counts, the limits by count and percent, the override. */
import { describe, expect, it } from "vitest";
import { checkGuardrails } from "../../../src/engine/guardrails.js";
import type { PlanCore } from "../../../src/evidence/plan-model.js";
import type { DesiredState, Person } from "../../../src/model/desired-state.js";
import { PolicySchema } from "../../../src/model/policy.js";
import type { StackRecord } from "../../../src/targets/record.js";

const AS_OF = "2026-11-25";
const LAST_APPLY = "2026-11-24";

type Who = { id: string; state?: Person["state"]; account?: Person["account"]; email?: string; login?: string; startDate?: string };
const person = (w: Who): Person => ({
  id: w.id,
  state: w.state ?? "active",
  stateReason: "",
  account: w.account ?? "enabled",
  login: w.login ?? w.id.toLowerCase(),
  email: w.email ?? `${w.id.toLowerCase()}@example.com`,
  givenName: "G",
  familyName: "F",
  displayName: "G F",
  workerType: "employee",
  startDate: w.startDate ?? "2020-01-01",
  roles: [],
  source: { file: "hr/roster.csv", line: 2 },
});

/** Twenty people, all active at the last apply with the accounts they have now. */
function org() {
  const people = Array.from({ length: 20 }, (_, i) => person({ id: `W${100 + i}` }));
  const accounts: StackRecord["accounts"] = {};
  for (const p of people) accounts[p.id] = { displayName: p.displayName, email: p.email, kind: "person", protected: false, userName: p.login, state: "active" };
  return { people, previous: { asOf: LAST_APPLY, accounts, holdings: { scim: {} } } as StackRecord, changes: new Map<string, string>() };
}

function verdicts(o: ReturnType<typeof org>, guardrails: object = {}, changeOverride?: string, userNameOf = (p: Person) => p.login) {
  const policy = PolicySchema.parse({ organization: { domain: "example.com" }, guardrails: { maxDeprovision: { count: 100, percent: 100 }, maxRosterShrinkPercent: 100, ...guardrails } });
  // A target's projection as compile makes it; by default the login is its userName.
  const users = o.people
    .filter((p) => p.account !== "absent")
    .map((p) => ({ key: p.id, kind: "person", state: p.state, userName: userNameOf(p), email: p.email, displayName: p.displayName, protected: false }));
  const desired = { asOf: AS_OF, people: o.people, serviceAccounts: [], targets: { scim: { users, groups: [] } }, findings: [], inputs: [] } as unknown as DesiredState;
  const plan = { people: o.people.map((p) => ({ id: p.id, kind: "person", change: o.changes.get(p.id) ?? "updated" })), risks: [] } as unknown as PlanCore;
  const all = checkGuardrails(plan, desired, o.previous, policy, undefined, changeOverride);
  return Object.fromEntries(all.filter((v) => /reactivations|renames/.test(v.name)).map((v) => [v.name, { verdict: v.verdict, actual: v.actual }]));
}

const was = (o: ReturnType<typeof org>, id: string, fields: Partial<StackRecord["accounts"][string]>) => Object.assign(o.previous.accounts[id]!, fields);

describe("reactivation guardrail", () => {
  it("passes a run with no returning people", () => {
    expect(verdicts(org())).toMatchObject({ "max-reactivations-count": { verdict: "pass", actual: "0 people" }, "max-reactivations-percent": { verdict: "pass", actual: "0%" } });
  });

  it("counts leavers and people on leave back to active, and refuses above the count", () => {
    const o = org();
    was(o, "W100", { state: "leaver" });
    was(o, "W101", { state: "leave" });
    was(o, "W102", { state: "prehire" });
    expect(verdicts(o, { maxReactivations: { count: 1, percent: 50 } })).toMatchObject({
      "max-reactivations-count": { verdict: "fail", actual: "2 people" },
      "max-reactivations-percent": { verdict: "pass", actual: "10%" },
    });
  });

  it("counts someone without an account at the last apply whose start date had passed, not a new joiner", () => {
    const o = org();
    delete o.previous.accounts["W100"];
    delete o.previous.accounts["W101"];
    o.people[1] = person({ id: "W101", startDate: AS_OF });
    expect(verdicts(o, { maxReactivations: { count: 0, percent: 100 } })).toMatchObject({ "max-reactivations-count": { verdict: "fail", actual: "1 people" } });
  });

  it("refuses above the percentage", () => {
    const o = org();
    for (const id of ["W100", "W101", "W102"]) was(o, id, { state: "leaver" });
    expect(verdicts(o, { maxReactivations: { count: 10, percent: 10 } })).toMatchObject({ "max-reactivations-percent": { verdict: "fail", actual: "15%" } });
  });

  it("does not count a returning person whose account stays disabled", () => {
    const o = org();
    was(o, "W100", { state: "leaver" });
    o.people[0] = person({ id: "W100", state: "leave", account: "disabled" });
    expect(verdicts(o, { maxReactivations: { count: 0, percent: 0 } })).toMatchObject({ "max-reactivations-count": { verdict: "pass" } });
  });

  it("reads a record without states by the plan: an account enabled for someone who had started", () => {
    const o = org();
    for (const id of Object.keys(o.previous.accounts)) delete o.previous.accounts[id]!.state;
    o.changes.set("W100", "enabled");
    o.changes.set("W101", "enabled");
    o.people[1] = person({ id: "W101", startDate: AS_OF });
    expect(verdicts(o, { maxReactivations: { count: 0, percent: 100 } })).toMatchObject({ "max-reactivations-count": { verdict: "fail", actual: "1 people" } });
  });

  it("counts nothing on a first apply", () => {
    const o = org();
    o.previous = undefined as unknown as StackRecord;
    expect(verdicts(o, { maxReactivations: { count: 0, percent: 0 } })).toMatchObject({ "max-reactivations-count": { verdict: "pass" } });
  });
});

describe("rename guardrail", () => {
  it("counts a new email or a new login, not an unchanged account", () => {
    const o = org();
    o.people[0] = person({ id: "W100", email: "someone.else@example.com" });
    o.people[1] = person({ id: "W101", login: "w101x" });
    expect(verdicts(o, { maxRenames: { count: 1, percent: 100 } })).toMatchObject({ "max-renames-count": { verdict: "fail", actual: "2 people" } });
    expect(verdicts(o, { maxRenames: { count: 2, percent: 100 } })).toMatchObject({ "max-renames-count": { verdict: "pass", actual: "2 people" } });
  });

  it("refuses when a changed template renames everyone, by count and percent", () => {
    const o = org();
    o.people = o.people.map((p) => person({ id: p.id, email: `x.${p.email}` }));
    expect(verdicts(o)).toMatchObject({ "max-renames-count": { verdict: "fail", actual: "20 people" }, "max-renames-percent": { verdict: "fail", actual: "100%" } });
  });

  it("compares what the target holds: a userName that is the email is no rename when nothing changed", () => {
    const o = org();
    for (const p of o.people) was(o, p.id, { userName: p.email });
    const byEmail = (p: Person) => p.email;
    expect(verdicts(o, { maxRenames: { count: 0, percent: 0 } }, undefined, byEmail)).toMatchObject({ "max-renames-count": { verdict: "pass", actual: "0 people" } });
  });

  it("does not count someone whose account is removed", () => {
    const o = org();
    o.people[0] = person({ id: "W100", state: "leaver", account: "absent", email: "gone@example.com" });
    expect(verdicts(o, { maxRenames: { count: 0, percent: 0 } })).toMatchObject({ "max-renames-count": { verdict: "pass" } });
  });

  it("is overridden with a reason, which the verdict records", () => {
    const o = org();
    o.people = o.people.map((p) => person({ id: p.id, email: `x.${p.email}` }));
    was(o, "W105", { state: "leaver" });
    const v = verdicts(o, { maxReactivations: { count: 0, percent: 0 } }, "domain migration, CHG-42");
    expect(Object.values(v).map((x) => x.verdict)).toEqual(["overridden", "overridden", "overridden", "overridden"]);
  });
});
