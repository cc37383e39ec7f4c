import { z } from "zod";
import { Slug } from "./common.js";

/** A catalog key ends up in resource names (hence URNs): renaming one recreates the resource. */
export const CatalogKey = Slug;

const DirectoryGroup = z.object({ displayName: z.string().min(1), description: z.string().optional() }).strict();
/** Okta calls a group's display name its `name`. */
const OktaGroup = z.object({ name: z.string().min(1), description: z.string().optional() }).strict();

/**
 * Okta's standard administrator role types (the `role_type` values of Okta's role API), the
 * ones a role may hand out through `okta.adminRoles`.
 */
export const OktaAdminRoleType = z.enum([
  "SUPER_ADMIN",
  "ORG_ADMIN",
  "APP_ADMIN",
  "USER_ADMIN",
  "HELP_DESK_ADMIN",
  "READ_ONLY_ADMIN",
  "MOBILE_ADMIN",
  "API_ACCESS_MANAGEMENT_ADMIN",
  "REPORT_ADMIN",
  "GROUP_MEMBERSHIP_ADMIN",
]);

const AwsAccountId = z.string().regex(/^\d{12}$/, "an AWS account ID is 12 digits");
const AwsManagedPolicyArn = z.string().regex(/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/, "an IAM managed policy ARN");

/** `catalog.yaml`: what exists in each target system, by key. Roles refer to these keys. */
export const CatalogSchema = z
  .object({
    $schema: z.string().optional(),
    scim: z.object({ groups: z.record(CatalogKey, DirectoryGroup).default({}) }).strict().optional(),
    okta: z
      .object({
        groups: z.record(CatalogKey, OktaGroup).default({}),
        adminRoles: z.record(CatalogKey, z.object({ type: OktaAdminRoleType }).strict()).default({}),
      })
      .strict()
      .optional(),
    azuread: z
      .object({
        groups: z.record(CatalogKey, DirectoryGroup).default({}),
        directoryRoles: z
          .record(CatalogKey, z.object({ displayName: z.string().min(1).describe("The built-in role's display name, e.g. User Administrator.") }).strict())
          .default({}),
      })
      .strict()
      .optional(),
    aws: z
      .object({
        accounts: z.record(CatalogKey, z.object({ id: AwsAccountId, name: z.string().optional() }).strict()).default({}),
        permissionSets: z
          .record(
            CatalogKey,
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
            CatalogKey,
            z
              .object({
                displayName: z.string().min(1),
                description: z.string().optional(),
                assignments: z.array(z.object({ account: CatalogKey, permissionSet: CatalogKey }).strict()).default([]),
              })
              .strict(),
          )
          .default({}),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Catalog = z.infer<typeof CatalogSchema>;
