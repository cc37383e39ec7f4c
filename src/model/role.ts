import { z } from "zod";
import { Slug } from "./common.js";
import { CatalogKey } from "./catalog.js";

export const RoleId = Slug;

/** What a role grants in each target, by catalog key. */
export const EntitlementsSchema = z
  .object({
    scim: z.object({ groups: z.array(CatalogKey).default([]) }).strict().optional(),
    okta: z
      .object({ groups: z.array(CatalogKey).default([]), adminRoles: z.array(CatalogKey).default([]) })
      .strict()
      .optional(),
    azuread: z
      .object({ groups: z.array(CatalogKey).default([]), directoryRoles: z.array(CatalogKey).default([]) })
      .strict()
      .optional(),
    aws: z.object({ groups: z.array(CatalogKey).default([]) }).strict().optional(),
  })
  .strict()
  .describe("Catalog keys per target. Administrator and directory roles need a privileged role.");
export type Entitlements = z.infer<typeof EntitlementsSchema>;

export const RoleSchema = z
  .object({
    id: RoleId,
    description: z.string().min(1),
    owner: z.string().min(1).describe("Worker ID of the person accountable for this role."),
    includes: z.array(RoleId).default([]).describe("Roles whose entitlements this role also grants."),
    privileged: z.boolean().default(false),
    entitlements: EntitlementsSchema.default({}),
  })
  .strict();
export type Role = z.infer<typeof RoleSchema>;

/** `roles/*.yaml`. */
export const RolesFileSchema = z
  .object({ $schema: z.string().optional(), roles: z.array(RoleSchema) })
  .strict();
