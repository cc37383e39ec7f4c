import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import type { DesiredState } from "../../../src/model/desired-state.js";
import type { Inputs } from "../../../src/model/inputs.js";
import { PolicySchema, type Policy } from "../../../src/model/policy.js";
import { WorkerSchema, type Worker } from "../../../src/model/person.js";

const AS_OF = "2026-11-25";
const policyWith = (identity: Record<string, unknown> = {}) =>
  PolicySchema.parse({ organization: { domain: "example.com" }, identity: { loginTemplate: "{given}.{family}", useHrEmail: false, ...identity } });
const w = (workerId: string, givenName: string, familyName: string, more: Partial<Worker> = {}) =>
  WorkerSchema.parse({ workerId, givenName, familyName, startDate: "2024-01-01", ...more });

/** Compiles a roster against the previous run's ledger, as plan and apply do with the stack record. */
function run(workers: Worker[], previous?: DesiredState, policy: Policy = policyWith(), asOf = AS_OF): DesiredState {
  const inputs: Inputs = {
    policy,
    catalog: {},
    roster: workers.map((value, i) => ({ value, at: { file: "hr/roster.csv", line: i + 2 } })),
    roles: [],
    rules: [],
    grants: [],
    serviceAccounts: [],
    files: [],
    findings: [],
    ...(previous ? { previous: { identities: previous.identities } } : {}),
  };
  return compile(inputs, asOf);
}
const loginOf = (d: DesiredState, id: string) => d.people.find((p) => p.id === id)?.login;
const emailOf = (d: DesiredState, id: string) => d.people.find((p) => p.id === id)?.email;
const codes = (d: DesiredState) => d.findings.map((f) => f.code);

const senior = w("W1", "Ada", "King", { startDate: "2019-01-01" });
const junior = w("W2", "Ada", "King", { startDate: "2022-01-01" });

describe("logins and emails", () => {
  it("transliterates unicode names to a stable ASCII login", () => {
    const d = run([w("W1", "José", "Müller"), w("W2", "Zoë", "Yılmaz"), w("W3", "Anne-Marie", "O'Brien")]);
    expect(d.people.map((p) => p.login)).toEqual(["jose.muller", "zoe.yilmaz", "annemarie.obrien"]);
    expect(emailOf(d, "W1")).toBe("jose.muller@example.com");
  });

  it("gives the plain login to whoever started first among newcomers", () => {
    const d = run([junior, senior]);
    expect([loginOf(d, "W1"), loginOf(d, "W2")]).toEqual(["ada.king", "ada.king2"]);
  });

  it("the senior namesake leaves: the junior keeps their login, the leaver's stays reserved", () => {
    const first = run([senior, junior]);
    const left = run([{ ...senior, status: "terminated" }, junior], first);
    expect(loginOf(left, "W2")).toBe("ada.king2");
    expect(left.identities.assigned.W1).toEqual({ login: "ada.king", email: "ada.king@example.com", released: AS_OF });
    // The row drops out of an active-only export: still nobody moves.
    const dropped = run([junior], left, policyWith(), "2026-12-01");
    expect(loginOf(dropped, "W2")).toBe("ada.king2");
    expect(dropped.identities.assigned.W1!.released).toBe(AS_OF);
  });

  it("a rehire gets their old login back; a new namesake never gets a former employee's", () => {
    const first = run([senior, junior]);
    const gone = run([junior], first);
    const newcomer = w("W3", "Ada", "King", { startDate: "2026-11-01" });
    const hired = run([junior, newcomer], gone);
    expect(loginOf(hired, "W3")).toBe("ada.king3");
    const rehired = run([junior, newcomer, { ...senior, startDate: "2026-11-20" }], hired);
    expect([loginOf(rehired, "W1"), loginOf(rehired, "W2"), loginOf(rehired, "W3")]).toEqual(["ada.king", "ada.king2", "ada.king3"]);
    expect(rehired.identities.assigned.W1!.released).toBeUndefined();
  });

  it("policy identity.reuseAfterDays frees a leaver's login once that many days have passed", () => {
    const policy = policyWith({ reuseAfterDays: 30 });
    const gone = run([junior], run([senior, junior], undefined, policy), policy, "2026-10-01");
    const early = run([junior, w("W3", "Ada", "King")], gone, policy, "2026-10-30");
    expect(loginOf(early, "W3")).toBe("ada.king3");
    const later = run([junior, w("W3", "Ada", "King")], gone, policy, "2026-10-31");
    expect(loginOf(later, "W3")).toBe("ada.king");
  });

  it("an HR email that belonged to a former worker is refused at the new hire's row", () => {
    const hr = policyWith({ useHrEmail: true });
    const first = run([w("W1", "Ada", "King", { email: "ada@example.com" })], undefined, hr);
    const gone = run([], first, hr);
    const d = run([w("W7", "Ada", "Kong", { email: "ADA@example.com" })], gone, hr);
    expect(d.findings).toContainEqual(expect.objectContaining({ severity: "error", code: "email-taken", file: "hr/roster.csv", line: 2 }));
  });

  it("a record that ended before any account was given (an old contract) neither renames, blocks nor is recorded", () => {
    const hr = policyWith({ useHrEmail: true });
    const oldContract = w("C1", "Ada", "King", { email: "ada.king@example.com", workerType: "contractor", status: "terminated", startDate: "2017-01-01", endDate: "2018-12-31" });
    const generated = run([oldContract, senior], undefined, hr);
    expect([loginOf(generated, "W1"), emailOf(generated, "W1")]).toEqual(["ada.king", "ada.king@example.com"]);
    const fromHr = run([oldContract, { ...senior, email: "ada.king@example.com" }], undefined, hr);
    expect(codes(fromHr)).not.toContain("email-taken");
    expect(fromHr.findings).toContainEqual(expect.objectContaining({ severity: "warning", code: "stale-duplicate-email", line: 2 }));
    expect(fromHr.identities.assigned.C1).toBeUndefined();
    // The next run reads the ledger: still nothing held by the old record, no conflict.
    expect(codes(run([oldContract, { ...senior, email: "ada.king@example.com" }], fromHr, hr))).not.toContain("identity-ledger-conflict");
  });

  it("a person's own name change keeps their login by default, and follows it with renames: follow", () => {
    const first = run([senior, junior]);
    const renamed = { ...senior, familyName: "Lovelace" };
    const kept = run([renamed, junior], first);
    expect([loginOf(kept, "W1"), emailOf(kept, "W1")]).toEqual(["ada.king", "ada.king@example.com"]);
    expect(codes(kept)).toContain("login-kept");
    expect(codes(run([renamed, junior], kept))).not.toContain("login-kept");

    const follow = policyWith({ renames: "follow" });
    const followed = run([renamed, junior], first, follow);
    expect([loginOf(followed, "W1"), emailOf(followed, "W1")]).toEqual(["ada.lovelace", "ada.lovelace@example.com"]);
    // The old login is retired for W1: a new Ada King never gets it.
    expect(followed.identities.retired.logins["ada.king"]).toEqual({ workerId: "W1", on: AS_OF });
    const next = run([renamed, junior, w("W3", "Ada", "King")], followed, follow);
    expect(loginOf(next, "W3")).toBe("ada.king3");
  });

  it("an HR email change is the person's own and is followed, never onto someone else's address", () => {
    const hr = policyWith({ useHrEmail: true });
    const first = run([w("W1", "Ada", "King", { email: "ada@example.com" }), w("W2", "Bo", "Lee", { email: "bo@example.com" })], undefined, hr);
    const moved = run([w("W1", "Ada", "King", { email: "ada.king@example.com" }), w("W2", "Bo", "Lee", { email: "bo@example.com" })], first, hr);
    expect(emailOf(moved, "W1")).toBe("ada.king@example.com");
    expect(moved.identities.retired.emails["ada@example.com"]).toEqual({ workerId: "W1", on: AS_OF });
    const stolen = run([w("W1", "Ada", "King", { email: "ada.king@example.com" }), w("W2", "Bo", "Lee", { email: "ada@example.com" })], moved, hr);
    expect(stolen.findings).toContainEqual(expect.objectContaining({ code: "email-taken", line: 3 }));
  });

  it("a record from before ledgers pins each account's recorded email", () => {
    const inputs: Inputs = {
      policy: policyWith(),
      catalog: {},
      roster: [junior].map((value, i) => ({ value, at: { file: "hr/roster.csv", line: i + 2 } })),
      roles: [],
      rules: [],
      grants: [],
      serviceAccounts: [],
      files: [],
      findings: [],
      previous: { accounts: { W1: { email: "ada.king@example.com", kind: "person" }, W2: { email: "ada.king2@example.com", kind: "person" } } },
    };
    const d = compile(inputs, AS_OF);
    expect(loginOf(d, "W2")).toBe("ada.king2");
    expect(d.identities.assigned.W1).toMatchObject({ login: "ada.king", released: AS_OF });
    expect(codes(d)).not.toContain("login-kept");
  });
});
