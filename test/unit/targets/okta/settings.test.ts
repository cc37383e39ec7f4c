import { describe, expect, it } from "vitest";
import { OktaTargetSettingsSchema } from "../../../../src/targets/okta/settings.js";
import { oktaProviderArgs } from "../../../../src/targets/okta/component.js";

const messages = (input: unknown) => {
  const result = OktaTargetSettingsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "(settings)"}: ${i.message}`);
};

describe("the okta target's stack settings", () => {
  it.each([
    ["everything from the environment", {}],
    ["an org on okta.com", { orgName: "dev-123456", baseUrl: "okta.com" }],
    ["a preview org with a rate-limit share", { orgName: "acme-test", baseUrl: "oktapreview.com", maxApiCapacity: 50 }],
    ["an EMEA cell", { orgName: "acme", baseUrl: "okta-emea.com" }],
  ])("accepts %s", (_, input) => {
    expect(messages(input)).toEqual([]);
  });

  it.each([
    ["a full address as org name", { orgName: "dev-123456.okta.com" }, "orgName: 'dev-123456.okta.com' is an address, not an org name: give only the subdomain (dev-123456 for https://dev-123456.okta.com) and put the domain in baseUrl"],
    ["a URL as org name", { orgName: "https://acme" }, "orgName: 'https://acme' is an address, not an org name: give only the subdomain (dev-123456 for https://dev-123456.okta.com) and put the domain in baseUrl"],
    ["odd characters", { orgName: "acme_corp" }, "orgName: orgName must be letters, digits and inner dashes, e.g. dev-123456"],
    ["an unknown domain", { baseUrl: "okta.de" }, "baseUrl: 'okta.de' is not an Okta domain: use okta.com, oktapreview.com (preview/sandbox orgs) or okta-emea.com"],
    ["a capacity over 100", { maxApiCapacity: 150 }, "maxApiCapacity: maxApiCapacity must be at most 100 (percent)"],
    ["a fractional capacity", { maxApiCapacity: 12.5 }, "maxApiCapacity: maxApiCapacity must be a whole percentage"],
    ["a capacity as text", { maxApiCapacity: "50" }, "maxApiCapacity: maxApiCapacity must be a number from 1 to 100 (a percentage)"],
    [
      "a credential in the stack file",
      { orgName: "acme", apiToken: "00abc" },
      "(settings): unknown okta setting 'apiToken': it takes orgName, baseUrl, maxApiCapacity, statusDrift; credentials come from OKTA_* environment variables, never from stack settings",
    ],
    [
      "an empty `okta:` entry",
      null,
      "(settings): give the okta target a settings map: {} to take the org from OKTA_ORG_NAME, or e.g. { orgName: dev-123456, baseUrl: okta.com }",
    ],
  ])("explains %s", (_, input, message) => {
    expect(messages(input)).toEqual([message]);
  });

  it("passes where to go and rolecall's rate limits to the provider, never a credential", () => {
    // Half of each endpoint's per-minute limit by default: below 100 the provider governs per endpoint.
    expect(oktaProviderArgs({})).toEqual({ maxApiCapacity: 50, backoff: true, minWaitSeconds: 30, maxWaitSeconds: 300, maxRetries: 5 });
    expect(oktaProviderArgs({ orgName: "acme", baseUrl: "okta-emea.com", maxApiCapacity: 40 })).toEqual({
      orgName: "acme",
      baseUrl: "okta-emea.com",
      maxApiCapacity: 40,
      backoff: true,
      minWaitSeconds: 30,
      maxWaitSeconds: 300,
      maxRetries: 5,
    });
  });

  it("reports statuses set outside rolecall unless told to revert them", () => {
    expect(messages({ statusDrift: "ignore" })).toEqual(["statusDrift: statusDrift must be report (leave statuses set outside rolecall, warn) or revert (undo them)"]);
    expect(messages({ statusDrift: "revert" })).toEqual([]);
  });
});
