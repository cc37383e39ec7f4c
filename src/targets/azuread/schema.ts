import { z } from "zod";
import { Slug } from "../../model/common.js";
import { DirectorySchema, HoldersSchema } from "../../model/directory.js";
import { AzureAdTargetSettingsSchema } from "./settings.js";

const DirectoryGroup = z.object({ displayName: z.string().min(1), description: z.string().optional() }).strict();

export const AzureAdProjectionSchema = DirectorySchema.extend({
  directoryRoles: z.array(z.strictObject({ key: z.string(), displayName: z.string(), members: HoldersSchema })),
});
export type AzureAdProjection = z.infer<typeof AzureAdProjectionSchema>;

export const azureAdSchemas = {
  settings: AzureAdTargetSettingsSchema,
  catalog: z
    .object({
      groups: z.record(Slug, DirectoryGroup).default({}),
      directoryRoles: z
        .record(Slug, z.object({ displayName: z.string().min(1).describe("The built-in role's display name, e.g. User Administrator.") }).strict())
        .default({}),
    })
    .strict(),
  entitlements: z.object({ groups: z.array(Slug).default([]), directoryRoles: z.array(Slug).default([]) }).strict(),
  projection: AzureAdProjectionSchema,
};
