/** Each target's limits: what it refuses, reported at the file and line the user edits. */
import { describe, expect, it } from "vitest";
import type { DesiredState, DirectoryUser } from "../../../src/model/desired-state.js";
import { sessionMinutes } from "../../../src/targets/aws/limits.js";
import { emailProblem } from "../../../src/targets/limit-context.js";
import { checkTargetLimits } from "../../../src/targets/limits.js";

const user = (key: string, fields: Partial<DirectoryUser> = {}): DirectoryUser => ({
  key,
  kind: "person",
  userName: `${key.toLowerCase()}@example.com`,
  externalId: key,
  givenName: "Ada",
  familyName: "Lovelace",
  displayName: "Ada Lovelace",
  email: `${key.toLowerCase()}@example.com`,
  active: true,
  protected: false,
  ...fields,
});

function desired(users: DirectoryUser[], extra: Record<string, unknown> = {}): DesiredState {
  const people = users.map((u, i) => ({ id: u.key, source: { file: "hr/roster.csv", line: i + 2 } }));
  const projection = { users, groups: [] };
  return {
    people,
    serviceAccounts: [],
    targets: { scim: projection, okta: { ...projection, adminRoles: [] }, azuread: { ...projection, directoryRoles: [] }, aws: { ...projection, accounts: [], permissionSets: [], ...extra } },
  } as unknown as DesiredState;
}

const inputs = { serviceAccounts: [], lines: { "catalog.yaml": { "aws.permissionSets.admin": 30, "aws.permissionSets.admin.name": 31, "aws.permissionSets.admin.sessionDuration": 32 } } };
const places = (targets: object, d: DesiredState) => checkTargetLimits(targets as never, d, inputs).map((f) => ({ code: f.code, file: f.file, line: f.line }));

describe("email addresses (RFC 5321)", () => {
  it.each([
    ["a@example.com", undefined],
    [`${"a".repeat(64)}@example.com`, undefined],
    [`${"a".repeat(65)}@example.com`, "local part"],
    [`${"a".repeat(64)}@${Array(4).fill("b".repeat(50)).join(".")}.com`, "254"],
    ["ada", "not an email"],
    ["ada@localhost", "domain"],
    ["ada..x@example.com", "characters"],
    ["ada@b@example.com", "not an email"],
  ])("%s", (email, problem) => {
    const found = emailProblem(email);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe("target limits", () => {
  it("accepts ordinary accounts on every target", () => {
    expect(places({ scim: { endpoint: "sandbox" }, okta: {}, azuread: {}, aws: {} }, desired([user("W1"), user("W2")]))).toEqual([]);
  });

  it("checks only the targets the stack switches on", () => {
    const d = desired([user("W1"), user("W2", { givenName: "A".repeat(60) })]);
    expect(places({ scim: { endpoint: "sandbox" } }, d)).toEqual([]);
    expect(places({ okta: {} }, d)).toEqual([{ code: "okta-limit", file: "hr/roster.csv", line: 3 }]);
  });

  it("refuses a login over Okta's 100 characters at the person's row", () => {
    const long = `${"a".repeat(60)}@${"b".repeat(50)}.com`;
    expect(places({ okta: {} }, desired([user("W1", { userName: long, email: long })]))).toContainEqual({ code: "okta-limit", file: "hr/roster.csv", line: 2 });
  });

  it("refuses what Entra ID cannot hold: a long or odd UPN local part, a worker ID over 16", () => {
    expect(places({ azuread: {} }, desired([user("W1", { userName: "ada+x@example.com", email: "ada+x@example.com" })]))).toEqual([{ code: "azuread-limit", file: "hr/roster.csv", line: 2 }]);
    expect(places({ azuread: {} }, desired([user("W1"), user("W12345678901234567")]))).toEqual([{ code: "azuread-limit", file: "hr/roster.csv", line: 3 }]);
    expect(places({ azuread: { upnDomain: `${"x".repeat(45)}.com` } }, desired([user("W1")]))).toEqual([{ code: "azuread-limit", file: "hr/roster.csv", line: 2 }]);
  });

  it("refuses AWS reserved names and session durations outside PT1H–PT12H at the catalog line", () => {
    const set = (name: string, sessionDuration: string) => ({ permissionSets: [{ key: "admin", name, sessionDuration, managedPolicies: [] }] });
    expect(places({ aws: {} }, desired([user("W1")], set("Admin", "PT8H")))).toEqual([]);
    expect(places({ aws: {} }, desired([user("W1")], set("AWSReservedSSO_Admin", "PT8H")))).toEqual([{ code: "aws-limit", file: "catalog.yaml", line: 31 }]);
    expect(places({ aws: {} }, desired([user("W1")], set("Admin", "PT13H")))).toEqual([{ code: "aws-limit", file: "catalog.yaml", line: 32 }]);
    expect(places({ aws: {} }, desired([user("Administrator")]))).toEqual([{ code: "aws-limit", file: "hr/roster.csv", line: 2 }]);
  });

  it.each([
    ["PT1H", 60],
    ["PT12H", 720],
    ["PT90M", 90],
    ["PT1H30M", 90],
    ["PT", undefined],
    ["P1D", undefined],
  ])("reads the session duration %s", (duration, minutes) => {
    expect(sessionMinutes(duration)).toBe(minutes);
  });
});
