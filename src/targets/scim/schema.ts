import { z } from "zod";
import { Slug } from "../../model/common.js";
import { DirectorySchema } from "../../model/directory.js";

/** The SCIM target: the local sandbox, or any SCIM 2.0 service provider by base URL. */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export const ScimTargetSettingsSchema = z
  .object({
    endpoint: z
      .union([z.literal("sandbox"), z.url({ protocol: /^https?$/ })], {
        error: (issue) =>
          issue.input === undefined
            ? "endpoint is required: 'sandbox' or the SP's https base URL"
            : `'${String(issue.input)}' is not an endpoint: use 'sandbox' or the SP's https base URL, e.g. https://app.example.com/scim/v2`,
      })
      .refine((e) => e === "sandbox" || !e.startsWith("http:") || LOOPBACK.has(new URL(e).hostname), {
        error: "plain http would send the bearer token in clear: use https (http is accepted for loopback only)",
      })
      .describe("'sandbox' or the SP's base URL, e.g. https://app.example.com/scim/v2 (https; http only on loopback)"),
  })
  .strict();
export type ScimTargetSettings = z.infer<typeof ScimTargetSettingsSchema>;

const DirectoryGroup = z.object({ displayName: z.string().min(1), description: z.string().optional() }).strict();

export const scimSchemas = {
  settings: ScimTargetSettingsSchema,
  catalog: z.object({ groups: z.record(Slug, DirectoryGroup).default({}) }).strict(),
  entitlements: z.object({ groups: z.array(Slug).default([]) }).strict(),
  projection: DirectorySchema,
};
