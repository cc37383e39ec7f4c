import { z } from "zod";
import { Slug } from "../../model/common.js";
import { DirectorySchema } from "../../model/directory.js";
import { AwsTargetSettingsSchema } from "./settings.js";

const AwsAccountId = z.string().regex(/^\d{12}$/, "an AWS account ID is 12 digits");
const AwsManagedPolicyArn = z.string().regex(/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/, "an IAM managed policy ARN");

export const AwsProjectionSchema = DirectorySchema.extend({
  accounts: z.array(z.strictObject({ key: z.string(), id: z.string() })),
  permissionSets: z.array(
    z.strictObject({ key: z.string(), name: z.string(), description: z.string().optional(), sessionDuration: z.string(), managedPolicies: z.array(z.string()) }),
  ),
  assignments: z.array(z.strictObject({ group: z.string(), account: z.string(), permissionSet: z.string() })),
});
export type AwsProjection = z.infer<typeof AwsProjectionSchema>;

export const awsSchemas = {
  settings: AwsTargetSettingsSchema,
  catalog: z
    .object({
      accounts: z.record(Slug, z.object({ id: AwsAccountId, name: z.string().optional() }).strict()).default({}),
      permissionSets: z
        .record(
          Slug,
          z
            .object({
              name: z.string().regex(/^[\w+=,.@-]{1,32}$/, "1–32 letters, digits and +=,.@-_"),
              description: z.string().optional(),
              sessionDuration: z.string().regex(/^PT(\d+H)?(\d+M)?$/, "an ISO 8601 duration such as PT8H").default("PT1H"),
              managedPolicies: z.array(AwsManagedPolicyArn).default([]),
            })
            .strict(),
        )
        .default({}),
      groups: z
        .record(
          Slug,
          z
            .object({
              displayName: z.string().min(1),
              description: z.string().optional(),
              assignments: z.array(z.object({ account: Slug, permissionSet: Slug }).strict()).default([]),
            })
            .strict(),
        )
        .default({}),
    })
    .strict(),
  entitlements: z.object({ groups: z.array(Slug).default([]) }).strict(),
  projection: AwsProjectionSchema,
};
