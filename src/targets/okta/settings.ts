import { z } from "zod";
import { unknownSettings } from "../unknown-settings.js";

const SETTINGS_KEYS = ["orgName", "baseUrl", "maxApiCapacity", "statusDrift"] as const;

/** The Okta cells an org can live in; `https://<orgName>.<baseUrl>` is the org's address. */
export const OktaBaseUrl = z.enum(["okta.com", "oktapreview.com", "okta-emea.com"], {
  error: (issue) => `'${String(issue.input)}' is not an Okta domain: use okta.com, oktapreview.com (preview/sandbox orgs) or okta-emea.com`,
});
export type OktaBaseUrl = z.infer<typeof OktaBaseUrl>;

/**
 * The Okta target's stack settings: `rolecall:targets: { okta: {...} }` in
 * stacks/Pulumi.<stack>.yaml. Only where to provision and how hard to push — credentials never
 * go here; the provider reads OKTA_API_TOKEN (or the OAuth app's OKTA_API_* variables) from the
 * environment (see src/targets/okta/README.md). Every setting may be left out and taken from
 * OKTA_ORG_NAME / OKTA_BASE_URL instead, so `okta: {}` is a complete configuration.
 */
export const OktaTargetSettingsSchema = z.strictObject(
  {
    orgName: z
      .string({ error: "orgName must be text: the org's subdomain, e.g. dev-123456" })
      .refine((s) => !s.includes(".") && !s.includes("/"), {
        error: (issue) =>
          `'${String(issue.input)}' is an address, not an org name: give only the subdomain (dev-123456 for https://dev-123456.okta.com) and put the domain in baseUrl`,
        abort: true,
      })
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, "orgName must be letters, digits and inner dashes, e.g. dev-123456")
      .optional()
      .describe("The org's subdomain: dev-123456 for https://dev-123456.okta.com. Omit to use OKTA_ORG_NAME."),
    baseUrl: OktaBaseUrl.optional().describe(
      "The Okta domain the org lives under: okta.com, oktapreview.com or okta-emea.com. Omit to use OKTA_BASE_URL, else okta.com.",
    ),
    maxApiCapacity: z
      .number({ error: "maxApiCapacity must be a number from 1 to 100 (a percentage)" })
      .int("maxApiCapacity must be a whole percentage")
      .min(1, "maxApiCapacity must be at least 1 (percent)")
      .max(100, "maxApiCapacity must be at most 100 (percent)")
      .optional()
      .describe(
        "The share (percent) of each Okta management-API rate limit (per endpoint, per minute) this stack may use, leaving the rest to other integrations. Default 50; 100 turns the provider's per-endpoint governor off.",
      ),
    statusDrift: z
      .enum(["report", "revert"], { error: "statusDrift must be report (leave statuses set outside rolecall, warn) or revert (undo them)" })
      .optional()
      .describe(
        "What to do when an active account is suspended, locked out or deactivated outside rolecall (an administrator, a security tool): report leaves it and warns; revert reactivates it. Default report.",
      ),
  },
  {
    error: (issue) =>
      unknownSettings("okta", SETTINGS_KEYS, "OKTA_* environment variables")(issue) ??
      (issue.input === undefined || issue.input === null
        ? "give the okta target a settings map: {} to take the org from OKTA_ORG_NAME, or e.g. { orgName: dev-123456, baseUrl: okta.com }"
        : undefined),
  },
);
export type OktaTargetSettings = z.infer<typeof OktaTargetSettingsSchema>;
