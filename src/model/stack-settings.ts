import { z } from "zod";
import { AwsTargetSettingsSchema } from "./target-settings/aws.js";
import { AzureAdTargetSettingsSchema } from "./target-settings/azuread.js";
import { OktaTargetSettingsSchema } from "./target-settings/okta.js";

/** The SCIM target: the local sandbox, or any SCIM 2.0 service provider by base URL. */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export const ScimTargetSettingsSchema = z
  .object({
    endpoint: z
      .union([z.literal("sandbox"), z.url({ protocol: /^https?$/ })], {
        error: (issue) =>
          issue.input === undefined
            ? "endpoint is required: 'sandbox' or the SP's https base URL"
            : `'${String(issue.input)}' is not an endpoint: use 'sandbox' or the SP's https base URL, e.g. https://app.example.com/scim/v2`,
      })
      .refine((e) => e === "sandbox" || !e.startsWith("http:") || LOOPBACK.has(new URL(e).hostname), {
        error: "plain http would send the bearer token in clear: use https (http is accepted for loopback only)",
      })
      .describe("'sandbox' or the SP's base URL, e.g. https://app.example.com/scim/v2 (https; http only on loopback)"),
  })
  .strict();
export type ScimTargetSettings = z.infer<typeof ScimTargetSettingsSchema>;

/** `rolecall:*` stack configuration in stacks/Pulumi.<stack>.yaml. */
export const StackSettingsSchema = z
  .object({
    desiredState: z
      .string()
      .refine((p) => p !== "" && !p.startsWith("/") && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes(".."), "the desired-state folder must be a relative path inside the project (no '..', not absolute)")
      .default("desired-state")
      .describe("The desired-state folder, relative to the project."),
    targets: z
      .object({
        scim: ScimTargetSettingsSchema.optional(),
        okta: OktaTargetSettingsSchema.optional(),
        azuread: AzureAdTargetSettingsSchema.optional(),
        aws: AwsTargetSettingsSchema.optional(),
      })
      .strict()
      .refine((t) => Object.keys(t).length > 0, "switch on at least one target"),
  })
  .strict();
export type StackSettings = z.infer<typeof StackSettingsSchema>;
