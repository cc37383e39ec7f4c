import { z } from "zod";
import { unknownSettings } from "../unknown-settings.js";

const SETTINGS_KEYS = ["tenantId", "upnDomain", "federated", "statusDrift"] as const;

/**
 * The Entra ID (azuread) target's stack settings: `rolecall:targets: { azuread: {...} }` in
 * stacks/Pulumi.<stack>.yaml. Only where to provision — credentials never go here; the
 * provider reads them from ARM_* environment variables (see src/targets/azuread/README.md).
 */
export const AzureAdTargetSettingsSchema = z.strictObject(
  {
    tenantId: z
      .guid({
        error: (issue) =>
          issue.input === undefined
            ? "required: the directory (tenant) ID of the Entra ID tenant, e.g. 00000000-0000-0000-0000-000000000000"
            : `'${String(issue.input)}' is not a tenant ID: use the Directory (tenant) ID GUID from the tenant's overview page, not its domain name`,
      })
      .describe("Directory (tenant) ID of the Entra ID tenant to provision into (a GUID). Passed to the provider explicitly so a stray ARM_TENANT_ID cannot point a stack at another tenant."),
    upnDomain: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, {
        error: "must be a verified domain of the tenant in lower case, e.g. example.com or contoso.onmicrosoft.com (no '@')",
      })
      .optional()
      .describe(
        "Domain for userPrincipalName when it differs from the people's email domain, e.g. contoso.onmicrosoft.com. The UPN keeps the email's local part: ada.muller@example.com becomes ada.muller@<upnDomain>. Omit to use the email address as the UPN.",
      ),
    federated: z
      .boolean({ error: "federated must be true or false" })
      .optional()
      .describe(
        "The UPN domain is federated with an external IdP: Entra ID then requires onPremisesImmutableId on every new user, and rolecall sets it to the worker ID (the value the IdP must send as the ImmutableID claim).",
      ),
    statusDrift: z
      .enum(["report", "revert"], { error: "statusDrift must be report (leave accounts disabled outside rolecall, warn) or revert (enable them again)" })
      .optional()
      .describe(
        "What to do when the account of an active person is disabled outside rolecall (an administrator blocking sign-in during an incident): report leaves it disabled and warns; revert enables it again. Default report.",
      ),
  },
  {
    error: (issue) =>
      unknownSettings("azuread", SETTINGS_KEYS, "ARM_* environment variables")(issue) ??
      (issue.input === undefined || issue.input === null
        ? "give the azuread target its settings, at least tenantId"
        : undefined),
  },
);
export type AzureAdTargetSettings = z.infer<typeof AzureAdTargetSettingsSchema>;
