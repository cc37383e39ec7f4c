import { z } from "zod";
import { Slug } from "../../model/common.js";
import { DirectorySchema, HoldersSchema } from "../../model/directory.js";
import { OktaTargetSettingsSchema } from "./settings.js";

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

/** Okta calls a group's display name its `name`. */
const OktaGroup = z.object({ name: z.string().min(1), description: z.string().optional() }).strict();

export const OktaProjectionSchema = DirectorySchema.extend({
  adminRoles: z.array(z.strictObject({ key: z.string(), type: z.string(), members: HoldersSchema })),
});
export type OktaProjection = z.infer<typeof OktaProjectionSchema>;

export const oktaSchemas = {
  settings: OktaTargetSettingsSchema,
  catalog: z
    .object({
      groups: z.record(Slug, OktaGroup).default({}),
      adminRoles: z.record(Slug, z.object({ type: OktaAdminRoleType }).strict()).default({}),
    })
    .strict(),
  entitlements: z.object({ groups: z.array(Slug).default([]), adminRoles: z.array(Slug).default([]) }).strict(),
  projection: OktaProjectionSchema,
};
