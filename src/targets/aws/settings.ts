import { z } from "zod";
import { unknownSettings } from "../unknown-settings.js";

/**
 * The AWS IAM Identity Center target: what goes under `rolecall:targets: { aws: {...} }` in
 * stacks/Pulumi.<stack>.yaml. Credentials are not settings: the AWS provider reads them from its
 * usual chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, AWS_PROFILE,
 * AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, instance/container roles).
 */

// Identity Store API reference, IdentityStore data type: IdentityStoreId is `d-` and ten hex
// digits, or (newer stores) a UUID.
const IDENTITY_STORE_ID = /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
// SSO Admin API reference, CreateAccountAssignment: InstanceArn pattern.
const INSTANCE_ARN = /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** A required string's error: says what is missing when it is, and what type was expected otherwise. */
function required(whenMissing: string) {
  return (issue: { input: unknown }) => (issue.input === undefined ? whenMissing : `${whenMissing.split(" ")[0]} must be a string`);
}

const SETTINGS_KEYS = ["region", "identityStoreId", "instanceArn", "accountId", "userNameSuffix", "maxRetries"] as const;

export const AwsTargetSettingsSchema = z
  .strictObject(
    {
      region: z
        .string({ error: required("region is required: the AWS Region where IAM Identity Center is enabled, e.g. eu-central-1") })
        .regex(REGION, "region must be an AWS Region code such as eu-central-1 or us-gov-west-1")
        .describe("The AWS Region where the IAM Identity Center instance lives (its home Region), e.g. eu-central-1."),
      identityStoreId: z
        .string({ error: required("identityStoreId is required: the identity store of your IAM Identity Center instance, e.g. d-1234567890") })
        .regex(
          IDENTITY_STORE_ID,
          "identityStoreId must look like d-1234567890 (d- and ten lower-case hex digits); find it under IAM Identity Center > Settings > Identity source",
        )
        .describe("The Identity Store ID (d-xxxxxxxxxx) shown under IAM Identity Center > Settings. Changing it recreates every user and group."),
      instanceArn: z
        .string({ error: required("instanceArn is required: the ARN of your IAM Identity Center instance, e.g. arn:aws:sso:::instance/ssoins-1234567890abcdef") })
        .regex(
          INSTANCE_ARN,
          "instanceArn must look like arn:aws:sso:::instance/ssoins-1234567890abcdef (`aws sso-admin list-instances` prints it)",
        )
        .describe("The IAM Identity Center instance ARN (arn:aws:sso:::instance/ssoins-…). Changing it recreates every permission set and assignment."),
      accountId: z
        .string({
          error: (issue) =>
            typeof issue.input === "number" ? "accountId must be quoted in YAML (\"012345678901\"): as a number it loses leading zeros" : "accountId must be a string of 12 digits",
        })
        .regex(/^\d{12}$/, "accountId must be the 12-digit ID of the account that administers IAM Identity Center")
        .optional()
        .describe(
          "The 12-digit ID of the account the credentials must belong to (the management or delegated-administrator account). When set, the provider refuses to run against any other account.",
        ),
      userNameSuffix: z
        .string()
        .regex(
          /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/,
          "userNameSuffix must be '@' followed by a domain, e.g. @example.com",
        )
        .optional()
        .describe(
          "Appended to the worker ID to form each Identity Store userName (W1001 → W1001@example.com). Needed when an external SAML IdP signs users in: Identity Center requires an email-formatted NameID. Changing it recreates every user.",
        ),
      maxRetries: z
        .number()
        .int("maxRetries must be a whole number")
        .min(1, "maxRetries must be at least 1")
        .max(100, "maxRetries must be at most 100")
        .default(25)
        .describe("How many times the AWS provider retries a throttled or conflicting Identity Center call (ThrottlingException, ConflictException)."),
    },
    { error: unknownSettings("aws", SETTINGS_KEYS, "the AWS provider's environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a web identity token)") },
  )
  .superRefine((s, ctx) => {
    const partition = INSTANCE_ARN.exec(s.instanceArn)?.[1];
    const expected = partitionOf(s.region);
    if (partition && partition !== expected) {
      ctx.addIssue({
        code: "custom",
        path: ["instanceArn"],
        message: `instanceArn is in partition '${partition}' but region ${s.region} is in '${expected}'; use the instance of that Region's partition`,
      });
    }
  });

/** The AWS partition a Region belongs to (the second field of its ARNs). */
export function partitionOf(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  return "aws";
}

export type AwsTargetSettings = z.infer<typeof AwsTargetSettingsSchema>;
/** The settings as written in the stack file, before defaults. */
export type AwsTargetSettingsInput = z.input<typeof AwsTargetSettingsSchema>;
