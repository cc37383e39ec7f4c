import { z } from "zod";
import { targetShape } from "../targets/registry.js";
import { Slug } from "./common.js";

/** A catalog key ends up in resource names (hence URNs): renaming one recreates the resource. */
export const CatalogKey = Slug;

/** `catalog.yaml`: what exists in each target system, by key (each target's section is its own schema). Roles refer to these keys. */
export const CatalogSchema = z
  .object({
    $schema: z.string().optional(),
    ...targetShape("catalog"),
  })
  .strict();
export type Catalog = z.infer<typeof CatalogSchema>;
