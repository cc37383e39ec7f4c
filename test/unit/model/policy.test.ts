/** Policy checks: templates, timezone, ranges and duplicates, each an issue at its path. */
import { describe, expect, it } from "vitest";
import { PolicySchema } from "../../../src/model/policy.js";

type Raw = Record<string, unknown>;
const base = (): Raw => ({ organization: { domain: "example.com", timezone: "Europe/Berlin" } });
const issues = (policy: Raw) => {
  const result = PolicySchema.safeParse(policy);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
};
const withIdentity = (identity: Raw): Raw => ({ ...base(), identity });

describe("policy.yaml checks", () => {
  it("accepts the defaults and the sample's templates", () => {
    expect(issues(base())).toEqual([]);
    expect(issues(withIdentity({ loginTemplate: "{preferred}.{family}", emailTemplate: "{login}@{domain}" }))).toEqual([]);
    expect(issues(withIdentity({ loginTemplate: "{workerId}", emailTemplate: "{login}@mail.example.org" }))).toEqual([]);
  });

  it.each([
    ["an unknown placeholder", { loginTemplate: "{first}.{last}" }, "identity.loginTemplate"],
    ["an unclosed brace", { loginTemplate: "{given}.{family" }, "identity.loginTemplate"],
    ["a space in the login", { loginTemplate: "{given} {family}" }, "identity.loginTemplate"],
    ["a login that names nobody", { loginTemplate: "staff" }, "identity.loginTemplate"],
    ["an email without a domain", { emailTemplate: "{login}" }, "identity.emailTemplate"],
    ["an email with two @", { emailTemplate: "{login}@{domain}@x" }, "identity.emailTemplate"],
    ["an email without the login", { emailTemplate: "team@{domain}" }, "identity.emailTemplate"],
    ["an email whose domain is one label", { emailTemplate: "{login}@localhost" }, "identity.emailTemplate"],
    ["an email placeholder of the login template", { emailTemplate: "{given}@{domain}" }, "identity.emailTemplate"],
  ])("refuses %s", (_what, identity, path) => {
    expect(issues(withIdentity(identity))).toContain(path);
  });

  it.each(["Mars/Olympus", "Europe/Berln", "+01:00", "europe/berlin", ""])("refuses the timezone %j", (timezone) => {
    expect(issues({ organization: { domain: "example.com", timezone } })).toContain("organization.timezone");
  });

  it.each(["UTC", "America/New_York", "Etc/GMT+5", "Asia/Kolkata"])("accepts the IANA zone %s", (timezone) => {
    expect(issues({ organization: { domain: "example.com", timezone } })).toEqual([]);
  });

  it.each([
    [{ lifecycle: { preHireDays: -1 } }, "lifecycle.preHireDays"],
    [{ lifecycle: { preHireDays: 1000 } }, "lifecycle.preHireDays"],
    [{ lifecycle: { leaverGraceDays: 2.5 } }, "lifecycle.leaverGraceDays"],
    [{ guardrails: { maxDeprovision: { count: 5, percent: 150 } } }, "guardrails.maxDeprovision.percent"],
    [{ guardrails: { maxRenames: { count: -1, percent: 10 } } }, "guardrails.maxRenames.count"],
    [{ guardrails: { maxReactivations: { count: 1, percent: -5 } } }, "guardrails.maxReactivations.percent"],
    [{ guardrails: { maxRosterShrinkPercent: 101 } }, "guardrails.maxRosterShrinkPercent"],
    [{ grants: { maxDays: 0 } }, "grants.maxDays"],
    [{ grants: { maxDays: 5000 } }, "grants.maxDays"],
    [{ serviceAccounts: { loginPrefix: "Svc_" } }, "serviceAccounts.loginPrefix"],
    [{ protected: ["W1", "W2", "W1"] }, "protected.2"],
    [{ separationOfDuties: [{ id: "a", roles: ["x", "x"], reason: "r" }] }, "separationOfDuties.0.roles.1"],
    [{ organization: { domain: "example..com" } }, "organization.domain"],
  ])("refuses %j", (extra, path) => {
    expect(issues({ ...base(), ...extra })).toContain(path);
  });
});
