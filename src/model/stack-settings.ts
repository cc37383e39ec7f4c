import { z } from "zod";
import { targetShape } from "../targets/registry.js";

export type { ScimTargetSettings } from "../targets/scim/schema.js";

/** `rolecall:*` stack configuration in stacks/Pulumi.<stack>.yaml. */
export const StackSettingsSchema = z
  .object({
    desiredState: z
      .string()
      .refine((p) => p !== "" && !p.startsWith("/") && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes(".."), "the desired-state folder must be a relative path inside the project (no '..', not absolute)")
      .default("desired-state")
      .describe("The desired-state folder, relative to the project."),
    targets: z
      .object(targetShape("settings"))
      .strict()
      .refine((t) => Object.keys(t).length > 0, "switch on at least one target"),
  })
  .strict();
export type StackSettings = z.infer<typeof StackSettingsSchema>;
