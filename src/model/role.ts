import { z } from "zod";
import { Slug } from "./common.js";
import { targetShape } from "../targets/registry.js";

export const RoleId = Slug;

/** What a role grants in each target, by catalog key (each target's entitlements are its own schema). */
export const EntitlementsSchema = z
  .object(targetShape("entitlements"))
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
