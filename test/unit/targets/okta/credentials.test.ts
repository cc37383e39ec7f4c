import { describe, expect, it } from "vitest";
import { checkOktaCredentials } from "../../../../src/targets/okta/credentials.js";

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----";
const ALL_SCOPES = "okta.users.read,okta.users.manage,okta.groups.read,okta.groups.manage,okta.roles.read,okta.roles.manage";

describe("checkOktaCredentials", () => {
  it.each([
    ["an API token", { OKTA_ORG_NAME: "acme", OKTA_API_TOKEN: "00tok" }, {}, { ok: true, mode: "api-token", orgName: "acme", baseUrl: "okta.com" }],
    [
      "an OAuth service app, org from the settings",
      { OKTA_API_CLIENT_ID: "0oa1", OKTA_API_PRIVATE_KEY: PEM, OKTA_API_SCOPES: ALL_SCOPES },
      { orgName: "acme", baseUrl: "oktapreview.com" as const },
      { ok: true, mode: "oauth-private-key", orgName: "acme", baseUrl: "oktapreview.com" },
    ],
    ["an access token, domain from OKTA_BASE_URL", { OKTA_ORG_NAME: "acme", OKTA_BASE_URL: "okta-emea.com", OKTA_ACCESS_TOKEN: "eyJ" }, {}, { ok: true, mode: "access-token", orgName: "acme", baseUrl: "okta-emea.com" }],
  ])("accepts %s", (_, env, settings, result) => {
    expect(checkOktaCredentials(env, settings, true)).toEqual(result);
  });

  it.each([
    ["nothing at all", {}, [/OKTA_ORG_NAME/, /OKTA_API_TOKEN \(an API token\), or OKTA_API_CLIENT_ID/]],
    ["two kinds of credential", { OKTA_ORG_NAME: "acme", OKTA_API_TOKEN: "00tok", OKTA_ACCESS_TOKEN: "eyJ" }, [/one kind of Okta credential, not api-token and access-token/]],
    ["half an OAuth app", { OKTA_ORG_NAME: "acme", OKTA_API_CLIENT_ID: "0oa1" }, [/also needs OKTA_API_PRIVATE_KEY, OKTA_API_SCOPES/]],
    [
      "a private key given as a file path",
      { OKTA_ORG_NAME: "acme", OKTA_API_CLIENT_ID: "0oa1", OKTA_API_PRIVATE_KEY: "/home/ci/okta.pem", OKTA_API_SCOPES: ALL_SCOPES },
      [/must hold the PEM key itself .* never reads credentials from files/],
    ],
    [
      "scopes without role management while the catalog has admin roles",
      { OKTA_ORG_NAME: "acme", OKTA_API_CLIENT_ID: "0oa1", OKTA_API_PRIVATE_KEY: PEM, OKTA_API_SCOPES: "okta.users.read okta.users.manage okta.groups.read okta.groups.manage" },
      [/OKTA_API_SCOPES lacks okta.roles.read, okta.roles.manage/],
    ],
  ])("explains %s", (_, env, expected) => {
    const result = checkOktaCredentials(env, {}, true);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(problems[i]).toMatch(pattern));
  });

  it("does not ask for role scopes when no admin role is declared", () => {
    const env = { OKTA_ORG_NAME: "acme", OKTA_API_CLIENT_ID: "0oa1", OKTA_API_PRIVATE_KEY: PEM, OKTA_API_SCOPES: "okta.users.read,okta.users.manage,okta.groups.read,okta.groups.manage" };
    expect(checkOktaCredentials(env, {}, false)).toMatchObject({ ok: true, mode: "oauth-private-key" });
  });
});
