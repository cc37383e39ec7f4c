import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { declaredIn, judge, overall, subjectsOf, type ProofTarget, type Subject } from "../../../src/evidence/offboarding-proof.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import type { LiveAccount, LiveItem } from "../../../src/model/inventory.js";
import type { PersonChange } from "../../../src/model/plan.js";

const AT = "2026-11-25T03:00:00.000Z";
const leaver: Subject = { id: "W1010", kind: "person", state: "leaver", reason: "left on 2026-11-20", logins: ["jonas.weber"], emails: ["jonas.weber@example.com"] };
const onLeave: Subject = { id: "W1020", kind: "person", state: "leave", reason: "on leave", logins: ["tomas.silva"], emails: ["tomas.silva@example.com"] };
const items = [
  { kind: "group", key: "it-admins", displayName: "IT Administrators", members: [] },
  { kind: "group", key: "engineering", displayName: "Engineering", members: ["W1020"] },
];
const target = (accounts: LiveAccount[], live: LiveItem[] = [], over: Partial<ProofTarget> = {}): ProofTarget => ({
  target: "scim",
  users: [{ key: "W1020", active: false }],
  items,
  live: { accounts, items: live },
  readAt: AT,
  ...over,
});
const account = (id: string, over: Partial<LiveAccount> = {}): LiveAccount => ({ id, userName: `${id}-login`, emails: [], ...over });
const group = (id: string, displayName: string, members: string[], externalId?: string): LiveItem => ({ kind: "group", id, displayName, members, ...(externalId ? { externalId } : {}) });
const one = (s: Subject, t: ProofTarget) => judge([s], [t])[0]!;

describe("the offboarding verdict: leavers × the live read", () => {
  it("proves a leaver with no account and nothing held, and keeps only logins (no emails) in the evidence", () => {
    const p = one(leaver, target([account("other", { externalId: "W1001" })], [group("g1", "IT Administrators", ["other"])]));
    expect(p.verdict).toBe("proven");
    expect(p.targets).toEqual([{ target: "scim", verdict: "proven", checkedAt: AT, expected: "absent", accounts: [], remaining: [], kept: [], problems: [] }]);
    expect(JSON.stringify(p)).not.toContain("@example.com");
  });

  it("fails a leaver whose account is still there, disabled or not", () => {
    const p = one(leaver, target([account("u1", { externalId: "w1010", userName: "jonas.weber", active: false })]));
    expect(p.verdict).toBe("failed");
    expect(p.targets[0]!.accounts).toEqual([{ id: "u1", userName: "jonas.weber", active: false }]);
    expect(p.targets[0]!.problems[0]).toMatch(/jonas\.weber.*still present/);
  });

  it("finds an account made by hand with the leaver's email (no externalId) and names the catalog group it holds", () => {
    const p = one(leaver, target([account("h1", { userName: "jw-second", emails: ["Jonas.Weber@EXAMPLE.com"] })], [group("g1", "it administrators", ["h1"])]));
    expect(p.verdict).toBe("failed");
    expect(p.targets[0]!.remaining).toEqual([{ account: "h1", kind: "group", item: "it-admins", inCatalog: true }]);
  });

  it("names a group outside the catalog by its display name", () => {
    const p = one(leaver, target([account("u1", { externalId: "W1010" })], [group("g9", "Shadow Admins", ["u1"])]));
    expect(p.targets[0]!.remaining).toEqual([{ account: "u1", kind: "group", item: "Shadow Admins", inCatalog: false }]);
  });

  it("matches a group by externalId = catalog key even when renamed in the target", () => {
    const p = one(leaver, target([account("u1", { externalId: "W1010" })], [group("g1", "Renamed", ["u1"], "it-admins")]));
    expect(p.targets[0]!.remaining).toEqual([{ account: "u1", kind: "group", item: "it-admins", inCatalog: true }]);
  });

  it("someone on leave: a disabled account is proven, an enabled one fails, one whose flag the target does not report is unverified", () => {
    expect(one(onLeave, target([account("t1", { externalId: "W1020", active: false })])).verdict).toBe("proven");
    expect(one(onLeave, target([account("t1", { externalId: "W1020", active: true })])).verdict).toBe("failed");
    const unknown = one(onLeave, target([account("t1", { externalId: "W1020" })]));
    expect(unknown.verdict).toBe("unverified");
    expect(unknown.targets[0]!.problems[0]).toMatch(/does not say whether/);
  });

  it("in a target that cannot disable an account (AWS): someone on leave is proven by an account holding nothing, whatever its status, and fails on any holding", () => {
    const aws = (accounts: LiveAccount[], live: LiveItem[] = []) => target(accounts, live, { target: "aws" });
    for (const active of [true, false, undefined]) {
      const p = one(onLeave, aws([account("t1", { externalId: "W1020", ...(active !== undefined ? { active } : {}) })]));
      expect(p.verdict).toBe("proven");
      expect(p.targets[0]).toMatchObject({ expected: "without-access", problems: [] });
    }
    const holding = one(onLeave, aws([account("t1", { externalId: "W1020", active: true })], [group("g1", "IT Administrators", ["t1"])]));
    expect(holding.verdict).toBe("failed");
    expect(holding.targets[0]!.problems).toEqual(["still holds group it-admins"]);
    expect(one(leaver, aws([account("u1", { externalId: "W1010" })])).targets[0]).toMatchObject({ verdict: "failed", expected: "absent" });
  });

  it("keeps what the desired state still gives someone on leave (keep-entitlements) and fails anything else", () => {
    const p = one(onLeave, target([account("t1", { externalId: "W1020", active: false })], [group("g2", "Engineering", ["t1"]), group("g1", "IT Administrators", ["t1"])]));
    expect(p.targets[0]!.kept).toEqual([{ account: "t1", kind: "group", item: "engineering", inCatalog: true }]);
    expect(p.targets[0]!.remaining).toEqual([{ account: "t1", kind: "group", item: "it-admins", inCatalog: true }]);
    expect(p.verdict).toBe("failed");
  });

  it("is unverified in a target that could not be read, never proven by an empty read; failed elsewhere wins", () => {
    const unread: ProofTarget = { target: "okta", users: [], items: [], unread: "rolecall cannot read okta live yet" };
    const p = judge([leaver], [target([]), unread])[0]!;
    expect(p.verdict).toBe("unverified");
    expect(p.targets[1]).toMatchObject({ target: "okta", verdict: "unverified", accounts: [] });
    expect(p.targets[1]!.checkedAt).toBeUndefined();
    expect(judge([leaver], [target([account("u1", { externalId: "W1010" })]), unread])[0]!.verdict).toBe("failed");
    expect(overall([])).toBe("proven");
  });

  it("property: a leaver is proven exactly when no live account matches them and so nothing is held", () => {
    const ids = ["W1010", "W1011", "w1010", "x"];
    const logins = ["jonas.weber", "JONAS.WEBER", "someone", "jonas.weber@example.com"];
    const arb = fc.array(fc.record({ externalId: fc.option(fc.constantFrom(...ids), { nil: undefined }), userName: fc.constantFrom(...logins), active: fc.boolean(), inGroup: fc.boolean() }), { maxLength: 6 });
    fc.assert(
      fc.property(arb, (rows) => {
        const accounts = rows.map((r, i) => account(`a${i}`, { userName: r.userName, active: r.active, ...(r.externalId ? { externalId: r.externalId } : {}) }));
        const members = accounts.filter((_, i) => rows[i]!.inGroup).map((a) => a.id);
        const p = one(leaver, target(accounts, [group("g1", "IT Administrators", members)]));
        const matches = rows.some((r) => r.externalId?.toLowerCase() === "w1010" || ["jonas.weber", "jonas.weber@example.com"].includes(r.userName.toLowerCase()));
        return (p.verdict === "proven") === !matches;
      }),
    );
  });
});

const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");

describe("who the proof checks", () => {
  const change = (id: string, state: PersonChange["state"], kind: PersonChange["kind"] = "person"): PersonChange => ({
    id, kind, displayName: id, email: "", state, stateReason: `${state} reason`, change: "leaver", account: [], gains: [], losses: [], risks: [],
  });

  it("takes every leaver, person on leave, person gone from the roster and service account no longer declared — not joiners or movers", () => {
    const people = [change("W1001", "active"), change("W1026", "leaver"), change("W1020", "leave"), change("W9999", "removed"), change("svc-ci-deployer", "removed", "service-account")];
    const previous = { asOf: "2026-11-01", accounts: { W9999: { displayName: "x", email: "gone.person@example.com", kind: "person", protected: false, userName: "gone.person" } }, holdings: {} };
    const subjects = subjectsOf(people, desired, previous);
    expect(subjects.map((s) => [s.id, s.state, s.kind])).toEqual([
      ["W1026", "leaver", "person"],
      ["W1020", "leave", "person"],
      ["W9999", "removed", "person"],
      ["svc-ci-deployer", "removed", "service-account"],
    ]);
    const w1026 = desired.people.find((p) => p.id === "W1026")!;
    expect(subjects[0]).toMatchObject({ logins: [w1026.login], emails: [w1026.email] });
    expect(subjects[2]).toMatchObject({ logins: ["gone.person"], emails: ["gone.person@example.com"] });
  });

  it("knows a renamed worker's retired logins: an account left under the old name is still theirs", () => {
    const renamed = { ...desired, identities: { ...desired.identities, retired: { logins: { "old.name": { workerId: "W1026", on: "2026-01-01" } }, emails: {} } } };
    expect(subjectsOf([change("W1026", "leaver")], renamed, undefined)[0]!.logins).toContain("old.name");
  });

  it("reads what the desired state leaves in a target: accounts with their enabled flag, and catalog items with their holders", () => {
    const d = declaredIn(desired, "scim");
    expect(d.users.find((u) => u.key === "W1026")).toBeUndefined();
    expect(d.items.find((i) => i.key === "it-admins")).toMatchObject({ kind: "group", displayName: "IT Administrators" });
    expect(declaredIn(desired, "not-a-target")).toEqual({ users: [], items: [] });
  });
});
