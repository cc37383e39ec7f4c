import { describe, expect, it } from "vitest";
import { AzureAdTargetSettingsSchema } from "../../../../src/targets/azuread/settings.js";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const problems = (value: unknown) => {
  const result = AzureAdTargetSettingsSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
};

describe("the azuread target's stack settings", () => {
  it.each([
    { settings: { tenantId: TENANT } },
    { settings: { tenantId: TENANT.toUpperCase() } },
    { settings: { tenantId: TENANT, upnDomain: "contoso.onmicrosoft.com" } },
    { settings: { tenantId: TENANT, upnDomain: "example.com" } },
    { settings: { tenantId: TENANT, statusDrift: "report" } },
    { settings: { tenantId: TENANT, statusDrift: "revert" } },
  ])("accepts $settings", ({ settings }) => {
    expect(AzureAdTargetSettingsSchema.parse(settings)).toEqual(settings);
  });

  it.each([
    { value: undefined, path: "", message: /give the azuread target its settings, at least tenantId/ },
    { value: {}, path: "tenantId", message: /^required: the directory \(tenant\) ID/ },
    { value: { tenantId: "contoso.onmicrosoft.com" }, path: "tenantId", message: /'contoso\.onmicrosoft\.com' is not a tenant ID: use the Directory \(tenant\) ID GUID/ },
    { value: { tenantId: TENANT, upnDomain: "@example.com" }, path: "upnDomain", message: /verified domain of the tenant in lower case/ },
    { value: { tenantId: TENANT, upnDomain: "Example.COM" }, path: "upnDomain", message: /in lower case/ },
    { value: { tenantId: TENANT, upnDomain: "localhost" }, path: "upnDomain", message: /e\.g\. example\.com/ },
    { value: { tenantId: TENANT, statusDrift: "enable" }, path: "statusDrift", message: /statusDrift must be report .* or revert/ },
    {
      value: { tenantId: TENANT, clientSecret: "s3cret" },
      path: "",
      message: /unknown azuread setting 'clientSecret': it takes tenantId, upnDomain, federated, statusDrift; credentials come from ARM_\* environment variables/,
    },
  ])("refuses $value at '$path' with a message that says what to do", ({ value, path, message }) => {
    expect(problems(value)).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it("names every unknown key at once", () => {
    expect(problems({ tenantId: TENANT, clientId: "x", tenant: "y" })[0]!.message).toMatch(/^unknown azuread settings 'clientId', 'tenant'/);
  });

  it("documents every setting", () => {
    for (const [key, schema] of Object.entries(AzureAdTargetSettingsSchema.shape)) expect(schema.description, key).toBeTruthy();
  });
});
