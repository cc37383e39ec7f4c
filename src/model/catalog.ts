import { z } from "zod";
import { Slug } from "./common.js";

/** A catalog key ends up in resource names (hence URNs): renaming one recreates the resource. */
export const CatalogKey = Slug;

const ScimGroup = z
  .object({
    displayName: z.string().min(1),
    description: z.string().optional(),
  })
  .strict();

/** `catalog.yaml`: what exists in each target system, by key. Roles refer to these keys. */
export const CatalogSchema = z
  .object({
    $schema: z.string().optional(),
    scim: z
      .object({
        groups: z.record(CatalogKey, ScimGroup).default({}),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Catalog = z.infer<typeof CatalogSchema>;
