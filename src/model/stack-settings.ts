import { z } from "zod";
import { AwsTargetSettingsSchema } from "./target-settings/aws.js";
import { AzureAdTargetSettingsSchema } from "./target-settings/azuread.js";
import { OktaTargetSettingsSchema } from "./target-settings/okta.js";

/** The SCIM target: the local sandbox, or any SCIM 2.0 service provider by base URL. */
export const ScimTargetSettingsSchema = z
  .object({
    endpoint: z.union([z.literal("sandbox"), z.url({ protocol: /^https?$/ })]).describe("'sandbox' or the SP's base URL, e.g. https://app.example.com/scim/v2"),
  })
  .strict();
export type ScimTargetSettings = z.infer<typeof ScimTargetSettingsSchema>;

/** `rolecall:*` stack configuration in stacks/Pulumi.<stack>.yaml. */
export const StackSettingsSchema = z
  .object({
    desiredState: z.string().default("desired-state").describe("The desired-state folder, relative to the project."),
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
